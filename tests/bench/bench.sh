#!/usr/bin/env bash
# make bench: time icpgen on synthetic sites committed to git, in named
# scenarios, and print one table of medians (docs/performance.md says
# what each scenario and column means).
#
#   bench.sh ICPGEN [SCENARIO...]
#
# Scenarios (default: all):
#   1k 10k 30k 100k  cold build of a site of that many pages (also any
#                    number: 5000 or 5k); 100k only when asked
#   shm              cold build of 10,000 pages written to /dev/shm
#   history          10,000 pages x 20,000 commits: cold (empty cache),
#                    warm (cache from an earlier build), and the same
#                    pages in one commit; all pages in one folder
#   history-nested   the same pages and edits, in folders of 10 pages
#   incremental      rebuild of 10,000 pages over the previous output with
#                    the same cache: no change, then one paper changed,
#                    then the same commit a day later (every page rendered),
#                    then no change after 1,500 commits left loose
#   national         42 sites of 1,000 pages, one icpgen run each: cold,
#                    then a day later over the outputs and caches kept
#   all              1k 10k 30k shm history history-nested incremental
#                    national
#   full             all and 100k
#
# Environment:
#   BENCH_DIR      repositories, outputs, caches and bench.md
#                  (default /tmp/icpgen-bench); generated repositories
#                  are kept and reused by later runs
#   BENCH_RUNS     timed runs of each scenario (default 3); the table
#                  shows the median
#   BENCH_QUICK=1  small sizes for checking this script: 200 pages,
#                  400 commits, 3 national sites of 200 pages
#   BENCH_PREPARE=1  only generate the scenarios' repositories
#   BENCH_ARGS     more options for every icpgen build (e.g. -j 1)
#   BENCH_KEEP=1   keep the runs' outputs in BENCH_DIR/trash (by default
#                  they are deleted in the background when the bench
#                  ends; a later bench waits for that)
set -eu
export LC_ALL=C		# a '.' in awk's numbers

icpgen=${1:?usage: bench.sh ICPGEN [SCENARIO...]}
shift
[ -x "$icpgen" ] || { echo "bench.sh: $icpgen: not an executable" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
gen=$top/tests/bench
work=${BENCH_DIR:-/tmp/icpgen-bench}
runs=${BENCH_RUNS:-3}
read -r -a extra <<<"${BENCH_ARGS:-}"
shm=/dev/shm/icpgen-bench-$$

if [ -n "${BENCH_QUICK:-}" ]; then
	big=200 hist_pages=200 hist_commits=400 nat_sites=3 nat_pages=200 loose=30
	everything="200 shm history history-nested incremental national"
else
	big=10000 hist_pages=10000 hist_commits=20000 nat_sites=42 nat_pages=1000
	loose=1500
	everything="1k 10k 30k shm history history-nested incremental national"
fi
case $runs in
''|*[!0-9]*|0) echo "bench.sh: BENCH_RUNS must be a positive number" >&2; exit 2 ;;
esac

# Fixed names and dates, so that the repositories are the same on every
# machine; the dates are before the build date (SOURCE_DATE_EPOCH,
# 2026-03-01) so that everything committed counts as published.
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.org
export GIT_AUTHOR_DATE=2026-02-27T12:00:00Z GIT_COMMITTER_DATE=2026-02-27T12:00:00Z
export GIT_CONFIG_GLOBAL=/dev/null SOURCE_DATE_EPOCH=1772323200

say() { echo "bench: $*" >&2; }

# --- generated repositories, made once into a temporary name and then
# renamed, so that an interrupted generation is never reused ------------

commit_all() {		# commit_all REPO MESSAGE
	git -C "$1" init -q -b main
	git -C "$1" add -A
	git -C "$1" -c gc.auto=0 commit -q -m "$2"
	git -C "$1" -c gc.autoDetach=false gc -q
}

site() {		# site REPO PAGES [SEED NAME]: a gen.mjs site in one commit
	[ -d "$1/.git" ] && return
	say "generating $1"
	rm -rf "$1.tmp"
	node "$gen/gen.mjs" "$1.tmp" "$2" ${3:+"$3"} ${4:+"$4"} >/dev/null
	commit_all "$1.tmp" "Synthetic site"
	mv "$1.tmp" "$1"
}

history_repo() {	# history_repo REPO PAGES COMMITS PER_FOLDER
	[ -d "$1/.git" ] && return
	say "generating $1 (slow)"
	bash "$gen/history-gen.sh" "$1.tmp" "$2" "$3" "$4"
	mv "$1.tmp" "$1"
}

one_commit_copy() {	# one_commit_copy REPO FROM: FROM's last tree, one commit
	[ -d "$1/.git" ] && return
	say "generating $1"
	rm -rf "$1.tmp"
	mkdir -p "$1.tmp"
	git -C "$2" archive HEAD | tar -x -C "$1.tmp"
	commit_all "$1.tmp" "The same pages in one commit"
	mv "$1.tmp" "$1"
}

pages_of() { git -C "$1" ls-files '*.md' | wc -l; }

# --- measuring --------------------------------------------------------

# measure NAME COMMAND...: run COMMAND once under /usr/bin/time and add
# a line "wall user sys peak-RSS-KB" to NAME's samples.  time counts the
# command's children too (the national run is one shell running 42
# builds); it measures to 10 ms, and timing from bash instead would add
# bash's fork and wait, tens of ms on a busy machine.
measure() {
	local name=$1 f=$work/samples/$1
	shift
	if ! /usr/bin/time -f '%e %U %S %M' -o "$f.time" "$@"; then
		say "$name: failed: $*"
		exit 1
	fi
	tail -n 1 "$f.time" >>"$f"
	say "$name: run $(wc -l <"$f")/$runs: $(tail -n 1 "$f" |
	    awk '{ printf "%.2f s wall, %.2f s CPU, %d MB", $1, $2 + $3, $4 / 1024 }')"
}

median() {		# median FILE COLUMN
	sort -g -k "$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c }
	    END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

build() {		# build NAME REPO OUT CACHE: one timed icpgen build
	measure "$1" "$icpgen" build "$2" --out "$3" --cache-dir "$4" -q ${extra[@]+"${extra[@]}"}
}

# room NAME PAGES: stop before a scenario that would fill the disk, with
# the table of the scenarios run so far (report).  An
# output is up to 60 KB a page, and a scenario leaves each run's output
# and three copies (see finish) in the trash until the bench ends.
room() {
	local need free
	need=$(($2 * 60 * (runs + 3) / 1024 + 1024))
	free=$(df -Pm "$work" | awk 'NR == 2 { print $4 }')
	if [ "$free" -lt "$need" ]; then
		say "$1 needs about $need MB free in $work, which has $free MB: delete $work/trash or set BENCH_DIR elsewhere"
		report
		exit 1
	fi
}

# --- the table --------------------------------------------------------

table() {		# table text|md
	awk -F '\t' -v fmt="$1" '
	function row(a, b, c, d, e, f, g, h, i, j, k) {
		if (fmt == "md")
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", a, b, c, d, e, f, g, h, i, j, k
		else
			printf "%-22s %6s %8s %8s %8s %8s %9s %9s %8s %8s %5s\n", a, b, c, d, e, f, g, h, i, j, k
	}
	BEGIN {
		row("scenario", "pages", "wall s", "CPU s", "CPU/wall", "RSS MB", "KB/page", "pages/s", "cp s", "wall/cp", "load")
		if (fmt == "md")
			print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	}
	{
		# name pages rss_pages wall cpu rss_kb cp load
		row($1, $2, sprintf("%.2f", $4), sprintf("%.2f", $5),
		    $4 > 0 ? sprintf("%.2f", $5 / $4) : "-",
		    sprintf("%.0f", $6 / 1024), sprintf("%.1f", $6 / $3),
		    $4 > 0 ? sprintf("%.0f", $2 / $4) : "-",
		    sprintf("%.2f", $7), $7 > 0 ? sprintf("%.2f", $4 / $7) : "-", $8)
	}' "$results"
}

# report: print the table of the scenarios finished so far, and write
# it in Markdown to bench.md (also when the bench stops early: see room).
report() {
	local version commit header loads
	version=$("$icpgen" -V 2>&1 | head -n 1)
	commit=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
	header="icpgen: $version ($commit); $started; nproc $(nproc); median of $runs runs${BENCH_ARGS:+; icpgen build $BENCH_ARGS}"
	loads="load average (1, 5, 15 min): $load_start at start, $(cut -d ' ' -f 1-3 /proc/loadavg) at end"
	echo
	echo "$header"
	echo "$loads"
	echo
	table text
	{
		echo "$header  "
		echo "$loads"
		echo
		table md
	} >"$work/bench.md"
	echo "bench: the table in Markdown: $work/bench.md" >&2
}

begin() {		# begin NAME PAGES: a new scenario
	room "$1" "$2"
	cur=$1 load=$(cut -d ' ' -f 1 /proc/loadavg)
	: >"$work/samples/$cur"
	say "== $cur (load $(cut -d ' ' -f 1-3 /proc/loadavg))"
}

# discard PATH...: move trees out of the way instead of deleting them,
# with the previous site icpgen keeps beside an output (.NAME.prev).
# On ext4 without a journal (this kind of machine), inodes freed in the
# last minute are skipped one by one when files are made, so a build
# just after deleting a big tree spends seconds of system time in the
# file system (10,000 pages: 2 s after a rest, 8.5 s after a delete).
# The trash is deleted when the bench ends (see finished): deleting it
# between runs would slow the runs after in the same way.
discard() {
	local p
	mkdir -p "$work/trash"
	for p in "$@"; do
		for q in "$p" "$(dirname "$p")/.$(basename "$p").prev"; do
			[ -e "$q" ] && mv "$q" "$(mktemp -d "$work/trash/t.XXXXXX")/x"
		done
	done
	return 0
}

# finish PAGES RSS_PAGES TREE: time `cp -r TREE` to a new folder beside it
# (the same file system), median of 3, and add the scenario's row of
# medians.  RSS_PAGES is the pages one icpgen process holds (a national
# site's, not the 42 sites').  The sites kept beside outputs inside
# TREE (.NAME.prev, the national rows) are not copied.
finish() {
	local s=$work/samples/$cur f=$work/samples/$cur.cp i
	: >"$f"
	for i in 1 2 3; do
		discard "$3.cp"
		sync
		mkdir "$3.cp"
		/usr/bin/time -f %e -o "$f.time" find "$3" -mindepth 1 \
		    -maxdepth 1 ! -name '.*.prev' -exec cp -r -t "$3.cp" {} +
		tail -n 1 "$f.time" >>"$f"
	done
	discard "$3.cp"
	awk '{ print $2 + $3, $0 }' "$s" >"$s.cpu"	# user + sys, per run
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$cur" "$1" "$2" \
	    "$(median "$s" 1)" "$(median "$s.cpu" 1)" "$(median "$s" 4)" \
	    "$(median "$f" 1)" "$load" >>"$results"
}

# --- scenarios --------------------------------------------------------

run_cold() {		# run_cold PAGES [OUTDIR]: fresh output and cache each run
	local n=$1 repo=$work/site-$1 name=cold-$1 out
	site "$repo" "$n"
	[ -n "${BENCH_PREPARE:-}" ] && return
	if [ -n "${2:-}" ]; then
		name=$name-shm
		mkdir -p "$2"
	fi
	out=${2:-$work/out}/$name
	begin "$name" "$n"
	for _ in $(seq "$runs"); do
		discard "$out" "$work/cache/$name"
		sync
		build "$name" "$repo" "$out" "$work/cache/$name"
	done
	finish "$(pages_of "$repo")" "$(pages_of "$repo")" "$out"
	[ -z "${2:-}" ] || rm -rf "$out"
}

run_history() {	# run_history NAME PER_FOLDER (0: all in one folder)
	local name=$1 per=$2 p=$hist_pages c=$hist_commits run tag=
	[ "$per" -gt 0 ] && tag=-in$per
	local repo=$work/history-${p}x$c$tag one=$work/history-${p}x1$tag
	local out=$work/out/$name cache=$work/cache/$name
	history_repo "$repo" "$p" "$c" "$per"
	one_commit_copy "$one" "$repo"
	[ -n "${BENCH_PREPARE:-}" ] && return
	p=$(pages_of "$repo")

	begin "$name-cold" "$p"
	for run in $(seq "$runs"); do
		discard "$out" "$cache"
		sync
		build "$cur" "$repo" "$out" "$cache"
	done
	finish "$p" "$p" "$out"

	# The cache the last cold run left is warm; each run writes a
	# fresh output tree, so only the history cache is reused.
	begin "$name-warm" "$p"
	for run in $(seq "$runs"); do
		discard "$out"
		sync
		build "$cur" "$repo" "$out" "$cache"
	done
	finish "$p" "$p" "$out"

	begin "$name-1commit" "$p"
	for run in $(seq "$runs"); do
		discard "$out" "$cache"
		sync
		build "$cur" "$one" "$out" "$cache"
	done
	finish "$p" "$p" "$out"
}

run_incremental() {
	local n=$big repo=$work/incremental-$big run paper p
	local out=$work/out/incremental cache=$work/cache/incremental
	site "$work/site-$n" "$n"
	if [ ! -d "$repo/.git" ]; then
		rm -rf "$repo.tmp"
		git clone -q "$work/site-$n" "$repo.tmp"
		mv "$repo.tmp" "$repo"
	fi
	[ -n "${BENCH_PREPARE:-}" ] && return
	# Back to the generated site, packed: earlier benches committed
	# edits and left their objects loose (incremental-none-loose
	# thousands), which every build stats, and a build with an empty
	# cache checks (verify_loose in load/src.c), so the rows would
	# differ from one bench to the next.
	git -C "$repo" reset -q --hard origin/main
	git -C "$repo" clean -q -fdx
	git -C "$repo" reflog expire --expire=now --all
	git -C "$repo" -c gc.autoDetach=false gc -q --prune=now
	p=$(pages_of "$repo")
	paper=$(git -C "$repo" ls-files 'meetings/*/paper-1.md' | head -n 1)

	discard "$out" "$cache"
	unchanged incremental-none "first build"

	# The first rebuild that changes anything keeps the site it
	# replaces beside it (.incremental.prev), and every rebuild after
	# it is made from that: time those, as a host's builds are.
	printf '\nEdited before the runs of the bench.\n' >>"$repo/$paper"
	git -C "$repo" -c gc.auto=0 commit -q -a -m "Edit $paper (0)"
	say "incremental: first rebuild (not timed)"
	"$icpgen" build "$repo" --out "$out" --cache-dir "$cache" -q ${extra[@]+"${extra[@]}"}

	begin "incremental-1paper" "$p"
	for run in $(seq "$runs"); do
		printf '\nEdited for run %s of the bench.\n' "$run" >>"$repo/$paper"
		git -C "$repo" -c gc.auto=0 commit -q -a -m "Edit $paper ($run)"
		sync
		build "$cur" "$repo" "$out" "$cache"
	done
	finish "$p" "$p" "$out"

	# A host's nightly build: the same commit a day later.  The build
	# date is an input of every page, so every page is rendered again;
	# the files whose bytes did not change stay as they are.
	begin "incremental-nextday" "$p"
	for run in $(seq "$runs"); do
		sync
		SOURCE_DATE_EPOCH=$((SOURCE_DATE_EPOCH + run * 86400)) \
		    build "$cur" "$repo" "$out" "$cache"
	done
	finish "$p" "$p" "$out"

	# A repository git has not packed for a while: $loose commits
	# since the last pack, their objects loose (git packs at about
	# 6,700).  Every build checks loose objects before libgit2 reads
	# any (security.md); those found sound by an earlier build are not
	# read again while their files are unchanged, so a build with
	# nothing to do stays quick.
	loose_commits "$repo" "$loose"
	unchanged incremental-none-loose "build of $loose loose commits"
}

# unchanged NAME WHAT: an untimed build (WHAT) of run_incremental's
# repo, then rebuilds with nothing changed, timed as NAME.
unchanged() {
	say "incremental: $2 (not timed)"
	"$icpgen" build "$repo" --out "$out" --cache-dir "$cache" -q ${extra[@]+"${extra[@]}"}
	begin "$1" "$p"
	for run in $(seq "$runs"); do
		sync
		build "$cur" "$repo" "$out" "$cache"
	done
	finish "$p" "$p" "$out"
}

# loose_commits REPO N: N commits on REPO's branch (tests/bench/loose.mjs),
# each leaving its objects loose.
loose_commits() {
	local before pack
	before=$(ls "$1/.git/objects/pack")
	node "$gen/loose.mjs" "$1" "$2" | git -C "$1" fast-import --quiet
	for pack in "$1"/.git/objects/pack/pack-*.pack; do
		grep -qxF "${pack##*/}" <<<"$before" && continue
		mv "$pack" "$work/loose.pack"
		rm -f "${pack%.pack}".*
		git -C "$1" unpack-objects -q <"$work/loose.pack"
		rm -f "$work/loose.pack"
	done
	git -C "$1" reset -q --hard
}

run_national() {
	local i s repos=() p=0 per
	local out=$work/out/national cache=$work/cache/national
	for i in $(seq -f %02g "$nat_sites"); do
		s=$work/national-$nat_pages-$i
		site "$s" "$nat_pages" "$((100 + 10#$i))" "Bench ICP $i"
		repos+=("$s")
	done
	[ -n "${BENCH_PREPARE:-}" ] && return
	for s in "${repos[@]}"; do
		p=$((p + $(pages_of "$s")))
	done
	per=$(pages_of "${repos[0]}")

	begin "national-$nat_sites" "$p"
	for _ in $(seq "$runs"); do
		discard "$out" "$cache"
		mkdir -p "$out"
		sync
		measure "$cur" bash -c "$nightly" _ "$icpgen" "$out" "$cache" \
		    "${repos[@]}"
	done
	finish "$p" "$per" "$out"

	# The nights after: the same commits a day later each time, over
	# the outputs and caches of the night before, as a host keeps
	# them (the build date is on every page, so every page changes).
	# The first keeps the sites it replaces beside them, as every
	# later night does: it is not timed.
	say "national: first night after (not timed)"
	SOURCE_DATE_EPOCH=$((SOURCE_DATE_EPOCH + 86400)) \
	    bash -c "$nightly" _ "$icpgen" "$out" "$cache" "${repos[@]}"
	begin "national-$nat_sites-nextday" "$p"
	for run in $(seq "$runs"); do
		sync
		SOURCE_DATE_EPOCH=$((SOURCE_DATE_EPOCH + (run + 1) * 86400)) \
		    measure "$cur" bash -c "$nightly" _ "$icpgen" "$out" \
		    "$cache" "${repos[@]}"
	done
	finish "$p" "$per" "$out"
}

# A host's nightly job: one process a site, one after the other
# (bash -c "$nightly" _ ICPGEN OUT CACHE REPO...).
# shellcheck disable=SC2016 # expanded by the inner shell
nightly='icpgen=$1 out=$2 cache=$3
	shift 3
	for repo in "$@"; do
		s=${repo##*/}
		"$icpgen" build "$repo" --out "$out/$s" \
		    --cache-dir "$cache/$s" -q $BENCH_ARGS || exit
	done'

# --- main -------------------------------------------------------------

export BENCH_ARGS=${BENCH_ARGS:-}
list=
[ $# -gt 0 ] || set -- all
for s in "$@"; do
	case $s in
	all) list="$list $everything" ;;
	full) list="$list $everything 100k" ;;
	shm|history|history-nested|incremental|national) list="$list $s" ;;
	*) if [[ $s =~ ^[1-9][0-9]*k?$ ]]; then
		list="$list $s"
	   else
		echo "bench.sh: unknown scenario '$s' (1k 10k 30k 100k N shm history history-nested incremental national all full)" >&2
		exit 2
	   fi ;;
	esac
done

mkdir -p "$work/samples" "$work/cache" "$work/out"
results=$work/results.tsv
# At the end, the runs' outputs (tens of GB for all) are deleted in the
# background, at idle priority.  The deleting process inherits the lock
# on fd 9 below and keeps it six and a half minutes longer, so a bench
# started meanwhile waits until the disk is free and quiet again: ext4
# without a journal skips an inode freed in the last minute when it
# makes a file, or in the last six when the block holding it has been
# written to since (see discard), and the builds write to those blocks.
# history-warm builds after 400,000 names were deleted: 7.7 s at once,
# 3.4 s a minute after, 2.6 s two to four minutes after, 2.1-2.3 s from
# six minutes (2026-12-07).
finished() {
	rm -rf "$shm"
	[ -d "$work/trash" ] || return 0
	if [ -n "${BENCH_KEEP:-}" ]; then
		say "the outputs of the runs are in $work/trash: delete it when nothing else is measured"
		return 0
	fi
	mv "$work/trash" "$work/trash-$$"
	say "deleting the outputs of the runs in the background ($work/trash-$$)"
	(ionice -c 3 nice -n 19 rm -rf "$work/trash-$$"; sleep 390) \
	    </dev/null >/dev/null 2>&1 &
}
trap finished EXIT
# Two benches in one BENCH_DIR would generate into the same repositories
# and skew each other's times: the second waits.
exec 9>"$work/lock"
if ! flock -n 9; then
	echo "bench: waiting for the other bench using $work (or for its outputs to be deleted)" >&2
	flock 9
fi

[ -n "${BENCH_PREPARE:-}" ] || : >"$results"
load_start=$(cut -d ' ' -f 1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
for s in $list; do
	case $s in
	*k) run_cold "${s%k}000" ;;
	shm) if [ -d /dev/shm ]; then run_cold "$big" "$shm"; else say "no /dev/shm"; fi ;;
	history) run_history history 0 ;;
	history-nested) run_history nested 10 ;;
	incremental) run_incremental ;;
	national) run_national ;;
	*) run_cold "$s" ;;
	esac
done
[ -n "${BENCH_PREPARE:-}" ] && { say "repositories ready in $work"; exit 0; }
report
