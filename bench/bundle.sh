#!/usr/bin/env bash
# Package sizes (issue 15): the release .deb / .rpm from `make bundle`, and what the .deb
# installs (dpkg's Installed-Size, and the bytes actually unpacked). Target: .deb <= 20 MB.
# Writes bench/results.json "bundle" and the bundle section of bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle_dir="${CARGO_TARGET_DIR:-$HOME/.cache/kafkadesk/target}/release/bundle"
deb=$(ls -t "$bundle_dir"/deb/*.deb 2>/dev/null | head -n 1 || true)
[ -n "$deb" ] || { echo "bench: no .deb in $bundle_dir/deb; run 'make bundle' first"; exit 1; }
rpm=$(ls -t "$bundle_dir"/rpm/*.rpm 2>/dev/null | head -n 1 || true)
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$deb" "$unpacked"
deb_bytes=$(stat -c %s "$deb")
rpm_bytes=$([ -n "$rpm" ] && stat -c %s "$rpm" || echo 0)
installed_kib=$(dpkg-deb -f "$deb" Installed-Size)
unpacked_bytes=$(du -sb "$unpacked" | cut -f1)
binary_bytes=$(stat -c %s "$unpacked/usr/bin/kafkadesk")
node - "$deb" "$rpm" "$deb_bytes" "$rpm_bytes" "$installed_kib" "$unpacked_bytes" "$binary_bytes" <<'JS'
const fs = require('fs');
const [deb, rpm, debB, rpmB, instKiB, unpackedB, binB] = process.argv.slice(2);
const mb = (b) => (Number(b) / 1e6).toFixed(1);
const path = 'bench/results.json';
const results = fs.existsSync(path) ? JSON.parse(fs.readFileSync(path, 'utf8')) : {};
results.bundle = {
  deb: deb.split('/').pop(), deb_bytes: Number(debB),
  rpm: rpm ? rpm.split('/').pop() : null, rpm_bytes: Number(rpmB) || null,
  installed_size_kib: Number(instKiB), unpacked_bytes: Number(unpackedB), binary_bytes: Number(binB),
  target_deb_bytes: 20e6,
};
fs.writeFileSync(path, JSON.stringify(results, null, 2) + '\n');
const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
const section = `<!-- bundle:start -->
## Packages (issue 15)

Command: \`make bundle && bench/bundle.sh\` (Tauri's bundler on the release build; \`[profile.release]\` strips symbols). Measured ${when} UTC.

| figure | value | target |
|---|---|---|
| .deb (\`${deb.split('/').pop()}\`) | ${mb(debB)} MB (${debB} bytes) | ≤ 20 MB |
| .rpm${rpm ? ` (\`${rpm.split('/').pop()}\`)` : ''} | ${rpm ? `${mb(rpmB)} MB` : 'not built'} | — |
| installed size (dpkg Installed-Size) | ${(Number(instKiB) / 1024).toFixed(1)} MiB | — |
| bytes unpacked from the .deb | ${mb(unpackedB)} MB, of which /usr/bin/kafkadesk ${mb(binB)} MB | — |

The .deb depends on the system's WebKitGTK 4.1 and GTK 3 (not bundled), which is why it is small; the AppImage, which would bundle them, is not built here (see README).
<!-- bundle:end -->
`;
let md = fs.readFileSync('bench/RESULTS.md', 'utf8');
md = md.includes('<!-- bundle:start -->')
  ? md.replace(/<!-- bundle:start -->[\s\S]*<!-- bundle:end -->\n/, section)
  : md.replace('# Benchmarks\n\n', `# Benchmarks\n\n${section}\n`);
fs.writeFileSync('bench/RESULTS.md', md);
console.log(`.deb ${mb(debB)} MB, installed ${(Number(instKiB) / 1024).toFixed(1)} MiB, binary ${mb(binB)} MB`);
JS
