#!/usr/bin/env bash
# Hostile repositories (issue 11): each case builds a small site that
# tries to attack readers, the build machine or the record, and checks
# that the build refuses it with a clear message, exits 1 and leaves
# the previous site as it was.  Repositories are made with git at test
# time (plumbing for the damaged ones).
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
export ICPGEN_THEMEDIR="$TOP/themes"
base="$TOP/tests/sites/basic/site"

# A fresh copy of the basic site at $tmp/NAME/repo, built once so that
# there is a previous site to keep.  Prints the repository's path.
fresh() {
	local r="$tmp/$1/repo"
	make_repo "$base" "$r" >/dev/null
	sed -i 's/^theme: plain/theme: default/' "$r/icpgen.yaml"
	rm -rf "$r/templates"
	git -C "$r" commit -qam "Default theme"
	"$ICPGEN" build "$r" --out "$tmp/$1/out" -q >/dev/null 2>&1 ||
	    echo "fresh $1: the basic site does not build" >&2
	echo "$r"
}

commit() { git -C "$1" add -A && git -C "$1" commit -qm "${2:-Hostile}"; }

# refused NAME REPO PATTERN: the build fails with exit 1, says PATTERN
# and leaves the previous output as it was.
refused() {
	local name=$1 r=$2 pat=$3 out="$tmp/$1/out" rc
	if [ ! -f "$out/index.html" ]; then
		not_ok "$name: no previous site to keep"
		return
	fi
	find "$out" -type f | sort | xargs md5sum >"$tmp/$name/before"
	"$ICPGEN" build "$r" --out "$out" >"$tmp/$name/stdout" \
	    2>"$tmp/$name/err"
	rc=$?
	find "$out" -type f | sort | xargs md5sum >"$tmp/$name/after"
	if [ $rc != 1 ]; then
		not_ok "$name: exit status $rc, expected 1"
		sed 's/^/    /' "$tmp/$name/err" | head -20
	elif ! grep -qE -- "$pat" "$tmp/$name/err"; then
		not_ok "$name: no message matching '$pat'"
		sed 's/^/    /' "$tmp/$name/err" | head -20
	elif ! cmp -s "$tmp/$name/before" "$tmp/$name/after"; then
		not_ok "$name: the previous site changed"
	elif grep -q 'ERROR: AddressSanitizer\|runtime error' \
	    "$tmp/$name/err"; then
		not_ok "$name: sanitizer report"
		sed 's/^/    /' "$tmp/$name/err" | head -30
	else
		ok "$name"
	fi
}

# --- 3: stylesheets read only the theme, assets/ and the frontend -----

secret="$tmp/secret"
mkdir -p "$secret"
echo '.stolen-secret { color: red; }' >"$secret/_loot.scss"

r=$(fresh scss-absolute)
printf '@import "%s/loot";\n' "$secret" >>"$r/assets/site.scss"
commit "$r"
refused scss-absolute "$r" \
    "assets/site.scss:[0-9]+:[0-9]+: error: cannot import '$secret/loot'"

r=$(fresh scss-etc-passwd)
printf '@import "/etc/passwd";\n' >>"$r/assets/site.scss"
commit "$r"
refused scss-etc-passwd "$r" "error: cannot import '/etc/passwd'"

r=$(fresh scss-climb)
up=$(printf '../%.0s' $(seq 40))
printf '@import "%s%s/loot";\n' "$up" "${secret#/}" >>"$r/assets/site.scss"
commit "$r"
refused scss-climb "$r" "error: cannot import '(\.\./)+"

r=$(fresh scss-site-outside-assets)
mkdir -p "$r/pages"
echo '.not-a-stylesheet { color: red; }' >"$r/pages/_private.scss"
printf '@import "../pages/private";\n' >>"$r/assets/site.scss"
commit "$r"
refused scss-site-outside-assets "$r" "error: cannot (import|find) '../pages/private'"

# --- 2: hook data is data, never markup ---------------------------------

r=$(fresh hook-chart)
mkdir -p "$r/hooks"
cat >"$r/hooks/site.lua" <<'LUA'
icp.hook("pages", function (site)
  table.insert(site.pages, { url = "measures/evil/", title = "Evil",
    template = "measure.html",
    data = { chart = "<script>alert(1)</script>" } })
end)
LUA
commit "$r"
if "$ICPGEN" build "$r" --out "$tmp/hook-chart/out" -q \
    >"$tmp/hook-chart/err" 2>&1 &&
    f="$tmp/hook-chart/out/measures/evil/index.html" && [ -f "$f" ] &&
    ! grep -q '<script>alert' "$f" &&
    grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$f"; then
	ok "hook-chart: hook text marked safe by a template is escaped"
else
	not_ok "hook-chart: hook text printed raw"
	sed 's/^/    /' "$tmp/hook-chart/err" | head
fi

# --- 8: hooks that give the wrong types crash nothing -------------------

hook_case() {	# name pattern lua
	local r
	r=$(fresh "$1")
	mkdir -p "$r/hooks"
	printf '%s\n' "$3" >"$r/hooks/site.lua"
	commit "$r"
	refused "$1" "$r" "$2"
}
hook_case hook-status-number \
    "hooks/site.lua:1: error: hook 'page' changed 'status' of 'meetings/2026-01-14-icp/index.md' from text to a number" \
    'icp.hook("page", function (p) if p.status then p.status = 1 end end)'
hook_case hook-title-table \
    "hooks/site.lua:1: error: hook 'page' changed 'title' of '[^']+' from text to a map" \
    'icp.hook("page", function (p) p.title = {} end)'
hook_case hook-meeting-empty \
    "hooks/site.lua:1: error: hook 'page' removed '[a-z_]+' of 'meetings/2026-01-14-icp/index.md'" \
    'icp.hook("page", function (p) if p.status then return {} end end)'
hook_case hook-config-type \
    "hooks/site.lua:1: error: hook 'config' changed 'name' of 'icpgen.yaml' from text to a boolean" \
    'icp.hook("config", function (c) c.name = true end)'

# --- 8: Lua budgets and caps ---------------------------------------------

hook_case lua-sort-loop "(ran out of time: all Lua code of a build may run for|exceeded its budget of 100000000 instructions)" \
    'icp.hook("config", function (c)
  local t = {} for i = 1, 200000 do t[i] = -i end
  while true do table.sort(t) end
end)'
hook_case lua-spent "hook 'page' was not run: the Lua budget of this build was spent earlier" \
    'icp.hook("config", function (c) while true do end end)
icp.hook("page", function (p) end)'
r=$(fresh lua-shortcode-loop)
mkdir -p "$r/hooks"
echo 'icp.shortcode("spin", function (args, page) while true do end end)' \
    >"$r/hooks/site.lua"
printf '\n{{< spin >}}\n' >>"$r/pages/about.md"
printf '\n{{< spin >}}\n' >>"$r/index.md"
commit "$r"
refused lua-shortcode-loop "$r" "was not run: the Lua budget of this build was spent earlier"
hook_case lua-many-pages "hook 'pages' made 150000 pages \(at most 10000" \
    'icp.hook("pages", function (s)
  for i = 1, 150000 do s.pages[i] = { url = "p" .. i, title = "x" } end
end)'
hook_case lua-shared-string "more than 64 MiB of text" \
    'icp.hook("config", function (c)
  local s = ("x"):rep(8 * 1024 * 1024)
  c.junk = {} for i = 1, 1000 do c.junk[i] = s end
end)'
r=$(fresh lua-warn-spam)
mkdir -p "$r/hooks"
cat >"$r/hooks/site.lua" <<'LUA'
icp.hook("config", function (c)
  local s = ("x"):rep(1024 * 1024)
  for i = 1, 6 do icp.warn(s) print(s) end
  for i = 1, 200 do icp.warn("again") end
  icp.error("stop")
end)
LUA
commit "$r"
refused lua-warn-spam "$r" "more errors from hooks were left out"
if [ "$(wc -c <"$tmp/lua-warn-spam/err")" -lt 200000 ]; then
	ok "lua-warn-spam: diagnostics are bounded"
else
	not_ok "lua-warn-spam: $(wc -c <"$tmp/lua-warn-spam/err") bytes of diagnostics"
fi

# --- 5: every output path is claimed once --------------------------------

collide() {	# name pattern file...  (each file gets a page's front matter)
	local name=$1 pat=$2 r f
	shift 2
	r=$(fresh "$name")
	for f in "$@"; do
		mkdir -p "$r/$(dirname "$f")"
		case $f in
		*.md) printf -- '---\ntitle: Clash\n---\nClash.\n' >"$r/$f" ;;
		*) echo '<p>clash</p>' >"$r/$f" ;;
		esac
	done
	commit "$r"
	refused "$name" "$r" "$pat"
}
collide path-about-index "two sources would be published at the same address 'about/index.html'.*'pages/about(/index)?.md' and 'pages/about(/index)?.md'" \
    pages/about/index.md
collide path-static-index "same address 'index.html'.*'static/index.html'" \
    static/index.html
collide path-page-meeting "same address 'meetings/2026-01-14-icp/index.html'.*'pages/meetings/2026-01-14-icp.md'" \
    pages/meetings/2026-01-14-icp.md
collide path-meeting-file "same address 'meetings/2026-01-14-icp/index.html'.*'meetings/2026-01-14-icp/index.html'" \
    meetings/2026-01-14-icp/index.html
collide path-news "(same address 'news/index.html'.*'pages/news.md'|pages/news.md.*)" \
    pages/news.md
collide path-case "pages/About.md" pages/About.md

# --- 7: attachments --------------------------------------------------------

paper=meetings/2026-01-14-icp/finance.md
r=$(fresh attach-climb)
mkdir -p "$r/hooks"
echo 'icp.hook("page", function (p) end)' >"$r/hooks/site.lua"
sed -i 's|  - file: appendix.csv|  - file: ../../hooks/site.lua|' "$r/$paper"
commit "$r"
refused attach-climb "$r" \
    "$paper:6:[0-9]+: error: attachment '../../hooks/site.lua' is outside the paper's folder"

svg_case() {	# name pattern svg-text
	local r
	r=$(fresh "$1")
	printf '%s\n' "$3" >"$r/meetings/2026-01-14-icp/chart.svg"
	sed -i 's|  - file: appendix.csv|  - file: chart.svg|' "$r/$paper"
	commit "$r"
	refused "$1" "$r" "$2"
}
svg_case svg-onload \
    "meetings/2026-01-14-icp/chart.svg:1:6: error: SVG file has the event attribute 'onload'" \
    '<svg onload="alert(1)" xmlns="http://www.w3.org/2000/svg"/>'
svg_case svg-script \
    "chart.svg:2:3: error: SVG file has the element 'script'" \
    '<svg xmlns="http://www.w3.org/2000/svg">
  <script>alert(1)</script></svg>'
svg_case svg-xlink \
    "chart.svg:1:[0-9]+: error: SVG file has a link to another document 'javascript" \
    '<svg xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'
svg_case svg-remote \
    "error: SVG file has a link to another document 'https://evil.example/x.png'" \
    '<svg><image href="https://evil.example/x.png"/></svg>'
svg_case svg-foreign \
    "error: SVG file has the element 'foreignObject'" \
    '<svg><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>'
svg_case svg-entity-js \
    "error: SVG file has a javascript: link" \
    '<svg><a href="#x" style="background:url(&#106;avascript:alert(1))"/></svg>'

r=$(fresh svg-ok)
printf '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(#g)"/></svg>\n' \
    >"$r/meetings/2026-01-14-icp/chart.svg"
sed -i 's|  - file: appendix.csv|  - file: chart.svg|' "$r/$paper"
commit "$r"
if "$ICPGEN" build "$r" --out "$tmp/svg-ok/out" -q >"$tmp/svg-ok/err" 2>&1 &&
    [ -f "$tmp/svg-ok/out/meetings/2026-01-14-icp/chart.svg" ]; then
	ok "svg-ok: a plain drawing is published"
else
	not_ok "svg-ok: a plain drawing is refused"
	sed 's/^/    /' "$tmp/svg-ok/err" | head
fi

[ $failures = 0 ]
