#!/usr/bin/env bash
# The Schema Registry benchmark: whole-topic search over 1M Avro records (decoded as they are
# searched) against the same search over plain JSON, and the in-memory decode + filter rate.
# Uses $KAFKADESK_TEST_BOOTSTRAP / $KAFKADESK_TEST_REGISTRY when set, else starts its own.
# BENCH_N changes the record count. Prints the figures for bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run -q -p kafkadesk-tests --example registry_bench \
  --config 'profile.dev.package.kafkadesk.opt-level=3' \
  --config 'profile.dev.package.apache-avro.opt-level=3' \
  --config 'profile.dev.package.rdkafka.opt-level=3' "$@"
