#!/usr/bin/env bash
# Withholding: the demo site, with two papers of its exempt item 9 (one
# naming the item, one named by it) and their attachments, each carrying
# a marker string in its title, summary, body and file content, is built.
# The marker must appear nowhere in the whole output tree: not in pages,
# copied files, the search index, calendars, feeds, the sitemap, open
# data (JSON and CSV) or history pages.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ICPGEN_THEMEDIR="$TOP/themes"
marker=WITHHELD-MARKER-7f3a
m=meetings/2026-12-09-icp

cp -R "$TOP/content" "$tmp/site"
# Item 9 names a paper by its file name, too.
sed -i "s/^    exempt: true$/    exempt: true\n    papers:\n      - equipment-prices/" \
    "$tmp/site/$m/index.md"
cat >"$tmp/site/$m/equipment-options.md" <<EOT
---
title: Equipment service options $marker
item: "9"
summary: Bidders and prices $marker
attachments:
  - file: equipment-bids.pdf
    title: Bids received $marker
---
The options, with prices: $marker.
EOT
cat >"$tmp/site/$m/equipment-prices.md" <<EOT
---
title: Price schedule $marker
summary: Prices $marker
attachments:
  - file: equipment-prices.csv
    title: Prices table $marker
---
Prices: $marker.
EOT
printf '%%PDF-1.4\n%% %s\n%%%%EOF\n' "$marker" >"$tmp/site/$m/equipment-bids.pdf"
printf 'bidder,price\n%s,1\n' "$marker" >"$tmp/site/$m/equipment-prices.csv"
make_repo "$tmp/site" "$tmp/repo"

if ! "$ICPGEN" build "$tmp/repo" --out "$tmp/out" >"$tmp/log" 2>&1; then
	not_ok "withheld: the site builds"
	sed 's/^/    /' "$tmp/log"
	exit 1
fi
ok "withheld: the site builds"

# The build says what it withheld, and the item itself is still listed.
for f in equipment-options equipment-prices; do
	if grep -q "$m/$f.md: warning: not published" "$tmp/log"; then
		ok "withheld: $f is reported as not published"
	else
		not_ok "withheld: $f is reported as not published"
	fi
done
if grep -rq "Integrated community equipment service" "$tmp/out/meetings/2026-12-09-icp/index.html"; then
	ok "withheld: the exempt item is on the agenda"
else
	not_ok "withheld: the exempt item is on the agenda"
fi
# The whole tree, every file (binary or compressed as stored).
hits=$(grep -rla -- "$marker" "$tmp/out" | sed "s|^$tmp/out/||")
if [ -z "$hits" ]; then
	ok "withheld: the marker is nowhere in the output"
else
	not_ok "withheld: the marker is nowhere in the output"
	echo "$hits" | sed 's/^/    /'
fi
for f in equipment-bids.pdf equipment-prices.csv equipment-options equipment-prices; do
	if [ -e "$tmp/out/$m/$f" ]; then
		not_ok "withheld: $m/$f is not in the output"
	else
		ok "withheld: $m/$f is not in the output"
	fi
done
exit $((failures > 0))
