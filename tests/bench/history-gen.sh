#!/usr/bin/env bash
# Make a site with a long history for measuring the history stage:
#   history-gen.sh DIR PAGES COMMITS [PER_FOLDER]
# PAGES free pages, then COMMITS commits each changing 4 or 5 of them
# (about 4.5 file edits a commit), made with git fast-import.  The pages
# are all in pages/ (one wide folder, the walk's worst case), or with
# PER_FOLDER in folders of that many (pages/d000/, pages/d001/, ...), as
# a site's papers sit in their meetings' folders.  The edits are the
# same either way.
set -eu
dir=$1 pages=${2:-10000} commits=${3:-20000} per=${4:-0}
rm -rf "$dir"
mkdir -p "$dir"
git -C "$dir" init -q -b main
python3 - "$pages" "$commits" "$per" <<'PY' | git -C "$dir" fast-import --quiet
import random, sys
pages, commits, per = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def path(i):
    if per > 0:
        return "pages/d%03d/p%05d.md" % (i // per, i)
    return "pages/p%05d.md" % i
random.seed(1)
t = 1600000000
out = sys.stdout.buffer
def blob(text):
    b = text.encode()
    out.write(b"data %d\n" % len(b) + b + b"\n")
def commit(n, files, msg):
    global t
    t += 3600
    out.write(b"commit refs/heads/main\n")
    out.write(b"committer Bench <b@example.org> %d +0000\n" % t)
    m = msg.encode()
    out.write(b"data %d\n" % len(m) + m + b"\n")
    for path, text in files:
        b = text.encode()
        out.write(b"M 100644 inline %s\ndata %d\n" % (path.encode(), len(b)) + b + b"\n")
files = [("icpgen.yaml", "name: Bench ICP\nbase_url: https://bench.example.org/\n")]
for i in range(pages):
    files.append((path(i), "---\ntitle: Page %d\n---\nVersion 0 of page %d.\n" % (i, i)))
commit(0, files, "Start")
for c in range(1, commits):
    ch = []
    for k in range(random.choice((4, 5))):
        i = random.randrange(pages)
        ch.append((path(i), "---\ntitle: Page %d\n---\nVersion %d of page %d, with some words.\n" % (i, c, i)))
    commit(c, ch, "Edit %d" % c)
PY
git -C "$dir" checkout -q -f main
