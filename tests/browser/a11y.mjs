// Accessibility check of every page of a built site: axe-core (WCAG 2.0,
// 2.1, 2.2 A/AA and best practice) at 1280 and 320 CSS px wide, no
// horizontal scrolling at either width, a mobile viewport meta, and no
// broken, blocked or failing resources or script errors.
//
//   node tests/browser/a11y.mjs [--jobs N] [--timeout S] [--full] [--verbose] SITE_DIR
//
// At 320px only the layout-dependent axe rules are rerun (--full: all).
// --verbose lists passing pages with the rules axe could not decide, and
// each violation's help URL and first failure summary.
//
// One line per failing page then its problems indented; a summary by
// rule; the last line is "N passed, N failed" (pages).  Exit status 0 if
// every page passed, 1 if any failed, 2 if the check could not run.

import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { startServer } from './serve.mjs';
import { need, launch, htmlFiles, urlPathOf, withTimeout, guardRequests,
    CSS_PATH_FN } from './lib.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa',
    'best-practice'];
const WIDTHS = [1280, 320];
// Rules whose outcome depends on layout: all that is rerun at the narrow
// width unless --full (the whole set takes about twice as long).
const LAYOUT_RULES = ['color-contrast', 'link-in-text-block', 'target-size',
    'scrollable-region-focusable'];
const HEIGHT = { 1280: 800, 320: 640 };

function usage() {
	console.error('usage: node a11y.mjs [--jobs N] [--timeout S] ' +
	    '[--full] [--verbose] SITE_DIR');
	process.exit(2);
}

function parseArgs(argv) {
	const o = { jobs: Math.min(4, os.availableParallelism()), timeout: 30,
	    verbose: false, full: false, dir: null };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--jobs' || a === '-j')
			o.jobs = Math.max(1, Number(argv[++i]) || 1);
		else if (a === '--timeout')
			o.timeout = Math.max(1, Number(argv[++i]) || 30);
		else if (a === '--verbose' || a === '-v')
			o.verbose = true;
		else if (a === '--full')
			o.full = true;
		else if (a.startsWith('-'))
			usage();
		else if (o.dir === null)
			o.dir = a;
		else
			usage();
	}
	if (o.dir === null)
		usage();
	return o;
}

// Runs in the page: the document's overflow and the widest element that
// sticks out on the right without being clipped by a scroll container.
const OVERFLOW_FN = `(cssPath) => {
	const vw = window.innerWidth;
	const sw = document.documentElement.scrollWidth;
	if (sw <= vw)
		return null;
	let best = null;
	for (const el of document.querySelectorAll('body *')) {
		const r = el.getBoundingClientRect();
		if (r.width === 0 && r.height === 0)
			continue;
		const right = r.right + window.scrollX;
		if (right <= vw + 0.5)
			continue;
		let clipped = false;
		for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
			if (getComputedStyle(a).overflowX !== 'visible') {
				clipped = true;
				break;
			}
		if (clipped)
			continue;
		/* Document order: a tie goes to the outermost element. */
		if (!best || right > best.right + 0.5)
			best = { el, right, width: r.width };
	}
	return {
		viewport: vw,
		scrollWidth: sw,
		widest: best ? (cssPath)(best.el) : null,
		width: best ? Math.round(best.width) : 0,
		right: best ? Math.round(best.right) : 0,
	};
}`;

// Runs in the page: axe with our tags; violations in a plain form.
const AXE_FN = `async (only) => {
	const r = await axe.run(document, {
		runOnly: only,
		resultTypes: ['violations'],
	});
	const flat = (t) => Array.isArray(t) ? t.map(flat).join(' >>> ') : String(t);
	return {
		violations: r.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help,
			helpUrl: v.helpUrl,
			targets: v.nodes.map((n) => flat(n.target)),
			summary: v.nodes.length ? (v.nodes[0].failureSummary || '') : '',
		})),
		incomplete: r.incomplete.map((v) => v.id),
	};
}`;

// Runs in the page: is there a viewport meta allowing reflow on phones?
const VIEWPORT_FN = `() => {
	const m = document.querySelector('meta[name="viewport" i]');
	if (!m)
		return 'no <meta name="viewport"> (phones will lay the page out 980px wide)';
	if (!/width\\s*=\\s*device-width/i.test(m.content || ''))
		return 'viewport meta lacks width=device-width: ' + JSON.stringify(m.content);
	return null;
}`;

// Check one page; resolves to a list of problem objects.
async function checkPage(page, url, axeSource, opts, net) {
	const problems = [];
	const incomplete = new Set();
	net.length = 0;
	await page.setViewportSize({ width: WIDTHS[0], height: HEIGHT[WIDTHS[0]] });
	let resp;
	try {
		resp = await page.goto(url, { waitUntil: 'load',
		    timeout: opts.timeout * 1000 });
	} catch (e) {
		problems.push({ kind: 'load', text:
		    `page failed to load: ${e.message.split('\n')[0]}` });
		return { problems, incomplete };
	}
	if (!resp || resp.status() !== 200) {
		problems.push({ kind: 'load', text: 'page failed to load: HTTP ' +
		    (resp ? resp.status() : 'no response') });
		return { problems, incomplete };
	}
	const vp = await page.evaluate(`(${VIEWPORT_FN})()`);
	if (vp)
		problems.push({ kind: 'viewport', text: vp });
	if (!await page.evaluate(() => typeof window.axe === 'object'))
		await page.evaluate(axeSource);
	const seen = new Map();
	for (const w of WIDTHS) {
		if (w !== WIDTHS[0])
			await page.setViewportSize({ width: w, height: HEIGHT[w] });
		// Wait for the resized layout to be painted before measuring.
		await page.evaluate(() => new Promise((r) =>
		    requestAnimationFrame(() => requestAnimationFrame(r))))
		    .catch(() => {});
		const ov = await page.evaluate(`(${OVERFLOW_FN})(${CSS_PATH_FN})`);
		if (ov)
			problems.push({ kind: 'overflow', rule: `overflow-${w}`,
			    text: `scrolls horizontally at ${w}px: document is ` +
			    `${ov.scrollWidth}px wide` + (ov.widest ?
			    `; widest element ${ov.widest} is ${ov.width}px wide, ` +
			    `right edge at ${ov.right}px` : '') });
		const only = w === WIDTHS[0] || opts.full ?
		    { type: 'tag', values: TAGS } :
		    { type: 'rule', values: LAYOUT_RULES };
		const res = await page.evaluate(`(${AXE_FN})(${JSON.stringify(only)})`);
		for (const id of res.incomplete)
			incomplete.add(id);
		for (const v of res.violations) {
			const key = v.id;
			if (!seen.has(key)) {
				seen.set(key, { ...v, widths: [w] });
				continue;
			}
			const old = seen.get(key);
			old.widths.push(w);
			for (const t of v.targets)
				if (!old.targets.includes(t))
					old.targets.push(t);
		}
	}
	for (const v of seen.values()) {
		const at = v.widths.length === WIDTHS.length ||
		    (!opts.full && !LAYOUT_RULES.includes(v.id)) ? '' :
		    ` (at ${v.widths.join(', ')}px only)`;
		problems.push({ kind: 'axe', rule: v.id, nodes: v.targets.length,
		    text: `axe ${v.id} [${v.impact}] ${v.help}${at}: ` +
		    v.targets.slice(0, 5).join(', ') +
		    (v.targets.length > 5 ? `, and ${v.targets.length - 5} more` : ''),
		    detail: opts.verbose ? `${v.helpUrl}\n${v.summary}` : null });
	}
	for (const n of net)
		problems.push({ kind: 'resource', rule: 'resource', text: n });
	return { problems, incomplete };
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const t0 = Date.now();
	if (!fs.existsSync(opts.dir) || !fs.statSync(opts.dir).isDirectory()) {
		console.error(`a11y.mjs: error: '${opts.dir}' is not a folder`);
		return 2;
	}
	const files = htmlFiles(opts.dir);
	if (files.length === 0) {
		console.error(`a11y.mjs: error: no .html files in '${opts.dir}'`);
		return 2;
	}
	const axeSource = need('axe-core').source;
	const srv = await startServer(opts.dir);
	let browser = null;
	let failed = 0;
	const byRule = new Map();
	const stop = async () => {
		await browser?.close().catch(() => {});
		await srv.close();
	};
	process.once('SIGINT', () => stop().then(() => process.exit(130)));
	process.once('SIGTERM', () => stop().then(() => process.exit(143)));
	try {
		browser = await launch();
		const context = await browser.newContext({
			viewport: { width: 1280, height: 800 },
			reducedMotion: 'reduce',
		});
		// Compiled once per renderer rather than once per page.
		await context.addInitScript(axeSource);
		// Network problems of each page, keyed by the page.
		const netOf = new Map();
		const note = (req, text) => {
			const pg = req.frame()?.page();
			if (pg && netOf.has(pg))
				netOf.get(pg).push(text);
		};
		await guardRequests(context, srv.url, note);
		const queue = files.slice();
		const results = new Map();
		const newPage = async () => {
			const pg = await context.newPage();
			netOf.set(pg, []);
			pg.on('pageerror', (e) => netOf.get(pg).push(
			    `script error: ${String(e.message).split('\n')[0]}`));
			pg.on('response', (r) => {
				if (r.status() >= 400 && r.request().resourceType() !== 'document')
					netOf.get(pg).push(`${r.url()} answered HTTP ${r.status()}`);
			});
			pg.on('requestfailed', (r) => {
				const f = r.failure()?.errorText || '';
				if (!f.startsWith('net::ERR_BLOCKED_BY_CLIENT') &&
				    !f.startsWith('net::ERR_ABORTED'))
					netOf.get(pg).push(`${r.url()} failed: ${f}`);
			});
			return pg;
		};
		const worker = async () => {
			let page = await newPage();
			for (;;) {
				const rel = queue.shift();
				if (rel === undefined)
					break;
				const url = srv.url + urlPathOf(rel).slice(1).split('/')
				    .map(encodeURIComponent).join('/');
				let r;
				// A page that does not load or cannot be checked in
				// time on a loaded machine is tried again with more
				// time (2x, then 3x) before it counts as a failure.
				for (let k = 1; ; k++) {
					const t = opts.timeout * k;
					try {
						r = await withTimeout(checkPage(page, url,
						    axeSource, { ...opts, timeout: t },
						    netOf.get(page)), t * 1000,
						    'checking the page');
					} catch (e) {
						r = { problems: [{ kind: 'load', text:
						    e.message.split('\n')[0] + ` (attempt ${k})` }],
						    incomplete: new Set() };
						// The page may be wedged: start afresh.
						await page.close().catch(() => {});
						page = await newPage();
					}
					if (k >= 3 || !r.problems.some((p) => p.kind === 'load'))
						break;
				}
				results.set(rel, r);
			}
			await page.close().catch(() => {});
		};
		await Promise.all(Array.from(
		    { length: Math.min(opts.jobs, files.length) }, worker));

		for (const rel of files) {
			const { problems, incomplete } = results.get(rel);
			const where = `${urlPathOf(rel)} (${rel})`;
			if (problems.length === 0) {
				if (opts.verbose)
					console.log(`ok   ${where}` + (incomplete.size ?
					    `  [needs review: ${[...incomplete].join(', ')}]` : ''));
				continue;
			}
			failed++;
			const kinds = {};
			for (const p of problems)
				kinds[p.kind] = (kinds[p.kind] || 0) + 1;
			const bits = [];
			if (kinds.load) bits.push('did not load');
			if (kinds.axe) bits.push(`${kinds.axe} axe violation${kinds.axe > 1 ? 's' : ''}`);
			if (kinds.overflow) bits.push('horizontal scrolling');
			if (kinds.viewport) bits.push('no mobile viewport');
			if (kinds.resource) bits.push(`${kinds.resource} resource problem${kinds.resource > 1 ? 's' : ''}`);
			console.log(`FAIL ${where}: ${bits.join(', ')}`);
			const counted = new Set();
			for (const p of problems) {
				console.log(`     ${p.text}`);
				if (p.detail)
					console.log(p.detail.replace(/^/gm, '       '));
				const rule = p.rule || p.kind;
				const s = byRule.get(rule) || { pages: 0, nodes: 0 };
				if (!counted.has(rule))
					s.pages++;
				counted.add(rule);
				s.nodes += p.nodes || 1;
				byRule.set(rule, s);
			}
		}
	} finally {
		await stop();
	}
	const secs = ((Date.now() - t0) / 1000).toFixed(1);
	if (byRule.size) {
		console.log('summary by rule:');
		for (const [rule, s] of [...byRule].sort((a, b) => b[1].pages - a[1].pages))
			console.log(`  ${rule}: ${s.pages} page${s.pages > 1 ? 's' : ''}` +
			    (s.nodes !== s.pages ? `, ${s.nodes} items` : ''));
	}
	console.log(`a11y: ${files.length} page${files.length === 1 ? "" : "s"} checked in ${secs} s ` +
	    `(axe-core ${need('axe-core/package.json').version}, ` +
	    `widths ${WIDTHS.join(' and ')}px)`);
	console.log(`${files.length - failed} passed, ${failed} failed`);
	return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
	console.error(`a11y.mjs: error: ${e.message}`);
	process.exit(2);
});
