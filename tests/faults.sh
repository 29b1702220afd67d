#!/usr/bin/env bash
# Whole-site fault test.  For every Markdown content file of the demo
# (content/) and of tests/sites/record/site, each fault below is applied
# to that one file and the site is checked ('icpgen check --worktree' on
# a copy, which runs every stage but writing: load, hooks, link,
# history, theme, render, feeds, open data).  Each build must exit with
# status 1 and name the file in an error (or, for a file the clean site
# does not publish, may exit 0 still warning that it is not published);
# a signal, a sanitizer report or a hang is a failure.
#
#   yaml      a line of broken YAML at the top of the front matter
#   empty     the front matter emptied ("---" then "---")
#   none      the front matter removed, the body kept
#   notitle   the title line removed (where a kind has no title, its
#             first key, which is required)
#   random    the file replaced by 4 KB of random bytes (fixed seed)
#   longline  a 2 MB line appended to the body
#   unclosed  the closing '---' of the front matter removed (not run by
#             default: FAULTS="..." picks the faults)
#
# To keep the suite fast the copy is checked with a theme folder whose
# 'default' theme has the real templates and no stylesheet: the
# stylesheet reads no content, and compiling it is most of a build's
# time under ASan.  Builds run two at a time (FAULT_JOBS).  Each file
# gets every other fault (FAULT_ALL=1: every fault).  FAULTS and
# FAULT_SITES (NAME:FOLDER ...) narrow a run while debugging.
#
# Usage: tests/faults.sh [--one SITE FILE FAULT]   (the second form is
# the worker, run through xargs)
set -u
. "$(dirname "$0")/lib.sh"
FAULTS=${FAULTS:-"yaml empty none notitle random longline"}
# A sanitizer report must not look like a content error's exit status.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=99"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=98"

# Apply fault $2 to file $1 (in place).
apply() {
	local f=$1 fault=$2 seed
	case $fault in
	yaml)
		awk 'NR == 1 && /^---/ { print; print "broken: [yaml, {"; next }
		    { print }' "$f" >"$f.new" ;;
	empty)
		awk 'NR == 1 && /^---/ { fm = 1; print "---"; next }
		    fm && /^---[ \t\r]*$/ { fm = 0; print "---"; next }
		    !fm { print }' "$f" >"$f.new" ;;
	none)
		awk 'NR == 1 && /^---/ { fm = 1; next }
		    fm && /^---[ \t\r]*$/ { fm = 0; next }
		    !fm { print }' "$f" >"$f.new" ;;
	notitle)
		# The top-level key to drop, with its indented lines.
		key=title
		grep -q '^title:' "$f" ||
		    key=$(awk 'NR > 1 && /^[a-z_]+:/ { sub(/:.*/, ""); print;
		        exit }' "$f")
		awk -v key="$key" '
		    NR == 1 && /^---/ { fm = 1; print; next }
		    fm && /^---[ \t\r]*$/ { fm = 0 }
		    fm && index($0, key ":") == 1 { skip = 1; next }
		    skip && /^[ \t-]/ && fm { next }
		    { skip = 0; print }' "$f" >"$f.new" ;;
	random)
		seed=$(printf '%s' "$f" | cksum | cut -d' ' -f1)
		LC_ALL=C awk -v seed="$seed" 'BEGIN { srand(seed % 1000003);
		    for (i = 0; i < 4096; i++)
			printf "%c", int(rand() * 255) + 1 }' >"$f.new" ;;
	longline)
		cp "$f" "$f.new"
		{ echo; head -c 2097152 /dev/zero | tr '\0' 'x'; echo; } \
		    >>"$f.new" ;;
	unclosed)
		awk 'NR == 1 && /^---/ { fm = 1; print; next }
		    fm && /^---[ \t\r]*$/ { fm = 0; next }
		    { print }' "$f" >"$f.new" ;;
	*)
		echo "unknown fault $fault" >&2
		return 1 ;;
	esac
	mv "$f.new" "$f"
}

# Worker: one build.  Prints "not ok" lines only, and one "done" line.
if [ "${1:-}" = --one ]; then
	base=$2 file=$3 fault=$4
	# lib.sh, sourced again, named the test themes: the demo's is here.
	export ICPGEN_THEMEDIR=$FAULT_TMP/themes
	job=$(mktemp -d "$FAULT_TMP/job.XXXXXX")
	# Hard links: apply() replaces the one file it changes.
	cp -al "$base"/. "$job"/
	apply "$job/$file" "$fault" || exit 1
	timeout 120 "$ICPGEN" check "$job" --worktree >/dev/null \
	    2>"$job.err"
	rc=$?
	what="fault $fault in $(basename "$base")/$file"
	if [ $rc = 124 ]; then
		echo "not ok - $what: no result after 120 s"
	elif grep -q -e 'Sanitizer' -e 'runtime error:' "$job.err"; then
		echo "not ok - $what: sanitizer report (exit $rc)"
		grep -A12 -e 'Sanitizer' -e 'runtime error:' "$job.err" |
		    head -30 | sed 's/^/    /'
	elif [ $rc = 0 ] && grep -q -x -F "$file" "$base.unpublished" &&
	    { grep -q -F "$file: warning: not published" "$job.err" ||
	    grep -q -F "so it is not published yet" "$job.err"; }; then
		:	# a file that is not published may stay harmless
	elif [ $rc != 1 ]; then
		echo "not ok - $what: exit status $rc, expected 1"
		head -20 "$job.err" | sed 's/^/    /'
	elif ! grep -F "$file" "$job.err" | grep -q 'error:'; then
		echo "not ok - $what: the file is not named"
		head -20 "$job.err" | sed 's/^/    /'
	fi
	echo "done"
	rm -rf "$job" "$job.err"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FAULT_TMP=$tmp
export XDG_CACHE_HOME=$tmp/cache	# each copy's history cache

# The demo's theme with its templates and no stylesheet (see above).
mkdir -p "$tmp/themes/default"
ln -s "$TOP/themes/default/templates" "$tmp/themes/default/templates"
ln -s "$TOP/themes/default/static" "$tmp/themes/default/static"
grep -v -e '^stylesheet:' "$TOP/themes/default/theme.yaml" \
    >"$tmp/themes/default/theme.yaml"
for t in "$TOP"/tests/themes/*/; do
	ln -s "$t" "$tmp/themes/$(basename "$t")"
done
export ICPGEN_THEMEDIR=$tmp/themes

n=0
for pair in ${FAULT_SITES:-demo:content record:tests/sites/record/site}; do
	name=${pair%%:*} site=$TOP/${pair#*:}
	make_repo "$site" "$tmp/$name"
	# The unchanged site must pass, or every fault proves nothing.
	if ! "$ICPGEN" check "$tmp/$name" --worktree >/dev/null \
	    2>"$tmp/$name.err"; then
		not_ok "faults: $name builds cleanly before any fault"
		sed 's/^/    /' "$tmp/$name.err"
		continue
	fi
	# Files the site leaves out (with a warning) need not fail a build.
	# (A news post dated after the build date is one, till its day.)
	sed -n -e 's/^\([^:]*\): warning: not published.*/\1/p' \
	    -e 's/^\([^:]*\):[0-9]*:[0-9]*: warning: news post is dated .*, so it is not published yet.*/\1/p' \
	    "$tmp/$name.err" >"$tmp/$name.unpublished"
	# Each file gets every other fault, in turn (FAULT_ALL=1: all), so
	# that each fault meets half the files and the suite keeps to its
	# time under ASan: every build runs every stage.
	i=0
	(cd "$tmp/$name" && git ls-files '*.md') | while read -r f; do
		j=0
		for fault in $FAULTS; do
			[ -n "${FAULT_ALL:-}" ] || [ $(((i + j) % 2)) = 0 ] &&
			    printf '%s %s %s\n' "$tmp/$name" "$f" "$fault"
			j=$((j + 1))
		done
		i=$((i + 1))
	done >>"$tmp/jobs"
done
xargs -P "${FAULT_JOBS:-2}" -L 1 bash "$0" --one <"$tmp/jobs" |
    tee "${FAULT_LOG:-/dev/null}" >"$tmp/results"
n=$(grep -c '^done$' "$tmp/results")
want=$(wc -l <"$tmp/jobs")
grep -v '^done$' "$tmp/results"
failures=$((failures + $(grep -c '^not ok - ' "$tmp/results")))
if [ "$n" != "$want" ]; then
	not_ok "faults: $n of $want builds ran"
elif [ $failures = 0 ]; then
	ok "faults: $want builds ($(echo $FAULTS | wc -w) faults, each in ${FAULT_ALL:+every one}${FAULT_ALL:-half} of the files), each exit 1 naming the file, none a crash"
fi
[ $failures = 0 ]
