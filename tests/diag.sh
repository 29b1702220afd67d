#!/usr/bin/env bash
# Diagnostics tests.  Each tests/diag/NAME/ holds:
#   site/     the content (committed to a fresh repository unless the
#             folder has a file 'norepo')
#   args      optional: arguments after the site path (default: check)
#             "@CMD" at the start picks the command (e.g. "@build --out x")
#   setup     optional: shell run in the repository before the build
#   expect    the exact diagnostics, with the summary's page, file and
#             timing lines
#             removed and the temporary folder shown as TMP
#   status    the expected exit status (default 1)
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for dir in "$TOP"/tests/diag/*/; do
	name=$(basename "$dir")
	repo="$tmp/$name/repo"
	if [ -e "$dir/norepo" ]; then
		mkdir -p "$repo"
		cp -R "$dir/site"/. "$repo"/
	else
		make_repo "$dir/site" "$repo"
	fi
	if [ -f "$dir/setup" ]; then
		(cd "$repo" && TMP="$tmp/$name" bash "$dir/setup") ||
		    { not_ok "diag $name: setup failed"; continue; }
	fi
	cmd=check
	args=()
	if [ -f "$dir/args" ]; then
		read -r -a args <"$dir/args"
		if [ "${args[0]:-}" != "${args[0]#@}" ]; then
			cmd=${args[0]#@}
			args=("${args[@]:1}")
		fi
	fi
	args=("${args[@]//@TMP/$tmp/$name}")
	want=1
	[ -f "$dir/status" ] && want=$(cat "$dir/status")
	(cd "$tmp/$name" && "$ICPGEN" "$cmd" "$repo" "${args[@]}") \
	    >"$tmp/$name/out" 2>"$tmp/$name/err"
	got=$?
	sed -e '/^  time: /d' -e '/^  files: /d' -e '/^  pages: /d' -e '/^  search index: /d' -e "s#$tmp/$name#TMP#g" \
	    "$tmp/$name/err" >"$tmp/$name/got"
	if [ "$got" != "$want" ]; then
		not_ok "diag $name: exit status $got, expected $want"
		sed 's/^/    /' "$tmp/$name/got"
	elif ! diff -u "$dir/expect" "$tmp/$name/got" >"$tmp/$name/diff"; then
		not_ok "diag $name: diagnostics differ"
		sed 's/^/    /' "$tmp/$name/diff"
	else
		ok "diag $name"
	fi
done
[ $failures = 0 ]
