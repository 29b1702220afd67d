// Every page added for readers is reachable: from the header of the home
// page (the sections, "More", the search box) or from the page it
// belongs to.  Checked in the browser, on the rendered pages.
//   node tests/browser/reach.mjs SITE_DIR
import fs from 'node:fs';
import path from 'node:path';
import { launch, gotoRetry } from './lib.mjs';
import { startServer } from './serve.mjs';

const [dir] = process.argv.slice(2);
if (!dir) {
	console.error('usage: node reach.mjs SITE_DIR');
	process.exit(2);
}
const srv = await startServer(dir);
const browser = await launch();
let pass = 0, fail = 0;
const check = (ok, what) => {
	console.log(`${ok ? 'ok' : 'FAIL'}: ${what}`);
	ok ? pass++ : fail++;
};
const links = async (page, url, scope) => {
	await gotoRetry(page, new URL(url.replace(/^\//, ''), srv.url).href,
	    { timeout: 30000 });
	return page.$$eval(`${scope} a[href]`, (as) => as.map((a) =>
	    new URL(a.href).pathname));
};
try {
	const page = await browser.newPage();
	const head = await links(page, '/', 'header');
	for (const p of ['/meetings/', '/decisions/', '/actions/',
	    '/questions/', '/strategy/', '/subscribe/', '/whats-new/'])
		check(head.includes(p), `the header links to ${p}`);
	check(await page.getAttribute('header form[role=search]', 'action') ===
	    '/search/', 'the header has a search box for /search/');
	// Each decision's page from the register.
	const reg = await links(page, '/decisions/', 'main');
	const pages = fs.readdirSync(path.join(dir, 'decisions'),
	    { withFileTypes: true }).filter((e) => e.isDirectory())
	    .map((e) => `/decisions/${e.name}/`);
	check(pages.length > 0 && pages.every((p) => reg.includes(p)),
	    `the register links to all ${pages.length} decision pages`);
	// Each committee's calendar and feed from its page.
	for (const c of fs.readdirSync(path.join(dir, 'committees'),
	    { withFileTypes: true }).filter((e) => e.isDirectory())) {
		const l = await links(page, `/committees/${c.name}/`, 'main');
		check(l.includes(`/committees/${c.name}/meetings.ics`) &&
		    l.includes(`/committees/${c.name}/feed.xml`),
		    `committee ${c.name} links its calendar and feed`);
	}
	// The calendar and each year's page from the meetings page; the
	// action log of each committee and owner from the log.
	const meet = await links(page, '/meetings/', 'main');
	const years = fs.readdirSync(path.join(dir, 'meetings'),
	    { withFileTypes: true }).filter((e) => /^\d{4}$/.test(e.name))
	    .map((e) => `/meetings/${e.name}/`);
	check(meet.includes('/meetings/calendar/') && years.length > 0 &&
	    years.every((y) => meet.includes(y)),
	    `the meetings page links the calendar and ${years.length} years`);
	const log = await links(page, '/actions/', 'main');
	const logs = ['committee', 'owner'].flatMap((k) => fs.existsSync(
	    path.join(dir, 'actions', k)) ? fs.readdirSync(path.join(dir,
	    'actions', k)).map((n) => `/actions/${k}/${n}/`) : []);
	check(logs.length > 0 && logs.every((l) => log.includes(l)),
	    `the action log links its ${logs.length} filtered logs`);
	// Each meeting with papers links its agenda pack.
	const packs = fs.readdirSync(path.join(dir, 'meetings'))
	    .filter((m) => fs.existsSync(path.join(dir, 'meetings', m, 'pack')));
	let linked = 0;
	for (const m of packs)
		if ((await links(page, `/meetings/${m}/`, 'main'))
		    .includes(`/meetings/${m}/pack/`))
			linked++;
	check(packs.length > 0 && linked === packs.length,
	    `every meeting with papers links its agenda pack (${linked} of ${packs.length})`);
	// The subscribe page lists every calendar and feed that exists.
	const sub = await links(page, '/subscribe/', 'main');
	const feeds = ['/meetings.ics', '/papers.xml', '/news.xml'].filter(
	    (f) => fs.existsSync(path.join(dir, f)));
	check(feeds.every((f) => sub.includes(f)),
	    'the subscribe page lists the site-wide calendar and feeds');
} catch (e) {
	console.log(`FAIL: ${e.message}`);
	fail++;
} finally {
	await browser.close();
	await srv.close();
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
