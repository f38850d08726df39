#!/usr/bin/env bash
# The window's weight (issue 16): cold start, idle memory, memory with 10,000 topics listed and
# the longest webview task opening 5 MiB values, on the release build. Writes bench/results.json
# (cold_start_ms, idle_rss_mb, rss_10k_topics_mb, detail_5mb_longest_task_ms) and RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$HOME/.cache/kafkadesk/target}"
npm --prefix ui run build >/dev/null
# As `tauri build` ships it: assets served from the binary through the custom protocol.
# KAFKADESK_APP may name such a build already made (e.g. the one `make bundle` packaged).
app="${KAFKADESK_APP:-$target/release/kafkadesk}"
if [ -z "${KAFKADESK_APP:-}" ]; then
  cargo build --release -p kafkadesk --features tauri/custom-protocol
fi
# The 10,000-topic cluster: made (and kept) by the topics benchmark when it is not running.
cache="${KAFKADESK_CACHE:-$HOME/.cache/kafkadesk}"
if ! cargo run -q -p kafkadesk-tests --bin sandbox -- status --dir "$cache/bench-topics" >/dev/null 2>&1; then
  bench/topics.sh
fi
cargo build -q -p kafkadesk-tests --example window_bench
KAFKADESK_APP="$app" dbus-run-session -- "$target/debug/examples/window_bench"
