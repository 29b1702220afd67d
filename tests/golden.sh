#!/usr/bin/env bash
# Golden-site tests: each tests/sites/NAME/site is committed to a fresh
# repository and built; the output must equal tests/sites/NAME/expect
# byte for byte.  A file tests/sites/NAME/example names an example of
# lua/examples/ whose hooks/ and lua/ are added to the site first, so the
# examples are tested as they are shipped.  With --regen, the expected trees are rewritten for
# review (git diff tests/sites) instead.
set -u
. "$(dirname "$0")/lib.sh"
regen=0
[ "${1:-}" = --regen ] && regen=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for dir in "$TOP"/tests/sites/*/; do
	name=$(basename "$dir")
	src="$dir/site"
	if [ -f "$dir/example" ]; then
		src="$tmp/$name/src"
		mkdir -p "$src"
		cp -R "$dir/site"/. "$src"/
		ex="$TOP/lua/examples/$(cat "$dir/example")"
		for part in hooks lua; do
			[ -d "$ex/$part" ] && cp -R "$ex/$part" "$src"/
		done
	fi
	make_repo "$src" "$tmp/$name/repo"
	if ! "$ICPGEN" build "$tmp/$name/repo" --out "$tmp/$name/out" -q \
	    >"$tmp/$name/log" 2>&1; then
		not_ok "golden $name: build failed"
		sed 's/^/    /' "$tmp/$name/log"
		continue
	fi
	if [ $regen = 1 ]; then
		rm -rf "$dir/expect"
		cp -R "$tmp/$name/out" "$dir/expect"
		ok "golden $name: regenerated"
		continue
	fi
	if diff -r "$dir/expect" "$tmp/$name/out" >"$tmp/$name/diff"; then
		ok "golden $name"
	else
		not_ok "golden $name: output differs from expect/"
		head -60 "$tmp/$name/diff" | sed 's/^/    /'
	fi
done
[ $failures = 0 ]
