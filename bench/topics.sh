#!/usr/bin/env bash
# Topics listing benchmark: KafkaDesk vs `kcat -L` on 10,000 topics / 20,000 partitions.
# The 3-broker bench cluster is kept running (with its topics) between runs;
# stop it with: sandbox stop --dir "${KAFKADESK_CACHE:-$HOME/.cache/kafkadesk}/bench-topics"
set -euo pipefail
cd "$(dirname "$0")/.."
command -v kcat >/dev/null || { echo "bench: kcat is missing (apt-get install kcat)"; exit 1; }
cargo build -q -p kafkadesk-tests --example bench_topics
"${CARGO_TARGET_DIR:-$HOME/.cache/kafkadesk/target}/debug/examples/bench_topics"

# The list's filter, one keystroke over 10,000 topics (budget 50 ms): the slowest case's p99.
out="$(mktemp)"
npm --prefix ui exec -- vitest bench --run src/features/topics --outputJson "$out" >/dev/null
node - "$out" <<'JS'
const fs = require('fs');
const run = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const marks = run.files.flatMap((f) => f.groups.flatMap((g) => g.benchmarks));
const p99 = Math.max(...marks.map((b) => b.p99));
const mean = Math.max(...marks.map((b) => b.mean));
const path = 'bench/results.json';
const results = fs.existsSync(path) ? JSON.parse(fs.readFileSync(path, 'utf8')) : {};
results.topics_10k_filter_p99_ms = Math.round(p99 * 10) / 10;
fs.writeFileSync(path, JSON.stringify(results, null, 2) + '\n');
const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
fs.appendFileSync('bench/RESULTS.md',
  `| ${when} | topics filter, one keystroke over 10,000 topics (slowest of substring / regex) | mean ${mean.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms | budget 50 ms | — | \`make bench\` |\n`);
console.log(`filter over 10,000 topics: mean ${mean.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
JS
rm -f "$out"
