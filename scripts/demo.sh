#!/usr/bin/env bash
# `make demo`: the main job end to end against the LOCAL SageMaker emulator.
# Nothing here talks to AWS: the emulator listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m$ %s\033[0m\n' "$*" >&2; }
run() { say "$*"; "$@"; }

workdir=$(mktemp -d)
python -m neoctl.testing --port 0 --job-seconds 6 --deployment-time-scale 0.01 >"$workdir/url" 2>"$workdir/emulator.log" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; rm -rf "$workdir"' EXIT
for _ in $(seq 100); do [ -s "$workdir/url" ] && break; sleep 0.1; done
url=$(head -n 1 "$workdir/url")
[ -n "$url" ] || { cat "$workdir/emulator.log" >&2; echo "the emulator did not start" >&2; exit 1; }

cat >&2 <<BANNER

================================================================================
 neoctl demo — against a LOCAL SageMaker emulator at $url
 (moto-based, started by this script; no AWS account is used, nothing leaves
 this machine). Jobs take ~6 s to "compile"; deployment waits are 100 times
 shorter (a 10 min bake lasts 6 s).
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

# A local model folder: packed deterministically, uploaded once, compiled from, waited on.
mkdir -p "$workdir/resnet18/code"
head -c 200000 /dev/urandom > "$workdir/resnet18/model.pth"
printf 'def model_fn(model_dir):\n    return None\n' > "$workdir/resnet18/code/inference.py"
cat > "$workdir/local.yaml" <<'SPEC'
name: resnet18-local
role: arn:aws:iam::123456789012:role/SageMakerNeoRole
model:
  path: resnet18                        # relative to this file
  upload_to: s3://demo-models/uploads/
  framework: pytorch
  framework_version: "1.8"              # listed for both targets (`neoctl validate` warns otherwise)
  inputs: {input0: [1, 3, 224, 224]}
output:
  uri: s3://demo-models/compiled/resnet18-local/   # its own prefix: Neo names the output after the input file
  targets: [ml_c5, jetson_nano]
max_runtime: 15m
SPEC
python - "$url" <<'PY'
import sys, boto3
boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="emulator",
             aws_secret_access_key="emulator").create_bucket(Bucket="demo-models")
PY
run neoctl create -f "$workdir/local.yaml" --dry-run
run neoctl create -f "$workdir/local.yaml" --wait --poll 1
run neoctl logs resnet18-local-ml-c5
run neoctl download resnet18-local-ml-c5 --to "$workdir/out" --extract
find "$workdir/out" -type f | sed "s|$workdir/||" >&2

python scripts/demo_seed.py "$url"
run neoctl trials --experiment resnet50-neo --sort-by name
run neoctl endpoint describe resnet50-prod
run neoctl endpoint update resnet50-prod --config resnet50-config-v2 --dry-run
run neoctl endpoint update resnet50-prod --config resnet50-config-v2 --retain-all --yes --wait --poll 0.5

# Compile → deploy → rollback: the ml_c5 job compiled above becomes what resnet50-prod serves
# (a copy of its config with only the model swapped, autoscaled count kept), then is undone.
# --code repacks the compiled archive with the entry script in code/ (beside it in S3, once).
code=(--code examples/inference-code)
run neoctl deploy resnet18-local-ml-c5 --endpoint resnet50-prod "${code[@]}" --dry-run
run neoctl deploy resnet18-local-ml-c5 --endpoint resnet50-prod "${code[@]}" --yes --wait --poll 0.5
run neoctl deploy resnet18-local-ml-c5 --endpoint resnet50-prod "${code[@]}" --yes
run neoctl endpoint history resnet50-prod
run neoctl endpoint rollback resnet50-prod --yes --wait --poll 0.5

# Canary deployments, watched by the two CloudWatch alarms demo_seed.py created: 25% of the
# new fleet first, a 10 min bake (6 s here), then the rest and a final bake. The first completes.
canary=(--canary 25% --bake 10m --alarm resnet50-prod-5xx --alarm resnet50-prod-latency)
run neoctl deploy resnet18-local-ml-c5 --endpoint resnet50-prod "${canary[@]}" --dry-run
run neoctl deploy resnet18-local-ml-c5 --endpoint resnet50-prod "${canary[@]}" --yes --wait --poll 0.5
# The second one is rolled back: once the canary bakes, 5XX errors put an alarm in ALARM
# (set here in the background). neoctl must exit 1, naming the alarm and the config served.
python scripts/demo_seed.py "$url" fire-when-baking resnet50-prod resnet50-prod-5xx &
firing_pid=$!
status=0
run neoctl endpoint update resnet50-prod --config resnet50-config-v2 --retain-all "${canary[@]}" --yes --wait --poll 0.5 || status=$?
wait "$firing_pid"
[ "$status" -eq 1 ] || { echo "expected exit 1 (rolled back by the alarm), got $status" >&2; exit 1; }
printf '(exit 1, as expected: SageMaker rolled the update back when the alarm fired)\n' >&2
run neoctl endpoint describe resnet50-prod

printf '\nDemo finished: every command above ran against the local emulator at %s.\n' "$url" >&2
