#!/usr/bin/env bash
# Every test of make check.  Environment: ICPGEN (binary under test),
# TESTBIN (unit test and corpus replay binaries), ICPGEN_PLAIN (an
# unsanitised build for the browser checks), VALGRIND (a command prefix,
# optional).  --no-browser skips the browser and HTML checks.
set -u
cd "$(dirname "$0")/.."
browser=1
[ "${1:-}" = --no-browser ] && browser=0
: "${TESTBIN:?}" "${ICPGEN:?}"
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
export XDG_CACHE_HOME="$log/cache"	# the history cache, not ~/.cache
pass=0
fail=0

record() {	# name status logfile
	if [ "$2" = 0 ]; then
		pass=$((pass + 1))
		echo "ok - $1"
	else
		fail=$((fail + 1))
		echo "not ok - $1"
		tail -40 "$3" | sed 's/^/    /'
	fi
}

# Shell suites print their own ok/not ok lines; count them.
suite() {	# name script args...
	local name=$1 out
	shift
	out="$log/$name"
	bash "$@" >"$out" 2>&1
	local rc=$?
	grep -E '^(ok|not ok) - ' "$out" | sed 's/^/  /'
	pass=$((pass + $(grep -c '^ok - ' "$out")))
	fail=$((fail + $(grep -c '^not ok - ' "$out")))
	if [ $rc != 0 ] && ! grep -q '^not ok - ' "$out"; then
		fail=$((fail + 1))
		echo "not ok - $name exited $rc"
		tail -30 "$out" | sed 's/^/    /'
	elif grep -q '^not ok - ' "$out"; then
		grep -A40 '^not ok - ' "$out" | grep '^    ' | head -80
	fi
	# A check that calls a function or program that is not there
	# passes for the wrong reason.
	if grep -q ': command not found$' "$out"; then
		fail=$((fail + 1))
		echo "not ok - $name runs a command that does not exist"
		grep ': command not found$' "$out" | head -5 | sed 's/^/    /'
	fi
}

echo "# unit tests"
for t in "$TESTBIN"/test_*; do
	[ -x "$t" ] || continue
	${VALGRIND:-} "$t" >"$log/u" 2>&1
	rc=$?	# before $(basename): a command substitution sets $? too
	record "unit ${t##*/}" $rc "$log/u"
done

echo "# fuzz seed corpora"
for r in "$TESTBIN"/replay_*; do
	[ -x "$r" ] || continue
	n=${r##*/replay_}
	${VALGRIND:-} "$r" "tests/fuzz/corpus/$n" >"$log/f" 2>&1
	record "corpus $n" $? "$log/f"
done

echo "# command line"
suite cli tests/cli.sh
echo "# golden sites"
suite golden tests/golden.sh
echo "# diagnostics"
suite diag tests/diag.sh
echo "# atomic output"
suite atomic tests/atomic.sh
echo "# incremental builds"
suite incremental tests/incremental.sh
echo "# git history"
suite history tests/history.sh
echo "# the history walk, on threads"
suite walk tests/walk.sh
echo "# a realistic history"
suite realistic tests/realistic.sh
echo "# what the record claims"
suite claims tests/claims.sh
echo "# feeds"
suite feeds tests/feeds.sh
echo "# valid output"
suite output tests/output.sh
echo "# whole-site faults"
suite faults tests/faults.sh
echo "# withheld papers"
suite withheld tests/withheld.sh
echo "# forward plan"
suite plan tests/plan.sh
echo "# open data schemas"
suite opendata tests/opendata.sh
echo "# hostile repositories"
suite hostile tests/hostile.sh
echo "# files stored with Git LFS"
suite lfs tests/lfs.sh
echo "# new sites and content"
suite init tests/init.sh
echo "# publishing from CI"
suite publish tests/publish.sh
echo "# preview server"
suite serve tests/serve.sh
echo "# install and package"
suite install tests/install.sh

if [ -f docs/icpgen.1 ] && command -v mandoc >/dev/null; then
	echo "# manual pages"
	mandoc -Tlint -W warning docs/*.[157] >"$log/m" 2>&1
	record "mandoc -Tlint" $? "$log/m"
fi

if [ $browser = 1 ]; then
	echo "# demo site in a browser"
	demo="$log/demo"
	plain=${ICPGEN_PLAIN:-$ICPGEN}
	"$plain" build content --worktree --out "$demo" -q >"$log/d" 2>&1
	record "demo site builds" $? "$log/d"
	if [ -d "$demo" ]; then
		suite a11y tests/browser/run.sh "$demo"
	fi
	echo "# a new site (icpgen init) in the Nu HTML checker"
	(cd "$log" && "$plain" init --name "Testshire ICP" init-site &&
	    "$plain" build init-site --out init-out -q) >"$log/i" 2>&1 &&
	    sh tests/browser/vnu.sh "$log/init-out" >>"$log/i" 2>&1
	record "init site: valid HTML on every page" $? "$log/i"
fi

echo
echo "$pass passed, $fail failed"
[ $fail = 0 ]
