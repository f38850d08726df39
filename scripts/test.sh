#!/usr/bin/env bash
# Runs every test layer of KafkaDesk and ends with one line: `N passed, N failed`.
#   1. Rust unit tests (app crate and harness)
#   2. the TypeScript bindings generated from Rust are the committed ones
#   3. UI component tests (Vitest)
#   4. integration tests against a real 3-broker Apache Kafka
#   5. end-to-end tests: the built app in a real window under Xvfb, through tauri-driver
# One Kafka cluster serves layers 4 and 5; it starts on free loopback ports (so a running
# sandbox never collides) while layers 1-3 run, and is stopped on every exit path.
# Expects `make app` to have built ui/dist and the debug app (the Makefile does).
set -uo pipefail
cd "$(dirname "$0")/.."

artifacts=tests/e2e-artifacts
mkdir -p "$artifacts"
cluster_dir=$(mktemp -d "${TMPDIR:-/tmp}/kafkadesk-test-cluster.XXXXXX")
sandbox_bin="${CARGO_TARGET_DIR:-target}/debug/sandbox"
passed=0 failed=0 layer_failures=()

keyring_dir=$(mktemp -d "${TMPDIR:-/tmp}/kafkadesk-test-keyring.XXXXXX")

stop_cluster() {
  [ -x "$sandbox_bin" ] && "$sandbox_bin" stop --dir "$cluster_dir" >/dev/null 2>&1
  rm -rf "$cluster_dir" "$keyring_dir"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

strip_ansi() { sed -e 's/\x1b\[[0-9;]*[a-zA-Z]//g'; }

# Runs one layer, shows its output, and adds its counts.
#   layer NAME KIND CMD... (KIND: cargo | vitest | check)
layer() {
  local name=$1 kind=$2; shift 2
  local log="$artifacts/layer-${name// /-}.log" p=0 f=0
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  case "$kind" in
    cargo)
      read -r p f < <(strip_ansi <"$log" | awk '/^test result: / {
          for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i }
        } END { print p+0, f+0 }')
      ;;
    vitest)
      local line; line=$(strip_ansi <"$log" | grep -E '^\s*Tests\s' | tail -n 1)
      p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || echo 0)
      f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || echo 0)
      ;;
    check)
      if [ "$rc" -eq 0 ]; then p=1; else f=1; fi
      ;;
  esac
  p=${p:-0}; f=${f:-0}
  # A layer that failed without reporting a failed test (a build error, a crash) counts once.
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
  [ "$rc" -ne 0 ] && layer_failures+=("$name")
  return 0
}

# Start Kafka early: it boots while the fast layers run.
printf '\033[1m==> Starting a 3-broker Apache Kafka for the tests\033[0m\n'
cargo build -q -p kafkadesk-tests --bin sandbox || { echo "0 passed, 1 failed"; exit 1; }
"$sandbox_bin" start-test --dir "$cluster_dir" --watch-pid $$ >"$artifacts/cluster-start.log" 2>&1 &
cluster_pid=$!

layer "rust unit tests" cargo cargo test -p kafkadesk -p kafkadesk-tests --lib --bins
if git rev-parse --git-dir >/dev/null 2>&1; then
  layer "generated TS types are current" check \
    bash -c 'git diff --exit-code --stat -- ui/src/api/generated && test -z "$(git ls-files --others --exclude-standard ui/src/api/generated)" || { echo "ui/src/api/generated differs from what the Rust types generate: commit the regenerated files"; exit 1; }'
fi
layer "ui component tests" vitest npm --prefix ui test --silent

if wait "$cluster_pid"; then
  cat "$artifacts/cluster-start.log"
  bootstrap=$(sed -n 's/^KAFKADESK_TEST_BOOTSTRAP=//p' "$artifacts/cluster-start.log" | tail -n 1)
  export KAFKADESK_TEST_BOOTSTRAP="$bootstrap"
  layer "integration tests (real Kafka)" cargo cargo test -p kafkadesk-tests --test integration
  # Short run of the disconnect-during-request stress (the long one: make stress).
  layer "connection close stress (short)" cargo env KAFKADESK_STRESS_ROUNDS=12 KAFKADESK_STRESS_NODES=1 cargo test -p kafkadesk-tests --test stress
  # The app's log file after a SASL_SSL session, scanned for passwords (a process of its own).
  layer "log file without secrets" cargo cargo test -p kafkadesk-tests --test logs
  # A real Secret Service for the keychain flows: gnome-keyring, unlocked, on a private bus,
  # with a keyring dir of its own so no earlier keyring (with another password) is in the way.
  layer "end-to-end tests (real window)" cargo \
    dbus-run-session -- env XDG_DATA_HOME="$keyring_dir" bash -c 'echo -n kafkadesk | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
      && exec cargo test -p kafkadesk-tests --test e2e -- --test-threads=1'
else
  cat "$artifacts/cluster-start.log"
  echo "Kafka did not start; integration and end-to-end tests could not run."
  failed=$((failed + 1)); layer_failures+=("kafka start")
fi

echo
[ ${#layer_failures[@]} -gt 0 ] && echo "failed layers: ${layer_failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#layer_failures[@]} -eq 0 ]
