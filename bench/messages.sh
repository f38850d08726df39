#!/usr/bin/env bash
# The messages benchmark (issue 10): KafkaDesk's bulk produce and browse vs kcat, store
# memory, first rows and filter; see tests/examples/messages_bench.rs for the pairings.
# Uses $KAFKADESK_TEST_BOOTSTRAP when set, else starts the harness's own 3-node cluster.
# Writes bench/results.json ("messages") and the Messages section of bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# A release build of everything, as the issue asks (the first run builds the release tree;
# later runs reuse it). Cargo's build messages say where the example and librdkafka are.
built=$(cargo build --release -q -p kafkadesk-tests --example messages_bench --message-format=json)
read -r bench rdkafka_out < <(python3 -c '
import json, sys
exe = out = ""
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "messages_bench" and m.get("executable"):
        exe = m["executable"]
    if m.get("reason") == "build-script-executed" and "rdkafka-sys" in m["package_id"]:
        out = m["out_dir"]
print(exe, out)' <<<"$built")
[ -n "$bench" ] && [ -n "$rdkafka_out" ] || { echo "could not find the bench or librdkafka in cargo's output" >&2; exit 1; }
# kcat on KafkaDesk's own librdkafka, beside the system's kcat (the same commands).
KAFKADESK_BENCH_KCAT_SAME=$(bench/kcat-same-librdkafka.sh "$rdkafka_out")
export KAFKADESK_BENCH_KCAT_SAME
exec "$bench" "$@"
