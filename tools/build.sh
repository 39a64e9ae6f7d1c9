#!/usr/bin/env bash
# Builds the servers pinned in tools/go.mod into .bin/: the Temporal CLI (its dev server), the
# MinIO server and the Versity S3 gateway (versitygw, the archive's second S3 server). Each
# takes a few minutes on a small machine the first time (module downloads and compilation of
# some thousand packages); the Makefile rebuilds only when tools/go.mod or tools/go.sum change. Progress is shown as packages compiled.
set -euo pipefail
cd "$(dirname "$0")"
out=../.bin
mkdir -p "$out"

build() {
	local name=$1 pkg=$2 start n=0
	start=$(date +%s)
	echo "tools: building $name ($pkg); this takes a few minutes the first time"
	echo "tools:   downloading modules..."
	go mod download
	# go build -v names each package as it is compiled: count them for progress.
	go build -v -o "$out/$name.tmp" "$pkg" 2>&1 | while IFS= read -r line; do
		case $line in
		*.go:*|*error*|*cannot*) echo "$line" ;;
		*) n=$((n + 1)); if ((n % 200 == 0)); then echo "tools:   $name: $n packages compiled ($(($(date +%s) - start))s)"; fi ;;
		esac
	done
	if [[ ${PIPESTATUS[0]} -ne 0 || ! -x "$out/$name.tmp" ]]; then
		echo "tools: building $name failed" >&2
		exit 1
	fi
	mv "$out/$name.tmp" "$out/$name"
	echo "tools: $name ready in $(($(date +%s) - start))s: $out/$name"
}

for target in "$@"; do
	case $target in
	temporal) build temporal github.com/temporalio/cli/cmd/temporal ;;
	minio) build minio github.com/minio/minio ;;
	versitygw) build versitygw github.com/versity/versitygw/cmd/versitygw ;;
	*) echo "tools: unknown target $target (temporal, minio, versitygw)" >&2; exit 2 ;;
	esac
done
