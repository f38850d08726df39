#!/usr/bin/env bash
# The messages benchmark: KafkaDesk's bulk produce, browse-session fill and filter vs kcat.
# Uses $KAFKADESK_TEST_BOOTSTRAP when set, else starts the harness's own 3-node cluster.
# Writes bench/results.json ("messages") and the Messages section of bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# Optimise the app crate and the rdkafka bindings as a release build would (the rest of the
# dependencies stay at the dev profile's opt-level 1; librdkafka itself is C, built by cmake).
exec cargo run -q -p kafkadesk-tests --example messages_bench \
  --config 'profile.dev.package.kafkadesk.opt-level=3' \
  --config 'profile.dev.package.rdkafka.opt-level=3' "$@"
