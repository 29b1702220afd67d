#!/usr/bin/env bash
# The CI recipes' one script, icpgen-publish, run as CI would: a clone
# of a local bare repository, deployed to a local folder with an atomic
# switch-over (icpgen-deploy).  No network.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset ICPGEN_THEMEDIR
export ICPGEN PATH="$TOP/contrib/ci:$PATH"
unset GITHUB_ACTIONS GITLAB_CI
publish="$TOP/contrib/ci/icpgen-publish"

"$ICPGEN" init --name "Publish ICP" "$tmp/work" >/dev/null 2>&1
git clone -q --bare "$tmp/work" "$tmp/origin.git"
git -C "$tmp/work" remote add origin "$tmp/origin.git"
ci() {	# a fresh clone of the publishing branch, as a CI job has
	rm -rf "$tmp/ci"
	git clone -q -b main "$tmp/origin.git" "$tmp/ci"
}

# 1. Publish the first commit.
ci
if (cd "$tmp/ci" && "$publish" --out public --deploy "$tmp/www/site") \
    >"$tmp/log" 2>&1 && [ -L "$tmp/www/site" ] &&
    [ -f "$tmp/www/site/index.html" ]; then
	ok "publish: check, build and deploy a clone"
else
	not_ok "publish: first deploy"; sed 's/^/    /' "$tmp/log" | tail -20
fi
first=$(readlink "$tmp/www/site")

# 2. A new meeting pushed: the link switches to a new release.
(cd "$tmp/work" && "$ICPGEN" new meeting partnership 2026-07-08 &&
    git add -A && git commit -qm "Add a meeting" && git push -q origin main) \
    >"$tmp/rlog" 2>&1
ci
if (cd "$tmp/ci" && "$publish" --out public --deploy "$tmp/www/site") \
    >"$tmp/log" 2>&1 && [ "$(readlink "$tmp/www/site")" != "$first" ] &&
    [ -f "$tmp/www/site/meetings/2026-07-08-partnership/index.html" ]; then
	ok "publish: a pushed meeting is live after the switch-over"
else
	not_ok "publish: second deploy"; sed 's/^/    /' "$tmp/log" | tail -20
fi
second=$(readlink "$tmp/www/site")

# 3. A broken commit publishes nothing, says where the problem is.
(cd "$tmp/work" &&
    sed -i 's/^status: scheduled/status: sheduled/' \
    meetings/2026-07-08-partnership/index.md &&
    git commit -qam "Typo" && git push -q origin main) >/dev/null 2>&1
ci
(cd "$tmp/ci" && GITHUB_ACTIONS=true "$publish" --out public \
    --deploy "$tmp/www/site") >"$tmp/log" 2>&1
rc=$?
if [ $rc = 1 ] && [ "$(readlink "$tmp/www/site")" = "$second" ] &&
    grep -q "^::error file=meetings/2026-07-08-partnership/index.md,line=" \
    "$tmp/log"; then
	ok "publish: a broken commit is reported on its line, the live site kept"
else
	not_ok "publish: broken commit (exit $rc)"; sed 's/^/    /' "$tmp/log" | tail
fi

# 4. GitLab: a Code Quality report; a preview at another address.
(cd "$tmp/ci" && GITLAB_CI=true "$publish" --out public) >/dev/null 2>&1
grep -q '"path":"meetings/2026-07-08-partnership/index.md"' \
    "$tmp/ci/gl-code-quality-report.json" &&
    ok "publish: GitLab Code Quality report" ||
    not_ok "publish: no Code Quality report"
(cd "$tmp/work" && git revert --no-edit HEAD && git push -q origin main) \
    >"$tmp/rlog" 2>&1
ci
if (cd "$tmp/ci" && "$publish" --out public \
    --base-url https://org.gitlab.io/-/icp/-/jobs/7/artifacts/public/) \
    >"$tmp/log" 2>&1 &&
    grep -q 'href="/-/icp/-/jobs/7/artifacts/public/meetings/"' \
    "$tmp/ci/public/index.html"; then
	ok "publish: a preview at its own address"
else
	not_ok "publish: preview"; sed 's/^/    /' "$tmp/log" | tail
fi

# 5. Only the last KEEP releases stay.
for i in 1 2 3; do
	KEEP=2 "$TOP/contrib/ci/icpgen-deploy" "$tmp/ci/public" "$tmp/www/site" \
	    >/dev/null 2>&1
done
n=$(ls "$tmp/www/site.releases" | wc -l)
[ "$n" = 2 ] && [ -f "$tmp/www/site/index.html" ] &&
    ok "deploy: old releases pruned" || not_ok "deploy: $n releases kept"
[ $failures = 0 ]
