#!/usr/bin/env bash
# The window's weight (issue 16): cold start, idle memory, memory with 10,000 topics listed and
# the longest webview task opening 5 MiB values, on the release build. Writes bench/results.json
# (cold_start_ms, idle_rss_mb, rss_10k_topics_mb, detail_5mb_longest_task_ms) and RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$HOME/.cache/kafkadesk/target}"
npm --prefix ui run build >/dev/null
cargo build --release -p kafkadesk
# The 10,000-topic cluster: made (and kept) by the topics benchmark when it is not running.
cache="${KAFKADESK_CACHE:-$HOME/.cache/kafkadesk}"
if ! cargo run -q -p kafkadesk-tests --bin sandbox -- status --dir "$cache/bench-topics" >/dev/null 2>&1; then
  bench/topics.sh
fi
cargo build -q -p kafkadesk-tests --example window_bench
KAFKADESK_APP="$target/release/kafkadesk" dbus-run-session -- "$target/debug/examples/window_bench"
