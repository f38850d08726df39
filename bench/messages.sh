#!/usr/bin/env bash
# The messages benchmark (issue 10): KafkaDesk's bulk produce and browse vs kcat, store
# memory, first rows and filter; see tests/examples/messages_bench.rs for the pairings.
# Uses $KAFKADESK_TEST_BOOTSTRAP when set, else starts the harness's own 3-node cluster.
# Writes bench/results.json ("messages") and the Messages section of bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# Optimise the crates on the measured paths as a release build would (the rest of the
# dependencies stay at the dev profile's opt-level 1; librdkafka itself is C, built by cmake
# optimised). A full release build of the app's dependency tree takes too long on a shared
# 2-core machine for the same figures.
exec cargo run -q -p kafkadesk-tests --example messages_bench \
  --config 'profile.dev.package.kafkadesk.opt-level=3' \
  --config 'profile.dev.package.rdkafka.opt-level=3' \
  --config 'profile.dev.package.kafkadesk-tests.opt-level=3' "$@"
