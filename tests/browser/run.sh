#!/usr/bin/env bash
# The browser suite of make check, over a built site: the Nu HTML
# checker on every page, axe-core (WCAG 2.2 AA and best practice) and
# reflow at 320px on every page, and a keyboard pass over a few pages.
# Prints "ok - ..." or "not ok - ..." per check for tests/run.sh.
set -u
here=$(cd "$(dirname "$0")" && pwd)
site=$1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

check() {	# name command...
	local name=$1
	shift
	if "$@" >"$log" 2>&1; then
		echo "ok - $name ($(tail -1 "$log"))"
	else
		echo "not ok - $name"
		tail -80 "$log" | sed 's/^/    /'
		status=1
	fi
}

# One page of each kind for the keyboard pass.
paths=(/)
for p in meetings/index.html "$(cd "$site" && ls -d meetings/*/*/index.html 2>/dev/null | head -1)"; do
	[ -n "$p" ] && [ -f "$site/$p" ] && paths+=("/${p%index.html}")
done
check "Nu HTML checker, every page" sh "$here/vnu.sh" "$site"
check "axe-core and 320px reflow, every page" node "$here/a11y.mjs" "$site"
check "every page has its own title" node "$here/titles.mjs" "$site"
check "search: results announced, keyboard reachable, browse links without JavaScript" \
    node "$here/search.mjs" "$site" meeting
# The demo's own words: a phrase only in a paper's body, an action's id,
# a word of the page in Urdu (its result marked as Urdu).
if [ -f "$site/search/index.json" ] && [ -d "$site/decisions" ]; then
	check "full-text search: a phrase in a paper's body, an action by id, filters" \
	    node "$here/find.mjs" "$site" \
	    "a fair start=>annual-progress-report" \
	    "A-2025-03-1=>#action-A-2025-03-1" \
	    "vaccinations=>winter-plan" \
	    "سوال=>get-involved-urdu@ur"
	check "new pages reachable from the header and their parents" \
	    node "$here/reach.mjs" "$site"
fi
pack=$(cd "$site" && ls -d meetings/*/pack/index.html 2>/dev/null | head -1)
if [ -n "$pack" ]; then
	check "print: an agenda pack as PDF, link addresses, full width, disclosures open" \
	    node "$here/print.mjs" "$site" "/${pack%index.html}" /actions/
fi
measure=$(cd "$site" && ls -d strategy/measures/*/index.html 2>/dev/null | head -1)
if [ -n "$measure" ] && grep -q 'icp-chart' "$site/$measure"; then
	check "charts: 12px text at 320px, axis text in forced colours, CSV link" \
	    node "$here/chart.mjs" "$site" "/${measure%index.html}"
fi
check "keyboard pass: skip link first, focus visible" \
    node "$here/keyboard.mjs" "$site" "${paths[@]}"
exit $status
