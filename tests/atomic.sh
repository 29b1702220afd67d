#!/usr/bin/env bash
# The published site is replaced whole or not at all, and the same
# commit always gives the same bytes.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
site="$TOP/tests/sites/basic/site"
make_repo "$site" "$tmp/repo"

# A site large enough that a build takes a while: many copies of a paper.
make_big() {
	make_repo "$site" "$1"
	for i in $(seq 1 "$2"); do
		d="$1/meetings/2026-01-14-icp"
		mkdir -p "$d"
		sed -e "s/^title: .*/title: Copy $i/" -e "s/^item: .*/item: \"1\"/" \
		    "$site/meetings/2026-01-14-icp/finance.md" >"$d/copy-$i.md"
	done
	git -C "$1" add -A
	git -C "$1" commit -q -m "Many papers"
}

# 1. Same commit, same output, however many threads.
"$ICPGEN" build "$tmp/repo" --out "$tmp/a" -q -j 1 &&
"$ICPGEN" build "$tmp/repo" --out "$tmp/b" -q -j 4
if diff -r "$tmp/a" "$tmp/b" >/dev/null; then
	ok "reproducible: two builds of one commit are identical"
else
	not_ok "reproducible: two builds of one commit differ"
	diff -r "$tmp/a" "$tmp/b" | head -20 | sed 's/^/    /'
fi

# 2. A build with a content error leaves the published site untouched.
snap() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
snap "$tmp/a" >"$tmp/before"
printf -- '---\ntitle: Broken\ndate: 2026-02-30\n---\nx\n' \
    >"$tmp/repo/news/broken.md"
git -C "$tmp/repo" add -A && git -C "$tmp/repo" commit -q -m broken
if "$ICPGEN" build "$tmp/repo" --out "$tmp/a" -q 2>"$tmp/err"; then
	not_ok "failed build: exit status 0 despite a bad date"
elif ! snap "$tmp/a" | cmp -s - "$tmp/before"; then
	not_ok "failed build: the published site changed"
elif ls -a "$tmp" | grep -q '^\.a\.new-'; then
	not_ok "failed build: left its staging folder behind"
else
	ok "failed build leaves the previous site intact"
fi

# 3. A build killed midway leaves the previous site intact, and the
#    next build cleans up after it.
make_big "$tmp/big" 3000
"$ICPGEN" build "$tmp/big" --out "$tmp/a" -q -j 1 2>/dev/null &
pid=$!
stage="$tmp/.a.new-$pid"
n=0
for _ in $(seq 1 3000); do	# wait until it is writing pages
	if [ -d "$stage/meetings" ]; then
		n=50
		break
	fi
	sleep 0.005
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
status=$?
[ $status = 137 ] || n=0	# it finished before the kill
if [ "${n:-0}" -lt 50 ]; then
	not_ok "killed build: the build ended before it could be killed"
elif ! snap "$tmp/a" | cmp -s - "$tmp/before"; then
	not_ok "killed build: the published site changed"
else
	ok "killed build leaves the previous site intact"
	git -C "$tmp/repo" rm -q news/broken.md
	git -C "$tmp/repo" commit -q -m fixed
	if "$ICPGEN" build "$tmp/repo" --out "$tmp/a" -q &&
	    [ ! -e "$stage" ]; then
		ok "next build removes the killed build's staging folder"
	else
		not_ok "next build did not clean up the killed build"
	fi
	# What the killed build left (half of another site) was taken as
	# the spare the next build is made from: nothing of it may remain.
	"$ICPGEN" build "$tmp/repo" --out "$tmp/fresh" -q
	if diff -r "$tmp/fresh" "$tmp/a" >"$tmp/diff"; then
		ok "the site made after a killed build equals a fresh build"
	else
		not_ok "the site made after a killed build differs from a fresh build"
		head -20 "$tmp/diff" | sed 's/^/    /'
	fi
fi

# 4. A folder icpgen did not write is never replaced.
mkdir -p "$tmp/mine" && echo precious >"$tmp/mine/notes.txt"
if "$ICPGEN" build "$tmp/repo" --out "$tmp/mine" -q 2>/dev/null ||
    [ "$(cat "$tmp/mine/notes.txt")" != precious ]; then
	not_ok "refuses to replace a folder icpgen did not write"
else
	ok "refuses to replace a folder icpgen did not write"
fi
# 5. That folder's problem and the content's are reported in one run.
git clone -q "$tmp/repo" "$tmp/broken"
# (An item not on the agenda is found when the site is linked, after
# the output folder is looked at.)
sed -i 's/^item: "2"/item: "99"/' \
    "$tmp/broken/meetings/2026-01-14-icp/finance.md"
git -C "$tmp/broken" commit -q -a -m broken
"$ICPGEN" build "$tmp/broken" --out "$tmp/mine" -q 2>"$tmp/err"
st=$?
if [ $st = 0 ] || ! grep -q "was not written by icpgen" "$tmp/err" ||
    ! grep -q "finance.md:.*not on the agenda" "$tmp/err"; then
	not_ok "an unusable output folder and a content error: not both reported (exit $st)"
	sed 's/^/    /' "$tmp/err"
else
	ok "an unusable output folder and a content error are both reported"
fi
# An output folder given as a symbolic link (public -> the folder a web
# server reads): the site goes into the folder it leads to, and the link
# stays a link to it, with or without a trailing slash.
mkdir -p "$tmp/www/site"
ln -s www/site "$tmp/public"
if "$ICPGEN" build "$tmp/repo" --out "$tmp/public" -q 2>"$tmp/err" &&
    [ -L "$tmp/public" ] && diff -r "$tmp/a" "$tmp/www/site" >/dev/null &&
    "$ICPGEN" build "$tmp/repo" --out "$tmp/public/" -q 2>>"$tmp/err" &&
    [ -L "$tmp/public" ] && diff -r "$tmp/a" "$tmp/www/site" >/dev/null; then
	ok "an output folder named by a symbolic link is written through it"
else
	not_ok "an output folder named by a symbolic link is written through it"
	ls -la "$tmp" "$tmp/www" | sed 's/^/    /'
	sed 's/^/    /' "$tmp/err"
fi
ln -s nowhere "$tmp/dangling"
"$ICPGEN" build "$tmp/repo" --out "$tmp/dangling" -q 2>"$tmp/err"
st=$?
if [ $st = 3 ] && [ -L "$tmp/dangling" ] &&
    grep -qF "the output folder '$tmp/dangling' is a symbolic link to something that is not a folder" "$tmp/err"; then
	ok "a symbolic link that leads to no folder is refused"
else
	not_ok "a symbolic link that leads to no folder is refused (exit $st)"
	sed 's/^/    /' "$tmp/err"
fi
[ $failures = 0 ]
