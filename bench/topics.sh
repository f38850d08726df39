#!/usr/bin/env bash
# Topics listing benchmark: KafkaDesk vs `kcat -L` on 10,000 topics / 20,000 partitions.
# The single-broker bench cluster is kept running (with its topics) between runs;
# stop it with: sandbox stop --dir "${KAFKADESK_CACHE:-$HOME/.cache/kafkadesk}/bench-topics"
set -euo pipefail
cd "$(dirname "$0")/.."
command -v kcat >/dev/null || { echo "bench: kcat is missing (apt-get install kcat)"; exit 1; }
cargo build -q -p kafkadesk-tests --example bench_topics
"${CARGO_TARGET_DIR:-$HOME/.cache/kafkadesk/target}/debug/examples/bench_topics"
