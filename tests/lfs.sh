#!/usr/bin/env bash
# Files committed through Git LFS.  git stores such a file as a short
# pointer (its SHA-256 and size) and git-lfs keeps the file itself in
# .git/lfs/objects/.  The site must publish the file, with its own size
# and page count, never the pointer: without the file in the clone the
# build fails naming it, and the site in place stays as it was.  The
# pointers here are written by hand, as git-lfs writes them (git-lfs is
# not needed).
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
m=meetings/2026-01-14-icp
pdf=$TOP/tests/sites/basic/site/$m/report.pdf
csv=$TOP/tests/sites/basic/site/$m/appendix.csv

pointer() {	# pointer FILE: git-lfs's pointer for FILE
	printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %s\n' \
	    "$(sha256sum "$1" | cut -d' ' -f1)" "$(stat -c %s "$1")"
}
store() {	# store FILE [BYTES]: put FILE (or BYTES under its name) in git-lfs's store
	local oid d
	oid=$(sha256sum "$1" | cut -d' ' -f1)
	d=$repo/.git/lfs/objects/${oid:0:2}/${oid:2:2}
	mkdir -p "$d"
	if [ $# -gt 1 ]; then printf '%s' "$2" >"$d/$oid"; else cp "$1" "$d/$oid"; fi
}
unstore() { rm -rf "$repo/.git/lfs"; }
commit() { git -C "$repo" add -A && git -C "$repo" commit -q -m "$1"; }
build() {	# build OUT [args]: status in $rc, messages in $tmp/err
	local out=$1
	shift
	"$ICPGEN" build "$repo" --out "$out" "$@" >"$tmp/err" 2>&1
	rc=$?
}
check() {	# check NAME COMMAND...
	local name=$1
	shift
	if "$@"; then ok "lfs: $name"; else
		not_ok "lfs: $name"
		sed 's/^/    /' "$tmp/err" | head -20
	fi
}
says() { grep -qF -- "$1" "$tmp/err"; }
count() { grep -cF -- "$1" "$tmp/err"; }

make_repo "$TOP/tests/sites/basic/site" "$repo"
build "$tmp/out"
check "the site without LFS builds" [ "$rc" = 0 ]
before=$(cd "$tmp/out" && find . -type f | sort | xargs md5sum | md5sum)

# The PDF and the CSV become pointers; the clone has neither file.
pointer "$pdf" >"$repo/$m/report.pdf"
pointer "$csv" >"$repo/$m/appendix.csv"
commit "Move the attachments to Git LFS"
build "$tmp/out"
check "without the files the build fails" [ "$rc" = 1 ]
check "the error names the PDF and says how to fetch it" \
    says "$m/report.pdf: error: this file is stored with Git LFS, and this clone has its pointer but not the file: run 'git lfs pull'"
check "the error names the CSV too" says "$m/appendix.csv: error: this file is stored with Git LFS"
check "each file is reported once" [ "$(count "$m/report.pdf: error")" = 1 ]
check "the site in place is as it was" \
    [ "$(cd "$tmp/out" && find . -type f | sort | xargs md5sum | md5sum)" = "$before" ]

# git lfs pull: the files are in the store.
store "$pdf"
store "$csv"
build "$tmp/out"
check "with the files the build succeeds" [ "$rc" = 0 ]
check "the PDF published is the file, not its pointer" cmp -s "$pdf" "$tmp/out/$m/report.pdf"
check "the CSV published is the file" cmp -s "$csv" "$tmp/out/$m/appendix.csv"
page=$tmp/out/$m/finance/index.html
check "the paper gives the PDF's own size and pages" \
    grep -qF '(PDF, 426 bytes, 2 pages)' "$page"
check "the paper gives the CSV's own size" grep -qF '(CSV, 24 bytes)' "$page"
check "the open data gives the PDF's size and pages" \
    grep -qF ',application/pdf,426,2' "$tmp/out/data/documents.csv"

# The store's copy damaged: the same size, other bytes; then shorter.
unstore
store "$csv"
store "$pdf" "$(head -c 426 /dev/zero | tr '\0' x)"
build "$tmp/out2"
check "a copy with other bytes fails the build" [ "$rc" = 1 ]
check "and is named as not matching the pointer's SHA-256" \
    says "$m/report.pdf: error: this file is stored with Git LFS, and its copy '$repo/.git/lfs/objects/"
check "the SHA-256 is what differs" says "(not the SHA-256 it names)"
unstore
store "$csv"
store "$pdf" "%PDF-1.4 short"
build "$tmp/out2"
check "a copy of another size fails the build" says "(not the size it names)"
check "and no site is written" [ ! -e "$tmp/out2" ]
check "which it says" says "nothing was published; '$tmp/out2' was not made"

# The store's copy a symbolic link (to the right bytes): not followed.
unstore
store "$csv"
store "$pdf"
oid=$(sha256sum "$pdf" | cut -d' ' -f1)
obj=$repo/.git/lfs/objects/${oid:0:2}/${oid:2:2}/$oid
mv "$obj" "$tmp/real.pdf" && ln -s "$tmp/real.pdf" "$obj"
build "$tmp/out2"
check "a copy that is a symbolic link is not followed" \
    says "$m/report.pdf: error: this file is stored with Git LFS, and its copy '$obj' cannot be read: it is a symbolic link, which is not followed"

# --worktree without git-lfs installed: the working tree has pointers.
unstore
store "$pdf"
store "$csv"
build "$tmp/wt" --worktree
check "a preview of the working tree publishes the files" \
    cmp -s "$pdf" "$tmp/wt/$m/report.pdf"
check "and their sizes" grep -qF '(PDF, 426 bytes, 2 pages)' "$tmp/wt/$m/finance/index.html"

# A pointer damaged by hand, and text that only looks like one.
printf 'version https://git-lfs.github.com/spec/v1\nsize 426\n' >"$repo/$m/report.pdf"
printf 'version 2 of the humans file\n' >"$repo/static/humans.txt"
commit "Break the pointer"
build "$tmp/out3"
check "a pointer without an oid fails the build" [ "$rc" = 1 ]
check "and says why" says "$m/report.pdf: error: this file begins as a Git LFS pointer but is not one (it has no oid line)"
git -C "$repo" checkout -q HEAD~1 -- "$m/report.pdf"
commit "Mend the pointer"
build "$tmp/out3"
check "text that begins with 'version' is published as it is" \
    [ "$rc" = 0 ] && grep -qx 'version 2 of the humans file' "$tmp/out3/humans.txt"

# Not LFS: a file named .pdf that is not a PDF is published with a warning.
printf 'This is not a PDF.\n' >"$repo/$m/report.pdf"
commit "Replace the PDF by text"
build "$tmp/out4"
check "a .pdf that is not a PDF is a warning, not an error" [ "$rc" = 0 ]
check "the warning points at the attachment in the paper" \
    says "$m/finance.md:8:5: warning: attachment 'report.pdf' is not a PDF"
exit $((failures > 0))
