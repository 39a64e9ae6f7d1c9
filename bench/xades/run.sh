#!/usr/bin/env bash
# XAdES verification throughput on one core: obieg (xades.Verify), Debian's
# xmlsec1 and npm's xadesjs on the same three files. Run from anywhere:
#   make bench-xades            or   bench/xades/run.sh
# Environment: TESTDATA (default testdata of the team's shared corpus: $OBIEG_SHARED_DIR, else
# ../shared from the repository root), SCALE (default 1: multiplies the number of verifications).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
TESTDATA=${TESTDATA:-${OBIEG_SHARED_DIR:-$repo/../shared}/testdata}
[ -d "$TESTDATA/xades" ] && [ -d "$TESTDATA/trust" ] || { echo "the shared corpus is not at $TESTDATA: set TESTDATA or OBIEG_SHARED_DIR" >&2; exit 1; }
SCALE=${SCALE:-1}
interop=$repo/internal/xades/testdata/interop

command -v xmlsec1 >/dev/null || { echo "xmlsec1 missing: apt-get install xmlsec1" >&2; exit 1; }
command -v node >/dev/null || { echo "node missing: apt-get install nodejs npm" >&2; exit 1; }
[ -d "$interop/node_modules/xadesjs" ] || npm ci --prefix "$interop" --no-audit --no-fund --ignore-scripts >&2

pin=""
command -v taskset >/dev/null && pin="taskset -c 0"
export GOMAXPROCS=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/xbench" ./bench/xades
"$work/xbench" gen -out "$work"

form=$work/pz-form.xml
xl=$TESTDATA/xades/xades-extended-xl.xml
tsl=$TESTDATA/trust/PL_TSL_seq139_2023-09-19.xml
idattr=(--id-attr:Id "http://uri.etsi.org/01903/v1.3.2#:SignedProperties")

# run NAME FILE N-OBIEG N-PEERS "OBIEG-ARGS" XMLSEC1-ARGS...
run() {
	local name=$1 file=$2 n=$3 np=$4 oargs=$5
	shift 5
	local size
	size=$(wc -c <"$file")
	# obieg: N verifications in process.
	read -r _ _ ow oc overdict < <($pin "$work/xbench" verify -n "$n" $oargs "$file")
	# xmlsec1: --repeat N in one process (its start-up is included).
	local xs
	TIMEFORMAT='%R %U %S'
	xs=$( { time $pin xmlsec1 --verify --repeat "$np" "${idattr[@]}" "$@" "$file" >/dev/null 2>"$work/xmlsec.err"; } 2>&1 ) || xs="fail"
	local xw xc
	if [ "$xs" = fail ]; then xw=NA; xc=NA; else read -r xw xu xsys <<<"$xs"; xc=$(echo "$xu + $xsys" | bc -l); fi
	# xadesjs: the script times its own loop (node start-up excluded).
	local js jw jc
	js=$( ($pin node "$interop/verify.mjs" --repeat "$np" "$file" || true) | awk '/^timing/ {print $4, $5} /^fail/ {print "fail"}')
	if [ "$js" = fail ] || [ -z "$js" ]; then jw=NA; jc=NA; else read -r jw jc <<<"$js"; fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$size" "$n" "$ow" "$oc" "$np" "$xw" "$xc" "$jw" "$jc" >>"$work/results.tsv"
	echo "  $name: obieg verdict $overdict" >&2
}

: >"$work/results.tsv"
echo "verifying (this takes a minute)..." >&2
run "Profil Zaufany form (testpki)" "$form" $((2000 * SCALE)) $((400 * SCALE)) \
	"-anchor $work/pz-seal.pem -at 2026-06-02T00:00:00Z" \
	--trusted-pem "$work/pz-root.pem" --untrusted-pem "$work/pz-intermediate.pem" --verification-gmt-time "2026-06-02 00:00:00"
run "XAdES-X-L (xades-extended-xl.xml)" "$xl" $((500 * SCALE)) $((200 * SCALE)) \
	"-at 2026-06-02T00:00:00Z" --insecure
run "Polish TSL seq. 139" "$tsl" $((40 * SCALE)) $((10 * SCALE)) \
	"-anchor $TESTDATA/trust/PL_TSL_signer.cer -at 2023-09-20T12:00:00Z" \
	--trusted-der "$TESTDATA/trust/PL_TSL_signer.cer" --verification-gmt-time "2023-09-20 12:00:00"

echo
echo "Documents per second on one core (CPU time: user + system; wall-clock in parentheses)"
echo
awk -F'\t' '
function rate(n, s) { return (s == "NA" || s == 0) ? "n/a" : sprintf("%.1f", n / s) }
function ratio(a, b) { return (a == "n/a" || b == "n/a") ? "n/a" : sprintf("%.1fx", a / b) }
BEGIN {
	print "| document | size | obieg | xmlsec1 | xadesjs | obieg/xadesjs | obieg/xmlsec1 |"
	print "|---|---:|---:|---:|---:|---:|---:|"
}
{
	o = rate($3, $5); x = rate($6, $8); j = rate($6, $10)
	printf "| %s | %.0f KB | %s (%s) | %s (%s) | %s (%s) | %s | %s |\n", $1, $2 / 1024, o, rate($3, $4), x, rate($6, $7), j, rate($6, $9), ratio(o, j), ratio(o, x)
}' "$work/results.tsv"
echo
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GB"
echo "xmlsec1: $(xmlsec1 --version)"
echo "xadesjs: $(node -p "require('$interop/node_modules/xadesjs/package.json').version"), node $(node --version)"
echo "go: $(go version | cut -d' ' -f3)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
