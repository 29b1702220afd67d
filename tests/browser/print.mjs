// Printing: an agenda pack printed to PDF by Chromium has a sheet for
// the agenda and one more for each paper at least; in print, links in
// the page show their addresses and disclosures are open.
//   node tests/browser/print.mjs SITE_DIR PACK_PATH [DETAILS_PATH]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, gotoRetry } from './lib.mjs';
import { startServer } from './serve.mjs';

const [dir, pack, detailsPath] = process.argv.slice(2);
if (!dir || !pack) {
	console.error('usage: node print.mjs SITE_DIR PACK_PATH [DETAILS_PATH]');
	process.exit(2);
}
const srv = await startServer(dir);
const browser = await launch();
let pass = 0, fail = 0;
const check = (ok, what) => {
	console.log(`${ok ? 'ok' : 'FAIL'}: ${what}`);
	ok ? pass++ : fail++;
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-print-'));
try {
	const page = await browser.newPage();
	const url = new URL(pack.replace(/^\//, ''), srv.url).href;
	await gotoRetry(page, url, { timeout: 30000 });
	const papers = await page.locator('.icp-pack__paper').count();
	const pdf = path.join(tmp, 'pack.pdf');
	await page.pdf({ path: pdf, format: 'A4', preferCSSPageSize: true });
	// The page tree's root holds the largest /Count: the number of pages.
	const counts = [...fs.readFileSync(pdf, 'latin1').matchAll(
	    /\/Count (\d+)/g)].map((m) => Number(m[1]));
	const sheets = counts.length ? Math.max(...counts) : 0;
	check(papers > 0 && sheets >= papers + 1,
	    `the pack prints to ${sheets} A4 pages, each of its ${papers} papers on a new page`);
	await page.emulateMedia({ media: 'print' });
	const shown = await page.$$eval('main a[href^="http"], main a[href^="/"]',
	    (as) => as.map((a) => [a.getAttribute('href'),
	    getComputedStyle(a, '::after').content]));
	check(shown.length > 0 && shown.every(([h, c]) => c.includes(h)),
	    `in print, all ${shown.length} links show their addresses`);
	const width = await page.$eval('main', (m) => m.getBoundingClientRect()
	    .width / document.documentElement.clientWidth);
	check(width > 0.9, `in print, the page uses the full width (${Math.round(width * 100)}%)`);
	if (detailsPath) {
		await page.emulateMedia({ media: 'screen' });
		await gotoRetry(page, new URL(detailsPath.replace(/^\//, ''), srv.url).href);
		await page.emulateMedia({ media: 'print' });
		const open = await page.$$eval('details:not([open]) .nhsuk-details__text',
		    (ds) => ds.map((d) => d.getBoundingClientRect().height));
		check(open.length > 0 && open.every((h) => h > 0),
		    `in print, all ${open.length} closed disclosures show their text`);
	}
} catch (e) {
	console.log(`FAIL: ${e.message}`);
	fail++;
} finally {
	fs.rmSync(tmp, { recursive: true, force: true });
	await browser.close();
	await srv.close();
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
