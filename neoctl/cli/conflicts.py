"""Flags that contradict each other: one table, applied the same way to every command.

A rule reads "when every flag of `given` is on the command line and `missing` is not"
(or, without `missing`, "when all of `given` are"); `missing` may name several flags:
then none of them is. It applies to each command that has
every flag it names, so a new command with --dry-run and --wait gets the rule with no
code of its own. A broken rule is a usage error (exit 2) naming the flags, raised by
options.aws_command before the command's body runs, so nothing is ever sent. Silently
ignoring one of the flags instead would let a script believe it had applied.

The table is documented in docs/configuration.md (a test keeps the two the same).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer


@dataclass(frozen=True)
class Rule:
    """`given` may not all be on the command line (without any of `missing` when it is set)."""

    given: tuple[str, ...]
    missing: str | tuple[str, ...] | None
    message: str
    hint: str | None = None

    @property
    def without(self) -> tuple[str, ...]:
        """The flags of `missing`: the rule holds when none of them is given."""
        if self.missing is None:
            return ()
        return (self.missing,) if isinstance(self.missing, str) else self.missing

    @property
    def flags(self) -> tuple[str, ...]:
        """Every flag the rule names: a command must have all of them for it to apply."""
        return (*self.given, *self.without)

    def broken(self, on_command_line: Collection[str]) -> bool:
        """Whether these flags, given together, break the rule."""
        return all(f in on_command_line for f in self.given) and not any(f in on_command_line for f in self.without)


RULES: tuple[Rule, ...] = (
    Rule(("--dry-run", "--wait"), None, "--dry-run sends nothing, so there is nothing to --wait for: drop one of them"),
    Rule(("--timeout",), "--wait", "--timeout limits --wait: add --wait, or drop --timeout"),
    Rule(("--poll",), "--wait", "--poll paces --wait: add --wait, or drop --poll"),
    Rule(("--poll",), "--follow", "--poll paces --follow: add --follow, or drop --poll"),
    Rule(
        ("--follow", "--query"),
        None,
        "--query needs every event, --follow prints each as it comes: drop one",
        "to filter followed events, pipe `-o json --follow` (JSON Lines) to jq",
    ),
    Rule(("--aws-cli",), "--dry-run", "--aws-cli prints commands instead of sending: use it with --dry-run"),
    Rule(("--aws-cli", "--output"), None, "--aws-cli prints command lines: drop -o/--query, or drop --aws-cli"),
    Rule(("--aws-cli", "--query"), None, "--aws-cli prints command lines: drop -o/--query, or drop --aws-cli"),
    Rule(
        ("--exclude",),
        "--retain-all",
        "--exclude only applies with --retain-all",
        "add --retain-all to keep the other current variant properties, "
        "or drop --exclude to apply the new config as it is",
    ),
    Rule(
        ("--smoke",),
        "--wait",
        "--smoke invokes the endpoint once --wait has seen it InService: add --wait, or drop --smoke",
    ),
    Rule(
        ("--smoke-content-type",), "--smoke", "--smoke-content-type describes the --smoke body: add --smoke, or drop it"
    ),
    Rule(
        ("--entry-point",),
        "--code",
        "--entry-point names the script in the --code folder: add --code DIR, or drop --entry-point",
        "without --code, the script the container runs is set with --env SAGEMAKER_PROGRAM=NAME",
    ),
    Rule(
        ("--rollback-on-smoke-failure",),
        "--smoke",
        "--rollback-on-smoke-failure acts on a failed --smoke test: add --smoke, or drop it",
    ),
    # A traffic policy (neoctl/endpoints/traffic.py): --deployment-config is the whole of
    # one, --canary, --linear and --rolling exclude each other, the rest shape one of them.
    *(
        Rule(
            ("--deployment-config", flag),
            None,
            f"--deployment-config is the whole DeploymentConfig: drop {flag}, or drop --deployment-config",
        )
        for flag in ("--canary", "--linear", "--rolling", "--bake", "--alarm", "--max-time")
    ),
    *(
        Rule((first, second), None, f"{first} and {second} are two traffic policies: give one")
        for first, second in (("--canary", "--linear"), ("--canary", "--rolling"), ("--linear", "--rolling"))
    ),
    *(
        Rule(
            ("--retain-deployment-config", flag),
            None,
            f"--retain-deployment-config reuses the last DeploymentConfig: drop it, or drop {flag}",
        )
        for flag in ("--canary", "--linear", "--rolling", "--deployment-config")
    ),
    Rule(("--alarm",), "--bake", "--alarm is watched while the update bakes: add --bake (e.g. --bake 10m)"),
    *(
        Rule(
            (flag,),
            ("--canary", "--linear", "--rolling"),
            f"{flag} shapes a traffic policy: add --canary, --linear or --rolling",
        )
        for flag in ("--bake", "--max-time")
    ),
    Rule(
        ("--allow-all-at-once",),
        ("--canary", "--linear", "--rolling", "--deployment-config"),
        "--allow-all-at-once lets a traffic policy through: add --canary, --linear, --rolling or "
        "--deployment-config, or drop it",
    ),
    Rule(
        ("--keep-archive",),
        "--extract",
        "--keep-archive keeps the archive next to what --extract unpacks: add --extract, or drop it",
    ),
    Rule(
        ("--force", "--extract"),
        "--keep-archive",
        "--force replaces an archive file, and --extract writes none without --keep-archive",
        "add --keep-archive, or drop --force (an extracted directory is never replaced: remove it first)",
    ),
)


def first_broken(has: Collection[str], on_command_line: Collection[str]) -> Rule | None:
    """The first rule that applies to a command with the flags `has` and that the flags
    `on_command_line` break; None when they break none."""
    for rule in RULES:
        if all(f in has for f in rule.flags) and rule.broken(on_command_line):
            return rule
    return None


def check(ctx: typer.Context) -> None:
    """UsageError (exit 2) for the first rule the command line of `ctx` breaks.

    A flag counts when the user gave it, even at its default value (`--poll 15`,
    `-o table`): what was typed is what must not be silently ignored."""
    from neoctl.errors import UsageError

    has: set[str] = set()
    given: set[str] = set()
    for param in ctx.command.params:
        # Each option by its long name (`-o/--output` is --output), as the table names it.
        names = [o for o in param.opts if o.startswith("--")]
        if not names:
            continue
        has.add(names[0])
        source = ctx.get_parameter_source(param.name) if param.name else None
        if source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP"):
            given.add(names[0])
    rule = first_broken(has, given)
    if rule is not None:
        raise UsageError(rule.message, rule.hint)
