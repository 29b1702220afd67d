#!/usr/bin/env bash
# The forward plan, end to end on the demo: items are taken when an
# agenda names them (linked both ways), each committee and the whole
# plan have pages, upcoming meetings list what is expected at them, the
# open data's JSON keys and CSV columns are the fields docs/open-data.md
# documents, in order, and search and the Atom feed carry the items.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ICPGEN_THEMEDIR="$TOP/themes"
make_repo "$TOP/content" "$tmp/repo"
# The demo's build date: before the December meeting.
export SOURCE_DATE_EPOCH=1796428800	# 2026-12-05
out=$tmp/out
if ! "$ICPGEN" build "$tmp/repo" --out "$out" >"$tmp/log" 2>&1; then
	not_ok "plan: the demo builds"
	sed 's/^/    /' "$tmp/log"
	exit 1
fi
ok "plan: the demo builds"

check() {	# name file pattern
	if grep -q -- "$3" "$out/$2"; then
		ok "plan: $1"
	else
		not_ok "plan: $1 ($2 has no '$3')"
	fi
}
check "a taken item links to the agenda item" \
    forward-plan/winter-plan-2026/index.html \
    'href="/meetings/2026-12-09-icp/#item-5"'
check "the agenda item links to the plan item" \
    meetings/2026-12-09-icp/index.html \
    'On the forward plan: <a href="/forward-plan/winter-plan-2026/"'
check "the combined plan lists items by month" forward-plan/index.html \
    '<h2 id="month-2027-03">March 2027</h2>'
check "a committee has its own plan" \
    committees/place-board/forward-plan/index.html 'Access to NHS dentistry'
check "the committee page links to its plan" committees/icp/index.html \
    'href="/committees/icp/forward-plan/"'
check "an upcoming meeting lists what is expected" \
    meetings/2027-03-10-icp/index.html 'Expected at this meeting'
check "  ... with the items" meetings/2027-03-10-icp/index.html \
    'Plan to improve physical activity'
check "search finds plan items" search/index.json \
    '"kinds":\[[^]]*"forward-plan"'
check "the feed has the items" forward-plan.xml \
    'Plan to improve physical activity'
if xmllint --noout "$out/forward-plan.xml" 2>"$tmp/x"; then
	ok "plan: the feed is well-formed XML"
else
	not_ok "plan: the feed is well-formed XML"
	sed 's/^/    /' "$tmp/x"
fi

# Taken is derived from the agenda, never typed.
python3 - "$out/data/forward-plan.json" <<'PY' >"$tmp/st" 2>&1
import json, sys
items = {r["id"]: r for r in json.load(open(sys.argv[1]))["forward_plan"]}
assert items["winter-plan-2026"]["status"] == "taken", items["winter-plan-2026"]
assert items["winter-plan-2026"]["taken_item"] == "5"
assert items["physical-activity-plan"]["status"] == "planned"
assert items["dental-access"]["status"] == "moved"
assert items["equipment-service"]["exempt"] is True
assert items["equipment-service"]["exempt_reason"]
PY
if [ $? = 0 ]; then
	ok "plan: statuses in open data"
else
	not_ok "plan: statuses in open data"
	sed 's/^/    /' "$tmp/st"
fi

# One field list: the docs' table, the JSON keys and the CSV header.
docs=$(awk '/^## forward-plan.json/{f=1; next} /^## /{f=0} f && /^\| `/' \
    "$TOP/docs/open-data.md" | sed 's/^| `\([^`]*\)`.*/\1/' | paste -sd, -)
csv=$(head -1 "$out/data/forward-plan.csv" | tr -d '\r')
json=$(python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))["forward_plan"][0].keys()))' \
    "$out/data/forward-plan.json")
if [ -n "$docs" ] && [ "$docs" = "$csv" ] && [ "$docs" = "$json" ]; then
	ok "plan: docs, JSON and CSV give the same fields"
else
	not_ok "plan: docs, JSON and CSV give the same fields"
	printf '    docs: %s\n    csv:  %s\n    json: %s\n' "$docs" "$csv" "$json"
fi
exit $((failures > 0))
