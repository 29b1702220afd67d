#!/usr/bin/env bash
# make bench: build synthetic sites of 1,000 and 10,000 pages committed
# to git and report wall time, CPU time and peak RSS of cold builds,
# writing the output once to disk (BENCH_DIR, default /tmp) and once to
# memory (/dev/shm) so that the file system's share of the time shows.
# Usage: bench.sh ICPGEN [N...]
set -eu
icpgen=$1
shift
sizes=${*:-1000 10000}
top=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-/tmp/icpgen-bench}
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.org
export GIT_CONFIG_GLOBAL=/dev/null SOURCE_DATE_EPOCH=1772323200
mkdir -p "$work"
for n in $sizes; do
	repo="$work/site-$n"
	if [ ! -d "$repo/.git" ]; then
		rm -rf "$repo"
		node "$top/tests/bench/gen.mjs" "$repo" "$n"
		git -C "$repo" init -q -b main
		git -C "$repo" add -A
		git -C "$repo" -c gc.auto=0 commit -q -m "Synthetic site"
		git -C "$repo" -c gc.autoDetach=false gc -q
	fi
	files=$(git -C "$repo" ls-files | wc -l)
	bytes=$(du -sk --exclude=.git "$repo" | cut -f1)
	echo "== $n pages ($files files, ${bytes} KB of content)"
	for outdir in "$work" /dev/shm; do
		[ -d "$outdir" ] || continue
		for run in 1 2 3; do
			rm -rf "$outdir/out-$n"
			sync
			/usr/bin/time -f "output in $outdir, run $run: %e s wall, %U s user + %S s sys, %M KB peak RSS" \
			    "$icpgen" build "$repo" --out "$outdir/out-$n" -q \
			    ${BENCH_ARGS:-} 2>&1 | grep -v '^$'
		done
	done
	rm -rf "/dev/shm/out-$n"
	du -sk "$work/out-$n" | awk '{print "output: " $1 " KB"}'
done
