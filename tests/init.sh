#!/usr/bin/env bash
# icpgen init makes a site that builds at once; icpgen new adds content
# and refuses what the build would refuse, with the build's messages;
# check --format for CI hosts; --base-url moves every link.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset ICPGEN_THEMEDIR			# the default theme
cd "$tmp"

expect() {	# name status command...: run, compare the exit status
	local name=$1 want=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ $rc = "$want" ]; then
		ok "$name"
	else
		not_ok "$name (exit $rc, expected $want)"
		sed 's/^/    /' "$tmp/out" "$tmp/err" | head -20
	fi
}
has() {		# name file pattern
	if grep -q -e "$3" "$2"; then ok "$1"; else
		not_ok "$1: no '$3' in"; sed 's/^/    /' "$2" | head -20; fi
}

# --- init ---------------------------------------------------------------
expect "init makes a site" 0 "$ICPGEN" init --name "Testshire ICP" site
has "init lists the files it wrote" "$tmp/out" '^site/.gitlab-ci.yml$'
for f in icpgen.yaml README.md committees/partnership.md .gitignore \
    .github/workflows/icpgen.yml .gitlab-ci.yml; do
	[ -f "site/$f" ] || not_ok "init wrote no $f"
done
# 2026-03-01 + four weeks, then the next Wednesday.
[ -f site/meetings/2026-04-01-partnership/index.md ] &&
    ok "init: one upcoming meeting" || not_ok "init: no meeting on 2026-04-01"
[ "$(git -C site rev-list --count HEAD 2>/dev/null)" = 1 ] &&
    [ -z "$(git -C site status --porcelain)" ] &&
    ok "init: everything in one first commit" || not_ok "init: not committed"
# A name YAML would not read as text is refused before anything is made.
expect "init: a name beginning '*' is refused" 2 "$ICPGEN" init \
    --name "*NHS* Northshire ICP" starred
[ ! -e starred ] && ok "init: nothing made for a refused name" ||
    not_ok "init: a folder was made for a refused name"
expect "init: an empty name is refused" 2 "$ICPGEN" init --name "" empty
expect "init: the new site builds with no warnings" 0 \
    "$ICPGEN" build site --out "$tmp/public"
has "init: no errors or warnings" "$tmp/err" '0 errors, 0 warnings'
has "init: the meeting is upcoming" "$tmp/public/index.html" '2026-04-01'
has "init: an accessibility statement" "$tmp/public/accessibility/index.html" \
    'Web Content Accessibility Guidelines'
expect "init refuses a folder that is not empty" 2 "$ICPGEN" init site

# --- new ----------------------------------------------------------------
cd site
expect "new meeting" 0 "$ICPGEN" new meeting partnership 2026-06-10
has "new meeting prints the file" "$tmp/out" \
    '^meetings/2026-06-10-partnership/index.md$'
expect "new meeting: an id already taken" 1 \
    "$ICPGEN" new meeting partnership 2026-06-10
has "new meeting: taken, with the file" "$tmp/err" \
    '^meetings/2026-06-10-partnership/index.md: error: already exists'
expect "new meeting: unknown committee" 1 \
    "$ICPGEN" new meeting partnershp 2026-06-11
has "new meeting: the build's message, with line and hint" "$tmp/err" \
    "^meetings/2026-06-11-partnershp/index.md:2:1: error: unknown committee 'partnershp' (did you mean 'partnership'?)"
[ ! -e meetings/2026-06-11-partnershp ] && ok "new meeting: nothing left behind" ||
    not_ok "new meeting: the refused meeting was left"
expect "new meeting: a date that does not exist" 1 \
    "$ICPGEN" new meeting partnership 2026-02-30
has "new meeting: date message" "$tmp/err" \
    "index.md:3:1: error: 'date' is not a valid date: '2026-02-30'"
expect "new paper" 0 "$ICPGEN" new paper 2026-06-10-partnership \
    'Winter plan: "keeping well"'
has "new paper: file" "$tmp/out" \
    '^meetings/2026-06-10-partnership/winter-plan-keeping-well.md$'
expect "new paper: a title with accents" 0 "$ICPGEN" new paper \
    2026-06-10-partnership 'Adroddiad Ŵyl y Caffi'
has "new paper: accents dropped from its name" "$tmp/out" \
    '^meetings/2026-06-10-partnership/adroddiad-wyl-y-caffi.md$'
expect "new paper: one titled Minutes is not the minutes" 0 "$ICPGEN" new \
    paper 2026-06-10-partnership 'Minutes'
has "new paper: named minutes-paper" "$tmp/out" \
    '^meetings/2026-06-10-partnership/minutes-paper.md$'
expect "new action: an owner that is not an id" 2 "$ICPGEN" new action \
    2026-06-10-partnership 'Do it' --item 2 --owner 'Chief: Exec'
has "new action: says what an owner is" "$tmp/err" "--owner takes a person's id"
expect "new paper for an agenda item" 0 "$ICPGEN" new paper \
    2026-06-10-partnership 'Declarations register' --item 2
has "new paper: item in its front matter" \
    meetings/2026-06-10-partnership/declarations-register.md '^item: "2"$'
expect "new paper: an item that is not on the agenda" 1 "$ICPGEN" new paper \
    2026-06-10-partnership 'Stray' --item 9
expect "new paper: unknown meeting" 1 "$ICPGEN" new paper \
    2026-06-10-partnershi 'X'
has "new paper: suggestion" "$tmp/err" "did you mean '2026-06-10-partnership'"
expect "new minutes" 0 "$ICPGEN" new minutes 2026-04-01-partnership
expect "new minutes: already there" 1 "$ICPGEN" new minutes \
    2026-04-01-partnership
mkdir -p people
printf -- '---\ntitle: Jo Bloggs\n---\n' >people/jo-bloggs.md
expect "new action" 0 "$ICPGEN" new action 2026-04-01-partnership \
    "Bring a plan" --item 2 --owner jo-bloggs --due 2026-09-01
expect "new action: a second one" 0 "$ICPGEN" new action \
    2026-04-01-partnership "And another" --item 2 --owner jo-bloggs
has "new action: numbered in turn" \
    meetings/2026-04-01-partnership/minutes.md 'id: A-2026-04-2'
cp meetings/2026-04-01-partnership/minutes.md "$tmp/minutes"
expect "new action: unknown owner" 1 "$ICPGEN" new action \
    2026-04-01-partnership "X" --item 2 --owner nobody
has "new action: the build's message" "$tmp/err" \
    "minutes.md:[0-9]*:[0-9]*: error: unknown person 'nobody'"
cmp -s "$tmp/minutes" meetings/2026-04-01-partnership/minutes.md &&
    ok "new action: refused, the minutes are as they were" ||
    not_ok "new action: the minutes changed after a refusal"
expect "new action: unknown item" 1 "$ICPGEN" new action \
    2026-04-01-partnership "X" --item 9 --owner jo-bloggs
expect "new question" 0 "$ICPGEN" new question 2026-04-01-partnership \
    "When will the surgery open?" --asked-by "A. Person"
has "new question: file" "$tmp/out" '^questions/2026-03-when-will-the-surgery-open.md$'
expect "new news" 0 "$ICPGEN" new news "Our strategy is approved"
has "new news: dated today" "$tmp/out" '^news/2026-03-01-our-strategy-is-approved.md$'
# From a folder of the site: the site is found above it, as git finds
# its repository; outside any site, an error that says so.
(cd meetings && "$ICPGEN" new news "From a subfolder") >"$tmp/out" 2>"$tmp/err" &&
    [ -f news/2026-03-01-from-a-subfolder.md ] && [ ! -e meetings/news ] &&
    ok "new: from a subfolder, into the site" ||
    { not_ok "new: from a subfolder, into the site"; cat "$tmp/out" "$tmp/err"; }
rm -f news/2026-03-01-from-a-subfolder.md
mkdir -p "$tmp/nosite"
(cd "$tmp/nosite" && "$ICPGEN" new news "Lost") >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] && grep -q "no icpgen.yaml in '.' or a folder above it" "$tmp/err" &&
    ok "new: outside a site, said so" ||
    { not_ok "new: outside a site, said so"; cat "$tmp/err"; }
mkdir -p strategy/measures
printf -- '---\ntitle: Live well\n---\n' >strategy/live-well.md
printf -- '---\ntitle: Smoking\npriority: live-well\nhigher_is_better: false\nvalues:\n  - date: 2024-12-31\n    value: 12.9\n    rag: on-track\n---\nText.\n' \
    >strategy/measures/smoking.md
expect "new measure-value" 0 "$ICPGEN" new measure-value smoking \
    2025-12-31 12.1 --rag on-track
has "new measure-value: appended to values" strategy/measures/smoking.md \
    '^  - date: 2025-12-31$'
expect "new measure-value: date taken" 1 "$ICPGEN" new measure-value \
    smoking 2025-12-31 12 --rag on-track
expect "new measure-value: bad rag" 1 "$ICPGEN" new measure-value \
    smoking 2026-12-31 12 --rag on-trak
has "new measure-value: the build's message" "$tmp/err" \
    "smoking.md:[0-9]*:[0-9]*: error: unknown rag 'on-trak'"
expect "new: unknown kind" 2 "$ICPGEN" new meting x y
expect "the site with everything new still builds" 0 \
    "$ICPGEN" check --worktree
has "and has no errors" "$tmp/err" ' 0 errors'

# --- check --format -----------------------------------------------------
cd "$tmp"
mkdir -p "$tmp/broken/site" && cp -R "$TOP/tests/sites/basic/site/." "$tmp/broken/site/"
sed -i 's/^status: .*/status: sheduled/' "$tmp"/broken/site/meetings/*/index.md
for f in a b; do	# the same problem in two files
	printf -- '---\ntitle: %s\nsumary: x\n---\nText.\n' "$f" \
	    >"$tmp/broken/site/pages/$f.md"
done
make_repo "$tmp/broken/site" "$tmp/flat" >/dev/null
make_repo "$tmp/broken" "$tmp/repo" >/dev/null
expect "check --format github" 1 "$ICPGEN" check flat --format github
has "github: annotation with file, line and column" "$tmp/out" \
    "^::error file=meetings/.*/index.md,line=[0-9]*,col=[0-9]*::unknown status 'sheduled'"
expect "check --format github (site in a subfolder)" 1 "$ICPGEN" check \
    repo/site --format github
has "github: the path from the repository root" "$tmp/out" \
    "^::error file=site/meetings/.*/index.md,line="
expect "check --format json (site in a subfolder)" 1 \
    "$ICPGEN" check repo/site --format json
has "json: one object a line, path from the repository root" "$tmp/out" \
    '^{"level":"error","file":"site/meetings/.*/index.md","line":[0-9]*,"col":[0-9]*,"message":"unknown status'
expect "check --format gitlab" 1 "$ICPGEN" check repo/site --format gitlab
if python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); \
    assert r and all(x["location"]["path"].startswith("site/") and \
    x["location"]["lines"]["begin"] > 0 and x["severity"] for x in r)' \
    "$tmp/out" 2>"$tmp/py"; then
	ok "gitlab: a Code Quality report"
else
	not_ok "gitlab: not a Code Quality report"; cat "$tmp/py" "$tmp/out" | head
fi
# Fingerprints stay with their problem when another is fixed.
cp "$tmp/out" "$tmp/gl1"
sed -i '/^sumary: x$/d' "$tmp/repo/site/pages/a.md"
git -C "$tmp/repo" commit -qam "Fix one" >/dev/null
"$ICPGEN" check repo/site --format gitlab >"$tmp/gl2" 2>/dev/null
if python3 - "$tmp/gl1" "$tmp/gl2" <<'PYEOF' 2>"$tmp/py"; then
import json, sys
a = {(x["location"]["path"], x["description"]): x["fingerprint"]
     for x in json.load(open(sys.argv[1]))}
b = {(x["location"]["path"], x["description"]): x["fingerprint"]
     for x in json.load(open(sys.argv[2]))}
both = set(a) & set(b)
assert len(both) >= 2 and len(set(a) - set(b)) == 1, (a, b)
assert all(a[k] == b[k] for k in both), (a, b)
assert len(set(a.values())) == len(a) and len(set(b.values())) == len(b)
PYEOF
	ok "gitlab: fingerprints stay with their problem"
else
	not_ok "gitlab: fingerprints moved to other problems"; cat "$tmp/py"
fi
expect "check --format: unknown format" 2 "$ICPGEN" check repo/site --format xml

# --- --base-url ---------------------------------------------------------
expect "build --base-url with a sub-path" 0 "$ICPGEN" build site \
    --base-url https://org.gitlab.io/icp/ --out "$tmp/sub"
bad=$(grep -rhoE '(href|src)="/[^"]*"' "$tmp/sub" --include='*.html' |
    grep -v '="/icp/' | sort -u | head -5)
[ -z "$bad" ] && ok "base-url: every link is under /icp/" ||
    not_ok "base-url: links outside /icp/: $bad"
has "base-url: sitemap" "$tmp/sub/sitemap.xml" '<loc>https://org.gitlab.io/icp/meetings/'
has "base-url: feeds" "$tmp/sub/meetings.ics" 'https://org.gitlab.io/icp/meetings/'
expect "base-url: refuses what is not an address" 2 "$ICPGEN" build site \
    --base-url 'javascript:alert(1)'
[ $failures = 0 ]
