#!/usr/bin/env bash
# What the record says about actions, attendance, meetings called off,
# calendars, decisions, approvals and questions is true of the content:
# each case is one the site once got wrong (an audit's reproduction),
# built with the default theme and checked in its pages, feeds and open
# data.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ICPGEN_THEMEDIR="$TOP/themes"
export XDG_CACHE_HOME=$tmp/cache

held() {	# held ID: meetings/ID/index.md, a meeting held (ID: DATE-COMMITTEE)
	put "meetings/$1/index.md" <<-EOF
	---
	committee: ${1:11}
	date: ${1:0:10}
	status: held
	---
	EOF
}
fresh() {	# fresh NAME: a new repository with a site and a committee
	repo=$tmp/$1
	out=$tmp/$1-out
	mkdir -p "$repo"
	git -C "$repo" init -q -b main
	put icpgen.yaml <<-'EOF'
	name: Claims ICP
	base_url: https://claims.example.org/
	EOF
	put committees/icp.md <<-'EOF'
	---
	title: Claims ICP
	---
	EOF
	put people/bob.md <<-'EOF'
	---
	title: Bob Birch
	---
	EOF
}
build() {	# build DATE: into $out, messages in $tmp/err
	rm -rf "$out"
	"$ICPGEN" build "$repo" --out "$out" --date "$1" 2>"$tmp/err"
}
text() {	# the words of a page, tags removed, one line
	sed -e 's/<[^>]*>/ /g' "$out/$1" | tr -s ' \t\n' '   '
}
has() {		# has NAME FILE TEXT: the page's words include TEXT
	if text "$2" | grep -qF -- "$3"; then ok "$1"; else
		not_ok "$1"; echo "    '$3' not in $2"; fi
}
lacks() {	# lacks NAME FILE TEXT
	if text "$2" | grep -qF -- "$3"; then not_ok "$1"
		echo "    '$3' in $2"; else ok "$1"; fi
}

# 1. An action updated at two meetings on one day: the later meeting's
# update is its status, whatever the meetings' ids.
fresh actions
put meetings/2026-03-04-icp/index.md <<'EOF'
---
committee: icp
date: 2026-03-04
status: held
agenda:
  - number: "1"
    title: Plans
---
EOF
put meetings/2026-03-04-icp/minutes.md <<'EOF'
---
status: draft
items:
  - number: "1"
    actions:
      - id: A-1
        action: Write the plan.
        owner: bob
        due: 2026-04-01
---
EOF
for m in "icp 10:00 11:00 in-progress" "board 14:00 15:00 done"; do
	set -- $m
	[ "$1" = board ] && put committees/board.md <<-'EOF'
	---
	title: Claims Board
	---
	EOF
	put "meetings/2026-05-06-$1/index.md" <<-EOF
	---
	committee: $1
	date: 2026-05-06
	start: "$2"
	end: "$3"
	status: held
	---
	EOF
	put "meetings/2026-05-06-$1/minutes.md" <<-EOF
	---
	status: draft
	action_updates:
	  - action: A-1
	    status: $4
	---
	EOF
done
at 2026-05-07T10:00:00+01:00 "Minutes"
if build 2026-06-20; then
	grep -q '^A-1,.*,done,2026-05-06,false,' "$out/data/actions.csv" &&
	    ok "actions: done at the later meeting of the day" ||
	    { not_ok "actions: done at the later meeting of the day"
	      grep '^A-1' "$out/data/actions.csv"; }
	has "actions: the log has it closed" actions/index.html \
	    "Overdue actions (0) Open actions, not overdue (0) Closed actions (1)"
	grep -q ": warning:" "$tmp/err" && { not_ok "actions: no warning when \
the start times tell the order"; cat "$tmp/err"; } ||
	    ok "actions: no warning when the start times tell the order"
else
	not_ok "actions: build"; cat "$tmp/err"
fi
# Without start times nothing says which came first: warned, by name.
sed -i '/^start:/d; /^end:/d' "$repo"/meetings/2026-05-06-*/index.md
at 2026-05-08T10:00:00+01:00 "No times"
build 2026-06-20
grep -q "meetings/2026-05-06-icp/minutes.md:4:.*warning: action 'A-1' is updated at two meetings on the same day (2026-05-06-board: done, 2026-05-06-icp: in-progress)" \
    "$tmp/err" && ok "actions: an order nothing gives is warned of" ||
    { not_ok "actions: an order nothing gives is warned of"; cat "$tmp/err"; }

# 2. A paper of a postponed meeting revised before the new date is not
# "changed after the meeting": the meeting never took place.
fresh postponed
put meetings/2026-06-10-icp/index.md <<'EOF'
---
committee: icp
date: 2026-06-10
agenda:
  - number: "1"
    title: Plan
    papers: [plan]
---
EOF
put meetings/2026-06-10-icp/plan.md <<'EOF'
---
title: The plan
---
Version 1.
EOF
at 2026-05-20T10:00:00+01:00 "Papers"
sed -i 's/^date: 2026-06-10$/date: 2026-06-10\nstatus: postponed\nnew_date: 2026-07-01/' \
    "$repo/meetings/2026-06-10-icp/index.md"
at 2026-06-08T10:00:00+01:00 "Postponed"
sed -i 's/Version 1./Version 2, for the new date./' \
    "$repo/meetings/2026-06-10-icp/plan.md"
at 2026-06-15T10:00:00+01:00 "Revised"
if build 2026-06-20; then
	lacks "postponed: the paper is not changed after the meeting" \
	    meetings/2026-06-10-icp/plan/index.html "Changed after the meeting"
	has "postponed: its revision is still shown" \
	    meetings/2026-06-10-icp/plan/history/index.html "Version 2"
	grep -q '"changed_after_meeting": false' "$out/data/meetings.json" &&
	    ok "postponed: open data agrees" ||
	    not_ok "postponed: open data agrees"
else
	not_ok "postponed: build"; cat "$tmp/err"
fi

# 3. A member whose role changes on a meeting's day is expected there
# once, not once for each role.
fresh roles
put committees/icp.md <<'EOF'
---
title: Claims ICP
members:
  - person: bob
    role: vice-chair
    from: 2024-01-01
    to: 2026-03-04
  - person: bob
    role: chair
    from: 2026-03-04
---
EOF
held 2026-03-04-icp
put meetings/2026-03-04-icp/minutes.md <<'EOF'
---
status: draft
present: [bob]
---
EOF
at 2026-03-10T10:00:00+00:00 "Minutes"
if build 2026-06-20; then
	has "roles: attended 1 of 1" people/bob/index.html \
	    "Attended 1 of the 1 meeting they were expected at"
	python3 - "$out/data/people.json" <<'PYEOF' && ok "roles: open data agrees" || not_ok "roles: open data agrees"
import json, sys
p = [x for x in json.load(open(sys.argv[1]))["persons"] if x["id"] == "bob"][0]
a = p["extras"]["attendance"]
sys.exit(0 if (a["expected"], a["present"]) == (1, 1) else 1)
PYEOF
else
	not_ok "roles: build"; cat "$tmp/err"
fi

# 4. The committee's feed, promised as "papers and minutes", has the
# minutes, and a correction after approval updates their entry.
fresh feed
held 2026-03-04-icp
held 2026-05-06-icp
at 2026-02-20T10:00:00+00:00 "Meetings"
put meetings/2026-03-04-icp/minutes.md <<'EOF'
---
status: draft
---
Draft.
EOF
at 2026-03-10T10:00:00+00:00 "Draft minutes"
sed -i 's/^status: draft$/status: approved\napproved_at: 2026-05-06-icp/' \
    "$repo/meetings/2026-03-04-icp/minutes.md"
at 2026-05-07T10:00:00+01:00 "Approved"
sed -i 's/^Draft.$/Corrected./' "$repo/meetings/2026-03-04-icp/minutes.md"
at 2026-06-01T10:00:00+01:00 "Correction"
if build 2026-06-20; then
	f=$out/committees/icp/feed.xml
	python3 - "$f" <<'PYEOF' && ok "feed: the minutes are an entry, updated by the correction" || not_ok "feed: the minutes are an entry, updated by the correction"
import sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
root = ET.parse(sys.argv[1]).getroot()
es = [e for e in root.findall(A + "entry")
      if e.find(A + "title").text.startswith("Minutes of the")]
assert len(es) == 1, len(es)
e = es[0]
assert e.find(A + "published").text == "2026-03-10T10:00:00Z"
assert e.find(A + "updated").text == "2026-06-01T09:00:00Z"
assert "Approved minutes, approved at the Claims ICP meeting on Wednesday 6 May 2026." in e.find(A + "summary").text
assert root.find(A + "title").text.endswith("meetings, papers and minutes")
PYEOF
else
	not_ok "feed: build"; cat "$tmp/err"
fi

# 5. A meeting with no end time is given none in the calendar; one with
# an end keeps it.
fresh calendar
put meetings/2026-09-09-icp/index.md <<'EOF'
---
committee: icp
date: 2026-09-09
start: "14:00"
---
EOF
put meetings/2026-09-16-icp/index.md <<'EOF'
---
committee: icp
date: 2026-09-16
start: "14:00"
end: "15:30"
---
EOF
at 2026-06-01T10:00:00+01:00 "Meetings"
if build 2026-06-20; then
	ics=$(tr -d '\r' <"$out/meetings.ics")
	ev=$(printf '%s\n' "$ics" | sed -n '/UID:meeting-2026-09-09-icp@/,/END:VEVENT/p')
	printf '%s\n' "$ev" | grep -q '^DTSTART;TZID=Europe/London:20260909T140000$' &&
	    ! printf '%s\n' "$ev" | grep -q '^DTEND' &&
	    ok "calendar: no end is made up" || { not_ok "calendar: no end is made up"; echo "$ev"; }
	printf '%s\n' "$ics" | sed -n '/UID:meeting-2026-09-16-icp@/,/END:VEVENT/p' |
	    grep -q '^DTEND;TZID=Europe/London:20260916T153000$' &&
	    ok "calendar: a given end is kept" || not_ok "calendar: a given end is kept"
else
	not_ok "calendar: build"; cat "$tmp/err"
fi

# 6. Two decisions at one item are not both "Decision 3": the number is
# the item's.
fresh decisions
put meetings/2026-03-04-icp/index.md <<'EOF'
---
committee: icp
date: 2026-03-04
status: held
agenda:
  - number: "3"
    title: Finance
---
EOF
put meetings/2026-03-04-icp/minutes.md <<'EOF'
---
status: draft
items:
  - number: "3"
    decisions:
      - resolution: To approve the finance report, with the changes that the coéé asked for
      - resolution: To defer the budget.
---
EOF
at 2026-03-10T10:00:00+00:00 "Minutes"
if build 2026-06-20; then
	titles=$(grep -ho '<title>[^<]*' "$out"/decisions/*/index.html)
	if printf '%s\n' "$titles" | grep -q 'Decision 3:'; then
		not_ok "decisions: the item's number is not the decision's"
		echo "$titles"
	elif [ "$(printf '%s\n' "$titles" | grep -c 'Decision at item 3: ')" = 2 ]; then
		ok "decisions: the item's number is not the decision's"
	else
		not_ok "decisions: the item's number is not the decision's"
		echo "$titles"
	fi
	printf '%s\n' "$titles" | grep -q 'To approve the finance report, with the changes that the co… (Claims' &&
	    ok "decisions: a long resolution is cut" ||
	    { not_ok "decisions: a long resolution is cut"; echo "$titles"; }
else
	not_ok "decisions: build"; cat "$tmp/err"
fi

# 7. Minutes marked approved at a meeting that has not happened yet are
# still a draft, with a warning; a question answered before it was
# received is an error.
fresh approval
held 2026-03-04-icp
put meetings/2026-03-04-icp/minutes.md <<'EOF'
---
status: approved
approved_at: 2026-09-09-icp
---
EOF
put meetings/2026-09-09-icp/index.md <<'EOF'
---
committee: icp
date: 2026-09-09
---
EOF
at 2026-03-10T10:00:00+00:00 "Minutes"
if build 2026-06-20; then
	has "approval: minutes approved in the future are a draft" \
	    meetings/2026-03-04-icp/minutes/index.html "Draft minutes"
	lacks "approval: and not said to be approved" \
	    meetings/2026-03-04-icp/minutes/index.html "were approved"
	grep -q "minutes.md:3:1: warning: minutes are approved at '2026-09-09-icp', which is in the future, so they are shown as a draft" "$tmp/err" &&
	    ok "approval: warned" || { not_ok "approval: warned"; cat "$tmp/err"; }
	python3 - "$out/data/meetings.json" <<'PYEOF' && ok "approval: open data says draft" || not_ok "approval: open data says draft"
import json, sys
d = json.load(open(sys.argv[1]))
m = [x for x in d["events"] if x["id"] == "2026-03-04-icp"][0]
mins = [x for x in m["documents"] if x["extras"]["kind"] == "minutes"][0]
sys.exit(0 if mins["extras"]["status"] == "draft" and
         mins["extras"]["approved_at"] is None and
         mins["note"] == "Draft minutes" else 1)
PYEOF
	# On the day after the approving meeting, they are approved.
	build 2026-09-10 &&
	    has "approval: approved once the meeting has taken place" \
	    meetings/2026-03-04-icp/minutes/index.html "were approved as a correct record"
else
	not_ok "approval: build"; cat "$tmp/err"
fi
put questions/q1.md <<'EOF'
---
question: Why?
received: 2026-05-20
status: answered
answered_on: 2026-05-10
---
Because.
EOF
at 2026-05-21T10:00:00+01:00 "Question"
if build 2026-06-20; then
	not_ok "questions: answered before received is refused"
else
	grep -q "questions/q1.md:5:1: error: question is answered on 2026-05-10, before it was received on 2026-05-20" "$tmp/err" &&
	    ok "questions: answered before received is refused" ||
	    { not_ok "questions: answered before received is refused"; cat "$tmp/err"; }
fi

# 8. An exempt item publishes its number, title and reason only: not
# its summary, presenter or recommendation, on its page, in search or
# in the history of its page, then or before.
fresh exempt
put meetings/2026-06-17-icp/index.md <<'EOF'
---
committee: icp
date: 2026-06-17
agenda:
  - number: "9"
    title: Equipment contract
    purpose: discussion
    presenter: PRESENTER-A
    summary: SUMMARY-A bids at 2m
    recommendation: RECOMMEND-A
    exempt: true
    exempt_reason: Commercially sensitive.
---
EOF
at 2026-05-01T10:00:00+01:00 "Meeting"
sed -i 's/-A/-B/g; s/2m/3m/' "$repo/meetings/2026-06-17-icp/index.md"
at 2026-05-05T10:00:00+01:00 "Edit the exempt item"
if build 2026-06-01; then
	if grep -rlE 'PRESENTER-|SUMMARY-|RECOMMEND-|bids at' "$out" >"$tmp/leaks"; then
		not_ok "exempt: nothing private is published"
		sed 's/^/    /' "$tmp/leaks" | head -5
	else
		ok "exempt: nothing private is published"
	fi
	has "exempt: the item and its reason are listed" \
	    meetings/2026-06-17-icp/index.html "Equipment contract"
	has "exempt: with its reason" meetings/2026-06-17-icp/index.html \
	    "Commercially sensitive."
else
	not_ok "exempt: build"; cat "$tmp/err"
fi

# 9. A question answered after the build date is not answered yet; a
# forward plan item on a cancelled meeting's agenda was not taken.
fresh later
put meetings/2026-06-17-icp/index.md <<'EOF'
---
committee: icp
date: 2026-06-17
status: cancelled
status_reason: Not quorate.
agenda:
  - number: "1"
    title: Dental access
    forward_plan: dental
---
EOF
put forward-plan/dental.md <<'EOF'
---
title: Dental access
committee: icp
month: 2026-06
---
EOF
put questions/pool.md <<'EOF'
---
question: Will the pool reopen?
received: 2026-06-20
status: received
---
EOF
at 2026-06-21T10:00:00+01:00 "Question"
put questions/pool.md <<'EOF'
---
question: Will the pool reopen?
received: 2026-06-20
status: answered
answered_on: 2026-07-15
answered_by: bob
---
Yes, in August.
EOF
at 2026-06-25T10:00:00+01:00 "Answer ahead, plan"
if build 2026-07-01; then
	has "later: the question is not answered yet" questions/pool/index.html \
	    "The question has not been answered yet."
	lacks "later: nor its answer shown" questions/pool/index.html \
	    "Yes, in August."
	grep -rlE "Yes, in August|2026-07-15|15 July 2026" "$out" | grep -v '/data/index' >"$tmp/leaks"
	[ -s "$tmp/leaks" ] && { not_ok "later: the answer is nowhere, history included"
	    sed 's/^/    /' "$tmp/leaks"; } ||
	    ok "later: the answer is nowhere, history included"
	grep -q "questions/pool.md:5:1: warning: question is answered on 2026-07-15, after the build date" "$tmp/err" &&
	    ok "later: warned" || { not_ok "later: warned"; cat "$tmp/err"; }
	grep -q '^pool,.*,received,,,,' "$out/data/questions.csv" &&
	    ok "later: open data says received" ||
	    { not_ok "later: open data says received"; cat "$out/data/questions.csv"; }
	lacks "later: a cancelled meeting takes no plan item" \
	    forward-plan/dental/index.html "Taken"
	grep -q '^dental,.*,planned,,,,' "$out/data/forward-plan.csv" &&
	    ok "later: open data agrees" ||
	    { not_ok "later: open data agrees"; cat "$out/data/forward-plan.csv"; }
else
	not_ok "later: build"; cat "$tmp/err"
fi

# 10. A news post dated ahead is not published before its day, and is
# first on the website that day, not when it was committed.
fresh ahead
put news/2026-07-10-ahead.md <<'EOF'
---
title: Written ahead
date: 2026-07-10
---
For its day.
EOF
at 2026-06-25T10:00:00+01:00 "Post for 10 July"
if build 2026-07-01; then
	[ ! -e "$out/news/2026-07-10-ahead" ] && ! grep -rq "Written ahead" "$out" &&
	    ok "ahead: not published before its day" ||
	    not_ok "ahead: not published before its day"
	grep -q "news/2026-07-10-ahead.md:3:1: warning: news post is dated 2026-07-10, after the build date" "$tmp/err" &&
	    ok "ahead: warned" || { not_ok "ahead: warned"; cat "$tmp/err"; }
else
	not_ok "ahead: build"; cat "$tmp/err"
fi
if build 2026-07-11; then
	has "ahead: published on its day" news/2026-07-10-ahead/index.html \
	    "First published on this website on 10 July 2026"
else
	not_ok "ahead: build on its day"; cat "$tmp/err"
fi

# A link to it before its day would publish an address with nothing
# there (and tell it early): an error.
put pages/soon.md <<'EOF'
---
title: Soon
---
Read [our post](../news/2026-07-10-ahead.md).
EOF
at 2026-06-26T10:00:00+01:00 "Link to it"
if build 2026-07-01; then
	not_ok "ahead: a link to it before its day is refused"
else
	grep -q "pages/soon.md:4:17: error: link to '../news/2026-07-10-ahead.md' leads to a page that is not published" "$tmp/err" &&
	    ok "ahead: a link to it before its day is refused" ||
	    { not_ok "ahead: a link to it before its day is refused"; cat "$tmp/err"; }
fi
build 2026-07-11 && has "ahead: and linked on its day" soon/index.html \
    "our post" || not_ok "ahead: and linked on its day"

# 11. A post re-dated: each version was public from the later of its
# commit and its own date.
fresh redated
put news/earlier.md <<'EOF'
---
title: Earlier
date: 2026-07-10
---
Text.
EOF
put news/later.md <<'EOF'
---
title: Later
date: 2026-06-01
---
Text.
EOF
at 2026-06-01T10:00:00+01:00 "Two posts"
sed -i 's/^date: 2026-07-10$/date: 2026-07-03/' "$repo/news/earlier.md"
sed -i 's/^date: 2026-06-01$/date: 2026-07-10/' "$repo/news/later.md"
at 2026-07-05T10:00:00+01:00 "Re-dated"
if build 2026-07-20; then
	has "redated: brought forward, public from the commit" \
	    news/earlier/index.html "First published on this website on 5 July 2026"
	has "redated: put back, public from the first commit" \
	    news/later/index.html "First published on this website on 1 June 2026"
else
	not_ok "redated: build"; cat "$tmp/err"
fi

exit $((failures > 0))
