#!/usr/bin/env bash
# Subscriptions: the record golden site, with a second committee and a
# cancelled and a postponed meeting added, is built; its calendars must
# parse with libical (tests/ical_check.c, built here), its Atom feeds and
# sitemap must be well-formed XML (xmllint), and a few facts must hold.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
base=https://record.example.org/icp

# --- the site: record, plus a board with a cancelled, a postponed and a
# late-night meeting (Europe/London in winter and in summer time).
cp -R "$TOP/tests/sites/record/site" "$tmp/site"
mkdir -p "$tmp/site/meetings/2026-03-25-board" \
    "$tmp/site/meetings/2026-04-22-board"
cat >"$tmp/site/committees/board.md" <<'EOF'
---
title: Recordshire Health and Care Board
---
The board.
EOF
cat >"$tmp/site/meetings/2026-03-25-board/index.md" <<'EOF'
---
committee: board
date: 2026-03-25
start: "18:00"
status: postponed
status_reason: the chair is unwell
new_date: 2026-05-20
---
EOF
cat >"$tmp/site/meetings/2026-04-22-board/index.md" <<'EOF'
---
committee: board
date: 2026-04-22
start: "14:00"
end: "15:30"
status: cancelled
status_reason: there is no business, so the meeting is cancelled
venue: Civic Centre, Room 2; Recordtown
agenda:
  - number: "1"
    title: Finance
    papers:
      - finance
---
EOF
# A decision in the draft minutes of January, newer than October's.
awk '{ print } /^    minute: The partnership reviewed its actions\.$/ {
    print "    decisions:"
    print "      - resolution: The falls pathway was agreed."
    print "        type: agreed" }' \
    "$tmp/site/meetings/2026-01-14-icp/minutes.md" >"$tmp/minutes.md" &&
    mv "$tmp/minutes.md" "$tmp/site/meetings/2026-01-14-icp/minutes.md"
cat >"$tmp/site/meetings/2026-04-22-board/finance.md" <<'EOF'
---
title: Finance report
summary: Spending to month 11 & the forecast for the year <in brief>
---
The report.
EOF

build() {	# name repo out
	if "$ICPGEN" build "$2" --out "$3" -q >"$tmp/$1.log" 2>&1; then
		return 0
	fi
	not_ok "feeds: $1: build failed"
	sed 's/^/    /' "$tmp/$1.log"
	return 1
}

make_repo "$tmp/site" "$tmp/repo"
if ! build site "$tmp/repo" "$tmp/out"; then
	exit 1
fi
ok "feeds: the site builds"
out=$tmp/out

# --- every file is there.
missing=
for f in meetings.ics news.xml papers.xml decisions.xml sitemap.xml robots.txt \
    committees/icp/meetings.ics committees/icp/feed.xml \
    committees/board/meetings.ics committees/board/feed.xml; do
	[ -f "$out/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then
	ok "feeds: every feed is written"
else
	not_ok "feeds: missing:$missing"
	exit 1
fi
mapfile -t ics < <(cd "$out" && find . -name '*.ics' | sed 's|^\./||' | sort)
mapfile -t xml < <(cd "$out" && { echo sitemap.xml; echo news.xml;
    echo papers.xml; echo decisions.xml; find committees -name feed.xml; } |
    sort)

# --- calendars: libical parses them and finds nothing wrong.
if ! cc -o "$tmp/ical_check" "$TOP/tests/ical_check.c" \
    $(pkg-config --cflags --libs libical) 2>"$tmp/cc.log"; then
	not_ok "feeds: cannot build tests/ical_check.c (libical-dev missing?)"
	sed 's/^/    /' "$tmp/cc.log"
	exit 1
fi
if (cd "$out" && "$tmp/ical_check" "${ics[@]}") >"$tmp/events" \
    2>"$tmp/ical.log"; then
	ok "feeds: libical parses ${#ics[@]} calendars, restrictions pass"
else
	not_ok "feeds: libical finds problems"
	sed 's/^/    /' "$tmp/ical.log"
fi

# Content lines: CRLF, at most 75 octets, folded lines start with a space.
bad=$(cd "$out" && for f in "${ics[@]}"; do
	LC_ALL=C awk -v f="$f" '
	    !/\r$/ { print f ":" NR ": no CRLF"; next }
	    length($0) > 76 { print f ":" NR ": " length($0) - 1 " octets" }
	    ' "$f"
	[ "$(tail -c 2 "$f" | od -An -c | tr -d ' ')" = '\r\n' ] ||
	    echo "$f: does not end in CRLF"
done)
if [ -z "$bad" ]; then
	ok "feeds: calendar lines end in CRLF and fold at 75 octets"
else
	not_ok "feeds: calendar lines"
	printf '%s\n' "$bad" | head -20 | sed 's/^/    /'
fi

# event FILE UID: the checker's line for that event.
event() {
	awk -F '\t' -v f="$1" -v u="$2@record.example.org" \
	    '$1 == f && $2 == u' "$tmp/events"
}
expect_event() {	# name file uid start status summary
	local want got
	want=$(printf '%s\t%s@record.example.org\t%s\t%s\t%s' "$2" "$3" "$4" \
	    "$5" "$6")
	got=$(event "$2" "$3")
	if [ "$got" = "$want" ]; then
		ok "feeds: $1"
	else
		not_ok "feeds: $1"
		printf '    want: %s\n    got:  %s\n' "$want" "$got"
	fi
}
expect_event "a cancelled meeting is STATUS:CANCELLED, in BST" \
    meetings.ics meeting-2026-04-22-board 20260422T130000Z CANCELLED \
    "Recordshire Health and Care Board meeting (cancelled)"
expect_event "a postponed meeting says so, in GMT" \
    committees/board/meetings.ics meeting-2026-03-25-board \
    20260325T180000Z CANCELLED \
    "Recordshire Health and Care Board meeting (postponed)"
expect_event "a meeting with no start time is all day" \
    meetings.ics meeting-2026-04-08-icp 20260408 CONFIRMED \
    "Recordshire Integrated Care Partnership meeting"

# Every event: one per meeting, DTSTAMP from git or the build date.
n=$(awk -F '\t' '$1 == "meetings.ics"' "$tmp/events" | wc -l)
if [ "$n" = 5 ]; then
	ok "feeds: meetings.ics has all 5 meetings"
else
	not_ok "feeds: meetings.ics has $n meetings, expected 5"
fi
stamps=$(grep -h '^DTSTAMP:' "$out"/meetings.ics | sort -u | tr -d '\r' |
    tr '\n' ' ')
case $stamps in
"DTSTAMP:20260105T100000Z " | "DTSTAMP:20260301T000000Z ")
	ok "feeds: DTSTAMP is the commit time or the build date" ;;
*)	not_ok "feeds: unexpected DTSTAMP values: $stamps" ;;
esac

# Committee calendars and feeds hold only their own meetings.
others=$(awk -F '\t' '
    $1 == "committees/board/meetings.ics" && $2 !~ /-board@/ ||
    $1 == "committees/icp/meetings.ics" && $2 !~ /-icp@/' "$tmp/events")
nb=$(awk -F '\t' '$1 == "committees/board/meetings.ics"' "$tmp/events" |
    wc -l)
if [ -z "$others" ] && [ "$nb" = 2 ]; then
	ok "feeds: a committee's calendar holds only its meetings"
else
	not_ok "feeds: committee calendars ($nb board events)"
	printf '%s\n' "$others" | sed 's/^/    /'
fi
if ! grep -q -- '-board/' "$out/committees/icp/feed.xml" &&
    grep -q "<id>$base/meetings/2026-04-22-board/finance/</id>" \
    "$out/committees/board/feed.xml" &&
    ! grep -q -- '-icp/' "$out/committees/board/feed.xml"; then
	ok "feeds: a committee's Atom feed holds only its meetings and papers"
else
	not_ok "feeds: committee Atom feeds mix committees"
fi

# --- XML: well-formed, and what it says.
if (cd "$out" && xmllint --noout "${xml[@]}") >"$tmp/xml.log" 2>&1; then
	ok "feeds: xmllint: ${#xml[@]} feeds and the sitemap are well-formed"
else
	not_ok "feeds: xmllint finds problems"
	sed 's/^/    /' "$tmp/xml.log"
fi
summary='Spending to month 11 &amp; the forecast for the year &lt;in'
if grep -q "<title>Finance report</title>" "$out/papers.xml" &&
    grep -q "<summary>$summary brief&gt;" "$out/papers.xml" &&
    grep -q "<id>$base/news/2026-02-20-progress/</id>" "$out/news.xml"; then
	ok "feeds: papers.xml and news.xml hold the paper and the post"
else
	not_ok "feeds: papers.xml or news.xml lacks an entry"
fi
# Atom entries: newest first by <published>.
order=$(grep -o '<published>[^<]*' "$out/committees/icp/feed.xml" |
    sed 's/<published>//')
if [ -n "$order" ] && [ "$order" = "$(sort -r <<<"$order")" ]; then
	ok "feeds: Atom entries come newest first"
else
	not_ok "feeds: Atom entries out of order"
	printf '%s\n' "$order" | sed 's/^/    /'
fi

# decisions.xml: every public decision, newest first (the January draft
# before October's approved ones), each linking to its own page, with
# whether its minutes are draft or approved.
ids=$(grep -o '<id>[^<]*/decisions/[^<]*' "$out/decisions.xml" |
    sed "s|<id>$base/decisions/||" | tr '\n' ' ')
jan="<link rel=\"alternate\" type=\"text/html\" href=\"$base/decisions/2026-01-14-icp-2-1/\"/>"
oct="<link rel=\"alternate\" type=\"text/html\" href=\"$base/decisions/2025-10-01-icp-2-1/\"/>"
if [ "$ids" = "2026-01-14-icp-2-1/ 2025-10-01-icp-2-1/ 2025-10-01-icp-2-2/ " ]
then
	ok "feeds: decisions.xml holds every decision, newest first"
else
	not_ok "feeds: decisions.xml entries: $ids"
fi
if grep -qF "$jan" "$out/decisions.xml" && grep -qF "$oct" "$out/decisions.xml" &&
    [ -f "$out/decisions/2026-01-14-icp-2-1/index.html" ] &&
    grep -q '^Minutes: draft' "$out/decisions.xml" &&
    grep -q '^Minutes: approved at the' "$out/decisions.xml" &&
    grep -q 'Made at the Recordshire Integrated Care Partnership meeting on Wednesday 1 October 2025, item 2: Winter plan\.' \
    "$out/decisions.xml"; then
	ok "feeds: a decision's entry links to its page, with its meeting and minutes"
else
	not_ok "feeds: decisions.xml lacks a decision's link, meeting or minutes"
	sed 's/^/    /' "$out/decisions.xml"
fi
order=$(grep -o '<published>[^<]*' "$out/decisions.xml" | sed 's/<published>//')
if [ -n "$order" ] && [ "$order" = "$(sort -r <<<"$order")" ]; then
	ok "feeds: decisions.xml entries come newest first by <published>"
else
	not_ok "feeds: decisions.xml entries out of order"
fi

# The sitemap lists exactly the pages written, the home page first.
locs=$(grep -o '<loc>[^<]*' "$out/sitemap.xml" | sed 's/<loc>//' | sort)
pages=$(cd "$out" && find . -name index.html | sed "s|^\./|$base/|; \
    s|index\.html\$||" | sort)
first=$(grep -o -m1 '<loc>[^<]*' "$out/sitemap.xml" | sed 's/<loc>//')
if [ "$locs" = "$pages" ] && [ "$first" = "$base/" ]; then
	ok "feeds: sitemap lists the home page and every page"
else
	not_ok "feeds: sitemap and pages differ"
	diff <(printf '%s\n' "$pages") <(printf '%s\n' "$locs") |
	    head -20 | sed 's/^/    /'
fi
want=$(printf 'User-agent: *\nAllow: /\n\nSitemap: %s/sitemap.xml' "$base")
if [ "$(cat "$out/robots.txt")" = "$want" ]; then
	ok "feeds: robots.txt allows all and names the sitemap"
else
	not_ok "feeds: robots.txt"
	sed 's/^/    /' "$out/robots.txt"
fi

# --- the same input gives the same bytes.
if build again "$tmp/repo" "$tmp/out2"; then
	if (cd "$out" && for f in "${ics[@]}" "${xml[@]}" robots.txt; do
	    cmp -s "$f" "$tmp/out2/$f" || echo "$f"; done) >"$tmp/cmp" &&
	    [ ! -s "$tmp/cmp" ]; then
		ok "feeds: a second build writes the same bytes"
	else
		not_ok "feeds: a second build differs"
		sed 's/^/    /' "$tmp/cmp"
	fi
fi

# --- a site's own robots.txt is kept.
mkdir -p "$tmp/site/static"
printf 'User-agent: *\nDisallow: /drafts/\n' >"$tmp/site/static/robots.txt"
make_repo "$tmp/site" "$tmp/repo3"
if build own "$tmp/repo3" "$tmp/out3"; then
	if cmp -s "$tmp/site/static/robots.txt" "$tmp/out3/robots.txt"; then
		ok "feeds: a site's static/robots.txt is kept"
	else
		not_ok "feeds: a site's static/robots.txt was replaced"
		sed 's/^/    /' "$tmp/out3/robots.txt"
	fi
fi
[ $failures = 0 ]
