// Full-page screenshots of some pages of a built site, for evidence.
//
//   node tests/browser/screens.mjs SITE_DIR OUTDIR URLPATH...
//
// For each URL path (such as / or /meetings/) writes OUTDIR/NAME-1280.png
// and OUTDIR/NAME-320.png, NAME being the path made into a file name
// ("index" for /).  Exit status 0 if every shot was taken, 1 if a page
// failed to load, 2 on bad usage or if the browser could not start.

import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './serve.mjs';
import { launch, withTimeout, gotoRetry } from './lib.mjs';

const WIDTHS = [[1280, 800], [320, 640]];

// "/meetings/2024-05-01/" -> "meetings-2024-05-01"
function shotName(p) {
	const s = p.replace(/\.html?$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-')
	    .replace(/^-+|-+$/g, '');
	return s || 'index';
}

async function main() {
	const [dir, outdir, ...paths] = process.argv.slice(2);
	if (!dir || !outdir || paths.length === 0) {
		console.error('usage: node screens.mjs SITE_DIR OUTDIR URLPATH...');
		return 2;
	}
	fs.mkdirSync(outdir, { recursive: true });
	const srv = await startServer(dir);
	let browser = null;
	let bad = 0;
	try {
		browser = await launch();
		const context = await browser.newContext({ reducedMotion: 'reduce' });
		const page = await context.newPage();
		for (const p of paths) {
			const url = new URL(p.replace(/^\/+/, ''), srv.url).href;
			for (const [w, h] of WIDTHS) {
				const file = path.join(outdir, `${shotName(p)}-${w}.png`);
				try {
					await page.setViewportSize({ width: w, height: h });
					const resp = await gotoRetry(page, url, { waitUntil: 'load',
					    timeout: 30000 });
					if (!resp || resp.status() !== 200)
						throw new Error(`HTTP ${resp ? resp.status() : 'no response'}`);
					await withTimeout(page.screenshot({ path: file,
					    fullPage: process.env.SHOT_FULL !== '0' }), 30000, 'the screenshot');
					console.log(`wrote ${file}`);
				} catch (e) {
					console.log(`FAIL ${p} at ${w}px: ${e.message.split('\n')[0]}`);
					bad++;
				}
			}
		}
	} finally {
		await browser?.close().catch(() => {});
		await srv.close();
	}
	console.log(`${paths.length * WIDTHS.length - bad} passed, ${bad} failed`);
	return bad ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
	console.error(`screens.mjs: error: ${e.message}`);
	process.exit(2);
});
