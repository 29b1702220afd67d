#!/usr/bin/env bash
# Transparency from git history, on a repository with a scripted past:
# a paper published late, a paper changed after its meeting, and a merge
# that discards a side branch's edit.  Asserts the dates, the flags, the
# revision pages and the timeliness report, and that the history cache
# gives the same answers as a fresh walk.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo

at() {	# commit everything as of a date: at 2026-01-16T12:00:00 message
	GIT_AUTHOR_DATE="$1+00:00" GIT_COMMITTER_DATE="$1+00:00" \
	    git -C "$repo" -c gc.auto=0 commit -q -m "$2"
}
page() {	# page path title body
	mkdir -p "$(dirname "$repo/$1")"
	printf -- '---\ntitle: %s\n---\n%s\n' "$2" "$3" >"$repo/$1"
}

mkdir -p "$repo/committees" "$repo/meetings/2026-01-20-icp"
git -C "$repo" init -q -b main
printf 'name: History ICP\nbase_url: https://history.example.org/\ntheme: plain\npublication_days: 5\n' >"$repo/icpgen.yaml"
page committees/icp.md "The partnership" "x"
printf -- '---\ncommittee: icp\ndate: 2026-01-20\nstatus: held\n---\n' \
    >"$repo/meetings/2026-01-20-icp/index.md"
page meetings/2026-01-20-icp/early.md "Early paper" "First text."
page meetings/2026-01-20-icp/merged.md "Merged paper" "Kept text."
git -C "$repo" add -A && at 2026-01-01T09:00:00 "Publish the agenda and early papers"
page meetings/2026-01-20-icp/late.md "Late paper" "Sent late."
git -C "$repo" add -A && at 2026-01-16T17:00:00 "Add the late paper"
page meetings/2026-01-20-icp/early.md "Early paper" "Corrected text."
git -C "$repo" add -A && at 2026-01-25T10:00:00 "Correct the early paper"
git -C "$repo" checkout -q -b side
page meetings/2026-01-20-icp/merged.md "Merged paper" "Side edit."
git -C "$repo" add -A && at 2026-02-01T10:00:00 "Edit on a side branch"
git -C "$repo" checkout -q main
page committees/icp.md "The partnership" "y"
git -C "$repo" add -A && at 2026-02-02T10:00:00 "Edit on main"
GIT_AUTHOR_DATE="2026-02-03T10:00:00+00:00" \
GIT_COMMITTER_DATE="2026-02-03T10:00:00+00:00" \
    git -C "$repo" -c gc.auto=0 merge -q -s ours side -m "Merge, keeping main"

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
check "the revision page shows the removed line" \
    "$m/early/history/index.html" "- First text."
check "the revision page shows the added line" \
    "$m/early/history/index.html" "+ Corrected text."
check "the revision page gives each version's message" \
    "$m/early/history/index.html" "Correct the early paper"
check "a merge that discards a side edit is not the last change" \
    "$m/merged/index.html" "last updated 1 January 2026"
check "the timeliness report lists the late paper" \
    "$tmp/a/timeliness/index.html" "Late paper: published 2026-01-16, 1 clear days, LATE"
check "the timeliness report counts the meeting's papers" \
    "$tmp/a/timeliness/index.html" "2 on time, 1 late."

check "a measure shows its figures as they were published" \
    "$tmp/a/strategy/measures/ready/index.html" \
    "As published: 2026-02-20: 2025-07-31 60 at-risk; 2026-02-25: 2025-07-31 62 on-track;"

# The cache: a second build reads it and agrees with a fresh walk.
ls "$repo/.git"/icpgen-history-* >/dev/null 2>&1 &&
    ok "the walk is cached in the git folder" ||
    not_ok "the walk is cached in the git folder"
build "$tmp/b" && diff -r "$tmp/a" "$tmp/b" >/dev/null &&
    ok "a build from the cache gives the same site" ||
    not_ok "a build from the cache gives the same site"
page meetings/2026-01-20-icp/late.md "Late paper" "Sent late, then fixed."
git -C "$repo" add -A && at 2026-02-10T10:00:00 "Fix the late paper"
build "$tmp/c"
rm -f "$repo/.git"/icpgen-history-*
build "$tmp/d"
if diff -r "$tmp/c" "$tmp/d" >/dev/null &&
    grep -qF "last updated 10 February 2026" "$tmp/c/meetings/2026-01-20-icp/late/index.html"; then
	ok "after a new commit, the cache walks only it and agrees with a full walk"
else
	not_ok "after a new commit, the cache walks only it and agrees with a full walk"
	diff -r "$tmp/c" "$tmp/d" | head -10 | sed 's/^/    /'
fi
[ $failures = 0 ]
