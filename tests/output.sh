#!/usr/bin/env bash
# Every writer produces valid output (issue 11 point 6): the record
# site with hostile text in a news post, an agenda and a hook message
# is built; its XML must be well-formed (xmllint), its JSON valid UTF-8
# JSON, its CSV text cells neutralised against spreadsheet formulas,
# and its diagnostics free of terminal escape sequences.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cp -R "$TOP/tests/sites/record/site" "$tmp/site"
# U+FFFE, U+FFFF and a C0 control in a news description.
printf -- '---\ntitle: Noncharacters\ndate: 2026-02-21\ndescription: "a\\uFFFEb\\uFFFFc\\x01d"\n---\nBody.\n' \
    >"$tmp/site/news/2026-02-21-nonchars.md"
# Formula-like text in an agenda: one meeting's item titles.
m=$(ls -d "$tmp/site/meetings/"*/ | head -1)
sed -i '0,/title: Apologies and declarations/s//title: "=HYPERLINK(\\"https:\/\/x.example\\",\\"click\\")"/' \
    "$m/index.md"
sed -i '0,/title: Winter plan/s//title: "@SUM(A1:A9)"/' "$m/index.md"
# A hook message with escape sequences.
printf '\nicp.warn("\\27]0;owned\\7\\27[2Jbuild OK")\n' \
    >>"$tmp/site/hooks/site.lua"
make_repo "$tmp/site" "$tmp/repo" >/dev/null

"$ICPGEN" build "$tmp/repo" --out "$tmp/out" >"$tmp/stdout" 2>"$tmp/err"
rc=$?
if [ $rc != 0 ]; then
	not_ok "output: the site builds (exit $rc)"
	sed 's/^/    /' "$tmp/err" | head -20
	exit 1
fi

bad=""
for f in "$tmp/out"/*.xml; do
	xmllint --noout "$f" 2>/dev/null || bad="$bad ${f##*/}"
done
if [ -z "$bad" ] && grep -q 'abcd' "$tmp/out/news.xml"; then
	ok "output: XML is well-formed, noncharacters dropped"
else
	not_ok "output: XML:${bad:- noncharacters kept in news.xml}"
fi

if python3 - "$tmp/out" <<'PY'
import json, pathlib, sys
for p in pathlib.Path(sys.argv[1]).rglob("*.json"):
    json.loads(p.read_bytes().decode("utf-8", errors="strict"))
PY
then
	ok "output: JSON is valid UTF-8 JSON"
else
	not_ok "output: JSON"
fi

if python3 - "$tmp/out/data/agenda_items.csv" <<'PY'
import csv, sys
cells = [c for row in csv.reader(open(sys.argv[1], newline="")) for c in row]
want = {"'=HYPERLINK(\"https://x.example\",\"click\")", "'@SUM(A1:A9)"}
assert want <= set(cells), sorted(cells)[:20]
assert not any(c[:1] in ("=", "@") for c in cells), cells
PY
then
	ok "output: CSV formulas are neutralised"
else
	not_ok "output: CSV cells"
fi

if grep -q "$(printf '\033')" "$tmp/err"; then
	not_ok "output: an escape sequence reached the terminal"
elif grep -qF '\x1b]0;owned\x07\x1b[2Jbuild OK' "$tmp/err"; then
	ok "output: control characters in diagnostics are shown"
else
	not_ok "output: the hook's message is missing"
	sed 's/^/    /' "$tmp/err" | head
fi
[ $failures = 0 ]
