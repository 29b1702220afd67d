#!/bin/sh
# HTML validity of every page of a built site with the Nu HTML checker
# (vnu.jar from the vnu-jar npm package), errors only.
#
#   sh tests/browser/vnu.sh SITE_DIR
#
# Prints each error as "path:line:col: error: message" (path as given under
# SITE_DIR), then "N passed, N failed" counting .html files.  Exit status 0
# if no errors, 1 if any, 2 if the checker could not run.
# Environment: JAVA (default java), NODEDIR (default the repository's
# node_modules), VNU_JAR (default the jar inside NODEDIR).

set -u
me=vnu.sh
here=$(cd "$(dirname "$0")" && pwd)
NODEDIR=${NODEDIR:-$here/../../node_modules}
VNU_JAR=${VNU_JAR:-$NODEDIR/vnu-jar/build/dist/vnu.jar}
JAVA=${JAVA:-java}

if [ $# -ne 1 ]; then
	echo "usage: sh vnu.sh SITE_DIR" >&2
	exit 2
fi
site=${1%/}
[ -n "$site" ] || site=/
if [ ! -d "$site" ]; then
	echo "$me: error: '$1' is not a folder" >&2
	exit 2
fi
if [ ! -f "$VNU_JAR" ]; then
	echo "$me: error: no checker at '$VNU_JAR' (run 'make deps')" >&2
	exit 2
fi
if ! command -v "$JAVA" >/dev/null 2>&1; then
	echo "$me: error: no '$JAVA' (install default-jre-headless)" >&2
	exit 2
fi

# The same file kinds as --skip-non-html keeps.
total=$(find "$site" -type f \( -name '*.html' -o -name '*.htm' \
    -o -name '*.xhtml' -o -name '*.xht' \) | wc -l)
if [ "$total" -eq 0 ]; then
	echo "$me: error: no .html files in '$1'" >&2
	exit 2
fi

real=$(cd "$site" && pwd -P)
out=$(mktemp) || exit 2
trap 'rm -f "$out" "$out.n"' EXIT
trap 'exit 2' INT TERM
start=$(date +%s)
"$JAVA" -Xss2m -jar "$VNU_JAR" --errors-only --skip-non-html --format gnu \
    --stdout "$site" >"$out" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))

# "file:/abs/x.html":3.5-3.9: error: text  ->  SITE/x.html:3:5: error: text
awk -v real="$real" -v site="$site" -v nfile="$out.n" '
function decode(s,   out, i, c) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "%" && substr(s, i + 1, 2) ~ /^[0-9A-Fa-f][0-9A-Fa-f]$/) {
			out = out sprintf("%c", hex(substr(s, i + 1, 2)))
			i += 2
		} else
			out = out c
	}
	return out
}
function hex(h,   v, k, d) {
	v = 0
	for (k = 1; k <= 2; k++) {
		d = index("0123456789abcdef", tolower(substr(h, k, 1))) - 1
		v = v * 16 + d
	}
	return v
}
/^"file:/ {
	q = index(substr($0, 2), "\"")
	file = decode(substr($0, 7, q - 6))
	sub(/^\/\/(localhost)?/, "", file)
	rest = substr($0, q + 3)
	if (index(file, real "/") == 1)
		file = site "/" substr(file, length(real) + 2)
	loc = ""
	if (match(rest, /^[0-9]+\.[0-9]+(-[0-9]+\.[0-9]+)?: /)) {
		split(substr(rest, 1, RLENGTH - 2), a, /[.-]/)
		loc = ":" a[1] ":" a[2]
		rest = substr(rest, RLENGTH + 1)
	} else
		sub(/^ /, "", rest)
	print file loc ": " rest
	if (!(file in bad)) {
		bad[file] = 1
		nbad++
	}
	next
}
NF { print "vnu: " $0; other++ }
END {
	print nbad + 0 > nfile
	if (other)
		exit 3
}' "$out"
arc=$?
failed=$(cat "$out.n" 2>/dev/null)
failed=${failed:-0}

if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "$me: error: the checker failed (exit $rc) without reporting a page" >&2
	exit 2
fi
if [ "$arc" -eq 3 ] && [ "$rc" -eq 0 ]; then
	echo "$me: error: unexpected checker output" >&2
	exit 2
fi
echo "vnu: $total files checked in $secs s ($failed with errors)"
echo "$((total - failed)) passed, $failed failed"
[ "$failed" -eq 0 ] || exit 1
exit 0
