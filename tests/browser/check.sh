#!/bin/sh
# The browser checks of a built site, as run by "make check": HTML
# validity (vnu.sh), accessibility and reflow of every page (a11y.mjs) and
# a keyboard pass (keyboard.mjs) over the home page and KEYBOARD_PATHS.
#
#   sh tests/browser/check.sh SITE_DIR
#
# Runs all three even if one fails; exit status 0 only if all passed, 2 if
# one could not run.  The last line is "N passed, N failed", the number of
# the three checks that passed and failed.

set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 1 ]; then
	echo "usage: sh check.sh SITE_DIR" >&2
	exit 2
fi
site=$1
pass=0
fail=0
worst=0

run() {
	name=$1
	shift
	echo "== $name"
	"$@"
	rc=$?
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		[ "$rc" -gt "$worst" ] && worst=$rc
	fi
}

run "html validity (vnu)" sh "$here/vnu.sh" "$site"
run "accessibility (axe-core) and reflow" node "$here/a11y.mjs" "$site"
# shellcheck disable=SC2086
run "keyboard" node "$here/keyboard.mjs" "$site" / ${KEYBOARD_PATHS:-}

echo "browser checks: $pass passed, $fail failed"
echo "$pass passed, $fail failed"
[ "$worst" -ge 2 ] && exit 2
[ "$fail" -eq 0 ]
