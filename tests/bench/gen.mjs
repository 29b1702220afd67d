// Generate a synthetic ICP site of about N pages for `make bench`:
// 1% strategy priorities (~1000 words), 4% news (~400 words), and the
// rest meetings (~600 words, ~4 agenda items) each with ~4 papers
// (~1500 words).  Bodies have headings, lists, a table, emphasis, a
// blockquote, and internal and external links.  Deterministic: the same
// SEED (default 42) gives the same site; NAME names the partnership, so
// that the national run's sites differ in name and text.
//   node gen.mjs DIR N [SEED [NAME]]
import fs from 'node:fs';
import path from 'node:path';

const [dir, nArg, seedArg, nameArg] = process.argv.slice(2);
const N = Number(nArg);
const seed0 = seedArg === undefined ? 42 : Number(seedArg);
const name = nameArg || 'Benchmark Integrated Care Partnership';
if (!dir || !(N > 0) || !Number.isInteger(seed0) || seed0 < 0) {
	console.error('usage: gen.mjs DIR N [SEED [NAME]]');
	process.exit(2);
}

let seed = seed0;
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const words = ('partnership health care council residents services plan ' +
	'budget outcomes children adults carers housing prevention community ' +
	'hospital primary neighbourhood review progress measure target ' +
	'improve support access waiting quality safety people local place').split(' ');
const sentence = (n) => {
	const w = [];
	for (let i = 0; i < n; i++) w.push(words[rand(words.length)]);
	w[0] = w[0][0].toUpperCase() + w[0].slice(1);
	return w.join(' ') + '.';
};
const para = (n) => { const s = []; let c = 0; while (c < n) { const k = 8 + rand(10); s.push(sentence(k)); c += k; } return s.join(' '); };

// A body of about `target` words, linking to `links` (relative .md paths).
function body(target, links) {
	const out = [];
	let count = 0, sec = 0;
	while (count < target) {
		sec++;
		out.push(`# Section ${sec}: ${sentence(3).slice(0, -1)}`, '');
		out.push(para(60) + ` See the *plan* and **budget** in [the related page](${links[sec % links.length]}).`, '');
		out.push('- ' + sentence(6), '- ' + sentence(7), '- ' + sentence(5), '');
		if (sec % 2 === 1) {
			out.push('Table: Figures for this section', '| Measure | Baseline | Target |', '| --- | ---: | ---: |');
			for (let r = 0; r < 4; r++) out.push(`| ${sentence(2).slice(0, -1)} | ${rand(100)} | ${rand(100)} |`);
			out.push('');
		}
		out.push('> ' + sentence(12), '');
		out.push(para(40) + ' More at [the national guidance](https://www.example.org/guidance).', '');
		count += 200;	// measured: words per section, with the table
	}
	return out.join('\n') + '\n';
}

const write = (p, s) => { fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true }); fs.writeFileSync(path.join(dir, p), s); };

const nStrategy = Math.max(1, Math.round(N * 0.01));
const nNews = Math.max(1, Math.round(N * 0.04));
const nMeetings = Math.max(1, Math.round((N - nStrategy - nNews) / 5));

write('icpgen.yaml', `name: ${name}\n` + 'base_url: https://bench.example.org/\n' +
	'contact:\n  email: bench@example.org\n');
write('index.md', '---\ntitle: Home\n---\nThe benchmark site.\n');
write('committees/icp.md', '---\ntitle: The partnership\n---\nThe committee.\n');
write('committees/assembly.md', '---\ntitle: The assembly\n---\nThe wider assembly.\n');
for (let i = 0; i < nStrategy; i++)
	write(`strategy/priority-${i}.md`, `---\ntitle: Priority ${i}\nlead: Director ${i}\norder: ${i}\n---\n` +
		body(1000, ['../index.md', `priority-${(i + 1) % nStrategy}.md`]));
for (let i = 0; i < nNews; i++) {
	const d = new Date(Date.UTC(2020, 0, 1) + i * 86400000).toISOString().slice(0, 10);
	write(`news/${d}-post-${i}.md`, `---\ntitle: News ${i}\ndate: ${d}\n---\n` +
		body(400, ['../strategy/priority-0.md', '../index.md']));
}
const firstNews = fs.readdirSync(path.join(dir, 'news')).sort()[0];
for (let m = 0; m < nMeetings; m++) {
	const d = new Date(Date.UTC(2015, 0, 1) + m * 2 * 86400000).toISOString().slice(0, 10);
	const id = `${d}-${m % 2 ? 'assembly' : 'icp'}`;
	const papers = [0, 1, 2, 3].map((k) => `paper-${k}`);
	const agenda = papers.map((p, k) => `  - number: "${k + 1}"\n    title: Item ${k + 1}\n` +
		`    purpose: ${['decision', 'discussion', 'assurance', 'information'][k]}\n    papers: [${p}]\n`).join('');
	write(`meetings/${id}/index.md`, `---\ncommittee: ${m % 2 ? 'assembly' : 'icp'}\ndate: ${d}\nstart: "14:00"\n` +
		`end: "16:00"\nstatus: held\nagenda:\n${agenda}---\n` + body(600, ['paper-0.md', '../../strategy/priority-0.md']));
	papers.forEach((p, k) =>	// item: the agenda item that lists it
		write(`meetings/${id}/${p}.md`, `---\ntitle: Report ${p} for ${d}\nitem: "${k + 1}"\n---\n` +
			body(1500, ['index.md', '../../news/' + firstNews])));
}
console.log(`generated ${1 + 2 + nStrategy + nNews + nMeetings * 5} pages in ${dir}`);
