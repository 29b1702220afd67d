#!/usr/bin/env bash
# Open data validates against the rules of Open Civic Data's scraper
# schemas and Popolo's dates (tests/ocd.py encodes them as facts), for
# every golden site (whose output tests/golden.sh pins); and the checker
# catches what those schemas refuse.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for d in "$TOP"/tests/sites/*/expect/data; do
	name=$(basename "$(dirname "$(dirname "$d")")")
	if python3 "$TOP/tests/ocd.py" "$d" >"$tmp/out" 2>&1; then
		ok "opendata: $name validates (OCD events, Popolo)"
	else
		not_ok "opendata: $name validates (OCD events, Popolo)"
		head -20 "$tmp/out" | sed 's/^/    /'
	fi
done
# What OCD and Popolo refuse: a null note, an unknown status, no source,
# a date that is not a date, an organisation classification outside
# OCD's list.
mkdir -p "$tmp/bad"
cp "$TOP"/tests/sites/record/expect/data/*.json "$tmp/bad/"
python3 - "$tmp/bad" <<'PY'
import json, sys
d = sys.argv[1]
m = json.load(open(d + "/meetings.json"))
e = m["events"][0]
e["location"] = {"name": "Hall", "note": None}
e["status"] = "postponed"
e["sources"] = []
json.dump(m, open(d + "/meetings.json", "w"))
ms = json.load(open(d + "/memberships.json"))
ms["memberships"][0]["end_date"] = "31/12/2026"
json.dump(ms, open(d + "/memberships.json", "w"))
og = json.load(open(d + "/organizations.json"))
og["organizations"][-1]["classification"] = "nhs-trust"
json.dump(og, open(d + "/organizations.json", "w"))
PY
python3 "$TOP/tests/ocd.py" "$tmp/bad" >"$tmp/out" 2>&1
for want in "location.note: is NoneType" "'postponed' is not one of" \
    "sources: has fewer than 1 items" "'31/12/2026' is not YYYY" \
    "classification: 'nhs-trust' is not one of"; do
	if grep -qF -- "$want" "$tmp/out"; then
		ok "opendata: the check refuses: $want"
	else
		not_ok "opendata: the check refuses: $want"
		sed 's/^/    /' "$tmp/out"
	fi
done
exit $((failures > 0))
