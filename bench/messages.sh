#!/usr/bin/env bash
# The messages benchmark: KafkaDesk's bulk produce, browse-session fill and filter vs kcat.
# Uses $KAFKADESK_TEST_BOOTSTRAP when set, else starts the harness's own 3-node cluster.
# Writes bench/results.json ("messages") and the Messages section of bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# Optimise the app crate itself (its dependencies are already built at opt-level 1 for dev).
exec cargo run -q -p kafkadesk-tests --example messages_bench \
  --config 'profile.dev.package.kafkadesk.opt-level=3' "$@"
