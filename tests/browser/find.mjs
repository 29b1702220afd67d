// Full-text search as a resident uses it: each QUERY=>PART finds, as
// its first result, a link whose address contains PART, with the
// matched words marked in the result.  QUERY=>PART@LANG: and the
// result's title is marked as being in language LANG.
//   node tests/browser/find.mjs SITE_DIR 'QUERY=>PART[@LANG]'...
import { launch, gotoRetry } from './lib.mjs';
import { startServer } from './serve.mjs';

const [dir, ...cases] = process.argv.slice(2);
if (!dir || cases.length === 0) {
	console.error("usage: node find.mjs SITE_DIR 'QUERY=>PART'...");
	process.exit(2);
}
const srv = await startServer(dir);
const browser = await launch();
let pass = 0, fail = 0;
const check = (ok, what) => {
	console.log(`${ok ? 'ok' : 'FAIL'}: ${what}`);
	ok ? pass++ : fail++;
};
try {
	const page = await browser.newPage();
	for (const c of cases) {
		const [q, rest] = c.split('=>');
		const [part, lang] = rest.split('@');
		// Slow machines: one retry of the page load.
		for (let i = 0; i < 2; i++) {
			try {
				await gotoRetry(page, new URL('search/?q=' +
				    encodeURIComponent(q), srv.url).href,
				    { timeout: 30000 });
				await page.waitForFunction(() => /result/.test(
				    document.getElementById('icp-search-status')
				    .textContent) && document.querySelector(
				    '#icp-search-results li, #icp-search-status'),
				    null, { timeout: 20000 });
				await page.waitForSelector('#icp-search-results li',
				    { timeout: 20000 });
				break;
			} catch (e) {
				if (i === 1)
					console.log(`  (${q}: ${e.message.split('\n')[0]})`);
			}
		}
		const href = await page.getAttribute(
		    '#icp-search-results li:first-child a', 'href').catch(() => null);
		const marks = await page.locator(
		    '#icp-search-results li:first-child mark').count();
		check(href !== null && href.includes(part) && marks > 0,
		    `"${q}" finds ${part} first, words marked (got ${href}, ${marks} marks)`);
		if (lang !== undefined) {
			const got = await page.getAttribute(
			    '#icp-search-results li:first-child a', 'lang')
			    .catch(() => null);
			check(got === lang,
			    `its title is marked lang="${lang}" (got ${got})`);
		}
	}
	// Filters: the kind filter narrows the results to that kind.
	await gotoRetry(page, new URL('search/?q=plan&kind=paper', srv.url).href);
	await page.waitForSelector('#icp-search-results li', { timeout: 20000 });
	const metas = await page.locator('.icp-search__meta').allTextContents();
	check(metas.length > 0 && metas.every((m) => /^Paper/.test(m)),
	    `the kind filter keeps only papers (${metas.length} shown)`);
} catch (e) {
	console.log(`FAIL: ${e.message}`);
	fail++;
} finally {
	await browser.close();
	await srv.close();
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
