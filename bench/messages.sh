#!/usr/bin/env bash
# The messages benchmark (issue 10): KafkaDesk's bulk produce and browse vs kcat, store
# memory, first rows and filter; see tests/examples/messages_bench.rs for the pairings.
# Uses $KAFKADESK_TEST_BOOTSTRAP when set, else starts the harness's own 3-node cluster.
# Writes bench/results.json ("messages") and the Messages section of bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# A release build of everything, as the issue asks (the first run builds the release tree;
# later runs reuse it).
exec cargo run --release -q -p kafkadesk-tests --example messages_bench "$@"
