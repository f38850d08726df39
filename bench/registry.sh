#!/usr/bin/env bash
# The Schema Registry benchmark: whole-topic search over 1M Avro records (decoded as they are
# searched) against the same search over plain JSON, and the in-memory decode + filter rate.
# Uses $KAFKADESK_TEST_BOOTSTRAP / $KAFKADESK_TEST_REGISTRY when set, else starts its own.
# BENCH_N changes the record count. Release build, like every benchmark. Prints the figures for bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run -q --release -p kafkadesk-tests --example registry_bench "$@"
