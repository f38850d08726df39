#!/usr/bin/env bash
# make test-matrix: a subset of the integration suite against several Apache Kafka versions
# (issue 13, item 7). Not part of `make test`, which runs the default version only.
#
# For each row of the matrix the harness (tests/src/kafka.rs) fetches that version's jars from
# Maven Central (cached as $KAFKADESK_CACHE/kafka-<version>/), starts a 3-broker cluster of it on
# free loopback ports (KRaft, or ZooKeeper + brokers for `zookeeper` rows), runs the subset
# against it and stops it. Prints per row `N passed, N failed` (plus the tests that skipped
# themselves because the version lacks a feature), then one closing line.
#
#   KAFKADESK_MATRIX="3.9.1:kraft 4.4.0:kraft" scripts/test-matrix.sh   another matrix
#   scripts/test-matrix.sh -- groups::                                  another subset
#
# The subset: the cluster overview and connection test, topics and their configs,
# produce / browse / search messages, consumer groups, quotas and transactions, and closing a
# connection. Left out: tests that start clusters of their own to kill or stop brokers
# (`killing`, `a_stopped_broker`, connection::a_leader_killed…: failure handling, not version
# behaviour, and their clusters are KRaft even in a ZooKeeper row), and modules that need
# other servers or a secured cluster (ACLs, registry, connect, wire, local, operations).
set -uo pipefail
cd "$(dirname "$0")/.."

export KAFKADESK_CACHE="${KAFKADESK_CACHE:-$HOME/.cache/kafkadesk}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$KAFKADESK_CACHE/target}"
export KAFKADESK_KAFKA_START_TIMEOUT="${KAFKADESK_KAFKA_START_TIMEOUT:-240}"
export RUST_BACKTRACE=0
# The harness starts the row's cluster itself; a cluster given from outside would be another.
unset KAFKADESK_TEST_BOOTSTRAP

MATRIX="${KAFKADESK_MATRIX:-3.9.1:kraft 3.9.1:zookeeper 4.1.1:kraft 4.4.0:kraft}"
SUBSET=(cluster:: topics:: messages:: groups:: quotas:: transactions:: connection::closing)
SKIP=(--skip killing --skip a_stopped_broker)
if [ "${1:-}" = "--" ]; then
  shift
  SUBSET=("$@")
fi

OUT="$CARGO_TARGET_DIR/test-matrix"
mkdir -p "$OUT"

echo "== building the integration tests"
BIN=$(cargo test -p kafkadesk-tests --test integration --no-run --message-format=json 2>"$OUT/build.log" \
  | grep '"name":"integration"' | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
  tail -n 30 "$OUT/build.log"
  echo "test-matrix: the integration tests did not build (log: $OUT/build.log)"
  exit 1
fi

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -n 1)
echo "== Java: $JAVA_VERSION"

total_passed=0
total_failed=0
summary=()
: >"$OUT/summary.tsv"
for row in $MATRIX; do
  version="${row%%:*}"
  mode="${row#*:}"
  [ "$mode" = "$row" ] && mode=kraft
  log="$OUT/kafka-$version-$mode.log"
  echo "== Kafka $version ($mode): ${SUBSET[*]} ${SKIP[*]}"
  started=$(date +%s)
  KAFKADESK_KAFKA_VERSION="$version" KAFKADESK_KAFKA_MODE="$mode" \
    "$BIN" "${SUBSET[@]}" "${SKIP[@]}" --nocapture >"$log" 2>&1
  rc=$?
  seconds=$(( $(date +%s) - started ))
  result=$(grep -E '^test result:' "$log" | tail -n 1)
  passed=$(sed -n 's/.* \([0-9]*\) passed.*/\1/p' <<<"$result")
  failed=$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$result")
  if [ -z "$result" ]; then
    # No summary line: the binary died (e.g. the cluster could not start and a panic aborted).
    passed=0
    failed=1
    tail -n 40 "$log"
  fi
  skipped=$(grep -c '^\[version matrix\] skipped' "$log")
  grep -E '^test .* FAILED$' "$log" | sed 's/^/   /'
  grep '^\[version matrix\] skipped' "$log" | sort | uniq -c | sed 's/^/   /'
  line="Kafka $version ($mode): $passed passed, $failed failed ($skipped skipped themselves), ${seconds} s, exit $rc"
  echo "   $line"
  summary+=("$line")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$version" "$mode" "$passed" "$failed" "$skipped" "$seconds" >>"$OUT/summary.tsv"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
done

echo
echo "== version matrix ($JAVA_VERSION; logs in $OUT)"
printf '%s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
