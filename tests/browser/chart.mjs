// Charts as people see them: text at least 12px on a 320px phone; in
// forced colours (Windows high contrast) the axis text is drawn in the
// system's text colour and shows up in a screenshot; a "Download the
// data (CSV)" link gives the figures.
//   node tests/browser/chart.mjs SITE_DIR MEASURE_PATH
import { launch, gotoRetry } from './lib.mjs';
import { startServer } from './serve.mjs';

const [dir, mpath] = process.argv.slice(2);
if (!dir || !mpath) {
	console.error('usage: node chart.mjs SITE_DIR MEASURE_PATH');
	process.exit(2);
}
const srv = await startServer(dir);
const browser = await launch();
let pass = 0, fail = 0;
const check = (ok, what) => {
	console.log(`${ok ? 'ok' : 'FAIL'}: ${what}`);
	ok ? pass++ : fail++;
};
const url = new URL(mpath.replace(/^\//, ''), srv.url).href;
try {
	let ctx = await browser.newContext({ viewport: { width: 320, height: 700 } });
	let page = await ctx.newPage();
	await gotoRetry(page, url, { timeout: 30000 });
	const px = await page.$eval('svg.icp-chart', (s) => s.getBoundingClientRect()
	    .width / s.viewBox.baseVal.width * Number(s.getAttribute('font-size')));
	check(px >= 12, `chart text is ${px.toFixed(1)}px at 320px wide`);
	const csv = await page.$eval('a[href$="data.csv"]', (a) =>
	    fetch(a.href).then((r) => r.text())).catch(() => '');
	check(/^date,value,rating\r?\n/.test(csv) && csv.split('\n').length > 2,
	    'the chart has a "Download the data (CSV)" link with its figures');
	await ctx.close();

	ctx = await browser.newContext({ viewport: { width: 1280, height: 900 },
	    forcedColors: 'active', colorScheme: 'dark' });
	page = await ctx.newPage();
	await gotoRetry(page, url, { timeout: 30000 });
	// The y axis's tick labels: the first group of labels in the chart.
	const label = await page.$('svg.icp-chart g.icp-chart__label text');
	await label.scrollIntoViewIfNeeded();
	const box = await label.boundingBox();
	const shot = await page.screenshot({ clip: box });
	const [ink, fill, bg] = await page.evaluate(async ([b64, el]) => {
		const img = new Image();
		img.src = 'data:image/png;base64,' + b64;
		await img.decode();
		const c = document.createElement('canvas');
		c.width = img.width;
		c.height = img.height;
		const g = c.getContext('2d');
		g.drawImage(img, 0, 0);
		const d = g.getImageData(0, 0, c.width, c.height).data;
		const lum = (i) => 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
		let lo = 255, hi = 0, n = 0;
		for (let i = 0; i < d.length; i += 4) {
			lo = Math.min(lo, lum(i));
			hi = Math.max(hi, lum(i));
		}
		for (let i = 0; i < d.length; i += 4)	// pixels far from the darkest
			if (lum(i) - lo > 100)
				n++;
		return [n, getComputedStyle(el).fill,
		    getComputedStyle(document.body).backgroundColor];
	}, [shot.toString('base64'), label]);
	check(ink > 10 && fill !== bg,
	    `in forced colours the axis text shows (${ink} bright pixels, fill ${fill} on ${bg})`);
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
