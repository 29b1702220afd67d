#!/usr/bin/env bash
# The command line: help, version, usage errors and exit statuses.
set -u
. "$(dirname "$0")/lib.sh"

expect() {	# name want-status want-stream-pattern stream command...
	local name=$1 want=$2 pat=$3 stream=$4 out err rc
	shift 4
	out=$("$@" 2>/tmp/icpgen-cli-err.$$)
	rc=$?
	err=$(cat /tmp/icpgen-cli-err.$$)
	rm -f /tmp/icpgen-cli-err.$$
	local text=$out
	[ "$stream" = err ] && text=$err
	if [ $rc != "$want" ]; then
		not_ok "$name: exit status $rc, expected $want"
	elif ! grep -qE -- "$pat" <<<"$text"; then
		not_ok "$name: std$stream lacks /$pat/"
		printf '%s\n' "$text" | sed 's/^/    /'
	elif [ "$stream" = out ] && [ -n "$err" ]; then
		not_ok "$name: unexpected stderr: $err"
	else
		ok "$name"
	fi
}

expect "-h prints usage" 0 '^usage: icpgen command' out "$ICPGEN" -h
expect "-V prints the version" 0 '^icpgen [0-9]+\.[0-9]+\.[0-9]+$' out \
    "$ICPGEN" -V
expect "build -h" 0 '^usage: icpgen build .*--out' out "$ICPGEN" build -h
expect "check -h" 0 '^usage: icpgen check ' out "$ICPGEN" check -h
expect "serve -h" 0 '--port' out "$ICPGEN" serve -h
expect "no command is a usage error" 2 'no command given' err "$ICPGEN"
expect "unknown command" 2 "unknown command 'bulid' \(expected build" err \
    "$ICPGEN" bulid
expect "unknown option" 2 'usage: icpgen build' err "$ICPGEN" build --nope
expect "bad --jobs" 2 "--jobs takes a number from 1 to 64, not 'x'" err \
    "$ICPGEN" build -j x
expect "--ref with --worktree" 2 'cannot be used together' err \
    "$ICPGEN" build --ref HEAD --worktree
expect "two sites" 2 "too many arguments: 'b'" err "$ICPGEN" check a b
SOURCE_DATE_EPOCH=soon expect "bad SOURCE_DATE_EPOCH" 2 \
    "SOURCE_DATE_EPOCH is not a number of seconds: 'soon'" err \
    "$ICPGEN" check .
# Not a repository, and another user's repository, which git (and
# libgit2) will not open: the message must not say it is not one.
# Giving a folder to another user needs root; elsewhere only the first.
d=$(mktemp -d)
expect "not in a repository" 3 "is not in a git repository \(run 'git init'" err \
    "$ICPGEN" build "$d" --out "$d/out"
if [ "$(id -u)" = 0 ]; then
	make_repo "$TOP/tests/sites/basic/site" "$d/repo"
	chown -R 65534:65534 "$d/repo"
	expect "another user's repository" 3 \
	    "the git repository of '$d/repo' belongs to another user, so git does not trust it \(build as that user, or add it to the safe.directory list" \
	    err "$ICPGEN" build "$d/repo" --out "$d/out"
fi
rm -rf "$d"
[ $failures = 0 ]
