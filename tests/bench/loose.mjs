// Commits for the incremental-loose scenario of `make bench`, as
// git fast-import input on stdout: N commits after HEAD of REPO, a
// minute apart (before the bench's build date while N < 2,000), each
// adding a line to another paper, as a site's comms team commits
// between two `git gc` runs.  bench.sh unpacks the pack
// fast-import makes, so each commit leaves its objects loose (a blob,
// three folders, the commit) as `git commit` would.
//   node loose.mjs REPO N
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const [repo, nArg] = process.argv.slice(2);
const N = Number(nArg);
if (!repo || !(N > 0)) {
	console.error('usage: loose.mjs REPO N');
	process.exit(2);
}
const git = (...a) => execFileSync('git', ['-C', repo, ...a],
	{ encoding: 'utf8', maxBuffer: 1 << 28 });
const papers = git('ls-files', 'meetings/*/paper-*.md').split('\n')
	.filter(Boolean);
const head = git('rev-parse', 'HEAD').trim();
const t0 = Number(git('log', '-1', '--format=%ct', 'HEAD').trim());
const text = new Map();
const out = [];
for (let i = 0; i < N; i++) {
	// 7919 is prime: N commits touch N different papers when N is
	// below their number.
	const p = papers[(i * 7919) % papers.length];
	if (!text.has(p))
		text.set(p, fs.readFileSync(`${repo}/${p}`));
	const body = Buffer.concat([text.get(p),
		Buffer.from(`\nEdited in commit ${i + 1} of the bench.\n`)]);
	text.set(p, body);
	const msg = `Edit ${p}\n`;
	out.push(Buffer.from(`commit refs/heads/main\n` +
		`committer Bench <bench@example.org> ${t0 + (i + 1) * 60} +0000\n` +
		`data ${Buffer.byteLength(msg)}\n${msg}` +
		(i === 0 ? `from ${head}\n` : '') +
		`M 100644 inline ${p}\ndata ${body.length}\n`), body,
		Buffer.from('\n'));
}
process.stdout.write(Buffer.concat(out));
