#!/usr/bin/env bash
# The history walk (issue 14): on a long scripted history with merges,
# folders in folders, deletions, renames, a symbolic link, a mode
# change, a submodule and a file that becomes a folder, for a site at
# the top of its repository and one in a sub-folder, the site and the
# history cache are the same byte for byte whether the walk runs on one
# thread or two, and whether it starts cold or from a cache of an older
# commit; a cache with a forged date is walked again.  With
# ICPGEN_BEFORE set to an older icpgen, they are also the same as what
# it builds (the walk was rewritten; the history is not).
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

N=700		# commits: enough for the walk to use two threads

# stream PREFIX: a fast-import stream of the history, the site in
# folder PREFIX ("" or "web/").
stream() {
	local p=$1 i t mark=0 prev side
	file() {	# mode path text (in the site)
		printf 'M %s inline %s\ndata %d\n%s\n' "$1" "$p$2" \
		    "${#3}" "$3"
	}
	outside() {	# text: a file outside a sub-folder site
		printf 'M 100644 inline other/readme.txt\ndata %d\n%s\n' \
		    "${#1}" "$1"
	}
	page() {	# path title body
		file 100644 "$1" "$(printf -- '---\ntitle: %s\n---\n%s\n' \
		    "$2" "$3")"
	}
	commit() {	# message [from]
		mark=$((mark + 1))
		t=$((1767600000 + mark * 3600))
		printf 'commit refs/heads/%s\nmark :%d\n' "${3:-main}" "$mark"
		printf 'committer C <c@example.org> %d +0000\n' "$t"
		printf 'data %d\n%s\n' "${#1}" "$1"
		[ -n "${2:-}" ] && printf 'from :%d\n' "$2"
		return 0
	}
	commit "Start the site"
	file 100644 icpgen.yaml "$(printf 'name: Walk ICP\nbase_url: https://walk.example.org/\ntheme: plain\n')"
	page committees/icp.md "The partnership" "x"
	for i in $(seq 1 30); do
		page "pages/a/p$i.md" "Page $i" "First text of $i."
	done
	for i in $(seq 1 10); do
		page "pages/b/c/q$i.md" "Deep $i" "Deep text of $i."
	done
	outside "Not in a sub-folder site."
	prev=$mark
	for i in $(seq 2 "$N"); do
		commit "Change $i" "$prev"
		page "pages/a/p$((i % 30 + 1)).md" "Page $((i % 30 + 1))" \
		    "Text $i."
		case $((i % 97)) in
		10) printf 'D %spages/a/p%d.md\n' "$p" $((i % 30 + 1)) ;;
		20) page "pages/a/p$((i % 30 + 1)).md" \
			"Page $((i % 30 + 1))" "Text $i." ;;
		30) printf 'R %spages/b/c/q%d.md %spages/b/moved-%d.md\n' \
			"$p" $((i % 10 + 1)) "$p" "$i" ;;
		40) file 120000 "pages/a/link-$i.md" "p1.md" ;;
		50) file 100755 "pages/b/c/q$((i % 10 + 1)).md" \
			"$(printf -- '---\ntitle: Deep\n---\nRun %d.\n' "$i")" ;;
		60) printf 'M 160000 %040d %spages/sub-%d\n' 1 "$p" "$i" ;;
		70) outside "Outside, $i." ;;
		80) page "pages/x$i/new.md" "New $i" "In a new folder." ;;
		esac
		prev=$mark
		# A side branch of two commits, merged with its edits.
		if [ $((i % 150)) = 0 ]; then
			commit "Side $i" "$prev" side
			page "pages/b/c/q1.md" "Deep 1" "Side $i."
			side=$mark
			commit "Side again $i" "$side" side
			page "pages/b/side-$i.md" "Side page" "From a branch."
			side=$mark
			commit "Merge side $i" "$prev"
			printf 'merge :%d\n' "$side"
			page "pages/b/c/q1.md" "Deep 1" "Side $i."
			page "pages/b/side-$i.md" "Side page" "From a branch."
			prev=$mark
		fi
	done
	# A file that becomes a folder of the same name, then back.
	commit "A file" "$prev"
	file 100644 pages/a/turn "plain text"
	prev=$mark
	commit "Now a folder" "$prev"
	printf 'D %spages/a/turn\n' "$p"
	page pages/a/turn/inside.md "Inside" "Was a file."
	prev=$mark
	commit "A file again" "$prev"
	printf 'D %spages/a/turn\n' "$p"
	file 100644 pages/a/turn "plain again"
	prev=$mark
	commit "Last edit" "$prev"
	page pages/a/p1.md "Page 1" "The end."
	printf 'reset refs/heads/main\nfrom :%d\n' "$mark"
}

# build NAME SITE BIN [args]: a cold build into $tmp/NAME.
build() {
	local n=$1 site=$2 bin=$3
	shift 3
	rm -rf "$tmp/$n"
	mkdir -p "$tmp/$n"
	"$bin" build "$site" --out "$tmp/$n/out" --cache-dir "$tmp/$n/cache" \
	    -q "$@" >"$tmp/$n/err" 2>&1
	echo $? >"$tmp/$n/rc"
}

# same A B WHAT: sites and history caches of builds A and B are equal.
same() {
	if [ "$(cat "$tmp/$1/rc")" != 0 ] || [ "$(cat "$tmp/$2/rc")" != 0 ]; then
		not_ok "$3: a build failed"
		sed 's/^/    /' "$tmp/$1/err" "$tmp/$2/err" | head -20
	elif ! diff -r "$tmp/$1/out" "$tmp/$2/out" >/dev/null; then
		not_ok "$3: the sites differ"
		diff -r "$tmp/$1/out" "$tmp/$2/out" | head -20 | sed 's/^/    /'
	elif ! cmp -s "$tmp/$1/cache"/history-* "$tmp/$2/cache"/history-*; then
		not_ok "$3: the history caches differ"
	elif grep -q 'ERROR: AddressSanitizer\|runtime error' \
	    "$tmp/$1/err" "$tmp/$2/err"; then
		not_ok "$3: sanitizer report"
	else
		ok "$3"
	fi
}

for prefix in "" web/; do
	name=top
	[ -n "$prefix" ] && name=sub
	r=$tmp/repo-$name
	git init -q -b main "$r"
	stream "$prefix" >"$tmp/stream-$name"
	git -C "$r" fast-import --quiet <"$tmp/stream-$name"
	git -C "$r" reset -q --hard main
	site=$r/$prefix
	if [ "$(git -C "$r" rev-list --count --first-parent main)" -lt 600 ]; then
		not_ok "$name: the history is too short to walk in parallel"
	fi
	build "$name-j1" "$site" "$ICPGEN" -j 1
	build "$name-j2" "$site" "$ICPGEN" -j 2
	same "$name-j1" "$name-j2" "$name: one thread and two walk the same history"
	# A history cache of an older commit, then the rest walked.
	build "$name-inc" "$site" "$ICPGEN" -j 2 --ref main~300
	"$ICPGEN" build "$site" --out "$tmp/$name-inc/out" \
	    --cache-dir "$tmp/$name-inc/cache" -q -j 2 >"$tmp/$name-inc/err" 2>&1
	echo $? >"$tmp/$name-inc/rc"
	same "$name-j1" "$name-inc" "$name: a cached walk continued is the same as a cold one"
	# A cache with one commit's date forged (its checksum made right):
	# the first, one in the middle or the last, checked on two threads.
	# The cache is refused and the history walked again.
	for at in 0 350 $((N - 1)); do
		f=$tmp/$name-forged
		rm -rf "$f" && mkdir -p "$f" && cp -r "$tmp/$name-j2/cache" "$f/"
		python3 - "$at" "$f"/cache/history-* <<'PY'
import sys, zlib
at, p = int(sys.argv[1]), sys.argv[2]
lines = open(p, 'rb').read()[:-21].split(b'\n')
i = [k for k, l in enumerate(lines) if l.startswith(b'commits ')][0] + 1 + at
oid, t, rest = lines[i].split(b' ', 2)
lines[i] = b' '.join([oid, str(int(t) - 400 * 86400).encode(), rest])
d = b'\n'.join(lines)
open(p, 'wb').write(d + b'end %016x\n' % zlib.crc32(d))
PY
		"$ICPGEN" build "$site" --out "$f/out" --cache-dir "$f/cache" \
		    -q -j 2 >"$f/err" 2>&1
		echo $? >"$f/rc"
		same "$name-j1" "$name-forged" "$name: a cache with the date of commit $at forged is walked again"
	done
	outside='link-\|sub-[0-9]'
	[ -n "$prefix" ] && outside="$outside\\|readme"
	if grep -q 'pages/a/p1.md' "$tmp/$name-j1/cache"/history-* &&
	    grep -q 'moved-' "$tmp/$name-j1/cache"/history-* &&
	    ! grep -q "$outside" "$tmp/$name-j1/cache"/history-*; then
		ok "$name: the history has pages and renames; no links, submodules or files outside the site"
	else
		not_ok "$name: the history cache lacks or has the wrong paths"
	fi
	if [ -n "${ICPGEN_BEFORE:-}" ]; then
		build "$name-before" "$site" "$ICPGEN_BEFORE" -j 1
		same "$name-before" "$name-j2" "$name: the same as $ICPGEN_BEFORE builds"
	fi
done

[ $failures = 0 ]
