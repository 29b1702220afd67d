// Every page of a built site has its own <title>, so that a list of
// tabs, bookmarks or search engine results tells them apart.
//   node tests/browser/titles.mjs SITE_DIR
import fs from 'node:fs';
import path from 'node:path';
import { htmlFiles } from './lib.mjs';

const [dir] = process.argv.slice(2);
if (!dir) {
	console.error('usage: node titles.mjs SITE_DIR');
	process.exit(2);
}
const seen = new Map();
let bad = 0;
const files = htmlFiles(dir).filter((f) => f !== '404.html');
for (const f of files) {
	const m = /<title>([^<]*)<\/title>/.exec(fs.readFileSync(path.join(dir, f),
	    'utf8'));
	const t = m ? m[1].trim() : '';
	if (!t) {
		console.log(`FAIL: ${f} has no title`);
		bad++;
	} else if (seen.has(t)) {
		console.log(`FAIL: ${f} has the same title as ${seen.get(t)}: ${t}`);
		bad++;
	} else
		seen.set(t, f);
}
console.log(`${files.length - bad} passed, ${bad} failed`);
process.exit(bad ? 1 : 0);
