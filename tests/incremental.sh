#!/usr/bin/env bash
# Incremental builds: a build into an output folder it built before
# (with the build manifest of its cache folder, and files linked from
# the old tree) must give exactly what a cold build gives, after any
# kind of edit; a build with nothing to do does nothing.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
RANDOM=1405		# the same edits every run

# The basic golden site with a hook and a Lua module, and a copy of the
# installed themes that can be edited too.
cp -R "$TOP/tests/themes" "$tmp/themes"
export ICPGEN_THEMEDIR="$tmp/themes"
mkdir -p "$tmp/src"
cp -R "$TOP/tests/sites/basic/site"/. "$tmp/src"/
mkdir -p "$tmp/src/hooks" "$tmp/src/lua"
cat >"$tmp/src/hooks/site.lua" <<'EOF'
local suffix = require("suffix")
icp.hook("page", function(page)
  if page.kind == "news" then
    page.title = page.title .. suffix
  end
end)
EOF
printf 'return " (v0)"\n' >"$tmp/src/lua/suffix.lua"
printf -- '---\ntitle: Notes\n---\nNotes.\n' >"$tmp/src/pages/notes.md"
# A name the manifest must escape (a space, '%', non-ASCII): the no-op
# test below reads it back.
printf 'odd\n' >"$tmp/src/static/a 100%% é.txt"
# No warnings: a build with warnings is never skipped (see 8).
rm "$tmp/src/meetings/2026-01-14-icp/contract.md" \
    "$tmp/src/meetings/2026-01-14-icp/bids.csv"
make_repo "$tmp/src" "$tmp/repo"
repo=$tmp/repo
out=$tmp/out
cache=$tmp/cache

incr() {	# build into the persistent folder; stderr to $tmp/err
	"$ICPGEN" build "$repo" --out "$out" --cache-dir "$cache" "$@" \
	    2>"$tmp/err"
}
cold() {	# a cold build into $tmp/cold with an empty cache
	rm -rf "$tmp/cold" "$tmp/coldcache"
	"$ICPGEN" build "$repo" --out "$tmp/cold" --cache-dir \
	    "$tmp/coldcache" -q "$@" 2>"$tmp/coldterr"
}
# refused NAME PATTERN: true when a build fails with an error matching
# PATTERN; otherwise says what went wrong (not_ok) and is false.
refused() {
	if incr -q; then
		not_ok "$1: the build succeeded"
	elif ! grep -q "$2" "$tmp/err"; then
		not_ok "$1: not reported"
		sed 's/^/    /' "$tmp/err"
	else
		return 0
	fi
	return 1
}
modes() { (cd "$1" && find . -printf '%M %p\n' | sort); }
# Every name of a tree with its inode and times: what a build touched.
inodes() { (cd "$1" && find . -printf '%i %T@ %C@ %p\n' | sort); }
# Files of the output with links outside it and the previous site,
# which the build keeps beside it as .out.prev.
shared() {	# fields by tabs: names may have spaces
	find "$out" "$tmp/.out.prev" -type f -printf '%i\n' 2>/dev/null |
	    sort | uniq -c | awk '{ print $2 "\t" $1 }' >"$tmp/names"
	(cd "$out" && find . -type f -links +1 -printf '%i\t%n\t%p\n') |
	    sort | join -t "$(printf '\t')" - "$tmp/names" |
	    awk -F '\t' '$2 != $4 { print $3 }'
}
same() {	# name: the persistent folder equals a cold build
	if ! diff -r "$tmp/cold" "$out" >"$tmp/diff" 2>&1; then
		not_ok "$1: output differs from a cold build"
		head -20 "$tmp/diff" | sed 's/^/    /'
	elif ! diff <(modes "$tmp/cold") <(modes "$out") >"$tmp/diff"; then
		not_ok "$1: file modes differ from a cold build"
		head -20 "$tmp/diff" | sed 's/^/    /'
	elif shared >"$tmp/diff" && [ -s "$tmp/diff" ]; then
		not_ok "$1: files linked to something besides the previous site"
		head -20 "$tmp/diff" | sed 's/^/    /'
	else
		return 0
	fi
	return 1
}
commit() { git -C "$repo" add -A && git -C "$repo" commit -q -m "$1"; }

incr -q || { not_ok "first build failed"; sed 's/^/    /' "$tmp/err"; }

# 1. Nothing changed: up to date, and not one file touched.
inodes "$out" >"$tmp/before"
if ! incr; then
	not_ok "no-op: build failed"
elif ! grep -q "is up to date" "$tmp/err" ||
    ! grep -q "0 errors, 0 warnings" "$tmp/err"; then
	not_ok "no-op: did not say the site is up to date"
	sed 's/^/    /' "$tmp/err"
elif ! inodes "$out" | cmp -s - "$tmp/before"; then
	not_ok "no-op: the output folder changed"
else
	ok "no-op build says up to date and changes nothing"
fi

# A killed build's staging folder beside the site is removed by the
# next build, even one with nothing else to do.
dead=$(sh -c 'echo $$')
mkdir -p "$tmp/.out.new-$dead/meetings"
if ! incr || ! grep -q "is up to date" "$tmp/err"; then
	not_ok "no-op with a stale staging folder: not a no-op"
elif [ -e "$tmp/.out.new-$dead" ]; then
	not_ok "a no-op build left a killed build's staging folder"
else
	ok "a no-op build removes a killed build's staging folder"
fi

# The binary is known by its bytes (and its libraries), not by its
# inode's times: a hard link to it (perf's build-id cache makes one)
# changes its ctime, which made the next build render every page
# again; a binary whose bytes differ is another build of icpgen.
cp "$ICPGEN" "$tmp/icpgen-copy"
self() { "$tmp/icpgen-copy" build "$repo" --out "$out" --cache-dir "$cache" \
    "$@" 2>"$tmp/err"; }
self -q
ln "$tmp/icpgen-copy" "$tmp/icpgen-link"
if ! self || ! grep -q "is up to date" "$tmp/err"; then
	not_ok "a hard link to the binary made the next build not a no-op"
	sed 's/^/    /' "$tmp/err"
else
	printf '\n' >>"$tmp/icpgen-copy"	# trailing bytes: it still runs
	if ! self || grep -q "is up to date" "$tmp/err"; then
		not_ok "a binary with other bytes was taken for the same one"
		sed 's/^/    /' "$tmp/err"
	else
		ok "the binary is known by its bytes, not by its links or times"
	fi
fi
rm -f "$tmp/icpgen-copy" "$tmp/icpgen-link"
incr -q		# back to the tested binary's build

# 2. Twenty random edits of every kind, each committed and built both
#    ways.
md_files() { git -C "$repo" ls-files '*.md' | grep -v -e '^index.md$' \
    -e '^committees/' -e '/index.md$'; }
# pick N: line N (modulo their number) of the input.  N is $RANDOM read
# by the caller outside $(...): a subshell reseeds RANDOM (bash 5.1 on),
# so a read in one gives other edits on every run.
pick() { local a; mapfile -t a; echo "${a[$1 % ${#a[@]}]}"; }
# Pages that may go (index.md links to about.md; notes.md stays for
# the tests after these).
pool() { git -C "$repo" ls-files 'news/*.md' 'pages/*.md' | grep -v -e notes -e about; }
kinds="content template config hook module theme style sitestyle static delete rename"
nkinds=$(echo $kinds | wc -w)
n=0 bad=0
for i in $(seq 1 20); do
	k=$(echo $kinds | tr ' ' '\n' | sed -n "$(( (i - 1) % nkinds + 1 ))p")
	r=$RANDOM
	[ "$i" -gt "$nkinds" ] && k=$(echo $kinds | tr ' ' '\n' | pick $r)
	case $k in
	content)
		r=$RANDOM
		f=$(md_files | pick $r)
		printf '\nEdit %d: %s.\n' "$i" "$RANDOM" >>"$repo/$f" ;;
	template)
		printf '<p class="edit">Template edit %d</p>\n' "$i" \
		    >>"$repo/templates/news.html" ;;
	config)
		sed -i "s/^name: .*/name: Testshire ICP $i/" \
		    "$repo/icpgen.yaml" ;;
	hook)
		sed -i "s/page.title .. suffix/page.title .. suffix .. \"\"/" \
		    "$repo/hooks/site.lua" ;;
	module)
		printf 'return " (v%d)"\n' "$i" >"$repo/lua/suffix.lua" ;;
	theme)	# the installed theme, outside the repository
		printf '\n<!-- theme edit %d -->\n' "$i" \
		    >>"$tmp/themes/plain/templates/page.html" ;;
	style)	# the installed theme's stylesheet (the CSS cache)
		printf '.edit-%d { margin: %dpx; }\n' "$i" "$i" \
		    >>"$tmp/themes/plain/scss/_base.scss" ;;
	sitestyle)	# the site's: first a new _site.scss, which comes
			# before site.scss, then edits of it
		printf '.site-edit-%d { padding: %dpx; }\n' "$i" "$i" \
		    >>"$repo/assets/_site.scss" ;;
	static)
		printf 'Edit %d\n' "$i" >>"$repo/static/humans.txt" ;;
	delete)
		r=$RANDOM
		f=$(pool | pick $r)
		if [ -n "$f" ] && [ "$(pool | wc -l)" -gt 1 ]; then
			git -C "$repo" rm -q "$f"
		else
			printf -- '---\ntitle: Added %d\ndate: 2026-02-0%d\n---\nNew.\n' \
			    "$i" $((i % 9 + 1)) >"$repo/news/2026-02-0$((i % 9 + 1))-added-$i.md"
		fi ;;
	rename)
		r=$RANDOM
		f=$(pool | pick $r)
		d=$(dirname "$f")
		b=$(basename "$f" .md)
		git -C "$repo" mv "$f" "$d/${b%-r*}-r$i.md" ;;
	esac
	commit "edit $i: $k" >/dev/null
	if ! incr -q; then
		not_ok "edit $i ($k): incremental build failed"
		sed 's/^/    /' "$tmp/err"
		bad=$((bad + 1))
		continue
	fi
	cold
	same "edit $i ($k)" || bad=$((bad + 1))
	n=$((n + 1))
done
[ $bad = 0 ] && ok "20 random edits: every incremental build equals a cold build ($kinds)"

# The last of those kept most files in place, and its manifest took
# what they are from the build rather than stat them again: the next
# build, with nothing changed, finds every file as recorded.
if ! incr || ! grep -q "is up to date" "$tmp/err"; then
	not_ok "no-op after incremental builds: not up to date"
	sed 's/^/    /' "$tmp/err"
else
	ok "after incremental builds, a build with nothing changed is a no-op"
fi

# 3. A build with a content error leaves the site and the manifest as
#    they were; the next good build is right.
inodes "$out" >"$tmp/before"
manifest() { ls "$cache"/build-???????????????? ; }	# not its .pages
cp "$(manifest)" "$tmp/manifest-before"
printf -- '---\ntitle: Broken\ndate: 2026-02-30\n---\nx\n' \
    >"$repo/news/2026-02-28-broken.md"
commit "broken"
if incr -q; then
	not_ok "content error: the build succeeded"
elif ! inodes "$out" | cmp -s - "$tmp/before"; then
	not_ok "content error: the published site changed"
elif ! cmp -s "$(manifest)" "$tmp/manifest-before"; then
	not_ok "content error: the manifest changed"
else
	git -C "$repo" rm -q news/2026-02-28-broken.md
	printf '\nFixed.\n' >>"$repo/pages/notes.md"
	commit "fixed"
	if ! incr -q; then
		not_ok "content error: the next good build failed"
	else
		cold
		same "content error, then a good build" &&
		    ok "a failed build leaves the site; the next good one is right"
	fi
fi

# 3b. An error found only when linking (an unknown committee) comes
#     after the build has taken the spare, whose files may be the site's
#     too. Still nothing of the site changes, not even a file's link
#     count or ctime (which the manifest records, to notice files
#     edited by hand), so the good commit built again is a no-op.
#     Before, every file linked or unlinked there made the next build
#     render the whole site again.
links() { (cd "$1" && find . -printf '%i %n %T@ %C@ %p\n' | sort); }
# After a build that had to fail (its messages in $tmp/err): did it
# fail with want, leave the site's files and the manifest as they were
# (links "$out" in $tmp/before, $tmp/manifest-before), and is the good
# commit $good built again a no-op?  Says not ok when not.
untouched() {	# label want
	if ! grep -q "$2" "$tmp/err"; then
		not_ok "$1: not the error expected"
		sed 's/^/    /' "$tmp/err"
	elif ! links "$out" | diff "$tmp/before" - >"$tmp/diff"; then
		not_ok "$1: the site's files changed (links or times)"
		head -6 "$tmp/diff" | sed 's/^/    /'
	elif ! cmp -s "$(manifest)" "$tmp/manifest-before"; then
		not_ok "$1: the manifest changed"
	elif ! incr --ref "$good" || ! grep -q "is up to date" "$tmp/err"; then
		not_ok "$1: the good commit built again is not a no-op"
		sed 's/^/    /' "$tmp/err"
	else
		return 0
	fi
	return 1
}
good=$(git -C "$repo" rev-parse HEAD)
m=$(grep '^committee: ' "$repo/meetings/2026-04-08-icp/index.md")
links "$out" >"$tmp/before"
cp "$(manifest)" "$tmp/manifest-before"
sed -i 's/^committee: .*/committee: no-such-committee/' \
    "$repo/meetings/2026-04-08-icp/index.md"
commit "unknown committee"
if incr -q; then
	not_ok "link error: the build succeeded"
elif untouched "link error" "unknown committee 'no-such-committee'"; then
	ok "a build failing when linking leaves the site's files untouched; the good commit is then a no-op"
fi
sed -i "s/^committee: .*/$m/" "$repo/meetings/2026-04-08-icp/index.md"
commit "committee again"

# 3c. An error found only while rendering (a link to no page) comes
#     after other pages were kept.  A page kept from the site in place
#     whose file the spare does not share (here: every page, as the
#     build before changed them all) used to be linked at once, which
#     changed its link count and ctime in the site in place: the good
#     commit built again rendered every page, and so did the next edit.
#     Such links are made only when the site is published.
incr -q
# Every page changes: the spare's files all differ from the site's.
sed -i "s/^name: .*/name: Testshire ICP (3c)/" "$repo/icpgen.yaml"
commit "before bad link"
incr -q
good=$(git -C "$repo" rev-parse HEAD)
links "$out" >"$tmp/before"
cp "$(manifest)" "$tmp/manifest-before"
printf '\nSee [nowhere](/no-such-page/).\n' >>"$repo/pages/about.md"
commit "bad link"
if incr; then
	not_ok "render error: the build succeeded"
elif untouched "render error" "no-such-page"; then
	sed -i '$d' "$repo/pages/about.md"
	printf 'Fixed the link.\n' >>"$repo/pages/about.md"
	commit "link fixed"
	incr
	kept=$(sed -n 's/.* \([0-9][0-9]*\) pages kept.*/\1/p' "$tmp/err")
	cold
	if [ "${kept:-0}" -lt 20 ]; then
		not_ok "render error: the next edit kept ${kept:-no} pages"
		sed 's/^/    /' "$tmp/err"
	elif same "render error, then a fix"; then
		ok "a build failing while rendering leaves the site's files untouched; the good commit is then a no-op, and the fix keeps $kept pages"
	fi
fi

# 3d. The same when the failing build writes pages anew at names whose
#     file in the spare is the site's too (the builds before changed
#     one page each, so the spare shares nearly every file with the
#     site): removing such a name while rendering changed the site's
#     files' link counts and times.  The new file is written beside it
#     and put in place only when the site is published.
for k in 1 2; do
	printf '\nOne page %s.\n' "$k" >>"$repo/pages/notes.md"
	commit "one page $k"
	incr -q
done
good=$(git -C "$repo" rev-parse HEAD)
links "$out" >"$tmp/before"
cp "$(manifest)" "$tmp/manifest-before"
sed -i "s/^name: .*/name: Testshire ICP (3d)/" "$repo/icpgen.yaml"
printf '\nSee [nowhere](/no-such-page-3d/).\n' >>"$repo/pages/about.md"
commit "every page, and a bad link"
if incr; then
	not_ok "render error after pages written anew: the build succeeded"
	ok3d=false
else
	untouched "render error after pages written anew" "no-such-page-3d" &&
	    ok3d=true || ok3d=false
fi
sed -i '$d' "$repo/pages/about.md"
commit "the link removed"
incr
cold
same "pages written anew after a failed build" && $ok3d &&
    ok "a build failing after writing pages anew whose spare files are the site's too leaves the site's files untouched"

# 4. A corrupt manifest is ignored: a full build, and a correct one.
printf '\nCorrupt.\n' >>"$repo/pages/notes.md"
commit "before corrupt"
incr -q
for how in truncate garble empty pages-truncate pages-garble pages-digest \
    pages-empty words-truncate words-garble words-empty; do
	m=$(manifest)
	case $how in
	pages-*|words-*)
		# A build to corrupt the page keys or search words of, whose
		# pages are kept.
		printf '\nCorrupt %s.\n' "$how" >>"$repo/pages/notes.md"
		commit "before $how"
		incr -q
		case $how in pages-*) m=$m.pages ;; *) m=$m.extra ;; esac ;;
	esac
	if [ ! -s "$m" ]; then
		not_ok "corrupt manifest ($how): no $m to corrupt"
		continue
	fi
	case $how in
	*truncate) head -c $(( $(wc -c <"$m") / 2 )) "$m" >"$m.x" ;;
	garble)	sed 's/^f \([0-9]*\)/f 1\1/' "$m" >"$m.x" ;;
	pages-garble) sed 's/^\(p [0-9a-f]* [^ ]* \)[0-9]*/\19999999/' "$m" >"$m.x" ;;
	pages-digest) # every page's keys said to give something else
		sed 's/^p [0-9a-f]* /p 0000000000000000000000000000000000000000000000000000000000000000 /' "$m" >"$m.x" ;;
	words-garble) # a word of the notes page, which stays kept
		sed 's/corrupt/corrupx/g' "$m" >"$m.x"
		cmp -s "$m" "$m.x" &&
		    not_ok "corrupt manifest ($how): no word to garble" ;;
	*empty)	: >"$m.x" ;;
	esac
	mv "$m.x" "$m"
	case $how in
	pages-*)
		printf '\nAfter %s.\n' "$how" >>"$repo/pages/notes.md"
		commit "after $how" ;;
	words-*) # another page, so that the notes page is kept
		printf '\nAfter %s.\n' "$how" >>"$repo/pages/about.md"
		commit "after $how" ;;
	esac
	rm -rf "$out/news"	# so that only a real build repairs it
	if ! incr; then
		not_ok "corrupt manifest ($how): build failed"
		sed 's/^/    /' "$tmp/err"
	elif grep -q "up to date" "$tmp/err"; then
		not_ok "corrupt manifest ($how): said up to date"
	else
		cold
		same "corrupt manifest ($how)" &&
		    ok "corrupt manifest ($how): a correct full build"
	fi
done

# 4b. The parse cache (each page's front matter as last parsed, by blob
#     id) is used only whole: a byte of a title changed in it, or the
#     file cut short, and the pages are parsed again.
for how in garble truncate; do
	pf=$(ls "$cache"/parsed-* 2>/dev/null | head -n 1)
	at=$(grep -boa 'About the partnership' "$pf" 2>/dev/null | head -n 1 |
	    cut -d: -f1)
	if [ -z "$pf" ] || [ -z "$at" ]; then
		not_ok "parse cache ($how): no cache with the about page's title to damage"
		continue
	fi
	case $how in
	garble) printf 'X' | dd of="$pf" bs=1 seek="$at" conv=notrunc \
	    2>/dev/null ;;
	truncate) truncate -s $(( $(wc -c <"$pf") / 2 )) "$pf" ;;
	esac
	printf '\nParse cache %s.\n' "$how" >>"$repo/pages/notes.md"
	commit "after damaging the parse cache ($how)"
	if ! incr -q; then
		not_ok "parse cache ($how): build failed"
		sed 's/^/    /' "$tmp/err"
	else
		cold
		same "a damaged parse cache ($how)" &&
		    ok "parse cache ($how): not used, the output is right"
	fi
done

# 5. Files edited by hand in the output folder are not kept as if they
#    were right: appended to, or changed in place with the same size
#    and the old modification time put back.
f=$(cd "$out" && find . -name index.html | head -1)
echo "hand edit" >>"$out/$f"
if ! incr || grep -q "up to date" "$tmp/err"; then
	not_ok "hand edit: the build kept the edited file"
else
	cold
	same "hand edit (appended)" && ok "a file edited by hand is rebuilt"
	if grep -Eq "[1-9][0-9]* unchanged \(linked\)" "$tmp/err"; then
		ok "unchanged files are linked from the previous build"
	else
		not_ok "no file was linked from the previous build"
		sed 's/^/    /' "$tmp/err"
	fi
fi
sed -i '0,/<title>/s/<title>/<titlf>/' "$out/$f"
touch -r "$out/.icpgen-site" "$out/$f"
if ! incr || grep -q "up to date" "$tmp/err"; then
	not_ok "hand edit in place: the build kept the edited file"
else
	cold
	same "hand edit (same size, time put back)" &&
	    ok "a file edited in place, time put back, is rebuilt"
fi
# A file added by hand is noticed too.
echo extra >"$out/extra.txt"
if incr && ! grep -q "up to date" "$tmp/err" && [ ! -e "$out/extra.txt" ]
then
	ok "a file added by hand to the output folder is noticed"
else
	not_ok "a file added by hand survived the build"
fi

# 6. The working tree: an uncommitted edit is an input.
incr -q --worktree
incr --worktree
grep -q "up to date" "$tmp/err" || {
	not_ok "worktree: second build not a no-op"
	sed 's/^/    /' "$tmp/err"
}
printf '\nUncommitted.\n' >>"$repo/pages/notes.md"
if incr --worktree && ! grep -q "up to date" "$tmp/err" &&
    grep -rq Uncommitted "$out/notes/"; then
	ok "worktree: an uncommitted edit makes a new build"
else
	not_ok "worktree: an uncommitted edit was missed"
fi
git -C "$repo" checkout -q -- pages/notes.md

# 7. Another output folder or --base-url is another build.
incr -q
incr -q --base-url https://other.example.org/
if grep -rq "other.example.org" "$out"; then
	ok "--base-url is an input"
else
	not_ok "--base-url change was not built"
fi

# 8. A build with warnings is never skipped: the next build repeats its
#    warnings, as a full build would, rather than "nothing to do".  It
#    still keeps the pages that gave none: a site with one lasting
#    warning used to render every page on every build.
printf 'Stray notes.\n' >"$repo/NOTES.md"
commit "A stray Markdown file (a warning)"
incr -q
incr
kept=$(sed -n 's/.* \([0-9][0-9]*\) pages kept.*/\1/p' "$tmp/err")
if grep -q "up to date" "$tmp/err" ||
    ! grep -q "NOTES.md: warning: not published" "$tmp/err"; then
	not_ok "warnings: the second build did not repeat them"
	sed 's/^/    /' "$tmp/err"
elif [ "${kept:-0}" -lt 20 ]; then
	not_ok "warnings: the second build kept ${kept:-no} pages"
	sed 's/^/    /' "$tmp/err"
elif cold && same "warnings, built again"; then
	ok "a build with warnings is not skipped: its warnings are repeated, and $kept pages kept"
fi

# 9. Pages kept: after an edit to one page, pages whose inputs are all
#    as they were are not rendered again (their files are linked), and
#    the site is still exactly a cold build's.
git -C "$repo" rm -q -f NOTES.md
commit "No stray file"
incr -q
total() { sed -n 's/^  pages: //p' "$tmp/err" | tr ',' '\n' |
    awk '{ n += $1 } END { print n + 0 }'; }
kept() { sed -n 's/.* \([0-9]*\) pages kept from the last build.*/\1/p' \
    "$tmp/err"; }
printf '\nKept test.\n' >>"$repo/pages/notes.md"
commit "One page"
if ! incr; then
	not_ok "keep: build failed"
	sed 's/^/    /' "$tmp/err"
else
	k=$(kept) t=$(total)
	cold
	if ! same "keep (one page edited)"; then
		:
	elif ! grep -rq "Kept test" "$out/notes/"; then
		not_ok "keep: the edited page was not rendered again"
	elif [ -z "$k" ] || [ "$k" -lt $((t / 2)) ] || [ "$k" -ge "$t" ]; then
		not_ok "keep: $k of $t pages kept after a one-page edit"
		sed 's/^/    /' "$tmp/err"
	else
		ok "keep: one page edited, $k of $t pages kept, equal to a cold build"
	fi
fi

# A rendered page records the digest of the keys its new rendering
# read.  When the page now reads something else (here a link to another
# page), that must be the digest of the new keys, not of those it read
# last time, else the next build finds them changed and renders the
# page again for nothing: the build after the edit keeps as many pages
# as the one after it.
printf '\nSee [about us](about.md).\n' >>"$repo/pages/notes.md"
commit "The notes page links to another"
incr -q
keep_twice() {	# after two edits of another page: kept each time
	local i
	for i in 1 2; do
		printf '\nAbout edit %d.\n' "$i" >>"$repo/pages/about.md"
		commit "About, edit $i"
		incr || return 1
		kept
	done
}
if ! k2=$(keep_twice); then
	not_ok "keep after new keys: build failed"
	sed 's/^/    /' "$tmp/err"
else
	read -r ka kb <<<"$(echo $k2)"
	cold
	if ! same "keep after new keys"; then
		:
	elif [ -z "$ka" ] || [ "$ka" != "$kb" ]; then
		not_ok "keep after new keys: kept $ka, then $kb pages (one rendered again for nothing)"
	else
		ok "keep: a page that reads other keys than last time records them rightly ($ka of $(total) kept twice)"
	fi
fi

# A page that calls Lua is never kept: what Lua reads is not known.
# Here a filter gives the notes page's title, read from its file; the
# news pages show it but read nothing of that page themselves.
cat >>"$repo/hooks/site.lua" <<'EOF'
icp.filter("notes_title", function(s)
  return icp.read("pages/notes.md"):match("title: ([^\n]*)")
end)
EOF
printf '<p class="notes">{{ "" | notes_title }}</p>\n' \
    >>"$repo/templates/news.html"
commit "A Lua filter"
incr -q
sed -i 's/^title: Notes$/title: Notes renamed/' "$repo/pages/notes.md"
commit "Notes renamed"
if ! incr; then
	not_ok "keep with Lua: build failed"
	sed 's/^/    /' "$tmp/err"
else
	cold
	if ! grep -rq "Notes renamed" "$out/news/"; then
		not_ok "keep with Lua: a news page kept the old title"
	elif same "keep with a Lua filter"; then
		ok "keep: pages that run Lua are rendered again ($(kept) of $(total) kept)"
	fi
fi

# 9b. Open data: a meeting's records (in meetings.json and four CSVs)
#     are copied from the last build when nothing they are made from
#     changed, and made again when anything did, also outside the
#     meeting's own page: a paper's title, an attachment's bytes, the
#     build date passing the meeting's date.
memo() { ls "$cache"/meetings-* 2>/dev/null; }
# Mark a meeting's JSON in the cache file (its checksum made again):
# an unrelated edit copies the mark into the site, which proves the
# records are taken from the cache.
mark() {	# file meeting-id old new
	python3 - "$@" <<'PY'
import hashlib, struct, sys
f, mid, old, new = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode(), sys.argv[4].encode()
d = open(f, 'rb').read()
magic = b"icpgen-meetings 1\n"
assert d.startswith(magic) and hashlib.sha256(d[:-32]).digest() == d[-32:]
p, end, out, hit = len(magic), len(d) - 36, [magic], 0
while p < end:
    key = d[p:p + 32]; p += 32
    (n,) = struct.unpack_from('=I', d, p); rid = d[p + 4:p + 4 + n]; p += 4 + n
    rec = [key, struct.pack('=I', n), rid]
    for k in range(5):
        rows, ln = struct.unpack_from('=II', d, p); part = d[p + 8:p + 8 + ln]; p += 8 + ln
        if k == 0 and rid == mid and old in part:
            part = part.replace(old, new); hit += 1
        rec += [struct.pack('=II', rows, len(part)), part]
    out += rec
body = b''.join(out) + d[end:end + 4]
open(f, 'wb').write(body + hashlib.sha256(body).digest())
sys.exit(0 if hit == 1 else 1)
PY
}
printf '\nMemo.\n' >>"$repo/pages/notes.md"
commit "meeting records"
incr -q
if [ -z "$(memo)" ]; then
	not_ok "meeting records: no cache file"
elif ! mark "$(memo)" 2026-01-14-icp "Council Chamber" "Marked Chamber"; then
	not_ok "meeting records: the meeting is not in the cache file"
else
	printf '\nUnrelated.\n' >>"$repo/pages/notes.md"
	commit "unrelated"
	incr -q
	if ! grep -q "Marked Chamber" "$out/data/meetings.json"; then
		not_ok "meeting records: an unchanged meeting's records were not copied"
	else
		# Made again once the meeting changes (its mark goes), then
		# after each edit outside it.
		sed -i 's/^venue: .*/venue: Committee Room 1/' \
		    "$repo/meetings/2026-01-14-icp/index.md"
		commit "venue"
		incr -q
		cold
		bad=0
		same "meeting records: venue" || bad=1
		for edit in title attachment date; do
			cp "$out/data/meetings.json" "$tmp/meetings-before"
			when=
			case $edit in
			title)	sed -i 's/^title: Finance report.*/title: Finance report, month 10/' \
				    "$repo/meetings/2026-01-14-icp/finance.md" ;;
			attachment) printf '%%PDF-1.4 (a longer report)\n' \
				    >>"$repo/meetings/2026-01-14-icp/report.pdf" ;;
			date)	when=2026-04-10 ;;	# after 2026-04-08-icp
			esac
			[ -z "$when" ] && commit "$edit"
			if ! incr -q ${when:+--date "$when"}; then
				not_ok "meeting records ($edit): the build failed"
				sed 's/^/    /' "$tmp/err"
				bad=1
				continue
			fi
			cold ${when:+--date "$when"}
			if cmp -s "$tmp/meetings-before" \
			    "$out/data/meetings.json"; then
				not_ok "meeting records ($edit): meetings.json did not change"
				bad=1
			elif ! same "meeting records ($edit)"; then
				bad=1
			fi
		done
		[ $bad = 0 ] && ok "open data: meeting records are copied when unchanged, made again after a paper, attachment or date changes"
	fi
fi

# 10. The previous site, kept beside the output as .out.prev, is what
#     the next build is made from; nothing in it is trusted.  A link
#     where a page's folder was must not lead the build outside, and a
#     stray file, a pipe, a file where a folder must be and a folder
#     where a file must be are all put right.
spare=$tmp/.out.prev
# after_spare NAME DIR OK: a build after the spare was changed by hand
# writes nothing through its links (into DIR) and is a cold build.
after_spare() {
	if ! incr; then
		not_ok "$1: build failed"
		sed 's/^/    /' "$tmp/err"
	elif [ -n "$(ls -A "$2")" ]; then
		not_ok "$1: the build wrote through a link in the spare"
	else
		cold
		same "$1" && ok "$3"
	fi
}
if [ ! -f "$spare/.icpgen-site" ]; then
	not_ok "spare: no previous site kept beside the output"
elif [ "$(stat -c %a "$spare")" != 700 ]; then
	# It may hold a paper since withdrawn: not for a web server.
	not_ok "spare: readable by others ($(stat -c %a "$spare"))"
else
	ok "spare: the previous site is kept beside the output, for its owner only"
	mkdir -p "$tmp/outside"
	rm -rf "$spare/notes" "$spare/about" "$spare/404.html"
	ln -s "$tmp/outside" "$spare/notes"
	echo stray >"$spare/stray.html"
	mkfifo "$spare/pipe"
	echo file >"$spare/about"
	mkdir -p "$spare/404.html/x" && echo x >"$spare/404.html/x/y"
	chmod 700 "$spare/news"
	printf '\nSpare test.\n' >>"$repo/pages/notes.md"
	commit "Spare test"
	after_spare "a tampered spare" "$tmp/outside" \
	    "spare: links, strays, pipes and wrong types in it are put right"
	# A folder of that name that is not ours is left alone, and the
	# build still replaces the site whole.
	rm -rf "$spare" && mkdir "$spare" && echo mine >"$spare/notes.txt"
	printf '\nNot ours.\n' >>"$repo/pages/notes.md"
	commit "Spare not ours"
	if ! incr || [ "$(cat "$spare/notes.txt")" != mine ] ||
	    [ "$(ls -A "$spare")" != notes.txt ]; then
		not_ok "spare: a folder not written by icpgen was used or changed"
	else
		cold
		same "a spare not ours" &&
		    ok "spare: a folder of that name not written by icpgen is left alone"
	fi
fi

# 10b. A build that changes every page (the site's name is in every
#      title, as the build date is in the default theme's footer: a
#      nightly build) writes over the spare's files that have no other
#      name, rather than freeing and allocating a file for each page;
#      never over one that has another name.  Either way the site is a
#      cold build's.
rm -rf "$spare"
renamed() {	# renamed N: the site's name changed, committed and built
	sed -i "s/^name: .*/name: Testshire ICP, day $1/" "$repo/icpgen.yaml"
	commit "Day $1" >/dev/null
	incr -q
}
if ! renamed 1 || ! renamed 2; then
	not_ok "write over: build failed"
	sed 's/^/    /' "$tmp/err"
else
	# The spare is the site of day 1 now, each page only there.  A
	# file open on one of its pages shows what is written over it (a
	# new file in its place would leave the open one as it was).
	exec 7<"$spare/about/index.html"
	ln "$spare/notes/index.html" "$tmp/second-name"
	cp "$tmp/second-name" "$tmp/second-copy"
	if ! renamed 3; then
		not_ok "write over: build failed"
		sed 's/^/    /' "$tmp/err"
	elif ! cmp -s - "$out/about/index.html" <&7; then
		not_ok "write over: a page of the spare with no other name was replaced, not written over"
	elif ! cmp -s "$tmp/second-name" "$tmp/second-copy"; then
		not_ok "write over: a file with a name outside the output was written over"
	else
		cold
		same "pages written over" &&
		    ok "write over: the spare's pages are written over in place, never one with another name"
	fi
	exec 7<&-
fi

# 10c. The spare's folders are not read when the manifest of that site
#      (kept for it in the cache as build-*.spare) says what they hold
#      and each is still as it says: the same inode, modification and
#      change time.  A name added to a folder since changes its times,
#      even when its modification time is put back by hand; a mode
#      changed does too; a listing that does not match the spare is not
#      used.  Every way, the site is a cold build's.
listed_round() {	# listed_round N: an edit, committed and built
	printf '\nListed %s.\n' "$1" >>"$repo/pages/notes.md"
	commit "Listed $1" >/dev/null
	incr -q
}
if ! listed_round 1 || ! listed_round 2; then
	not_ok "listed spare: build failed"
	sed 's/^/    /' "$tmp/err"
elif [ -z "$(ls "$cache"/build-*.spare 2>/dev/null)" ]; then
	not_ok "listed spare: no listing of the spare kept in the cache"
else
	# A stray page in a folder two levels down, its time put back.
	deep=$(cd "$spare" && find . -mindepth 2 -maxdepth 2 -type d |
	    sort | head -n 1)
	was=$(stat -c %y "$spare/$deep")
	echo stray >"$spare/$deep/stray.html"
	touch -d "$was" "$spare/$deep"
	# A page's file swapped for a link out, and a folder's mode.
	mkdir -p "$tmp/outside2"
	page=$(cd "$spare" && find . -mindepth 3 -name index.html | sort |
	    tail -n 1)
	rm "$spare/$page" && ln -s "$tmp/outside2/x" "$spare/$page"
	other=$(cd "$spare" && find . -mindepth 2 -type d | sort | tail -n 1)
	chmod 700 "$spare/$other"
	printf '\nListed 3.\n' >>"$repo/pages/notes.md"
	commit "Listed 3" >/dev/null
	after_spare "a spare changed under its listing" "$tmp/outside2" \
	    "listed spare: a folder changed since it was listed is read, even with its time put back"
	# A listing naming a file the spare does not have (its count
	# kept right): not used, and the stray is still found.
	listing=$(ls "$cache"/build-*.spare)
	was=$(stat -c %y "$spare/$deep")
	echo stray >"$spare/$deep/stray2.html"
	touch -d "$was" "$spare/$deep"
	awk '/^end / { print "f 1 1 644 1 1 1 zzz/ghost.html"; print "end " $2 + 1; next } { print }' \
	    "$listing" >"$listing.new" && mv "$listing.new" "$listing"
	if ! listed_round 4; then
		not_ok "listed spare: build failed with a wrong listing"
		sed 's/^/    /' "$tmp/err"
	else
		cold
		same "a listing that does not match the spare" &&
		    ok "listed spare: a listing that does not match the spare is not used"
	fi
	# The folders a build left alone are recorded as listed, not
	# stated again: the record must be what they are (the no-op
	# check states every one).
	if ! listed_round 5 || ! incr || ! grep -q "is up to date" "$tmp/err"
	then
		not_ok "listed spare: folders recorded as listed are not as they are"
		sed 's/^/    /' "$tmp/err"
	else
		ok "listed spare: the folders a build left alone are recorded as they are"
	fi
fi

# 11. An output folder inside the site folder that git does not
#     ignore, and the previous site kept beside it, are never read as
#     content by a --worktree build.
git clone -q "$repo" "$tmp/wt"
wtb() { "$ICPGEN" build "$tmp/wt" --worktree --out "$tmp/wt/$1" \
    --cache-dir "$tmp/wtcache" "${@:2}" 2>"$tmp/err"; }
wtb site -q && printf '\nWorktree edit.\n' >>"$tmp/wt/pages/notes.md" &&
    wtb site -q && printf '\nAnother.\n' >>"$tmp/wt/pages/notes.md" &&
    wtb site
if [ ! -d "$tmp/wt/.site.prev" ]; then
	not_ok "worktree output inside the site: no previous site kept"
elif ! grep -q "0 errors, 0 warnings" "$tmp/err"; then
	not_ok "worktree output inside the site: read as content"
	sed 's/^/    /' "$tmp/err"
else
	mv "$tmp/wt/site" "$tmp/wt-site" && mv "$tmp/wt/.site.prev" "$tmp/wt-prev"
	# Without the cache: its parsed pages are not taken on trust.
	"$ICPGEN" build "$tmp/wt" --worktree --out "$tmp/wt/fresh" \
	    --cache-dir "$tmp/wtcache-fresh" -q 2>"$tmp/err"
	if diff -r "$tmp/wt/fresh" "$tmp/wt-site" >"$tmp/diff"; then
		ok "worktree: an output folder inside the site is not content"
	else
		not_ok "worktree output inside the site: it changed the site"
		head -20 "$tmp/diff" | sed 's/^/    /'
	fi
fi

# 11b. What --worktree reads: as for git, ignore rules apply to files
#      the index does not track.  A tracked page that a rule matches is
#      published by a commit build, so the preview shows it too; an
#      untracked one that a rule matches is left out.
ign=$tmp/ign
make_repo "$TOP/tests/sites/basic/site" "$ign" >/dev/null
printf 'pages/kept.md\npages/private.md\ndrafts/\n' >"$ign/.gitignore"
printf -- '---\ntitle: Kept\n---\nTracked despite the rule.\n' \
    >"$ign/pages/kept.md"
git -C "$ign" add .gitignore && git -C "$ign" add -f pages/kept.md &&
    git -C "$ign" commit -qm "Ignore rules, and a page tracked despite them"
printf -- '---\ntitle: Private\n---\nNot for publishing.\n' \
    >"$ign/pages/private.md"
mkdir -p "$ign/drafts"
printf -- '---\ntitle: Draft\n---\nNot yet.\n' >"$ign/drafts/x.md"
"$ICPGEN" build "$ign" --out "$tmp/ign-commit" --cache-dir "$tmp/igncache" \
    -q 2>"$tmp/err"
"$ICPGEN" build "$ign" --worktree --out "$tmp/ign-wt" \
    --cache-dir "$tmp/igncache" -q 2>>"$tmp/err"
if [ ! -f "$tmp/ign-commit/kept/index.html" ]; then
	not_ok "worktree ignore rules: the commit build lacks the tracked page"
	sed 's/^/    /' "$tmp/err"
elif [ ! -f "$tmp/ign-wt/kept/index.html" ]; then
	not_ok "worktree ignore rules: a tracked page matching .gitignore is left out"
	sed 's/^/    /' "$tmp/err"
elif [ -e "$tmp/ign-wt/private" ] || grep -rlq "Not for publishing\|Not yet" \
    "$tmp/ign-wt"; then
	not_ok "worktree ignore rules: an ignored untracked file was read"
else
	ok "worktree: tracked files are read whatever .gitignore says, untracked ignored ones are not"
fi
# The parse cache is shared with commit builds (by blob id): an edit
# not committed is parsed again, and what is unchanged is as a build
# without the cache would have it.
sed -i 's/^title: .*/title: Retitled before committing/' "$ign/pages/about.md"
"$ICPGEN" build "$ign" --worktree --out "$tmp/ign-wt" \
    --cache-dir "$tmp/igncache" -q 2>"$tmp/err"
"$ICPGEN" build "$ign" --worktree --out "$tmp/ign-wt-fresh" \
    --cache-dir "$tmp/igncache-fresh" -q 2>>"$tmp/err"
if ! grep -q "Retitled before committing" "$tmp/ign-wt/about/index.html"; then
	not_ok "worktree parse cache: an uncommitted edit was not read"
	sed 's/^/    /' "$tmp/err"
elif ! diff -r "$tmp/ign-wt" "$tmp/ign-wt-fresh" >"$tmp/diff"; then
	not_ok "worktree parse cache: the preview differs from one without the cache"
	head -20 "$tmp/diff" | sed 's/^/    /'
else
	ok "worktree: the parse cache shared with commit builds gives what a build without it gives"
fi

# 12. Two paths of the new site that collide (a file where the other
#     needs a folder) fail the build as they do in an empty folder,
#     even though the spare has that folder: it is never removed for
#     the file, with the pages the build has just put in it.
rm -rf "$spare"
for i in 1 2; do
	printf '\nCollide %d.\n' "$i" >>"$repo/pages/notes.md"
	commit "before the collision ($i)"
	incr -q
done
if [ ! -d "$spare/news" ]; then
	not_ok "collision: no spare with a news folder to test with"
else
	# Not the change times: the failed build's staging folder, made
	# from the spare, unlinks names whose files the site shares, and
	# that changes their link counts.
	kept() { (cd "$1" && find . -printf '%i %T@ %s %p\n' | sort); }
	kept "$out" >"$tmp/before"
	echo hello >"$repo/static/news"
	commit "A file where the news folder is"
	if ! refused collision "^news: error"; then
		:
	elif ! kept "$out" | cmp -s - "$tmp/before"; then
		not_ok "collision: the site changed"
		kept "$out" | diff - "$tmp/before" | head -10 | sed 's/^/    /'
	else
		ok "collision: a file where a folder of the site must be fails the build"
	fi
	git -C "$repo" rm -q static/news
	commit "No collision"
fi

# 13. A name ending in .icpgen-new is icpgen's, for a file written
#     beside one of the spare's (3d): a site's file may not have one.
echo x >"$repo/static/notes.icpgen-new"
commit "A reserved name"
refused "reserved name" "^static/notes.icpgen-new: error: .*icpgen's own" &&
	ok "reserved name: a site's file named like icpgen's files being written is refused"
git -C "$repo" rm -q static/notes.icpgen-new
commit "No reserved name"

exit $((failures > 0))
