#!/usr/bin/env bash
# Transparency from git history, on a repository with a scripted past:
# a paper published late, a paper changed after its meeting, a merge
# that discards a side branch's edit and one that publishes a branch's
# paper.  Asserts the dates, the flags, the revision pages and the
# timeliness report, and that the history cache lives in its own folder,
# gives the same answers as a fresh walk, and cannot be forged by a
# committed file's name; that the versions cache spares reading old
# versions from git, and that a damaged one is ignored.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
export XDG_CACHE_HOME=$tmp/cache

at() {	# commit everything as of a date: at 2026-01-16T12:00:00 message
	GIT_AUTHOR_DATE="$1+00:00" GIT_COMMITTER_DATE="$1+00:00" \
	    git -C "$repo" -c gc.auto=0 commit -q -m "$2"
}
page() {	# page path title body (papers are for agenda item 1)
	local item=
	mkdir -p "$(dirname "$repo/$1")"
	case $1 in meetings/*) item='item: "1"' ;; esac
	printf -- '---\ntitle: %s\n%s\n---\n%s\n' "$2" "$item" "$3" >"$repo/$1"
}
paper() {	# paper path title body: a paper of the meeting's item 1
	mkdir -p "$(dirname "$repo/$1")"
	printf -- '---\ntitle: %s\nitem: "1"\n---\n%s\n' "$2" "$3" >"$repo/$1"
}
fresh() {	# fresh name [config lines]: repo=$tmp/name, a new site with a committee
	repo=$tmp/$1
	mkdir -p "$repo/committees"
	git -C "$repo" init -q -b main
	printf 'name: %s ICP\nbase_url: https://%s.example.org/\ntheme: plain\n%b' \
	    "$1" "$1" "${2:-}" >"$repo/icpgen.yaml"
	page committees/icp.md "The partnership" "x"
}
same_builds() {	# same_builds name out args...: builds of $repo as out gave
	local name=$1 out=$2 i
	shift 2
	for i in 2 3; do
		[ $i = 3 ] && rm -rf "$tmp/same-cache"
		"$ICPGEN" build "$repo" --out "$tmp/same$i" --cache-dir "$tmp/same-cache" "$@" -q 2>/dev/null
		diff -r "$out" "$tmp/same$i" >/dev/null || break
	done
	[ $i = 3 ] && diff -r "$out" "$tmp/same3" >/dev/null && ok "$name" ||
	    not_ok "$name"
	rm -rf "$tmp/same2" "$tmp/same3"
}

mkdir -p "$repo/committees" "$repo/meetings/2026-01-20-icp"
git -C "$repo" init -q -b main
printf 'name: History ICP\nbase_url: https://history.example.org/\ntheme: plain\npublication_days: 5\n' >"$repo/icpgen.yaml"
page committees/icp.md "The partnership" "x"
printf -- '---\ncommittee: icp\ndate: 2026-01-20\nstatus: held\nagenda:\n  - number: "1"\n    title: Reports\n---\n' \
    >"$repo/meetings/2026-01-20-icp/index.md"
paper meetings/2026-01-20-icp/early.md "Early paper" "First text."
paper meetings/2026-01-20-icp/merged.md "Merged paper" "Kept text."
git -C "$repo" add -A && at 2026-01-01T09:00:00 "Publish the agenda and early papers"
paper meetings/2026-01-20-icp/late.md "Late paper" "Sent late."
git -C "$repo" add -A && at 2026-01-16T17:00:00 "Add the late paper"
paper meetings/2026-01-20-icp/early.md "Early paper" "Corrected text."
git -C "$repo" add -A && at 2026-01-25T10:00:00 "Correct the early paper"
git -C "$repo" checkout -q -b side
paper meetings/2026-01-20-icp/merged.md "Merged paper" "Side edit."
git -C "$repo" add -A && at 2026-02-01T10:00:00 "Edit on a side branch"
git -C "$repo" checkout -q main
page committees/icp.md "The partnership" "y"
git -C "$repo" add -A && at 2026-02-02T10:00:00 "Edit on main"
GIT_AUTHOR_DATE="2026-02-03T10:00:00+00:00" \
GIT_COMMITTER_DATE="2026-02-03T10:00:00+00:00" \
    git -C "$repo" -c gc.auto=0 merge -q -s ours side -m "Merge, keeping main"
# A paper written on a branch on 4 February, merged on 9 February.
git -C "$repo" checkout -q -b request
paper meetings/2026-01-20-icp/branch.md "Branch paper" "From a merge request."
git -C "$repo" add -A && at 2026-02-04T10:00:00 "Draft a paper on a branch"
git -C "$repo" checkout -q main
GIT_AUTHOR_DATE="2026-02-09T10:00:00+00:00" \
GIT_COMMITTER_DATE="2026-02-09T10:00:00+00:00" \
    git -C "$repo" -c gc.auto=0 merge -q --no-ff request -m "Merge request 1"

# A measure whose latest figure was revised after it was published.
mkdir -p "$repo/strategy/measures"
page strategy/start-well.md "Start well" "x"
measure() {	# value rag
	printf -- '---\ntitle: Ready for school\npriority: start-well\nhigher_is_better: true\nvalues:\n  - date: 2025-07-31\n    value: %s\n    rag: %s\n---\n' "$1" "$2" \
	    >"$repo/strategy/measures/ready.md"
}
measure 60 at-risk
git -C "$repo" add -A && at 2026-02-20T10:00:00 "Publish the school readiness figure"
measure 62 on-track
git -C "$repo" add -A && at 2026-02-25T10:00:00 "Revise the school readiness figure"

build() {	# out-dir
	"$ICPGEN" build "$repo" --out "$1" -q 2>"$tmp/err" ||
	    { cat "$tmp/err"; return 1; }
}
check() {	# name file fixed-string
	if grep -qF -- "$3" "$2"; then ok "$1"; else
		not_ok "$1"
		echo "    $2 lacks: $3"
	fi
}
check_not() {
	if grep -qF -- "$3" "$2"; then not_ok "$1"; echo "    $2 has: $3"
	else ok "$1"; fi
}

build "$tmp/a" || { not_ok "history site builds"; exit 1; }
m=$tmp/a/meetings/2026-01-20-icp
check "first publication is the commit that added the file" \
    "$m/late/index.html" "First published 16 January 2026"
check "a paper 1 clear working day before the meeting is late" \
    "$m/late/index.html" "Published late: 1 clear days"
check_not "a paper 12 clear working days before is on time" \
    "$m/early/index.html" "Published late"
check "a paper changed after its meeting says so" \
    "$m/early/index.html" "Changed after the meeting"
check "a changed paper links its revision page" \
    "$m/early/index.html" '<a href="/meetings/2026-01-20-icp/early/history/">2 versions</a>'
check "the revision page shows the words replaced" \
    "$m/early/history/index.html" "[-First-] [+Corrected+] text."
check_not "the revision page shows no diff lines" \
    "$m/early/history/index.html" "- First text."
check_not "commit messages are not shown unless configured" \
    "$m/early/history/index.html" "Correct the early paper"
check "a merge that discards a side edit does not change the page" \
    "$m/merged/index.html" "First published 1 January 2026</p>"
check "a branch's paper is published at its merge commit" \
    "$m/branch/index.html" "First published 9 February 2026"
check "the timeliness report lists the late paper" \
    "$tmp/a/timeliness/index.html" "Late paper: published 2026-01-16, 1 clear days, LATE"
check "the timeliness report counts the meeting's papers" \
    "$tmp/a/timeliness/index.html" "2 on time, 2 late."

check "a measure shows its figures as they were published" \
    "$tmp/a/strategy/measures/ready/index.html" \
    "As published: 2026-02-20: 2025-07-31 60 at-risk; 2026-02-25: 2025-07-31 62 on-track;"

# The cache: in icpgen's own folder, read by a second build, which
# agrees with a fresh walk.
if ls "$XDG_CACHE_HOME"/icpgen/history-* >/dev/null 2>&1 &&
    ! ls "$repo/.git"/icpgen-history-* >/dev/null 2>&1; then
	ok "the walk is cached in icpgen's cache folder, not in .git"
else
	not_ok "the walk is cached in icpgen's cache folder, not in .git"
fi
build "$tmp/b" && diff -r "$tmp/a" "$tmp/b" >/dev/null &&
    ok "a build from the cache gives the same site" ||
    not_ok "a build from the cache gives the same site"
paper meetings/2026-01-20-icp/late.md "Late paper" "Sent late, then fixed."
git -C "$repo" add -A && at 2026-02-26T10:00:00 "Fix the late paper"
build "$tmp/c"
rm -rf "$XDG_CACHE_HOME"
build "$tmp/d"
if diff -r "$tmp/c" "$tmp/d" >/dev/null &&
    grep -qF "last updated 26 February 2026" "$tmp/c/meetings/2026-01-20-icp/late/index.html"; then
	ok "after a new commit, the cache walks only it and agrees with a full walk"
else
	not_ok "after a new commit, the cache walks only it and agrees with a full walk"
	diff -r "$tmp/c" "$tmp/d" | head -10 | sed 's/^/    /'
fi

# --cache-dir puts the cache where it is told.
"$ICPGEN" build "$repo" --out "$tmp/e" -q --cache-dir "$tmp/mine" &&
    ls "$tmp/mine"/history-* >/dev/null 2>&1 &&
    ok "--cache-dir holds the cache" || not_ok "--cache-dir holds the cache"

# A damaged cache is rebuilt, never trusted.
for f in "$tmp/mine"/history-*; do
	sed -i 's/^\([0-9a-f]\{40\}\) 17[0-9]*/\1 946728000/' "$f"
done
"$ICPGEN" build "$repo" --out "$tmp/f" -q --cache-dir "$tmp/mine" &&
    diff -r "$tmp/e" "$tmp/f" >/dev/null &&
    ok "a cache whose dates were edited is rebuilt" ||
    not_ok "a cache whose dates were edited is rebuilt"

# The same with its checksum made right (forged, not damaged): the
# commits are checked against the repository, so no forged date shows.
# And a path said to have a trillion revisions is refused before any
# room is made for them.
forge_history() {	# what file: change the file, fix its checksum
	python3 - "$1" "$2" <<'PY'
import re, sys, zlib
how, p = sys.argv[1], sys.argv[2]
d = open(p, 'rb').read()[:-21]
if how == 'dates':
    d, n = re.subn(rb'(?m)^([0-9a-f]{40}) 17[0-9]*', rb'\1 946728000', d)
else:
    d, n = re.subn(rb'(?m)^([0-9]+:[^\n]*) [0-9]+$', rb'\1 999999999999', d, 1)
assert n > 0, how
open(p, 'wb').write(d + b'end %016x\n' % zlib.crc32(d))
PY
}
# same_as NAME SITE OUT CACHE: a build into OUT with CACHE gives SITE.
same_as() {
	if "$ICPGEN" build "$repo" --out "$3" -q --cache-dir "$4" \
	    2>"$tmp/err" && diff -r "$2" "$3" >/dev/null; then
		ok "$1"
	else
		not_ok "$1"
		head -5 "$tmp/err" | sed 's/^/    /'
	fi
}
for how in dates count; do
	rm -rf "$tmp/mine" "$tmp/f"
	"$ICPGEN" build "$repo" --out "$tmp/f" -q --cache-dir "$tmp/mine"
	for f in "$tmp/mine"/history-*; do forge_history $how "$f"; done
	rm -rf "$tmp/f"
	same_as "a forged history cache ($how, checksum right) is rebuilt" \
	    "$tmp/e" "$tmp/f" "$tmp/mine"
done

# A committed file whose name holds a newline and tab-separated fields
# (the old cache's line format) cannot forge a date on the next build.
# It is in templates/, which is walked but not published (a published
# file may not have such a name).
head=$(git -C "$repo" rev-parse HEAD)
blob=$(git -C "$repo" rev-parse HEAD:committees/icp.md)
forged=$(printf 'templates/a\nmeetings/2026-01-20-icp/late.md\t%s\t946684800\t%s\tforged' "$head" "$blob")
mkdir -p "$(dirname "$repo/$forged")"
printf 'x\n' >"$repo/$forged"
git -C "$repo" add -A && at 2026-02-27T10:00:00 "A file with a hostile name"
build "$tmp/h1" && build "$tmp/h2"
if grep -qF "1 January 2000" "$tmp/h2/meetings/2026-01-20-icp/late/index.html" ||
    ! grep -qF "First published 16 January 2026" "$tmp/h2/meetings/2026-01-20-icp/late/index.html"; then
	not_ok "a file name cannot forge a date in the cache"
else
	ok "a file name cannot forge a date in the cache"
fi
# Commit messages are shown when the configuration says so.
printf 'history_messages: true\n' >>"$repo/icpgen.yaml"
git -C "$repo" add -A && at 2026-02-28T10:00:00 "Show commit messages"
build "$tmp/g"
check "commit messages are shown when configured" \
    "$tmp/g/meetings/2026-01-20-icp/early/history/index.html" \
    "Message: Correct the early paper"

# The versions cache: what old versions gave (fields, word diffs,
# status) is kept next to the walk, so a build from the cache reads no
# old blob from git.  Remove every blob the current tree does not hold:
# a build from the cache gives the same site; without the versions
# cache the same build differs (so this check can fail).
vc=$tmp/vc
"$ICPGEN" build "$repo" --out "$tmp/v1" -q --cache-dir "$vc" 2>"$tmp/err" ||
    cat "$tmp/err"
cp -a "$repo/.git/objects" "$tmp/objects"
git -C "$repo" ls-tree -r HEAD | awk '{print $3}' | sort >"$tmp/now"
git -C "$repo" rev-list --objects --all | awk '{print $1}' |
    git -C "$repo" cat-file --batch-check='%(objecttype) %(objectname)' |
    awk '$1 == "blob" {print $2}' | sort | comm -23 - "$tmp/now" >"$tmp/old"
gone=0
while read -r o; do
	f=$repo/.git/objects/${o:0:2}/${o:2}
	[ -f "$f" ] && rm -f "$f" && gone=$((gone + 1))
done <"$tmp/old"
"$ICPGEN" build "$repo" --out "$tmp/v2" -q --cache-dir "$vc" 2>"$tmp/err"
if [ $gone -gt 0 ] && diff -r "$tmp/v1" "$tmp/v2" >/dev/null; then
	ok "a build from the versions cache reads no old version from git"
else
	not_ok "a build from the versions cache reads no old version from git"
	echo "    $gone old blobs removed"; diff -r "$tmp/v1" "$tmp/v2" | head -5
fi
cp -a "$vc" "$tmp/vc-nov" && rm -f "$tmp/vc-nov"/versions-*
if "$ICPGEN" build "$repo" --out "$tmp/v3" -q --cache-dir "$tmp/vc-nov" 2>"$tmp/err"; then
	not_ok "without the versions cache, the missing old blobs fail the build (the check above can fail)"
else
	check "without the versions cache, the missing old blobs fail the build (the check above can fail)" \
	    "$tmp/err" "git cannot give the version of this file"
fi
rm -rf "$repo/.git/objects" && cp -a "$tmp/objects" "$repo/.git/objects"

# The history cache is read, not walked again: with the root tree of
# the commit before HEAD gone, a build from the cache (whose check
# reads every cached commit, and no old tree) gives the same site; a
# build without it walks that tree and fails (so this check can fail).
hc=$tmp/hc
"$ICPGEN" build "$repo" --out "$tmp/t1" -q --cache-dir "$hc" 2>"$tmp/err" ||
    cat "$tmp/err"
old=$(git -C "$repo" rev-parse HEAD~1^{tree})
f=$repo/.git/objects/${old:0:2}/${old:2}
if [ "$old" != "$(git -C "$repo" rev-parse HEAD^{tree})" ] && [ -f "$f" ]; then
	rm -f "$f"
	rm -rf "$tmp/t2" "$tmp/t3"
	same_as "a build from the history cache reads no old tree" \
	    "$tmp/t1" "$tmp/t2" "$hc"
	"$ICPGEN" build "$repo" --out "$tmp/t3" -q --cache-dir "$tmp/hc-none" \
	    2>/dev/null &&
	    not_ok "without the history cache, the missing tree is read (the check above can fail)" ||
	    ok "without the history cache, the missing tree is read (the check above can fail)"
else
	not_ok "the tree before HEAD is a loose object of its own"
fi
rm -rf "$repo/.git/objects" && cp -a "$tmp/objects" "$repo/.git/objects"

# A damaged versions cache is ignored, and rebuilt: truncated, random
# bytes, too large, and one whose checksum is right but whose format
# version is not.  The last, with the right version, is read (the
# cache folder is trusted not to be forged), which shows the version
# check is what keeps it out.
forge() {	# version file: change a word in every record, fix the checksum
	python3 - "$1" "$2" <<'PY'
import re, sys, zlib
ver, p = sys.argv[1].encode(), sys.argv[2]
d = open(p, 'rb').read()[:-21]
if ver != b'same':	# the format's number as written, or another
	d = re.sub(rb'^icpgen-versions [0-9]+ ', b'icpgen-versions ' + ver + b' ', d, count=1)
d = d.replace(b'Corrected', b'Corrupted')
open(p, 'wb').write(d + b'end %016x\n' % zlib.crc32(d))
PY
}
damage() {	# name command...
	local name=$1 f
	shift
	for f in "$vc"/versions-*; do "$@" "$f"; done
	# New folders: a build into the same folder from the same commit
	# would be a no-op (the build manifest) and read no cache at all.
	rm -rf "$tmp/vd" "$tmp/ve"
	if "$ICPGEN" build "$repo" --out "$tmp/vd" -q --cache-dir "$vc" 2>"$tmp/err" &&
	    diff -r "$tmp/v1" "$tmp/vd" >/dev/null &&
	    "$ICPGEN" build "$repo" --out "$tmp/ve" -q --cache-dir "$vc" 2>"$tmp/err" &&
	    diff -r "$tmp/v1" "$tmp/ve" >/dev/null; then
		ok "a $name versions cache is ignored and rebuilt"
	else
		not_ok "a $name versions cache is ignored and rebuilt"
		cat "$tmp/err"; diff -r "$tmp/v1" "$tmp/vd" | head -5
	fi
}
halve() { head -c $(($(stat -c %s "$1") / 2)) "$1" >"$1.t" && mv "$1.t" "$1"; }
noise() { head -c "$(stat -c %s "$1")" /dev/urandom >"$1"; }
huge() { truncate -s 2G "$1"; }
empty() { : >"$1"; }
damage truncated halve
damage "random bytes" noise
damage "2 GB" huge
damage empty empty
damage "wrong version" forge 0
for f in "$vc"/versions-*; do forge same "$f"; done
"$ICPGEN" build "$repo" --out "$tmp/vf" -q --cache-dir "$vc" 2>/dev/null
check "a forged record with the right version is read (the check above can fail)" \
    "$tmp/vf/meetings/2026-01-20-icp/early/history/index.html" "[+Corrupted+]"

# A wrong clock: commits dated before the commits they were made on top
# of.  What they publish is dated no earlier than the commit before it,
# the build says so, and no version is older than the one before it.
fresh skew 'publication_days: 5\n'
mkdir -p "$repo/meetings/2026-01-20-icp"
printf -- '---\ncommittee: icp\ndate: 2026-01-20\nstatus: held\nagenda:\n  - number: "1"\n    title: Reports\n---\n' \
    >"$repo/meetings/2026-01-20-icp/index.md"
git -C "$repo" add -A && at 2026-01-01T09:00:00 "The agenda"
page committees/icp.md "The partnership" "y"
git -C "$repo" add -A && at 2026-01-15T09:00:00 "An edit with a right clock"
paper meetings/2026-01-20-icp/slow.md "Slow paper" "Ten."
git -C "$repo" add -A && at 2026-01-02T09:00:00 "A paper from a clock 13 days slow"
paper meetings/2026-01-20-icp/slow.md "Slow paper" "Twelve."
git -C "$repo" add -A && at 2026-01-15T09:20:00 "Then a right clock"
"$ICPGEN" build "$repo" --out "$tmp/sk" --cache-dir "$tmp/same-cache" --date 2026-02-01 2>"$tmp/err"
sk=$tmp/sk/meetings/2026-01-20-icp/slow
check "a paper's commit dated before its parent's is published no earlier than it" \
    "$sk/index.html" 'First published 15 January 2026, last updated 15 January 2026'
check "and judged by that date" "$sk/index.html" 'Published late'
check "the build says which commit's clock was wrong" "$tmp/err" \
    "is dated 13 days before commit"
check_not "no version is dated before the one before it" \
    "$sk/history/index.html" '2 January 2026'
same_builds "the history cache gives the same dates" "$tmp/sk" --date 2026-02-01

# A clock set ahead: a commit dated years after the build, then commits
# with right clocks.  It was made before them, so what it published is
# dated no later than the next of them, and nothing after the build
# date is shown; the commits after it keep their own dates.
fresh ahead 'publication_days: 5\n'
mkdir -p "$repo/meetings/2026-01-20-icp"
printf -- '---\ncommittee: icp\ndate: 2026-01-20\nstatus: held\nagenda:\n  - number: "1"\n    title: Reports\n---\n' \
    >"$repo/meetings/2026-01-20-icp/index.md"
git -C "$repo" add -A && at 2026-01-01T09:00:00 "The agenda"
paper meetings/2026-01-20-icp/fast.md "Fast paper" "From a clock five years fast."
git -C "$repo" add -A && at 2031-01-05T09:00:00 "A paper from a clock five years fast"
paper meetings/2026-01-20-icp/right.md "Right paper" "From a right clock."
git -C "$repo" add -A && at 2026-01-05T09:00:00 "A paper from a right clock"
page committees/icp.md "The partnership" "y"
git -C "$repo" add -A && at 2026-01-16T09:00:00 "An edit two days before the meeting"
"$ICPGEN" build "$repo" --out "$tmp/ah" --cache-dir "$tmp/same-cache" --date 2026-02-01 2>"$tmp/err"
ah=$tmp/ah/meetings/2026-01-20-icp
check "a paper's commit dated after the build is published no later than the next commit" \
    "$ah/fast/index.html" 'First published 5 January 2026'
check "the commit after it keeps its own date" \
    "$ah/right/index.html" 'First published 5 January 2026'
check_not "and is on time by it" "$ah/right/index.html" 'Published late'
check_not "no page shows the wrong clock's year" "$ah/fast/index.html" '2031'
check_not "nor does the feed of papers" "$tmp/ah/papers.xml" '2031'
check "the build says which commit's clock was wrong" "$tmp/err" \
    "is dated 5 January 2031, after the build date (1 February 2026)"
# The last commit dated after the build: the build date bounds it.
page committees/icp.md "The partnership" "z"
paper meetings/2026-01-20-icp/late.md "Late paper" "Fast again."
git -C "$repo" add -A && at 2031-01-06T09:00:00 "A last commit from the fast clock"
"$ICPGEN" build "$repo" --out "$tmp/ah2" --cache-dir "$tmp/same-cache" --date 2026-02-01 2>"$tmp/err"
check "the last commit, dated after the build, is dated the build date" \
    "$tmp/ah2/meetings/2026-01-20-icp/late/index.html" 'First published 1 February 2026'
same_builds "the history cache gives the same dates" "$tmp/ah2" --date 2026-02-01

# A file deleted and added again later: its versions are as they were
# published, on either side, and the page says when it was deleted and
# added back; a paper deleted by its meeting's day and added back after
# it was not there for the meeting, so it is published for it when it
# came back.  A deletion while the agenda still named the paper failed
# that commit's build and published nothing.  Also for a whole folder
# deleted and put back, and for a history cache made while the file was
# deleted.
fresh deleted 'publication_days: 5\n'
m=meetings/2026-02-20-icp
mkdir -p "$repo/$m" "$repo/meetings/2026-02-10-icp"
printf -- '---\ncommittee: icp\ndate: 2026-02-20\nstatus: held\nagenda:\n  - number: "1"\n    title: Reports\n---\n' \
    >"$repo/$m/index.md"
printf -- '---\ncommittee: icp\ndate: 2026-02-10\nstatus: held\nagenda:\n  - number: "1"\n    title: Reports\n---\n' \
    >"$repo/meetings/2026-02-10-icp/index.md"
paper $m/beta.md "Beta paper" "Beta one."
paper $m/gamma.md "Gamma paper" "Gamma one."
paper $m/kept.md "Kept paper" "Never deleted."
paper meetings/2026-02-10-icp/folded.md "Folded paper" "In a folder."
git -C "$repo" add -A && at 2026-01-05T09:00:00 "Papers for February"
git -C "$repo" rm -q "$repo/$m/beta.md" "$repo/$m/gamma.md"
at 2026-01-12T09:00:00 "Take two papers down"
"$ICPGEN" build "$repo" --out "$tmp/dl0" --cache-dir "$tmp/dl-cache" --date 2026-01-13 -q 2>/dev/null
git -C "$repo" rm -q -r "$repo/meetings/2026-02-10-icp"
at 2026-01-20T09:00:00 "Take a meeting down"
git -C "$repo" checkout -q HEAD~1 -- meetings/2026-02-10-icp
at 2026-01-26T09:00:00 "Put it back"
paper $m/gamma.md "Gamma paper" "Gamma one."
git -C "$repo" add -A && at 2026-02-02T09:00:00 "Gamma back as it was"
paper $m/beta.md "Beta paper" "Beta two."
git -C "$repo" add -A && at 2026-02-25T09:00:00 "Beta back after the meeting"
paper $m/beta.md "Beta paper" "Beta three."
git -C "$repo" add -A && at 2026-03-02T09:00:00 "Beta edited"
"$ICPGEN" build "$repo" --out "$tmp/dl" --cache-dir "$tmp/dl-cache" --date 2026-04-01 -q 2>"$tmp/err"
dl=$tmp/dl/$m
check "a paper keeps its first publication and its versions" \
    "$dl/beta/index.html" 'First published 5 January 2026, last updated 2 March 2026'
check "and the page says when it was deleted and added back" \
    "$dl/beta/index.html" 'Deleted 12 January 2026, added again 25 February 2026'
check "deleted by its meeting's day and added back after, it was not published for it" \
    "$dl/beta/index.html" 'Published late'
check "its versions are all there" "$dl/beta/index.html" '3 versions'
check "a paper added back unchanged before its meeting keeps its date" \
    "$dl/gamma/index.html" 'First published 5 January 2026. Deleted 12 January 2026, added again 2 February 2026'
check_not "and is on time by its return" "$dl/gamma/index.html" 'Published late'
check "a paper of a folder deleted and put back" \
    "$tmp/dl/meetings/2026-02-10-icp/folded/index.html" 'First published 5 January 2026. Deleted 20 January 2026, added again 26 January 2026'
check_not "a paper never deleted says nothing of it" "$dl/kept/index.html" 'Deleted'
check "open data lists the deletion" "$tmp/dl/data/meetings.json" '"added_again": "2026-02-25T09:00:00Z"'
rm -rf "$tmp/dl-cold-cache"
"$ICPGEN" build "$repo" --out "$tmp/dl-cold" --cache-dir "$tmp/dl-cold-cache" --date 2026-04-01 -q 2>/dev/null
diff -r "$tmp/dl" "$tmp/dl-cold" >/dev/null &&
    ok "a history cache made while they were deleted gives the same site" ||
    not_ok "a history cache made while they were deleted gives the same site"
same_builds "and so does one of this commit" "$tmp/dl" --date 2026-04-01

# A paper deleted by mistake while its agenda still named it: that
# commit's build failed, so the website kept the paper.
fresh mistake 'publication_days: 5\n'
m=meetings/2026-02-20-icp
mkdir -p "$repo/$m"
printf -- '---\ncommittee: icp\ndate: 2026-02-20\nstatus: held\nagenda:\n  - number: "1"\n    title: Reports\n    papers: [named]\n---\n' \
    >"$repo/$m/index.md"
printf -- '---\ntitle: Named paper\n---\nOn the agenda.\n' >"$repo/$m/named.md"
git -C "$repo" add -A && at 2026-01-05T09:00:00 "A paper"
git -C "$repo" rm -q "$repo/$m/named.md"
at 2026-01-12T09:00:00 "Deleted by mistake"
git -C "$repo" checkout -q HEAD~1 -- "$m/named.md"
at 2026-02-18T09:00:00 "Put back"
"$ICPGEN" build "$repo" --out "$tmp/mk" --cache-dir "$tmp/mk-cache" --date 2026-04-01 -q 2>/dev/null
check "a deletion that failed its build keeps the paper's date" \
    "$tmp/mk/$m/named/index.html" 'First published 5 January 2026'
check_not "and is not shown" "$tmp/mk/$m/named/index.html" 'Deleted'
check_not "nor judged late" "$tmp/mk/$m/named/index.html" 'Published late'

# A commit whose meeting front matter the build refuses (another item's
# quoted "true") published nothing: the paper it lists is published by
# the commit that mends it, and one listed only then is never named.
fresh refused 'publication_days: 5\n'
m=meetings/2026-03-18-icp
mkdir -p "$repo/$m"
agenda() {	# agenda PAPERS EXEMPT-VALUE
	printf -- '---\ncommittee: icp\ndate: 2026-03-18\nstatus: held\nagenda:\n  - number: "1"\n    title: Plans\n    papers: [%s]\n  - number: "2"\n    title: Closed\n    exempt: %s\n    exempt_reason: Commercial.\n---\n' \
	    "$1" "$2" >"$repo/$m/index.md"
}
agenda "kept, hidden" '"true"'
printf -- '---\ntitle: Kept paper\n---\nText.\n' >"$repo/$m/kept.md"
printf -- '---\ntitle: Hidden title\n---\nText.\n' >"$repo/$m/hidden.md"
git -C "$repo" add -A && at 2026-03-02T09:00:00 "Papers, and a quoted true: this build fails"
git -C "$repo" rm -q "$repo/$m/hidden.md"
agenda "kept" '"true"'
git -C "$repo" add -A && at 2026-03-03T09:00:00 "One withdrawn: this build fails too"
agenda "kept" 'true'
git -C "$repo" add -A && at 2026-03-05T09:00:00 "Mended"
"$ICPGEN" build "$repo" --out "$tmp/rf" --cache-dir "$tmp/rf-cache" --date 2026-04-01 -q 2>/dev/null
check "a paper listed by a refused commit is published when it is mended" \
    "$tmp/rf/$m/kept/index.html" "First published 5 March 2026"
if grep -rq "Hidden title" "$tmp/rf"; then
	not_ok "a paper only ever listed by refused commits is never named"
else
	ok "a paper only ever listed by refused commits is never named"
fi
# Likewise an exempt item without its reason, which only the agenda
# as a whole shows.
printf -- '---\ncommittee: icp\ndate: 2026-03-18\nstatus: held\nagenda:\n  - number: "1"\n    title: Plans\n    papers: [kept, second]\n  - number: "2"\n    title: Closed\n    exempt: true\n---\n' \
    >"$repo/$m/index.md"
printf -- '---\ntitle: Second hidden title\n---\nText.\n' >"$repo/$m/second.md"
git -C "$repo" add -A && at 2026-03-06T09:00:00 "An exempt item without its reason: this build fails"
git -C "$repo" rm -q "$repo/$m/second.md"
agenda "kept" 'true'
git -C "$repo" add -A && at 2026-03-07T09:00:00 "Mended, the paper withdrawn"
"$ICPGEN" build "$repo" --out "$tmp/rf2" --cache-dir "$tmp/rf-cache" --date 2026-04-01 -q 2>/dev/null
if grep -rq "Second hidden title" "$tmp/rf2"; then
	not_ok "a paper listed only while an exempt item had no reason is never named"
else
	ok "a paper listed only while an exempt item had no reason is never named"
fi

# Papers whose files were deleted and not added again: the meeting names
# those that were public, and one deleted after the meeting still counts
# in the timeliness report; one that was never public is not named.
fresh removed 'publication_days: 5\n'
m=meetings/2026-03-18-icp
mkdir -p "$repo/$m"
agenda() {	# agenda PAPERS-OF-ITEM-1 PAPERS-OF-ITEM-2 (exempt)
	printf -- '---\ncommittee: icp\ndate: 2026-03-18\nstatus: held\nagenda:\n  - number: "1"\n    title: Plans\n    papers: [%s]\n  - number: "2"\n    title: Closed\n    exempt: true\n    exempt_reason: Commercial.\n    papers: [%s]\n---\n' \
	    "$1" "$2" >"$repo/$m/index.md"
}
agenda "ontime, kept" "secret"
paper $m/ontime.md "On-time paper" "Withdrawn before the meeting."
paper $m/kept.md "Kept paper" "Still here."
printf -- '---\ntitle: Secret plan\n---\nSensitive.\n' >"$repo/$m/secret.md"
paper $m/unlisted.md "Unlisted draft" "Never on the agenda."
git -C "$repo" add -A && at 2026-03-02T09:00:00 "Papers for March"
agenda "kept" "secret"
git -C "$repo" rm -q "$repo/$m/ontime.md"
git -C "$repo" add -A && at 2026-03-10T09:00:00 "Withdraw a paper"
agenda "late, kept" "secret"
paper $m/late.md "Late paper" "Two days before."
git -C "$repo" add -A && at 2026-03-16T09:00:00 "A late paper"
agenda "kept" ""
git -C "$repo" rm -q "$repo/$m/late.md" "$repo/$m/secret.md" "$repo/$m/unlisted.md"
git -C "$repo" add -A && at 2026-03-25T09:00:00 "Tidy up after the meeting"
"$ICPGEN" build "$repo" --out "$tmp/rm" --cache-dir "$tmp/rm-cache" --date 2026-04-01 -q 2>"$tmp/err"
check "the meeting names a paper deleted after it" "$tmp/rm/$m/index.html" \
    "No longer here: Late paper, published 2026-03-16, taken off 2026-03-25, deleted 2026-03-25"
check "and one withdrawn before it" "$tmp/rm/$m/index.html" \
    "No longer here: On-time paper, published 2026-03-02, taken off 2026-03-10, deleted 2026-03-10"
check_not "but not an exempt item's paper" "$tmp/rm/$m/index.html" "Secret"
check_not "nor one never on the agenda" "$tmp/rm/$m/index.html" "Unlisted"
check "the timeliness report counts the late paper deleted after the meeting" \
    "$tmp/rm/timeliness/index.html" "Late paper: published 2026-03-16, 1 clear days, LATE, taken off 2026-03-25"
check "with the papers still there" "$tmp/rm/timeliness/index.html" "1 on time, 1 late."
check_not "and not the one withdrawn before the meeting" "$tmp/rm/timeliness/index.html" "On-time paper"
same_builds "the history cache gives the same papers no longer there" "$tmp/rm" --date 2026-04-01
# A paper on time, deleted after the meeting, added back and deleted
# again: counted from its first spell, which covered the meeting.  One
# deleted while the agenda still listed it stayed on the website until
# the agenda dropped it.  One taken off the agenda before the meeting
# and deleted after was withdrawn.
fresh spells 'publication_days: 5\n'
m=meetings/2026-03-18-icp
mkdir -p "$repo/$m"
agenda() {
	printf -- '---\ncommittee: icp\ndate: 2026-03-18\nstatus: held\nagenda:\n  - number: "1"\n    title: Plans\n    papers: [%s]\n---\n' \
	    "$1" >"$repo/$m/index.md"
}
agenda "twice, stuck, dropped"
for p in twice stuck dropped; do
	printf -- '---\ntitle: Paper %s\n---\nText.\n' "$p" >"$repo/$m/$p.md"
done
git -C "$repo" add -A && at 2026-03-02T09:00:00 "Papers for March"
agenda "twice, stuck"
git -C "$repo" add -A && at 2026-03-03T09:00:00 "Dropped from the agenda"
git -C "$repo" rm -q "$repo/$m/stuck.md"
at 2026-03-04T09:00:00 "Deleted while listed: builds fail from here"
git -C "$repo" rm -q "$repo/$m/dropped.md"
agenda "twice, after"
printf -- '---\ntitle: Paper after\n---\nLate.\n' >"$repo/$m/after.md"
git -C "$repo" add -A && at 2026-03-20T09:00:00 "After the meeting: builds again"
git -C "$repo" rm -q "$repo/$m/twice.md" "$repo/$m/after.md"
agenda ""
git -C "$repo" add -A && at 2026-03-23T09:00:00 "Twice, first time"
printf -- '---\ntitle: Paper twice\n---\nAgain.\n' >"$repo/$m/twice.md"
agenda "twice"
git -C "$repo" add -A && at 2026-03-24T09:00:00 "Back"
git -C "$repo" rm -q "$repo/$m/twice.md"
agenda ""
git -C "$repo" add -A && at 2026-03-25T09:00:00 "Twice, second time"
"$ICPGEN" build "$repo" --out "$tmp/sp" --cache-dir "$tmp/sp-cache" --date 2026-04-01 -q 2>"$tmp/err"
check "a paper deleted twice is dated from its first publication" "$tmp/sp/$m/index.html" \
    "No longer here: Paper twice, published 2026-03-02, taken off 2026-03-25"
check "and counted from the spell that covered the meeting" "$tmp/sp/timeliness/index.html" \
    "Paper twice: published 2026-03-02, 11 clear days, taken off 2026-03-25"
check "a paper deleted while listed stayed until the agenda dropped it" "$tmp/sp/$m/index.html" \
    "No longer here: Paper stuck, published 2026-03-02, taken off 2026-03-20, deleted 2026-03-04"
check "so it was a paper of the meeting" "$tmp/sp/timeliness/index.html" "Paper stuck: published 2026-03-02"
check "a paper dropped from the agenda before the meeting was taken off then" "$tmp/sp/$m/index.html" \
    "No longer here: Paper dropped, published 2026-03-02, taken off 2026-03-03, deleted 2026-03-20"
check_not "and is not counted" "$tmp/sp/timeliness/index.html" "Paper dropped"
check "a paper first published after the meeting, then deleted, still counts" \
    "$tmp/sp/timeliness/index.html" "Paper after: published 2026-03-20"
same_builds "the history cache gives the same spells" "$tmp/sp" --date 2026-04-01
# On and off the agenda twenty times, then on for good before the
# meeting: every spell is kept.
fresh churn 'publication_days: 5\n'
m=meetings/2026-03-18-icp
mkdir -p "$repo/$m"
printf -- '---\ntitle: Paper churn\n---\nText.\n' >"$repo/$m/churn.md"
for i in $(seq 10 29); do
	agenda "churn"
	git -C "$repo" add -A && at "2026-01-${i}T09:00:00" "On"
	agenda ""
	git -C "$repo" add -A && at "2026-01-${i}T10:00:00" "Off"
done
agenda "churn"
git -C "$repo" add -A && at 2026-03-16T09:00:00 "On for good, late"
git -C "$repo" rm -q "$repo/$m/churn.md"
agenda ""
git -C "$repo" add -A && at 2026-03-25T09:00:00 "Deleted after the meeting"
"$ICPGEN" build "$repo" --out "$tmp/ch" --cache-dir "$tmp/ch-cache" --date 2026-04-01 -q 2>/dev/null
check "a paper on and off twenty times is taken off when it last was" "$tmp/ch/$m/index.html" \
    "No longer here: Paper churn, published 2026-01-10, taken off 2026-03-25"
check "and counted from the spell through the meeting" "$tmp/ch/timeliness/index.html" \
    "Paper churn: published 2026-03-16, 1 clear days, LATE"
# Minutes deleted for good: the meeting says they were published, not
# that there are none yet.
mkdir -p "$repo/$m"
printf -- '---\nstatus: draft\n---\nWhat was said.\n' >"$repo/$m/minutes.md"
git -C "$repo" add -A && at 2026-03-26T09:00:00 "Draft minutes"
git -C "$repo" rm -q "$repo/$m/minutes.md"
at 2026-03-30T09:00:00 "Minutes deleted"
"$ICPGEN" build "$repo" --out "$tmp/ch2" --cache-dir "$tmp/ch-cache" --date 2026-04-01 -q 2>/dev/null
check "minutes deleted for good are said to have been published" "$tmp/ch2/$m/index.html" \
    "Minutes published 2026-03-26, taken off 2026-03-30"

# 'git pull' merging the published branch into an older copy, then
# pushed: the commit the last build was made from is a second parent
# now, and what it published is dated by the merge.  The build after it
# says so; a history rewritten does not get the warning.
fresh pulled 'publication_days: 5\n'
mkdir -p "$repo/meetings/2026-03-05-icp"
printf -- '---\ncommittee: icp\ndate: 2026-03-05\nstatus: held\nagenda:\n  - number: "1"\n    title: Reports\n---\n' \
    >"$repo/meetings/2026-03-05-icp/index.md"
git -C "$repo" add -A && at 2026-01-10T09:00:00 "The meeting"
git -C "$repo" branch clerk
paper meetings/2026-03-05-icp/early.md "Early paper" "On time."
git -C "$repo" add -A && at 2026-02-03T09:00:00 "Early paper"
published=$(git -C "$repo" rev-parse --short=12 HEAD)
"$ICPGEN" build "$repo" --out "$tmp/pl0" --cache-dir "$tmp/pl-cache" --date 2026-02-04 -q 2>/dev/null
git -C "$repo" checkout -q clerk
page pages/hello.md "Hello" "A page."
git -C "$repo" add -A && at 2026-02-20T09:00:00 "A page, on an old copy"
GIT_AUTHOR_DATE="2026-03-03T09:00:00+00:00" GIT_COMMITTER_DATE="2026-03-03T09:00:00+00:00" \
    git -C "$repo" merge -q --no-ff -m "Merge branch main into clerk" main
git -C "$repo" checkout -q main
git -C "$repo" merge -q --ff-only clerk
"$ICPGEN" build "$repo" --out "$tmp/pl" --cache-dir "$tmp/pl-cache" --date 2026-04-01 2>"$tmp/err"
check "a build after a pull merged the published branch says its dates moved" "$tmp/err" \
    "commit $published, which the last build was made from, is no longer on the branch's first-parent history"
check "the page is dated by the merge, as the branch now says" \
    "$tmp/pl/meetings/2026-03-05-icp/early/index.html" "First published 3 March 2026"
git -C "$repo" reset -q --hard "$published"
"$ICPGEN" build "$repo" --out "$tmp/pl2" --cache-dir "$tmp/pl-cache" --date 2026-04-01 2>"$tmp/err"
check_not "a branch reset to before the merge is not warned of" "$tmp/err" "no longer on"
check "and the page has its date again" \
    "$tmp/pl2/meetings/2026-03-05-icp/early/index.html" "First published 3 February 2026"
# A preview of a branch under review, built with the same cache, then
# merged with a merge commit as icpgen(5) advises: no warning.
git -C "$repo" checkout -q -b review
page pages/review.md "Review" "Under review."
git -C "$repo" add -A && at 2026-03-10T09:00:00 "A change under review"
"$ICPGEN" build "$repo" --ref review --out "$tmp/pl3" --cache-dir "$tmp/pl-cache" --date 2026-04-01 -q 2>/dev/null
git -C "$repo" checkout -q main
GIT_AUTHOR_DATE="2026-03-12T09:00:00+00:00" GIT_COMMITTER_DATE="2026-03-12T09:00:00+00:00" \
    git -C "$repo" merge -q --no-ff -m "Merge review" review
"$ICPGEN" build "$repo" --out "$tmp/pl4" --cache-dir "$tmp/pl-cache" --date 2026-04-01 2>"$tmp/err"
check_not "a preview of another branch, merged, is not warned of" "$tmp/err" "no longer on"

# A paper committed before an agenda item named it, or while its item
# was exempt, was not on the website: it is published when the commit
# that made it public says, with the version it had then.
fresh listing 'publication_days: 5\n'
m=meetings/2026-03-18-icp
mkdir -p "$repo/$m"
agenda() {	# agenda [extra lines of item 1] : item 1 lists early and draft
	printf -- '---\ncommittee: icp\ndate: 2026-03-18\nstatus: held\nagenda:\n  - number: "1"\n    title: Plans\n    papers: [early%s]\n%s  - number: "2"\n    title: Closed\n    exempt: true\n    exempt_reason: Commercial.\n    papers: [closed]\n---\n' \
	    "${2:-}" "${1:-}" >"$repo/$m/index.md"
}
agenda
printf -- '---\ntitle: Early plan\n---\nOn the agenda from the start.\n' >"$repo/$m/early.md"
printf -- '---\ntitle: Draft plan\n---\nFirst draft.\n' >"$repo/$m/draft.md"
printf -- '---\ntitle: Closed plan\n---\nSensitive.\n' >"$repo/$m/closed.md"
git -C "$repo" add -A && at 2026-03-02T09:00:00 "Agenda; a draft not yet listed; a paper for an exempt item"
printf -- '---\ntitle: Draft plan\n---\nSecond draft.\n' >"$repo/$m/draft.md"
git -C "$repo" add -A && at 2026-03-06T09:00:00 "Redraft, still unlisted"
agenda "" ", draft"
sed -i '/^    papers: \[closed\]$/d; /^    exempt: true$/d; /^    exempt_reason:/d' "$repo/$m/index.md"
printf -- '---\ntitle: Closed plan\nitem: "2"\n---\nSensitive.\n' >"$repo/$m/closed.md"
git -C "$repo" add -A && at 2026-03-16T09:00:00 "List the draft; item 2 is no longer exempt"
"$ICPGEN" build "$repo" --out "$tmp/ls" --cache-dir "$tmp/same-cache" --date 2026-04-01 -q 2>"$tmp/err"
ls=$tmp/ls/$m
check "a paper listed late is published when it was listed" \
    "$ls/draft/index.html" "First published 16 March 2026"
check "and is late by that date" "$ls/draft/index.html" "Published late"
check_not "its drafts before were never published versions" \
    "$ls/draft/index.html" "2 versions"
check "a paper of an item no longer exempt is published when it stopped being" \
    "$ls/closed/index.html" "First published 16 March 2026"
check "a paper listed from the start keeps its date" \
    "$ls/early/index.html" "First published 2 March 2026"
same_builds "the caches give the same publication dates" "$tmp/ls" --date 2026-04-01
check_not "a paper made public by its own commit names that commit" \
    "$tmp/ls/data/meetings.json" '"first_commit": ""'

# Versions of a paper while it was off the agenda were not published:
# one edited then is published when it is listed again.  Commits in the
# same second are judged in their order on the branch.  A quoted
# exempt: "true" failed the build, so it published nothing.
fresh offagenda 'publication_days: 5\n'
m=meetings/2026-02-20-icp
mkdir -p "$repo/$m"
meet() {	# meet papers-of-item-1 [item-2 lines]
	printf -- '---\ncommittee: icp\ndate: 2026-02-20\nstatus: held\nagenda:\n  - number: "1"\n    title: Reports\n    papers: [%s]\n  - number: "2"\n    title: Other\n%b---\n' \
	    "$1" "${2:-}" >"$repo/$m/index.md"
}
meet "rep, tie" '    exempt: true\n    exempt_reason: Commercial.\n    papers: [quoted]\n'
printf -- '---\ntitle: Report\n---\nFirst.\n' >"$repo/$m/rep.md"
printf -- '---\ntitle: Tie\n---\nTied.\n' >"$repo/$m/tie.md"
printf -- '---\ntitle: Quoted\n---\nSensitive.\n' >"$repo/$m/quoted.md"
git -C "$repo" add -A && at 2026-02-02T09:00:00 "Listed"
meet "" '    exempt: true\n    exempt_reason: Commercial.\n    papers: [quoted]\n'
git -C "$repo" add -A && at 2026-02-02T09:00:00 "Unlisted in the same second"
meet "" '    exempt: "true"\n    exempt_reason: Commercial.\n    papers: [quoted]\n'
git -C "$repo" add -A && at 2026-02-03T09:00:00 "An exempt item written with quotes"
meet "" '    exempt: true\n    exempt_reason: Commercial.\n    papers: [quoted]\n'
git -C "$repo" add -A && at 2026-02-05T09:00:00 "The quotes taken out"
printf -- '---\ntitle: Report\n---\nSecond.\n' >"$repo/$m/rep.md"
git -C "$repo" add -A && at 2026-02-15T09:00:00 "Edited while off the agenda"
meet "rep, tie" '    papers: [quoted]\n'
git -C "$repo" add -A && at 2026-02-25T09:00:00 "Listed again; item 2 no longer exempt"
"$ICPGEN" build "$repo" --out "$tmp/oa" --cache-dir "$tmp/oac" --date 2026-03-01 -q 2>"$tmp/err"
oa=$tmp/oa/$m
check "an edit made while off the agenda is published when listed again" \
    "$oa/rep/history/index.html" "25 February 2026"
check_not "not when it was committed" "$oa/rep/history/index.html" \
    "15 February 2026"
check "so it changed after the meeting" "$oa/rep/index.html" \
    "Changed after the meeting"
check "a paper unlisted in the same second was public first" \
    "$oa/tie/index.html" "First published 2 February 2026"
check "an exempt item written with quotes published nothing" \
    "$oa/quoted/index.html" "First published 25 February 2026"

# The working tree: a paper listed only in files not yet committed has
# not been published, so it shows no date.
meet "" '    papers: [quoted]\n'
git -C "$repo" add -A && at 2026-02-26T09:00:00 "Unlisted again"
printf -- '---\ntitle: Report\n---\nThird.\n' >"$repo/$m/rep.md"
git -C "$repo" add -A && at 2026-02-27T09:00:00 "Edited off the agenda"
meet "rep, tie" '    papers: [quoted]\n'
"$ICPGEN" build "$repo" --worktree --out "$tmp/wt" --cache-dir "$tmp/wtc" --date 2026-03-01 -q 2>"$tmp/err"
check_not "a working tree's uncommitted listing publishes nothing yet" \
    "$tmp/wt/$m/rep/index.html" "27 February 2026"
git -C "$repo" checkout -q -- .

# A meeting with an end time is over then: a correction that evening is
# a change after the meeting, one that morning is not.
fresh sameday
m=meetings/2026-03-18-icp
mkdir -p "$repo/$m"
printf -- '---\ncommittee: icp\ndate: 2026-03-18\nstart: "14:00"\nend: "16:00"\nstatus: held\nagenda:\n  - number: "1"\n    title: Plans\n---\n' >"$repo/$m/index.md"
paper "$m/morning.md" "Morning" "One."
paper "$m/evening.md" "Evening" "One."
git -C "$repo" add -A && at 2026-03-02T09:00:00 "Papers"
paper "$m/morning.md" "Morning" "Two."
git -C "$repo" add -A && at 2026-03-18T09:30:00 "A correction before the meeting"
paper "$m/evening.md" "Evening" "Two."
git -C "$repo" add -A && at 2026-03-18T19:30:00 "A correction after it"
"$ICPGEN" build "$repo" --out "$tmp/sd" --cache-dir "$tmp/sdc" --date 2026-04-01 -q 2>"$tmp/err"
mkdir -p "$repo/meetings/2026-03-25-icp"
printf -- '---\ncommittee: icp\ndate: 2026-03-25\nstart: "22:00"\nend: "00:30"\n---\n' >"$repo/meetings/2026-03-25-icp/index.md"
git -C "$repo" add -A && at 2026-03-19T09:00:00 "A meeting whose end is before its start"
"$ICPGEN" build "$repo" --out "$tmp/sd2" --cache-dir "$tmp/sdc" --date 2026-04-01 2>"$tmp/err" >/dev/null
check "an end before the start is warned of" "$tmp/err" \
    "meeting ends at 00:30, not after it starts at 22:00, so the end is not used"
check "a change the evening after a meeting's end is after the meeting" \
    "$tmp/sd/data/meetings.json" '"changed_after_meeting": true'
if grep -o '"changed_after_meeting": true' "$tmp/sd/data/meetings.json" | wc -l | grep -qx 1; then
	ok "one that morning is not"
else
	not_ok "one that morning is not"
fi

# A partial clone lacks old versions: refused.  A repository that lacks
# the object of an old version fails the build, naming the file, rather
# than comparing the next version with nothing.
repo=$tmp/skew
git -C "$repo" config uploadpack.allowFilter true
git clone -q --no-local --filter=blob:none "file://$repo" "$tmp/partial"
if "$ICPGEN" build "$tmp/partial" --out "$tmp/pc" --cache-dir "$tmp/pcc" -q 2>"$tmp/err"; then
	not_ok "a partial clone is refused"
else
	check "a partial clone is refused" "$tmp/err" "is a partial clone (made with --filter)"
fi
git clone -q --no-local "$repo" "$tmp/lacking"
git -C "$tmp/lacking" -c gc.auto=0 repack -q -a -d
old=$(git -C "$tmp/lacking" rev-parse HEAD~1:meetings/2026-01-20-icp/slow.md)
for p in "$tmp/lacking"/.git/objects/pack/*.pack; do
	git -C "$tmp/lacking" show-index <"${p%.pack}.idx" | awk '{print $2}' |
	    grep -vx "$old" >"$tmp/keep" || true
	git -C "$tmp/lacking" pack-objects -q "$tmp/lacking/.git/objects/pack/kept" <"$tmp/keep" >/dev/null
	rm -f "$p" "${p%.pack}.idx" "${p%.pack}.rev"
done
if git -C "$tmp/lacking" cat-file -e "$old" 2>/dev/null; then
	not_ok "the test removed an old version's object"
elif "$ICPGEN" build "$tmp/lacking" --out "$tmp/lk" --cache-dir "$tmp/lkc" -q 2>"$tmp/err"; then
	not_ok "a repository lacking an old version fails the build"
else
	check "a repository lacking an old version fails the build" "$tmp/err" \
	    "meetings/2026-01-20-icp/slow.md: error: git cannot give the version of this file committed in"
	[ ! -e "$tmp/lk" ] && ok "and publishes nothing" || not_ok "and publishes nothing"
fi

[ $failures = 0 ]
