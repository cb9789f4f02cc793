#!/usr/bin/env bash
# `make demo`: the main job end to end against the LOCAL SageMaker emulator.
# Nothing here talks to AWS: the emulator listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m$ %s\033[0m\n' "$*" >&2; }
run() { say "$*"; "$@"; }

workdir=$(mktemp -d)
python -m neoctl.testing --port 0 --job-seconds 6 >"$workdir/url" 2>"$workdir/emulator.log" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; rm -rf "$workdir"' EXIT
for _ in $(seq 100); do [ -s "$workdir/url" ] && break; sleep 0.1; done
url=$(head -n 1 "$workdir/url")
[ -n "$url" ] || { cat "$workdir/emulator.log" >&2; echo "the emulator did not start" >&2; exit 1; }

cat >&2 <<BANNER

================================================================================
 neoctl demo — against a LOCAL SageMaker emulator at $url
 (moto-based, started by this script; no AWS account is used, nothing leaves
 this machine). Jobs take ~6 s to "compile".
================================================================================
BANNER

# Exactly what a user does to point neoctl at the emulator.
export AWS_ENDPOINT_URL="$url" AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=emulator AWS_SECRET_ACCESS_KEY=emulator
unset AWS_PROFILE AWS_SESSION_TOKEN

run neoctl validate -f examples/*.yaml
run neoctl create -f examples/fanout.yaml --dry-run --aws-cli
say neoctl create -f examples/fanout.yaml -o json --query '[].CompilationJobName'
names=$(neoctl create -f examples/fanout.yaml -o json --query '[].CompilationJobName' | python -c 'import json,sys; print(" ".join(json.load(sys.stdin)))')
echo "$names"
first=${names%% *}
last=${names##* }
run neoctl list
run neoctl describe "$first"
run neoctl stop "$last" --yes
sleep 7
run neoctl list --status completed
run neoctl describe "$first"

python scripts/demo_seed.py "$url"
run neoctl trials --experiment resnet50-neo --sort-by name
run neoctl endpoint describe resnet50-prod
run neoctl endpoint update resnet50-prod --config resnet50-config-v2 --retain-all --yes
sleep 1.5
run neoctl endpoint describe resnet50-prod

printf '\nDemo finished: every command above ran against the local emulator at %s.\n' "$url" >&2
