#!/usr/bin/env bash
# Builds kcat 1.7.1 (the version Debian ships, from Debian's copy of its source) against the
# librdkafka that KafkaDesk's release build links, and prints the built program's path. The
# messages bench runs it beside the system's kcat: the system's kcat may link an older
# librdkafka, and the library's version alone moves throughput.
# Usage: bench/kcat-same-librdkafka.sh RDKAFKA_SYS_OUT_DIR
set -euo pipefail
out="${1:?the rdkafka-sys build output folder (holds lib/librdkafka.a and include/)}"
[ -f "$out/lib/librdkafka.a" ] || { echo "no librdkafka.a in $out/lib" >&2; exit 1; }
cache="${KAFKADESK_CACHE:-$HOME/.cache/kafkadesk}/kcat-1.7.1"
tarball="$cache/kafkacat_1.7.1.orig.tar.gz"
sha256=4b957b7ffc728a88e163bc4e581aa371e56c7e74c8b84b1fe0583d0302ef8d58
mkdir -p "$cache"
if [ ! -f "$tarball" ]; then
  curl -sSfL --max-time 120 -o "$tarball.part" http://deb.debian.org/debian/pool/main/k/kafkacat/kafkacat_1.7.1.orig.tar.gz
  mv "$tarball.part" "$tarball"
fi
echo "$sha256  $tarball" | sha256sum -c --quiet - >&2 || { rm -f "$tarball"; echo "kcat source checksum mismatch" >&2; exit 1; }
src="$cache/src"
rm -rf "$src" && mkdir -p "$src" && tar -xzf "$tarball" -C "$src" --strip-components=1
# What kcat's configure would find for a librdkafka 2.x (JSON and Avro output are not needed).
cat > "$src/config.h" <<'H'
#define ENABLE_KAFKACONSUMER 1
#define ENABLE_INCREMENTAL_ASSIGN 1
#define ENABLE_TXNS 1
#define ENABLE_MOCK 1
#define HAVE_CONTROLLERID 1
#define HAVE_HEADERS 1
#define KCAT_VERSION "1.7.1"
H
program="$out/kcat"
# -O2 as Debian builds it.
gcc -O2 -DLIBRDKAFKA_STATICLIB -I"$src" -I"$out/include" -o "$program.part" \
  "$src/kcat.c" "$src/format.c" "$src/tools.c" "$src/input.c" \
  "$out/lib/librdkafka.a" -lssl -lcrypto -lz -lzstd -lpthread -lrt -ldl -lm >&2
mv "$program.part" "$program"
echo "$program"
