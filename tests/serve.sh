#!/usr/bin/env bash
# icpgen serve: rebuilds when a file changes, tells pages to reload,
# shows every page as an error page while the site does not build, and
# follows --base-url.  Waits are bounded retries, never fixed sleeps.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid"; rm -rf "$tmp"; }
trap cleanup EXIT
make_repo "$TOP/tests/sites/basic/site" "$tmp/site" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port

get() {	# path: body to $tmp/body, status printed
	curl -s -o "$tmp/body" -w '%{http_code}' --max-time 10 "$url$1"
}
# until TRIES CMD...: retry CMD every 0.2 s, at most TRIES times.
until_ok() {
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		n=$((n - 1))
		sleep 0.2
	done
	return 1
}
page_has() { [ "$(get "$1")" = "$2" ] && grep -q -e "$3" "$tmp/body"; }

"$ICPGEN" serve "$tmp/site" --worktree --port "$port" 2>"$tmp/log" &
pid=$!
if until_ok 150 page_has / 200 '<html'; then
	ok "serve: the site is served"
else
	not_ok "serve: no site"; sed 's/^/    /' "$tmp/log" | tail; exit 1
fi
grep -q "<script src=\"/__icpgen/reload.js?build=1\" defer></script></head>" \
    "$tmp/body" && ok "serve: pages get the reload script" ||
    not_ok "serve: no reload script in the page"
[ "$(get /__icpgen/reload.js)" = 200 ] && grep -q EventSource "$tmp/body" &&
    ok "serve: the reload script is an external file (CSP 'self')" ||
    not_ok "serve: no reload script"
[ "$(get /sitemap.xml)" = 200 ] && grep -q "<loc>$url/meetings/" "$tmp/body" &&
    ok "serve: the sitemap points at the preview" || not_ok "serve: sitemap"
# An encoded NUL does not cut the path short.
[ "$(get /robots.txt%00.html)" = 404 ] && [ "$(get /%00)" = 404 ] &&
    ok "serve: a path with %00 is no file" ||
    not_ok "serve: a path with %00 was served"

# An open page hears of the next build.
curl -s -N --max-time 60 "$url/__icpgen/events" >"$tmp/events" &
sse=$!
until_ok 50 grep -q 'data: 1' "$tmp/events" &&
    ok "serve: the event stream announces the current build" ||
    not_ok "serve: no build event"

# Edit a file: the preview rebuilds by itself.
sed -i 's/^name: .*/name: Renamed Partnership/' "$tmp/site/icpgen.yaml"
if until_ok 150 page_has / 200 'Renamed Partnership'; then
	ok "serve: an edit is rebuilt without a request"
else
	not_ok "serve: the edit was not rebuilt"; sed 's/^/    /' "$tmp/log" | tail
fi
until_ok 50 grep -q 'data: 2' "$tmp/events" &&
    ok "serve: open pages are told to reload" || not_ok "serve: no reload event"
kill "$sse" 2>/dev/null; wait "$sse" 2>/dev/null

# Break a file: every page explains, with file:line and the hint.
m=$(ls "$tmp/site/meetings" | head -1)
sed -i 's/^status: .*/status: sheduled/' "$tmp/site/meetings/$m/index.md"
if until_ok 150 page_has /meetings/ 500 "meetings/$m/index.md:[0-9]*:[0-9]*"; then
	ok "serve: a failed build shows the problems on every page"
else
	not_ok "serve: no error page"; sed 's/^/    /' "$tmp/body" | head
fi
grep -q "expected: scheduled, held" "$tmp/body" && grep -q '<html lang="en-GB">' \
    "$tmp/body" && grep -q '<h1>The site did not build</h1>' "$tmp/body" &&
    ok "serve: the error page has the hint, a language and a heading" ||
    not_ok "serve: error page content"
[ "$(get /news/)" = 500 ] && ok "serve: still the error page elsewhere" ||
    not_ok "serve: another page was served"
if command -v java >/dev/null && [ -f "$TOP/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
	cp "$tmp/body" "$tmp/error.html"
	java -jar "$TOP/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only \
	    "$tmp/error.html" >"$tmp/vnu" 2>&1 && ok "serve: the error page is valid HTML" ||
	    { not_ok "serve: error page HTML"; sed 's/^/    /' "$tmp/vnu" | head; }
fi

# Fix it: the site is back.
sed -i 's/^status: sheduled/status: scheduled/' "$tmp/site/meetings/$m/index.md"
until_ok 150 page_has /meetings/ 200 'Renamed Partnership' &&
    ok "serve: the next good build replaces the error page" ||
    not_ok "serve: still failing after the fix"
kill "$pid"; wait "$pid"
rc=$?
pid=
[ $rc = 0 ] && ok "serve: stops cleanly on SIGTERM" || not_ok "serve: exit $rc"

# --base-url with a sub-path: pages under it, / redirects there.
"$ICPGEN" serve "$tmp/site" --worktree --port "$port" \
    --base-url "$url/icp/" 2>"$tmp/log" &
pid=$!
if until_ok 150 page_has /icp/ 200 'href="/icp/meetings/'; then
	ok "serve --base-url: pages and links under the sub-path"
else
	not_ok "serve --base-url"; sed 's/^/    /' "$tmp/log" | tail
fi
[ "$(get /)" = 302 ] && ok "serve --base-url: / redirects to the sub-path" ||
    not_ok "serve --base-url: / does not redirect"
"$ICPGEN" serve "$tmp/site" --host example.org --port 1 2>/dev/null
[ $? = 2 ] && ok "serve --host: refuses what is not an address" ||
    not_ok "serve --host: accepted a name"
kill "$pid"; wait "$pid" 2>/dev/null
pid=

# A file saved while the first build runs is seen: the files are
# watched before it starts.  A hook keeps that build busy for 3 s after
# the files were read; the edit is made once it has said so.
mkdir -p "$tmp/site/hooks"
cat >"$tmp/site/hooks/site.lua" <<'LUA'
icp.hook("config", function (c)
  print("first build busy")
  local t = os.clock() while os.clock() - t < 3 do end
end)
LUA
"$ICPGEN" serve "$tmp/site" --worktree --port "$port" 2>"$tmp/log" &
pid=$!
if until_ok 150 grep -q "note: first build busy" "$tmp/log"; then
	sed -i 's/^name: .*/name: Saved During The First Build/' \
	    "$tmp/site/icpgen.yaml"
	if until_ok 150 page_has / 200 'Saved During The First Build'; then
		ok "serve: a file saved during the first build is rebuilt"
	else
		not_ok "serve: a file saved during the first build was missed"
		sed 's/^/    /' "$tmp/log" | tail
	fi
else
	not_ok "serve: the hook did not run"; sed 's/^/    /' "$tmp/log" | tail
fi
[ $failures = 0 ]
