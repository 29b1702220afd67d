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
base="$TOP/tests/sites/basic/site"

# A fresh copy of the basic site at $tmp/NAME/repo, built once so that
# there is a previous site to keep.  Prints the repository's path.
fresh() {
	local r="$tmp/$1/repo"
	make_repo "$base" "$r" >/dev/null
	"$ICPGEN" build "$r" --out "$tmp/$1/out" -q >/dev/null 2>&1 ||
	    echo "fresh $1: the basic site does not build" >&2
	echo "$r"
}

commit() { git -C "$1" add -A && git -C "$1" commit -qm "${2:-Hostile}"; }

# refused NAME REPO PATTERN [STATUS]: the build fails with exit STATUS
# (default 1; 3 when the repository cannot be read), says PATTERN and
# leaves the previous output as it was.
refused() {
	local name=$1 r=$2 pat=$3 want=${4:-1} out="$tmp/$1/out" rc
	if [ ! -f "$out/index.html" ]; then
		not_ok "$name: no previous site to keep"
		return
	fi
	find "$out" -type f | sort | xargs md5sum >"$tmp/$name/before"
	"$ICPGEN" build "$r" --out "$out" >"$tmp/$name/stdout" \
	    2>"$tmp/$name/err"
	rc=$?
	find "$out" -type f | sort | xargs md5sum >"$tmp/$name/after"
	if [ $rc != "$want" ]; then
		not_ok "$name: exit status $rc, expected $want"
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

# A base URL every address is made from: a query, a name and password
# or a '..' in it would make every link of the site wrong.
for bad in 'https://icp.example.org/?q=1' 'https://u:p@icp.example.org/' \
    'https://icp.example.org/a/../'; do
	n=base-url-$(printf '%s' "$bad" | cksum | cut -c1-6)
	r=$(fresh "$n")
	sed -i "s|^base_url:.*|base_url: \"$bad\"|" "$r/icpgen.yaml"
	commit "$r"
	refused "$n" "$r" "icpgen.yaml:[0-9]+:[0-9]+: error: 'base_url' has"
done

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

# A site's own template that marks front matter safe still prints it as
# text, and the page's CSP allows no script of its.
r=$(fresh fm-safe)
mkdir -p "$r/templates" "$r/pages"
printf '<h1>{{ page.title | safe }}</h1><p>{{ page.data.x | safe }}</p>{{ page.body | safe }}\n' \
    >"$r/templates/page.html"
cat >"$r/pages/evil.md" <<'EOF'
---
title: "<script>alert(1)</script>"
data:
  x: "<img src=x onerror=alert(2)>"
---
Body.
EOF
commit "$r"
if "$ICPGEN" build "$r" --out "$tmp/fm-safe/out" -q >"$tmp/fm-safe/err" 2>&1 &&
    f="$tmp/fm-safe/out/evil/index.html" && [ -f "$f" ] &&
    grep -q '<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1><p>&lt;img src=x onerror=alert(2)&gt;</p><p>Body.</p>' "$f" &&
    ! grep -q "script-src 'self' 'sha256" "$f"; then
	ok "fm-safe: front matter marked safe by a template is escaped"
else
	not_ok "fm-safe: front matter printed raw"
	sed 's/^/    /' "$tmp/fm-safe/err" | head
	grep -o '<h1>.*' "${f:-/dev/null}" | head -3
fi

# A page hook cannot give a page another address: the link would lead
# wherever the hook said (javascript: included).
r=$(fresh hook-url)
mkdir -p "$r/hooks"
cat >"$r/hooks/site.lua" <<'LUA'
icp.hook("page", function (p)
  p.url = "javascript:alert(1)//"
  p.permalink = "javascript:alert(2)//"
end)
LUA
commit "$r"
if "$ICPGEN" build "$r" --out "$tmp/hook-url/out" >"$tmp/hook-url/err" 2>&1 &&
    ! grep -rq 'javascript:' "$tmp/hook-url/out" &&
    grep -q "warning: a 'page' hook changed the page's 'url', which is icpgen's" "$tmp/hook-url/err"; then
	ok "hook-url: a hook's address for a page is refused"
else
	not_ok "hook-url: a hook's address for a page is used"
	grep -rl 'javascript:' "$tmp/hook-url/out" | head -3 | sed 's/^/    /'
fi

# The terms of reference a hook sets after the check are not published
# anywhere: open data gives the address the page links to.
r=$(fresh hook-tor)
mkdir -p "$r/hooks"
cat >"$r/hooks/site.lua" <<'LUA'
icp.hook("page", function (p)
  if p.kind == "committee" then
    p.terms_of_reference = "data:text/html,<script>alert(1)</script>"
  end
end)
LUA
commit "$r"
if "$ICPGEN" build "$r" --out "$tmp/hook-tor/out" >"$tmp/hook-tor/err" 2>&1 &&
    ! grep -rq 'data:text/html' "$tmp/hook-tor/out/data"; then
	ok "hook-tor: open data does not take a hook's unchecked address"
else
	not_ok "hook-tor: open data takes a hook's unchecked address"
	grep -rho '"terms_of_reference": "[^"]*"' "$tmp/hook-tor/out/data" | head -2
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
# Pages render on at most pages/16 + 1 threads (two here), and calls
# spinning at once may each run out before either spends the budget.
# With four spinning pages one starts after it is spent, however the
# threads are scheduled.
r=$(fresh lua-shortcode-loop)
mkdir -p "$r/hooks"
echo 'icp.shortcode("spin", function (args, page) while true do end end)' \
    >"$r/hooks/site.lua"
for f in pages/about.md index.md news/2026-02-01-launch.md committees/icp.md
do
	printf '\n{{< spin >}}\n' >>"$r/$f"
done
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
paper=meetings/2026-01-14-icp/finance.md
r=$(fresh path-meeting-file)
echo '<p>clash</p>' >"$r/meetings/2026-01-14-icp/index.html"
sed -i "s|^attachments:\$|attachments:\n  - file: index.html\n    title: Clash|" "$r/$paper"
commit "$r"
refused path-meeting-file "$r" "same address 'meetings/2026-01-14-icp/index.html'.*'meetings/2026-01-14-icp/index.html'"
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

# attach REPO FILE: list FILE (in the meeting's folder) first among the
# attachments of the paper.
attach() {
	sed -i "s|^attachments:\$|attachments:\n  - file: $2\n    title: Attached|" "$1/$paper"
}

svg_case() {	# name pattern svg-text
	local r
	r=$(fresh "$1")
	printf '%s\n' "$3" >"$r/meetings/2026-01-14-icp/chart.svg"
	attach "$r" chart.svg
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
attach "$r" chart.svg
commit "$r"
if "$ICPGEN" build "$r" --out "$tmp/svg-ok/out" -q >"$tmp/svg-ok/err" 2>&1 &&
    [ -f "$tmp/svg-ok/out/meetings/2026-01-14-icp/chart.svg" ]; then
	ok "svg-ok: a plain drawing is published"
else
	not_ok "svg-ok: a plain drawing is refused"
	sed 's/^/    /' "$tmp/svg-ok/err" | head
fi

# --- 8, 9: damaged and hostile repositories ---------------------------------

# loose REPO ID: the file of loose object ID.
loose() { echo "$1/.git/objects/${2:0:2}/${2:2}"; }

# craft REPO HEADER BODY-BYTES [BODY-FILL]: write a loose object whose
# header is HEADER ("blob 12") and whose body is BODY-BYTES bytes of
# FILL (default 'x'), named by the SHA-1 of what it holds; prints its id.
craft() {
	node -e '
const fs = require("fs"), zlib = require("zlib"), crypto = require("crypto");
const [repo, header, n, fill] = process.argv.slice(1);
const body = Buffer.alloc(Number(n), fill || "x");
const obj = Buffer.concat([Buffer.from(header + "\0"), body]);
const id = crypto.createHash("sha1").update(obj).digest("hex");
const dir = repo + "/.git/objects/" + id.slice(0, 2);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(dir + "/" + id.slice(2), zlib.deflateSync(obj, { level: 9 }));
console.log(id);' "$@"
}

# point PATH of the last commit of REPO at blob ID (plumbing only:
# git itself would refuse to read the damaged object).
point() {
	local r=$1 path=$2 id=$3 tree commit
	git -C "$r" update-index --add --cacheinfo "100644,$id,$path"
	tree=$(git -C "$r" write-tree --missing-ok)
	commit=$(git -C "$r" commit-tree "$tree" -p HEAD -m "Damaged")
	git -C "$r" update-ref refs/heads/main "$commit"
}

r=$(fresh git-truncated)
printf -- '---\ntitle: Truncated\n---\n%s\n' "$(seq 1 2000)" >"$r/pages/cut.md"
commit "$r"
id=$(git -C "$r" rev-parse HEAD:pages/cut.md)
f=$(loose "$r" "$id")
chmod u+w "$f"
head -c 40 "$f" >"$f.tmp" && mv "$f.tmp" "$f"
refused git-truncated "$r" "error: the repository is damaged: object $id is truncated \(run 'git fsck'" 3

r=$(fresh git-header-lies)
id=$(craft "$r" "blob 12" 60)
point "$r" pages/lies.md "$id"
refused git-header-lies "$r" "error: the repository is damaged: object $id is damaged \(longer than its header says\)" 3

r=$(fresh git-wrong-id)
id=$(git -C "$r" rev-parse HEAD:pages/about.md)
f=$(loose "$r" "$id")
other=$(craft "$r" "blob 5" 5 y)
chmod u+w "$f"
cp "$(loose "$r" "$other")" "$f"
refused git-wrong-id "$r" "object $id is damaged \(its contents do not match its id\)" 3

# A damaged object in a folder the repository borrows objects from
# (objects/info/alternates, as git clone --shared or --reference
# writes it) is read by libgit2 like its own, so it is checked too;
# the path given as it is, or relative to the objects folder.  (The
# binary before this check aborted here: "free(): invalid next size".)
alternate() {	# alternate NAME LINE-FORMAT (%s: the other repository)
	local r other id
	r=$(fresh "$1")
	other="$tmp/$1/other"
	git init -q "$other"
	id=$(craft "$other" "blob 12" 60)
	# shellcheck disable=SC2059
	printf "# borrowed\n\n$2\n" "$other" >"$r/.git/objects/info/alternates"
	# git reads the file by LF only, and says the folder with its CR
	# does not exist; libgit2 splits at CR too.
	point "$r" pages/lies.md "$id" 2>/dev/null
	refused "$1" "$r" "error: the repository is damaged: object $id is damaged \(longer than its header says\)" 3
}
alternate git-alternate '%s/.git/objects'
alternate git-alternate-relative '../../../other/.git/objects\r'

# A sound clone that borrows all its objects builds; more borrowed
# folders than are checked is refused.
r=$(fresh git-shared)
git clone -q --shared "$r" "$tmp/git-shared/clone"
if "$ICPGEN" build "$tmp/git-shared/clone" --out "$tmp/git-shared/cout" \
    -q >"$tmp/git-shared/err" 2>&1 &&
    cmp -s "$tmp/git-shared/out/index.html" "$tmp/git-shared/cout/index.html"; then
	ok "git-shared: a clone made with --shared builds the same site"
else
	not_ok "git-shared: a clone made with --shared does not build the same site"
	sed 's/^/    /' "$tmp/git-shared/err" | head -5
fi
r=$(fresh git-alternates-many)
for i in $(seq 70); do
	mkdir -p "$tmp/git-alternates-many/alt$i"
	echo "$tmp/git-alternates-many/alt$i"
done >"$r/.git/objects/info/alternates"
refused git-alternates-many "$r" "in a way icpgen cannot check: more than 63 object folders" 3

# A working folder set elsewhere (core.worktree) that is another
# repository: the threads that read files open the repository that was
# checked, never that one (the damaged object there overflowed
# libgit2's heap: "free(): invalid next size").
r=$(fresh git-core-worktree)
git init -q "$tmp/git-core-worktree/other"
id=$(craft "$tmp/git-core-worktree/other" "blob 12" 60)
point "$r" pages/lies.md "$id"
git -C "$r" config core.worktree ../../other
refused git-core-worktree "$r" "pages/lies.md: error: cannot read from git: object not found"

# A folder whose header claims more than the 64 MB a file may be is
# still checked: only a blob is refused by its size before it is read.
r=$(fresh git-big-tree)
id=$(craft "$r" "tree 70000000" 100)
tree=$( (git -C "$r" ls-tree HEAD; printf '040000 tree %s\tzz\n' "$id") |
    git -C "$r" mktree --missing)
git -C "$r" update-ref refs/heads/main \
    "$(git -C "$r" commit-tree "$tree" -p HEAD -m "A big folder")"
refused git-big-tree "$r" "object $id is damaged \(shorter than its header says\)" 3

# An object file named in upper case is checked too: where names are
# compared without case (vfat, SMB), libgit2 reads it.
r=$(fresh git-upper-case)
id=$(craft "$r" "blob 12" 60)
up=$(echo "${id:2}" | tr a-f A-F)
mv "$(loose "$r" "$id")" "$r/.git/objects/${id:0:2}/$up"
refused git-upper-case "$r" "object $id is damaged \(longer than its header says\)" 3

# A pipe where a loose object should be, likewise.
r=$(fresh git-object-fifo)
mkdir -p "$r/.git/objects/ab"
mkfifo "$r/.git/objects/ab/$(printf '%038d' 5)"
refused git-object-fifo "$r" "object ab0+5 is not a regular file" 3

# A pipe as the alternates file would block a plain open for ever.
r=$(fresh git-alternates-fifo)
mkfifo "$r/.git/objects/info/alternates"
refused git-alternates-fifo "$r" "cannot check: its alternates file is not a regular file" 3

# Loose objects found sound are recorded in the cache folder and not
# read again while their files are as they were (load/objmemo.c).  An
# object the record knows, damaged in place to the same size with its
# modification time put back, is still found: its change time moved.
r=$(fresh git-in-place)
id=$(git -C "$r" rev-parse HEAD:pages/about.md)
f=$(loose "$r" "$id")
cp -p "$f" "$tmp/git-in-place/was"
chmod u+w "$f"
printf 'X' | dd of="$f" bs=1 seek=12 conv=notrunc status=none
touch -r "$tmp/git-in-place/was" "$f"
chmod a-w "$f"
refused git-in-place "$r" "error: the repository is damaged: object $id is " 3

# The record is what skips the check: an unreachable damaged object
# (libgit2 never reads it) is refused until a record of it with its
# file's identity is forged into the cache, and again once the file is
# touched.  Proves both that the record is used and that it is keyed
# by the file.
r=$(fresh git-record)
c="$tmp/git-record/cache"
"$ICPGEN" build "$r" --out "$tmp/git-record/out" --cache-dir "$c" -q \
    >/dev/null 2>&1
other=$(craft "$r" "blob 5" 5 z)
fake=ab$(printf '%038d' 7)
mkdir -p "$r/.git/objects/ab"
cp "$(loose "$r" "$other")" "$(loose "$r" "$fake")"
rm "$(loose "$r" "$other")"
record_build() {	# exit status and message of a build with the cache
	"$ICPGEN" build "$r" --out "$tmp/git-record/out" --cache-dir "$c" \
	    -q >"$tmp/git-record/err" 2>&1
	echo $?
}
forge() {		# add the damaged object to the record, sum made right
	node -e '
const fs = require("fs"), crypto = require("crypto");
const [dir, id, file] = process.argv.slice(1);
const names = fs.readdirSync(dir).filter((n) => n.startsWith("loose-"));
if (names.length !== 1) { console.error("records: " + names); process.exit(1); }
const path = dir + "/" + names[0], d = fs.readFileSync(path);
const head = d.subarray(0, 15 + 32), body = d.subarray(15 + 32, d.length - 32);
const st = fs.statSync(file, { bigint: true });
const rec = Buffer.alloc(60);
Buffer.from(id, "hex").copy(rec, 0);
rec.writeBigUInt64LE(st.dev, 20); rec.writeBigUInt64LE(st.ino, 28);
rec.writeBigUInt64LE(st.size, 36); rec.writeBigInt64LE(st.mtimeNs, 44);
rec.writeBigInt64LE(st.ctimeNs, 52);
const recs = [rec];
for (let i = 0; i < body.length; i += 60) recs.push(body.subarray(i, i + 60));
recs.sort((a, b) => Buffer.compare(a.subarray(0, 20), b.subarray(0, 20)));
const all = Buffer.concat([head, ...recs]);
fs.writeFileSync(path, Buffer.concat([all,
    crypto.createHash("sha256").update(all).digest()]));' "$c" "$fake" "$(loose "$r" "$fake")"
}
st=$(record_build)
if [ "$st" != 3 ] || ! grep -q "object $fake is damaged (its contents do not match its id)" "$tmp/git-record/err"; then
	not_ok "git-record: the damaged object was not found (exit $st)"
	sed 's/^/    /' "$tmp/git-record/err" | head -5
elif ! forge; then
	not_ok "git-record: no record to forge"
elif [ "$(record_build)" != 0 ]; then
	not_ok "git-record: the forged record was not used"
	sed 's/^/    /' "$tmp/git-record/err" | head -5
elif ! touch "$(loose "$r" "$fake")" || [ "$(record_build)" != 3 ]; then
	not_ok "git-record: a touched file was taken as recorded"
else
	ok "git-record"
fi

# Another repository inside the site (a submodule, or a repository
# added by mistake): its files are not the site's, committed or in the
# working tree.
r=$(fresh git-nested)
git init -q -b main "$r/static/vendor"
echo "not ours" >"$r/static/vendor/secret.txt"
git -C "$r/static/vendor" add -A && git -C "$r/static/vendor" commit -qm "Vendor"
git -C "$r" add static/vendor 2>/dev/null && git -C "$r" commit -qm "Add a repository"
"$ICPGEN" build "$r" --out "$tmp/git-nested/c" -q 2>"$tmp/git-nested/err-c"
st_c=$?
"$ICPGEN" build "$r" --worktree --out "$tmp/git-nested/w" -q 2>"$tmp/git-nested/err-w"
st_w=$?
if [ $st_c = 0 ] && [ $st_w = 0 ] && [ -f "$tmp/git-nested/w/index.html" ] &&
    ! grep -rlq "not ours" "$tmp/git-nested/c" "$tmp/git-nested/w"; then
	ok "git-nested: a repository inside the site is not published, committed or not"
else
	not_ok "git-nested: a repository inside the site is not published (exit $st_c, $st_w)"
	grep -rl "not ours" "$tmp/git-nested/c" "$tmp/git-nested/w" | sed 's/^/    /'
	cat "$tmp/git-nested/err-c" "$tmp/git-nested/err-w" | sed 's/^/    /' | head
fi

# Symbolic links, committed or in the working tree, to a file outside
# the repository and to a page inside it: never read, and said.
r=$(fresh git-symlink)
ln -s /etc/passwd "$r/static/passwd.txt"
ln -s ../pages/about.md "$r/pages/alias.md"
commit "$r" "Links"
"$ICPGEN" build "$r" --out "$tmp/git-symlink/c" 2>"$tmp/git-symlink/err-c"
st_c=$?
"$ICPGEN" build "$r" --worktree --out "$tmp/git-symlink/w" 2>"$tmp/git-symlink/err-w"
st_w=$?
said=0
for e in c w; do
	for f in static/passwd.txt pages/alias.md; do
		grep -qF "$f: warning: not published: this is a symbolic link, which could point anywhere (commit the file itself)" \
		    "$tmp/git-symlink/err-$e" && said=$((said + 1))
	done
done
if [ $st_c = 0 ] && [ $st_w = 0 ] && [ $said = 4 ] &&
    ! grep -rlq "root:" "$tmp/git-symlink/c" "$tmp/git-symlink/w" &&
    [ ! -e "$tmp/git-symlink/c/alias" ] && [ ! -e "$tmp/git-symlink/w/alias" ]; then
	ok "git-symlink: links are not published, and each is named"
else
	not_ok "git-symlink: links are not published, and each is named (exit $st_c, $st_w; $said of 4 said)"
	cat "$tmp/git-symlink/err-c" "$tmp/git-symlink/err-w" | sed 's/^/    /' | head
fi

# Names of files published as they are (static/) are the maintainer's,
# but a new line or bytes that are not UTF-8 cannot be a URL.
r=$(fresh static-names)
printf 'x' >"$r/static/a
b.txt"
commit "$r" "A name with a new line"
refused static-names "$r" 'static/a\\nb.txt: error: file name cannot be published: it holds a control character'
r=$(fresh static-names-utf8)
printf 'y' >"$r/$(printf 'static/r\377port.txt')"
printf 'z' >"$r/static/Annual Report (2025).txt"
commit "$r" "A name that is not UTF-8"
refused static-names-utf8 "$r" 'static/r\\xffport.txt: error: file name cannot be published: it is not UTF-8 text'
if grep -q 'Annual Report' "$tmp/static-names-utf8/err"; then
	not_ok "static-names: a name with spaces and capitals in static/ is refused"
else
	ok "static-names: a name with spaces and capitals in static/ is the maintainer's"
fi

r=$(fresh git-bomb)
id=$(craft "$r" "blob 209715200" 209715200)
point "$r" pages/bomb.md "$id"
if [ "$(wc -c <"$(loose "$r" "$id")")" -gt 1000000 ]; then
	not_ok "git-bomb: the bomb is not small"
fi
refused git-bomb "$r" "pages/bomb.md: error: file is larger than 64 MB"
# The same as an attachment, which is read for its pages and copied:
# said once, with a hint.
r=$(fresh git-bomb-pdf)
point "$r" meetings/2026-01-14-icp/report.pdf "$(craft "$r" "blob 209715200" 209715200)"
refused git-bomb-pdf "$r" "meetings/2026-01-14-icp/report.pdf: error: file is larger than 64 MB \\(publish a smaller file"
if [ "$(grep -c 'report.pdf: error' "$tmp/git-bomb-pdf/err")" = 1 ]; then
	ok "git-bomb-pdf: said once"
else
	not_ok "git-bomb-pdf: said once"
	sed 's/^/    /' "$tmp/git-bomb-pdf/err" | head -5
fi

r=$(fresh git-zero-ref)
printf '%040d\n' 0 >"$r/.git/refs/heads/main"
refused git-zero-ref "$r" "error: the repository is damaged: ref 'HEAD' points at no commit" 3

r=$(fresh git-shallow)
git clone -q --depth 1 "file://$r" "$tmp/git-shallow/clone" 2>/dev/null
"$ICPGEN" build "$tmp/git-shallow/clone" --out "$tmp/git-shallow/out" -q \
    >/dev/null 2>&1
refused git-shallow "$tmp/git-shallow/clone" \
    "is a shallow clone: without its full history the site would misdate" 3

# A commit in the middle of the history whose tree was made by hand
# (git hash-object --literally), malformed: the history walk reads it
# raw and refuses it.  The commit after it restores the site, so only
# the walk meets the damage.
bad_tree() {	# name reason printf-format (@ID@: a blob's raw id)
	local r tree good mid esc fmt
	r=$(fresh "$1")
	# The id as printf escapes: raw bytes (NULs too) only in the pipe.
	esc=$(git -C "$r" rev-parse HEAD:index.md | sed 's/../\\x&/g')
	fmt=${3//@ID@/"$esc"}
	fmt=${fmt//@SHORT@/"${esc:0:40}"}
	tree=$(printf "$fmt" | git -C "$r" hash-object -t tree --literally -w --stdin)
	good=$(git -C "$r" rev-parse 'HEAD^{tree}')
	mid=$(git -C "$r" commit-tree "$tree" -p HEAD -m "A damaged tree")
	git -C "$r" update-ref refs/heads/main \
	    "$(git -C "$r" commit-tree "$good" -p "$mid" -m "Repaired")"
	refused "$1" "$r" "error: cannot read a tree: tree [0-9a-f]{12} is malformed \\($2; run 'git fsck'\\)"
}
bad_tree git-tree-bad-mode "bad entry mode" '10064x index.md\0@ID@'
bad_tree git-tree-no-nul "entry name without its end" '100644 index.md'
bad_tree git-tree-short-id "truncated entry id" '100644 index.md\0@SHORT@'
bad_tree git-tree-slash "bad entry name" '100644 pages/index.md\0@ID@'
bad_tree git-tree-dotdot "bad entry name" '40000 ..\0@ID@'
bad_tree git-tree-unsorted "entries out of order" '100644 z.md\0@ID@100644 index.md\0@ID@'
bad_tree git-tree-duplicate "duplicate entries" '100644 index.md\0@ID@100644 index.md\0@ID@'
bad_tree git-tree-file-and-folder "duplicate entries" '100644 a\0@ID@40000 a\0@ID@'
bad_tree git-tree-null-id "entry with the null id" '100644 index.md\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'

# Commits dated outside the years 1 to 9999, made by hand (git itself
# writes no such date): a page's publication would be shown with a
# date that is not one, so the build names the commit and publishes
# nothing.  The ends of a 64-bit time, and the first second of 10000;
# the last second of 9999 is a date and builds (on that day: a commit
# dated after the build date is dated no later than it).
dated() {	# dated REPO SECONDS: a commit at SECONDS editing index.md
	local tree
	printf '\nEdited.\n' >>"$1/index.md"
	git -C "$1" add -A
	tree=$(git -C "$1" write-tree)
	git -C "$1" update-ref refs/heads/main "$(printf 'tree %s\nparent %s\nauthor A <a@example.org> %s +0000\ncommitter A <a@example.org> %s +0000\n\nDated by hand\n' \
	    "$tree" "$(git -C "$1" rev-parse HEAD)" "$2" "$2" |
	    git -C "$1" hash-object -t commit --literally -w --stdin)"
}
for t in -9223372036854775808 9223372036854775807 253402300800; do
	r=$(fresh "git-date=$t")
	dated "$r" "$t"
	refused "git-date=$t" "$r" \
	    "icpgen: error: commit [0-9a-f]{40} is dated $t seconds from 1970, outside the years 1 to 9999"
done
r=$(fresh git-date-9999)
dated "$r" 253402300799
if ! "$ICPGEN" build "$r" --out "$tmp/git-date-9999/out" -q \
    --date 9999-12-31 2>"$tmp/git-date-9999/err"; then
	not_ok "git-date-9999: the build failed"
	sed 's/^/    /' "$tmp/git-date-9999/err" | head -10
elif ! grep -q 'datetime="9999-12-31T23:59:59Z"' \
    "$tmp/git-date-9999/out/history/index.html"; then
	not_ok "git-date-9999: the version's date is not shown"
else
	ok "git-date-9999: a commit of the last second of 9999 is shown with its date"
fi

# The watchdog: a timeout too short for any read makes a clean error.
r=$(fresh git-watchdog)
big=$(craft "$r" "blob 40000000" 40000000)
point "$r" static/big.txt "$big"
ICPGEN_GIT_TIMEOUT=0.001 refused git-watchdog "$r" \
    "icpgen: error: the repository is damaged: reading '.*' took more than 0.001 seconds \(run 'git fsck' there\)" 3

# ... but a long history is not a hang: the timeout is for one step of
# the history walk (a commit), not the whole walk, which on a large
# repository or a loaded machine can rightly take longer (a sound
# repository of 20,000 commits was once called damaged after 60 s).
# The walk's time here is the link time of a cold build less that of a
# build whose walk is cached; the timeout is a quarter of it, so a walk
# timed as one section would overrun it.  But never under 1 s: some
# stretches of a build are not steps of a walk (the replay after it,
# saving the cache), and under ASan on a loaded 2-core machine they
# took 0.1-0.3 s, too close to the floor of 0.25 s this had.  4,000
# commits make a walk of about 3 s under ASan here (1,500 made 1.1 s);
# a walk too short to overrun 1 s well is no test of it: skipped.
r="$tmp/git-long-walk"
bash "$TOP/tests/bench/history-gen.sh" "$r/repo" 3000 4000 >/dev/null 2>&1
link_ms() {	# link_ms OUT CACHE [env...]: build, print the link time
	local out=$1 cache=$2
	shift 2
	env -u ICPGEN_THEMEDIR "$@" "$ICPGEN" build "$r/repo" --out "$out" \
	    --cache-dir "$cache" -j 1 2>"$r/err" | sed -n 's/.*link \([0-9]*\) ms.*/\1/p'
	sed -n 's/.*link \([0-9]*\) ms.*/\1/p' "$r/err"
}
cold=$(link_ms "$r/out1" "$r/c1")
rm -f "$r"/c1/versions-*
warm=$(link_ms "$r/out2" "$r/c1")
if [ -z "$cold" ] || [ -z "$warm" ] || [ ! -f "$r/out1/index.html" ]; then
	not_ok "git-long-walk: the site did not build"
else
	limit=$(awk -v c="$cold" -v w="$warm" 'BEGIN { t = (c - w) / 4000; print t < 1 ? 1 : t }')
	if [ $((cold - warm)) -lt 1500 ]; then
		ok "git-long-walk # SKIP a walk of $((cold - warm)) ms is too short to overrun a $limit s timeout"
	elif ICPGEN_GIT_TIMEOUT=$limit env -u ICPGEN_THEMEDIR "$ICPGEN" build \
	    "$r/repo" --out "$r/out3" --cache-dir "$r/c3" -j 1 -q >"$r/err" 2>&1 &&
	    diff -r "$r/out1" "$r/out3" >/dev/null; then
		ok "git-long-walk: a walk of about $((cold - warm)) ms with a $limit s timeout"
	else
		not_ok "git-long-walk: a sound history whose walk took longer than the $limit s timeout was refused: $(head -c 300 "$r/err")"
	fi
fi

# A big site that is all new at once (moved into git in one go): What's
# new lists the newest 500 and says how many there are, instead of one
# page of thousands (at 100,000 pages it broke the 16 MiB output bound).
day=$(git -C "$r/repo" log -1 --format=%cd --date=short)
if env -u ICPGEN_THEMEDIR "$ICPGEN" build "$r/repo" --out "$r/out4" \
    --cache-dir "$r/c1" --date "$day" -q >"$r/err" 2>&1; then
	f=$r/out4/whats-new/index.html
	n=$(grep -c '<li class="icp-list__item">' "$f")
	total=$(sed -n 's/.*The 500 most recent of the \([0-9]*\) pages we have published or changed in the last 60 days.*/\1/p' "$f")
	dates=$(grep -o 'changed on <time datetime="[0-9-]*"\|published on <time datetime="[0-9-]*"' "$f" |
	    grep -o '[0-9-]*$')
	if [ "$n" = 500 ] && [ -n "$total" ] && [ "$total" -gt 500 ] &&
	    [ "$dates" = "$(echo "$dates" | sort -r)" ]; then
		ok "whats-new: the newest 500 of $total, newest first"
	else
		not_ok "whats-new: $n items, total '$total'"
	fi
else
	not_ok "whats-new: the all-new site did not build: $(head -c 300 "$r/err")"
fi

[ $failures = 0 ]
