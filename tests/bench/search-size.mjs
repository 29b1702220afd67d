// What a search downloads, gzipped: the manifest, the shard of each
// word of the query (and of its stem, when that lies elsewhere) and the
// fragments of the first 10 results, as themes/default/static/search.js
// fetches them.  For the note in docs/search.md; run by make bench.
//
//   node tests/bench/search-size.mjs SITE_OUT QUERY...
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [out, ...queries] = process.argv.slice(2);
if (!out || queries.length === 0) {
	console.error('usage: search-size.mjs SITE_OUT QUERY...');
	process.exit(2);
}
const dir = path.join(out, 'search');
const gz = (f) => zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length;
const man = JSON.parse(fs.readFileSync(path.join(dir, 'index.json')));
const enc = (s) => [...Buffer.from(s)].map((c) => (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ? String.fromCharCode(c) :
    '_' + c.toString(16).padStart(2, '0')).join('');
const shardOf = (w) => man.shards.filter((s) => enc(w).startsWith(s))
    .sort((a, b) => b.length - a.length)[0];
let worst = 0;
for (const q of queries) {
	const files = new Set([path.join(dir, 'index.json')]);
	let docs = null;
	for (const w of q.toLowerCase().split(/\s+/).filter((x) =>
	    x && !man.stop.includes(x))) {
		let s = shardOf(w);
		if (s === undefined) { docs = new Map(); continue; }
		let f = path.join(dir, 's', `k${s}.json`);
		files.add(f);
		const sh = JSON.parse(fs.readFileSync(f));
		const stem = sh.w[w] || w;
		if (!sh.t[stem] && shardOf(stem) !== s) {
			f = path.join(dir, 's', `k${shardOf(stem)}.json`);
			files.add(f);
		}
		const p = JSON.parse(fs.readFileSync(f)).t[stem] || [];
		const m = new Map();
		for (let i = 0, d = 0; i < p.length; i += 2) { d += p[i]; m.set(d, p[i + 1]); }
		docs = docs === null ? m : new Map([...docs].filter(([k]) => m.has(k)));
	}
	const top = [...(docs || new Map())].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 10);
	for (const [d] of top) files.add(path.join(dir, 'p', `${d}.json`));
	let total = 0;
	for (const f of files) total += gz(f);
	worst = Math.max(worst, total);
	console.log(`${man.docs} documents, "${q}": ${files.size} files, ` +
	    `${(total / 1024).toFixed(1)} KB gzipped (${docs ? docs.size : 0} matches)`);
}
console.log(`largest: ${(worst / 1024).toFixed(1)} KB gzipped`);
