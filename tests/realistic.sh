#!/usr/bin/env bash
# A realistic history: an ICP's repository replayed over 19 months of
# commits with set author and committer dates (papers committed before
# their meetings, some late, one over a bank holiday, one over a local
# holiday; minutes drafted then approved; a correction after approval; a
# merge request merged with a merge commit; a CRLF-only edit; content
# imported from an older website with declared dates).  Every claim the
# site makes about it is asserted: timeliness, flags, first and last
# published, the revision pages' words, open data, the build date.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
export XDG_CACHE_HOME=$tmp/cache

meeting() {	# meeting date
	put "meetings/$1-icp/index.md" <<-EOF
	---
	committee: icp
	date: $1
	start: "14:00"
	status: held
	agenda:
	  - number: "1"
	    title: Reports
	---
	EOF
}
paper() {	# paper meeting name title author text...
	put "meetings/$1-icp/$2.md" <<-EOF
	---
	title: $3
	item: "1"
	author: $4
	---
	$5
	EOF
}

mkdir -p "$repo"
git -C "$repo" init -q -b main
put icpgen.yaml <<'EOF'
name: Realshire ICP
base_url: https://real.example.org/
theme: plain
publication_days: 5
holidays:
  - 2026-01-16
EOF
put committees/icp.md <<'EOF'
---
title: Realshire Integrated Care Partnership
---
The partnership.
EOF
put people/alex-ash.md <<'EOF'
---
title: Councillor Alex Ash
role: Chair
---
EOF
put pages/about.md <<'EOF'
---
title: About the partnership
---
We publish our papers here.
EOF
# Imported from the council's old website, with the dates it was there.
put pages/constitution.md <<'EOF'
---
title: Constitution
published: 2023-04-03
published_source: the old council website
---
The partnership's terms of reference.
EOF
meeting 2024-11-13
put meetings/2024-11-13-icp/old-plan.md <<'EOF'
---
title: Old plan
item: "1"
published: 2024-11-01
published_source: the old council website
---
A plan from before the website.
EOF
at 2025-01-06T10:00:00+00:00 "Import the partnership's content"

# Meeting on Wednesday 12 March 2025.
meeting 2025-03-12
paper 2025-03-12 finance "Finance report" "Jo Smith" "The budget is balanced."
at 2025-02-26T10:00:00+00:00 "Papers for March"
paper 2025-03-12 estates "Estates plan" "Jo Smith" "We propose a budget of £2m for the estates plan."
at 2025-03-07T16:00:00+00:00 "Late estates paper"
# Corrected after the meeting: text and author.
paper 2025-03-12 estates "Estates plan" "Sam Patel" "We propose a budget of £3m for the estates plan."
put meetings/2025-03-12-icp/minutes.md <<'EOF'
---
status: draft
present: [alex-ash]
items:
  - number: "1"
    minute: The partnership noted the finance report.
---
The meeting ended at 3pm.
EOF
at 2025-03-20T10:00:00+00:00 "Correct the estates paper; draft minutes"
# A Windows editor rewrites the finance paper with CRLF line endings.
sed -i 's/$/\r/' "$repo/meetings/2025-03-12-icp/finance.md"
at 2025-04-01T09:00:00+01:00 "Line endings"

# Meeting on Wednesday 7 May 2025; Monday 5 May is a bank holiday.
meeting 2025-05-07
paper 2025-05-07 travel "Travel plan" "Jo Smith" "Buses and trains."
at 2025-04-29T10:00:00+01:00 "Paper for May"
# The March minutes are approved: only their status changes.
sed -i 's/^status: draft$/status: approved\napproved_at: 2025-05-07-icp/' \
    "$repo/meetings/2025-03-12-icp/minutes.md"
at 2025-05-08T10:00:00+01:00 "Approve the March minutes"
put meetings/2025-05-07-icp/minutes.md <<'EOF'
---
status: draft
present: [alex-ash]
items:
  - number: "1"
    minute: The partnership discussed travel.
    actions:
      - id: A-2
        action: Report on bus routes.
        owner: alex-ash
        due: 2025-06-30
---
The meeting ended at 4pm.
EOF
at 2025-05-15T10:00:00+01:00 "Draft the May minutes"
sed -i 's/due: 2025-06-30/due: 2025-09-30/' \
    "$repo/meetings/2025-05-07-icp/minutes.md"
at 2025-05-20T10:00:00+01:00 "Move an action's due date"
# An editor saves the travel paper and the approved March minutes with
# their fields in another order (in the minutes, inside an item too):
# nothing they say changed.
put meetings/2025-05-07-icp/travel.md <<'EOF'
---
author: Jo Smith
item: "1"
title: Travel plan
---
Buses and trains.
EOF
put meetings/2025-03-12-icp/minutes.md <<'EOF'
---
present: [alex-ash]
items:
  - minute: The partnership noted the finance report.
    number: "1"
status: approved
approved_at: 2025-05-07-icp
---
The meeting ended at 3pm.
EOF
# Late in the evening: 23:30 UTC is 00:30 on the 22nd in England.
at 2025-05-21T23:30:00+00:00 "Reorder fields"

# Meeting on Wednesday 9 July 2025, which approves the May minutes.
meeting 2025-07-09
paper 2025-07-09 care "Care homes" "Jo Smith" "Care home places."
at 2025-06-25T10:00:00+01:00 "Paper for July"
sed -i 's/^status: draft$/status: approved\napproved_at: 2025-07-09-icp/' \
    "$repo/meetings/2025-05-07-icp/minutes.md"
at 2025-07-10T10:00:00+01:00 "Approve the May minutes"
# A correction after approval.
sed -i 's/ended at 4pm/ended at 4.30pm/' "$repo/meetings/2025-05-07-icp/minutes.md"
at 2025-07-21T10:00:00+01:00 "Correct the May minutes"

# Meeting on Wednesday 10 September 2025: a paper from a merge request,
# written on 20 August, merged with a merge commit on Friday 5 September.
meeting 2025-09-10
at 2025-08-18T10:00:00+01:00 "Add the September meeting"
git -C "$repo" checkout -q -b request
paper 2025-09-10 digital "Digital plan" "Jo Smith" "Online services."
at 2025-08-20T10:00:00+01:00 "Draft the digital plan"
git -C "$repo" checkout -q main
put pages/about.md <<'EOF'
---
title: About the partnership
---
We publish our papers here, at least five working days before meetings.
EOF
at 2025-08-27T10:00:00+01:00 "About page"
GIT_AUTHOR_DATE=2025-09-05T10:00:00+01:00 GIT_COMMITTER_DATE=2025-09-05T10:00:00+01:00 \
    git -C "$repo" -c gc.auto=0 merge -q --no-ff request -m "Merge request 4: digital plan"

# Meeting on Wednesday 21 January 2026: one paper on time, one late
# because the site's configuration adds Friday 16 January as a holiday.
meeting 2026-01-21
paper 2026-01-21 winter "Winter plan" "Jo Smith" "Keeping well."
at 2026-01-07T10:00:00+00:00 "Paper for January"
paper 2026-01-21 falls "Falls" "Jo Smith" "Fewer falls."
at 2026-01-13T10:00:00+00:00 "Another paper for January"

# Meeting on Wednesday 17 June 2026.
meeting 2026-06-17
paper 2026-06-17 summer "Summer plan" "Jo Smith" "Heat."
at 2026-06-01T10:00:00+01:00 "Paper for June"
put pages/about.md <<'EOF'
---
title: About the partnership
---
We publish our papers here, at least five clear working days before meetings.
EOF
at 2026-07-15T10:00:00+01:00 "About page again"

build() {	# out-dir [options]
	local out=$1
	shift
	"$ICPGEN" build "$repo" --out "$out" -q "$@" 2>"$tmp/err" ||
	    { cat "$tmp/err"; return 1; }
}
check() {	# name file fixed-string
	if grep -qF -- "$3" "$2"; then ok "$1"; else
		not_ok "$1"
		echo "    $2 lacks: $3"
		sed 's/<[^>]*>//g' "$2" | grep -v '^$' | head -30 | sed 's/^/    | /'
	fi
}
check_not() {
	if grep -qF -- "$3" "$2"; then not_ok "$1"; echo "    $2 has: $3"
	else ok "$1"; fi
}

n=$(git -C "$repo" rev-list --count HEAD)
first=$(git -C "$repo" log --reverse --format=%cs | head -1)
last=$(git -C "$repo" log -1 --format=%cs)
echo "# $n commits from $first to $last"

build "$tmp/a" --date 2026-08-01 || { not_ok "the realistic site builds"; exit 1; }
ok "the realistic site builds"
M=$tmp/a/meetings
T=$tmp/a/timeliness/index.html

# Timeliness, from the day each paper reached the published branch.
check "a paper 9 clear working days before is on time" \
    "$T" "Finance report: published 2025-02-26, 9 clear days</li>"
check "a paper committed on the Friday before is late" \
    "$M/2025-03-12-icp/estates/index.html" "Published late: 2 clear days"
check "a bank holiday is not a working day" \
    "$M/2025-05-07-icp/travel/index.html" "Published late: 4 clear days"
check "a holiday from the configuration is not a working day" \
    "$M/2026-01-21-icp/falls/index.html" "Published late: 4 clear days"
check_not "a paper two weeks ahead is on time" \
    "$M/2026-01-21-icp/winter/index.html" "Published late"
check "the report states the rule" "$T" \
    "Clear working days exclude weekends, England's bank holidays (2020 to 2030) and 2026-01-16."
check "the report counts a meeting's papers" "$T" "1 on time, 1 late."

# Published means reached the published branch.
check "a merge request's paper is first published at its merge" \
    "$M/2025-09-10-icp/digital/index.html" "First published 5 September 2025"
check "and is late from that day, not the branch's" \
    "$M/2025-09-10-icp/digital/index.html" "Published late: 2 clear days"
check "last updated is the last commit that changed it" \
    "$M/2025-03-12-icp/estates/index.html" "last updated 20 March 2025"

# Changed after the meeting: a correction yes, line endings no.
check "a paper corrected after its meeting says so" \
    "$M/2025-03-12-icp/estates/index.html" "Changed after the meeting"
check_not "a CRLF-only edit is not a change after the meeting" \
    "$M/2025-03-12-icp/finance/index.html" "Changed after the meeting"
check_not "fields in another order are not a change after the meeting" \
    "$M/2025-05-07-icp/travel/index.html" "Changed after the meeting"
check_not "and its revision page lists no field as changed" \
    "$M/2025-05-07-icp/travel/history/index.html" "changed from"
check "a change at 00:30 in England is dated that day, not the UTC day" \
    "$M/2025-05-07-icp/travel/index.html" "last updated 22 May 2025"
if grep -A1 -F '<loc>https://real.example.org/meetings/2025-05-07-icp/travel/</loc>' \
    "$tmp/a/sitemap.xml" | grep -qF '<lastmod>2025-05-22</lastmod>'; then
	ok "and so is the sitemap's lastmod"
else
	not_ok "and so is the sitemap's lastmod"
	grep -A1 -F 'travel/</loc>' "$tmp/a/sitemap.xml" | sed 's/^/    /'
fi
check "the revision page says only the line endings changed" \
    "$M/2025-03-12-icp/finance/history/index.html" "Only line endings or spacing changed."
check "the revision page shows the words replaced" \
    "$M/2025-03-12-icp/estates/history/index.html" "[-£2m-] [+£3m+] for the estates plan."
check "the revision page gives field changes in plain words" \
    "$M/2025-03-12-icp/estates/history/index.html" "Author changed from Jo Smith to Sam Patel."
check_not "the revision page shows no raw front matter" \
    "$M/2025-03-12-icp/estates/history/index.html" "author:"
check_not "commit messages are not shown by default" \
    "$M/2025-03-12-icp/estates/history/index.html" "Correct the estates paper"

# Minutes: approval is not a change; a correction after it is.
check_not "approving minutes is not a change after approval" \
    "$M/2025-03-12-icp/minutes/index.html" "Changed after the minutes were approved"
check_not "nor are the minutes' fields in another order" \
    "$M/2025-03-12-icp/minutes/index.html" "Changed after the minutes were approved"
check "the approving version says what it did" \
    "$M/2025-03-12-icp/minutes/history/index.html" "Status changed from draft to approved."
check "and which meeting approved them" \
    "$M/2025-03-12-icp/minutes/history/index.html" "Approved at meeting set to 2025-05-07-icp."
check "the approving version is named" \
    "$M/2025-03-12-icp/minutes/history/index.html" "This version approved the minutes."
check "a correction after approval is a change after approval" \
    "$M/2025-05-07-icp/minutes/index.html" "Changed after the minutes were approved"
check "the correction's words" \
    "$M/2025-05-07-icp/minutes/history/index.html" "[-4pm.-] [+4.30pm.+]"
check "a moved due date in plain words" \
    "$M/2025-05-07-icp/minutes/history/index.html" \
    "Item 1: action A-2: due date moved from 30 June to 30 September 2025."

# Declared history: shown as declared, used for timeliness.
check "an imported paper's declared date is shown as declared" \
    "$M/2024-11-13-icp/old-plan/index.html" \
    "Declared published 1 November 2024 (the old council website), not from git"
check "its git date is still shown as git's" \
    "$M/2024-11-13-icp/old-plan/index.html" "First published 6 January 2025"
check "timeliness uses the declared date" "$T" \
    "Old plan: published 2024-11-01 (declared: the old council website), 7 clear days</li>"
check "an imported page's declared date is shown as declared" \
    "$tmp/a/constitution/index.html" \
    "Declared published 3 April 2023 (the old council website), not from git"

# Open data and the report agree.
od=$(find "$tmp/a" -name 'meetings.json' | head -1)
if [ -n "$od" ] && jq -e '[.. | objects | select(.timeliness? != null and .timeliness.clear_days? != null) | .timeliness.clear_days] | sort == [2,2,4,4,7,8,9,9,11]' "$od" >/dev/null 2>&1; then
	ok "open data gives the same clear days as the report"
else
	not_ok "open data gives the same clear days as the report"
	[ -n "$od" ] && jq -c '[.. | objects | select(.timeliness? != null) | .timeliness]' "$od" | head -c 600
fi

# Open data and the pages agree on what changed after a meeting or
# after approval (ids: papers by id, minutes by meeting).
if [ -n "$od" ] && [ "$(jq -c '[.events[] | .documents[] | .extras |
    select(.kind == "paper") | select(.history.changed_after_meeting) | .id]' "$od")" = '["2025-03-12-icp/estates"]' ]; then
	ok "open data flags the paper changed after its meeting, and no other"
else
	not_ok "open data flags the paper changed after its meeting, and no other"
	jq -c '[.events[] | .documents[] | .extras | select(.kind == "paper") | [.id, .history.changed_after_meeting]]' "$od" | head -c 600
fi
if [ -n "$od" ] && [ "$(jq -c '[.events[] | select(any(.documents[]; .extras.kind == "minutes" and
    .extras.history.changed_after_approval)) | .id]' "$od")" = '["2025-05-07-icp"]' ] &&
    [ "$(jq '[.events[] | .documents[] | .extras | select(.kind == "minutes") | .history.changed_after_approval | type] | unique' "$od" | tr -d ' \n')" = '["boolean"]' ]; then
	ok "open data flags the minutes changed after approval, and no others"
else
	not_ok "open data flags the minutes changed after approval, and no others"
	jq -c '[.events[] | [.id, (.documents[] | .extras | select(.kind == "minutes") | .history.changed_after_approval)]]' "$od" | head -c 600
fi

# The build date: --date, else SOURCE_DATE_EPOCH's day in London, else today.
check "--date sets the build date" "$T" "1 August 2026</footer>"
build "$tmp/b" --date 2026-08-01 && diff -r "$tmp/a" "$tmp/b" >/dev/null &&
    ok "the same commit on the same date gives the same bytes" ||
    not_ok "the same commit on the same date gives the same bytes"
SOURCE_DATE_EPOCH=1785540600 build "$tmp/c"	# 2026-07-31 23:30 UTC
check "SOURCE_DATE_EPOCH's day is London's" "$tmp/c/index.html" "1 August 2026</footer>"
# The day is read before and after the build: a build that runs over
# midnight in London may take either.
before=$(TZ=Europe/London date +%-d\ %B\ %Y)
(unset SOURCE_DATE_EPOCH; build "$tmp/d")
today=$(TZ=Europe/London date +%-d\ %B\ %Y)
if [ "$before" != "$today" ] && grep -qF -- "$before</footer>" "$tmp/d/index.html"; then
	today=$before
fi
check "without either, the build date is today" "$tmp/d/index.html" "$today</footer>"
if "$ICPGEN" build "$repo" --out "$tmp/x" -q --date 2026-02-30 2>/dev/null; then
	not_ok "--date refuses a day that does not exist"
else
	ok "--date refuses a day that does not exist"
fi

# The default theme says what date its pages are correct as of.
git -C "$repo" checkout -q -b default-theme
sed -i 's/^theme: plain$/theme: default/' "$repo/icpgen.yaml"
at 2026-07-16T10:00:00+01:00 "Default theme"
ICPGEN_THEMEDIR="$TOP/themes" build "$tmp/e" --date 2026-08-01 --ref default-theme &&
    check "pages say what date they are correct as of" \
        "$tmp/e/index.html" 'Correct as of <time datetime="2026-08-01">1 August 2026</time>' ||
    not_ok "the realistic site builds with the default theme"

# The timeliness report is a page a year; each year's line counts what
# that year's page lists.
if [ -f "$tmp/e/timeliness/index.html" ]; then
	check "the report shows the latest year" "$tmp/e/timeliness/index.html" \
	    "<h2>Meetings in 2026</h2>"
	check "the 2025 page lists a 2025 meeting" "$tmp/e/timeliness/2025/index.html" \
	    "Wednesday 12 March 2025"
	check_not "the 2025 page lists no 2026 meeting" \
	    "$tmp/e/timeliness/2025/index.html" "Wednesday 21 January 2026"
	for y in 2024 2025 2026; do
		f=$tmp/e/timeliness/$y/index.html
		line=$(tr -d '\n' <"$tmp/e/timeliness/index.html" |
		    grep -o "href=\"/timeliness/$y/\">$y</a></th>\(<td[^>]*>[0-9]*</td>\)*" |
		    sed 's/<[^>]*>/ /g' | awk '{print $2, $3, $4, $5}')
		tables=$(grep -c 'class="nhsuk-table icp-table icp-timeliness"' "$f")
		rows=$(grep -c '<tr class="nhsuk-table__row"><td class="nhsuk-table__cell"><a href="/meetings/' "$f")
		late=$(grep -c 'No: late\|No: published after' "$f")
		if [ "$line" = "$tables $rows $((rows - late)) $late" ]; then
			ok "timeliness $y: the year's line ($line) counts its page"
		else
			not_ok "timeliness $y: the year's line says '$line', its page has $tables meetings, $rows papers, $late late"
		fi
	done
fi

# Later that year, on the default theme's branch: members, a substitute
# who joins later, a cancelled meeting and a coming one whose papers
# came out on two days.
put people/bo-birch.md <<'EOF'
---
title: Bo Birch
---
EOF
put people/cy-cole.md <<'EOF'
---
title: Cy Cole
---
EOF
put committees/icp.md <<'EOF'
---
title: Realshire Integrated Care Partnership
members:
  - person: alex-ash
    role: chair
    from: 2024-01-01
  - person: cy-cole
    from: 2024-01-01
  - person: bo-birch
    from: 2026-10-01
---
The partnership.
EOF
meeting 2026-09-16
put meetings/2026-09-16-icp/minutes.md <<'EOF'
---
status: draft
present: [alex-ash]
substitutes:
  - person: bo-birch
    for: cy-cole
---
Bo Birch attended for Cy Cole.
EOF
meeting 2026-10-14
put meetings/2026-10-14-icp/minutes.md <<'EOF'
---
status: draft
present: [alex-ash, cy-cole]
---
Bo Birch did not attend.
EOF
at 2026-10-20T10:00:00+01:00 "Members; September and October minutes"
meeting 2026-11-11
sed -i 's/^status: held$/status: cancelled\nstatus_reason: No business./' \
    "$repo/meetings/2026-11-11-icp/index.md"
paper 2026-11-11 spare "Spare paper" "Jo Smith" "Left in the folder."
at 2026-11-10T10:00:00+00:00 "November meeting cancelled"
meeting 2026-12-23
sed -i 's/^status: held$/status: scheduled/' "$repo/meetings/2026-12-23-icp/index.md"
paper 2026-12-23 early "Early paper" "Jo Smith" "In good time."
at 2026-12-01T10:00:00+00:00 "December paper"
paper 2026-12-23 tardy "Tardy paper" "Jo Smith" "Two clear days."
at 2026-12-18T10:00:00+00:00 "Late December paper"
put pages/cymraeg.md <<'EOF'
---
title: Gwybodaeth
language: cy
---
Mae hon yn dudalen Gymraeg.
EOF
put pages/urdu.md <<'EOF'
---
title: معلومات
language: ur
---
یہ صفحہ اردو میں ہے۔
EOF
put news/2026-12-19-newyddion.md <<'EOF'
---
title: Newyddion
date: 2026-12-19
language: cy
---
Newyddion da.
EOF
put meetings/2026-12-23-icp/papyr.md <<'EOF'
---
title: Papyr Cymraeg
item: "1"
author: Jo Smith
language: cy
---
Papur yn Gymraeg.
EOF
at 2026-12-19T10:00:00+00:00 "Pages in Welsh and Urdu"
sed -i 's/^Papur yn Gymraeg\.$/Papur yn Gymraeg, wedi ei gywiro./' \
    "$repo/meetings/2026-12-23-icp/papyr.md"
at 2026-12-19T15:00:00+00:00 "Welsh paper corrected"
if ICPGEN_THEMEDIR="$TOP/themes" build "$tmp/f" --date 2026-12-20 --ref default-theme; then
	f=$tmp/f
	check "the home page gives the first and last day of a meeting's papers" \
	    "$f/index.html" 'Papers published from <time datetime="2026-12-01">1 December 2026</time> to <time datetime="2026-12-19">19 December 2026</time></strong>; 2 of 3 late'
	check "a member's attendance counts from their first meeting as one" \
	    "$f/people/bo-birch/index.html" 'Attended 0 of the 1 meeting they were expected at since <time datetime="2026-10-14">14 October 2026</time>; absent without apologies from 1. Also attended 1 meeting in a member'"'"'s place.'
	check "a substitute's row says whose place" \
	    "$f/people/bo-birch/index.html" 'Attended in the place of <a href="/people/cy-cole/">Cy Cole</a>'
	check_not "a cancelled meeting's paper is not late" \
	    "$f/meetings/2026-11-11-icp/spare/index.html" "Published late"
	check_not "nor on time" \
	    "$f/meetings/2026-11-11-icp/spare/index.html" "clear working days before"
	check_not "the timeliness report leaves the cancelled meeting out" \
	    "$f/timeliness/2026/index.html" "Wednesday 11 November 2026"
	check "a page in Welsh says so on its title" \
	    "$f/cymraeg/index.html" '<h1 lang="cy" dir="ltr">Gwybodaeth</h1>'
	check "and on its text" \
	    "$f/cymraeg/index.html" '<div class="icp-body" lang="cy" dir="ltr">'
	check "a page in Urdu is written right to left" \
	    "$f/urdu/index.html" '<div class="icp-body" lang="ur" dir="rtl">'
	check "a news post in Welsh says so where the news lists it" \
	    "$f/news/index.html" 'lang="cy" dir="ltr">Newyddion</a>'
	check "the Welsh paper's breadcrumb is marked" \
	    "$f/meetings/2026-12-23-icp/papyr/index.html" 'aria-current="page" lang="cy" dir="ltr">Papyr Cymraeg</li>'
	check "and the breadcrumb to it from its history" \
	    "$f/meetings/2026-12-23-icp/papyr/history/index.html" 'href="/meetings/2026-12-23-icp/papyr/" lang="cy" dir="ltr">Papyr Cymraeg</a>'
	check "the history page's heading marks the title it quotes" \
	    "$f/meetings/2026-12-23-icp/papyr/history/index.html" "<h1>Changes to '<span lang=\"cy\" dir=\"ltr\">Papyr Cymraeg</span>'</h1>"
	check "what's new marks it" \
	    "$f/whats-new/index.html" 'lang="cy" dir="ltr">Papyr Cymraeg</a>'
	check "the timeliness report marks it" \
	    "$f/timeliness/2026/index.html" 'lang="cy" dir="ltr">Papyr Cymraeg</a>'
	cat "$f"/search/p/*.json >"$tmp/fragments"
	check "a search result knows its language" \
	    "$tmp/fragments" '"t":"Papyr Cymraeg","u":"/meetings/2026-12-23-icp/papyr/","k":"paper","d":"2026-12-23","c":"Realshire Integrated Care Partnership","l":"cy","r":"ltr"'
	check "the papers feed marks its title" \
	    "$f/papers.xml" '<title xml:lang="cy">Papyr Cymraeg</title>'
	check "the page around it stays in the site's language" \
	    "$f/urdu/index.html" '<html lang="en-GB">'
	check "but the paper still says when it was published" \
	    "$f/meetings/2026-11-11-icp/spare/index.html" 'First published on this website on <time datetime="2026-11-10'
else
	not_ok "the realistic site builds with members and a cancelled meeting"
fi
[ $failures = 0 ]
