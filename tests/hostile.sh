#!/usr/bin/env bash
# Hostile repositories (issue 11): each case builds a small site that
# tries to attack readers, the build machine or the record, and checks
# that the build refuses it with a clear message, exits 1 and leaves
# the previous site as it was.  Repositories are made with git at test
# time (plumbing for the damaged ones).
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
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

[ $failures = 0 ]
