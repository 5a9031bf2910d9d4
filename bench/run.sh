#!/usr/bin/env bash
# bench/run.sh: verify beside SPIN and Rumur on the anchor models.
#
# For each instance it prints the states each checker stores, its search
# rate and its peak RSS per state (RSS measured by /usr/bin/time, the whole
# process): verify without and with partial-order reduction (--por off/on),
# SPIN without and with its reduction (-DNOREDUCE or not), and Rumur. SPIN
# and Rumur run when installed (the script installs them from Debian's
# packages when it can), on the models in ../shared/anchors/models; verify
# on models/anchors.
#
#   bench/run.sh              all instances
#   bench/run.sh peterson     only the instances whose name matches
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
anchors=${ANCHORS:-$root/../shared/anchors/models}
filter=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

need() { command -v "$1" >/dev/null 2>&1; }
if ! need spin || ! need rumur || [ ! -x /usr/bin/time ]; then
	if need apt-get && [ "$(id -u)" = 0 ]; then
		apt-get update -qq >/dev/null 2>&1 || true
		apt-get install -y -qq spin rumur time >/dev/null 2>&1 || true
	fi
fi
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

go build -o "$work/verify" ./cmd/verify

# Instances: name  ilv  "verify --set flags"  pml  "spin -D flags"  m  "rumur const edits"
instances=(
	"peterson-5|peterson.ilv|--set N=5|peterson.pml|-DN=5|peterson.m|N: 5;"
	"philosophers-10|philosophers.ilv|--set N=10|philosophers.pml|-DN=10|philosophers.m|N: 10;"
	"philosophers-12|philosophers.ilv|--set N=12|philosophers.pml|-DN=12|philosophers.m|N: 12;"
	"boundedbuffer-4|boundedbuffer.ilv|--set N=4|boundedbuffer.pml|-DN=4|boundedbuffer.m|N: 4;"
	"queue_shutdown-4-4|queue_shutdown.ilv|--set K=4 --set M=4|queue_shutdown.pml|-DK=4 -DM=4|queue_shutdown.m|K: 4;M: 4;CHECK: false;"
	"peterson_natural-5|peterson_natural.ilv|--set N=5|peterson_idiomatic.pml|-DN=5||"
	"philosophers_ordered-10|philosophers_ordered.ilv|--set N=10|philosophers_ordered.pml|-DN=10||"
)

# peak RSS (kB) and elapsed seconds of a command, from /usr/bin/time -v
measure() {
	/usr/bin/time -v "$@" >"$work/out" 2>"$work/time" || true
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
	secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
}

row() { # checker instance states seconds rss_kb
	local rate="-" per="-"
	if [ -n "$3" ] && [ "$3" != 0 ]; then
		rate=$(awk -v s="$3" -v t="$4" 'BEGIN { if (t > 0) printf "%.0f", s / t; else print "-" }')
		per=$(awk -v s="$3" -v k="$5" 'BEGIN { printf "%.1f", k * 1024 / s }')
	fi
	printf '%-24s %-10s %12s %10s %14s %12s\n' "$2" "$1" "$3" "$4" "$rate" "$per"
}

printf '%-24s %-10s %12s %10s %14s %12s\n' instance checker states seconds states/s RSS-B/state
for inst in "${instances[@]}"; do
	IFS='|' read -r name ilv sets pml dflags m consts <<<"$inst"
	[[ -z "$filter" || "$name" == *"$filter"* ]] || continue

	for por in off on; do
		# shellcheck disable=SC2086
		measure "$work/verify" --keep-going --json --por $por $sets "models/anchors/$ilv"
		states=$(grep -o '"states":[0-9]*' "$work/out" | head -1 | cut -d: -f2)
		checker=verify
		[ $por = on ] && checker=verify+por
		row $checker "$name" "$states" "$secs" "$rss"
	done

	if need spin && need gcc; then
		for red in -DNOREDUCE ""; do
			d=$work/spin && rm -rf "$d" && mkdir -p "$d" && cp "$anchors/$pml" "$d/"
			# shellcheck disable=SC2086
			(cd "$d" && spin $dflags -a "$pml" >/dev/null && gcc -O2 -DSAFETY $red -DMEMLIM=16000 -o pan pan.c)
			measure "$d/pan" -A -E -m2000000
			states=$(awk '/states, stored/ {print $1; exit}' "$work/out")
			checker=spin
			[ -z "$red" ] && checker=spin+por
			row $checker "$name" "$states" "$secs" "$rss"
		done
	fi
	if [ -n "$m" ] && need rumur && need cc; then
		d=$work/rumur && rm -rf "$d" && mkdir -p "$d"
		cp "$anchors/$m" "$d/model.m"
		IFS=';' read -ra edits <<<"$consts"
		for e in "${edits[@]}"; do
			[ -n "$e" ] || continue
			key=${e%%:*}
			sed -i -E "s/^(\s*)$key:\s*[^;]*;/\1$e;/" "$d/model.m"
		done
		(cd "$d" && rumur --deadlock-detection=off --threads 1 model.m -o model.c >/dev/null 2>&1 && cc -O3 -o model model.c -lpthread)
		measure "$d/model"
		states=$(awk '/states,/ {print $1; exit}' "$work/out" | tr -d ,)
		row rumur "$name" "$states" "$secs" "$rss"
	fi
done
