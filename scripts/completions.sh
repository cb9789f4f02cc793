#!/usr/bin/env bash
# `make completions`: regenerate completions/ from the app itself (never by hand, so
# the scripts cannot drift from the commands). --show-completion guesses the shell
# from the parent process; the _NEOCTL_COMPLETE=source_<shell> protocol does not.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p completions
for pair in bash:neoctl.bash zsh:_neoctl fish:neoctl.fish powershell:neoctl.ps1; do
  shell=${pair%%:*}
  file=${pair#*:}
  _NEOCTL_COMPLETE="source_$shell" neoctl > "completions/$file"
  echo "completions/$file" >&2
done
