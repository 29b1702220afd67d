// The search page as a person uses it: with JavaScript, typing a query
// announces the number of results and lists links a keyboard reaches;
// without JavaScript, the page offers the browse pages instead.
//   node tests/browser/search.mjs SITE_DIR QUERY
import { launch, gotoRetry } from './lib.mjs';
import { startServer } from './serve.mjs';

const [dir, query] = process.argv.slice(2);
if (!dir || !query) {
	console.error('usage: node search.mjs SITE_DIR QUERY');
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
	await gotoRetry(page, new URL('search/', srv.url).href);
	await page.waitForSelector('#icp-search-form:not([hidden])',
	    { timeout: 15000 });
	await page.keyboard.press('Tab');	// skip link
	await page.focus('#icp-search-q');
	await page.keyboard.type(query);
	await page.keyboard.press('Enter');
	await page.waitForFunction(() =>
	    document.getElementById('icp-search-status').textContent !== '');
	const status = await page.textContent('#icp-search-status');
	const n = await page.locator('#icp-search-results a').count();
	check(/^\d+ results? for/.test(status) && n > 0,
	    `"${query}" finds results and says so: "${status}"`);
	check(await page.getAttribute('#icp-search-status', 'role') ===
	    'status', 'the count is in a status region screen readers announce');
	// From the box: the button and the two filters, then the results.
	await page.focus('#icp-search-q');
	let focused = false;
	for (let i = 0; i < 5 && !focused; i++) {
		await page.keyboard.press('Tab');
		focused = await page.evaluate(() => document.activeElement
		    .closest('#icp-search-results') !== null);
	}
	check(focused, 'the keyboard reaches the first result');
	await page.fill('#icp-search-q', 'zzqqxxnothing');
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => /^No results/.test(
	    document.getElementById('icp-search-status').textContent));
	check(true, 'a query with no match says so');

	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const plain = await ctx.newPage();
	await gotoRetry(plain, new URL('search/', srv.url).href);
	check(await plain.isVisible('#icp-search-nojs a[href$="/meetings/"]') &&
	    !(await plain.isVisible('#icp-search-form')),
	    'without JavaScript the page offers the browse pages');
	await ctx.close();
} catch (e) {
	console.log(`FAIL: ${e.message}`);
	fail++;
} finally {
	await browser.close();
	await srv.close();
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
