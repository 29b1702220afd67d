# Shared helpers for the shell tests.  Sourced, not run.
#
# Each test prints "ok - NAME" or "not ok - NAME" (then the details),
# and tests/run.sh counts those lines.

: "${ICPGEN:?set ICPGEN to the icpgen binary under test}"
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export TZ=Europe/London LC_ALL=C.UTF-8 NO_COLOR=1
# Commits are made with fixed names and dates, so ids are stable.
export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL=author@example.org
export GIT_COMMITTER_NAME="Test Committer" GIT_COMMITTER_EMAIL=committer@example.org
export GIT_AUTHOR_DATE="2026-01-05T10:00:00+00:00"
export GIT_COMMITTER_DATE="2026-01-05T10:00:00+00:00"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
# 2026-03-01, the build date of every test site.
export SOURCE_DATE_EPOCH=1772323200
export ICPGEN_THEMEDIR="$TOP/tests/themes"
# The history cache goes here, not into the user's ~/.cache.
export XDG_CACHE_HOME="${TMPDIR:-/tmp}/icpgen-test-cache-$(id -u)"
export ICPGEN_NODEDIR="$TOP/node_modules"

failures=0

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; failures=$((failures + 1)); }

# Make a git repository at $2 from the files in folder $1, one commit.
make_repo() {
	rm -rf "$2"
	mkdir -p "$2"
	cp -R "$1"/. "$2"/
	git -C "$2" init -q -b main
	git -C "$2" add -A
	git -C "$2" commit -q -m "Add the site" --allow-empty
}

# For tests that replay a history in the repository $repo:
# put PATH <<EOF ... EOF writes a file; at TIME MESSAGE commits
# everything as of TIME (e.g. 2025-03-07T16:00:00+00:00).
put() {
	mkdir -p "$(dirname "$repo/$1")"
	cat >"$repo/$1"
}
at() {
	git -C "$repo" add -A
	GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" \
	    git -C "$repo" -c gc.auto=0 commit -q -m "$2"
}
