// A keyboard-only pass over pages of a built site: press Tab from page
// load and record each focus stop, whether focus changes how the element
// looks, and whether the first stop is a working skip link.
//
//   node tests/browser/keyboard.mjs [--tabs N] [--target ID] SITE_DIR URLPATH...
//
// For each page: a table of focus stops (number, tag, text, element,
// what changes on focus), then the skip-link verdict.  A page fails if the
// first Tab does not reach a link to #ID (default #maincontent), if
// activating it does not bring the keyboard to that target, or if any
// focused element shows no visible change or is off screen.  Last line:
// "N passed, N failed" (pages).  Exit status 0, 1 on failure, 2 on error.

import { startServer } from './serve.mjs';
import { launch, withTimeout, CSS_PATH_FN, gotoRetry } from './lib.mjs';

function usage() {
	console.error('usage: node keyboard.mjs [--tabs N] [--target ID] ' +
	    'SITE_DIR URLPATH...');
	process.exit(2);
}

function parseArgs(argv) {
	const o = { tabs: 100, target: 'maincontent', dir: null, paths: [] };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--tabs')
			o.tabs = Math.max(1, Number(argv[++i]) || 100);
		else if (a === '--target')
			o.target = String(argv[++i] || '').replace(/^#/, '');
		else if (a.startsWith('--'))
			usage();
		else if (o.dir === null)
			o.dir = a;
		else
			o.paths.push(a);
	}
	if (o.dir === null || o.paths.length === 0 || !o.target)
		usage();
	return o;
}

// Installed in the page: window.__kb with snap(el), which records the
// look of an element and its ::before/::after, and info(el).
const HELPERS = `(() => {
	const cssPath = ${CSS_PATH_FN};
	const PROPS = ['outline-style', 'outline-width', 'outline-color',
	    'outline-offset', 'box-shadow', 'background-color',
	    'background-image', 'color', 'text-decoration-line',
	    'text-decoration-color', 'text-decoration-thickness',
	    'text-decoration-style', 'border-top-color', 'border-bottom-color',
	    'border-left-color', 'border-right-color', 'border-top-width',
	    'border-bottom-width', 'border-left-width', 'border-right-width',
	    'border-top-style', 'border-bottom-style', 'border-left-style',
	    'border-right-style', 'opacity', 'clip',
	    'clip-path', 'visibility', 'transform', 'font-weight'];
	const PSEUDO = ['', '::before', '::after'];
	const snap = (el) => {
		const s = {};
		for (const ps of PSEUDO) {
			const cs = getComputedStyle(el, ps || null);
			if (ps && (cs.content === 'none' || cs.content === 'normal'))
				continue;
			for (const p of PROPS)
				s[ps + p] = cs.getPropertyValue(p);
			if (ps)
				s[ps + 'display'] = cs.display;
		}
		const r = el.getBoundingClientRect();
		s['box'] = [Math.round(r.left + scrollX), Math.round(r.top + scrollY),
		    Math.round(r.width), Math.round(r.height)].join(',');
		return s;
	};
	const text = (el) => {
		const t = el.getAttribute('aria-label') || el.innerText ||
		    el.value || el.getAttribute('title') || el.getAttribute('alt') || '';
		return t.replace(/\\s+/g, ' ').trim().slice(0, 50);
	};
	const info = (el) => {
		const r = el.getBoundingClientRect();
		const cs = getComputedStyle(el);
		const hidden = r.width <= 1 || r.height <= 1 ||
		    r.right <= 0 || r.bottom <= 0 || r.left >= innerWidth ||
		    r.top >= innerHeight || cs.visibility === 'hidden' ||
		    Number(cs.opacity) === 0;
		return { tag: el.localName, text: text(el), path: cssPath(el),
		    href: el.getAttribute('href'), hidden,
		    rect: [Math.round(r.left), Math.round(r.top),
		    Math.round(r.width), Math.round(r.height)].join(',') };
	};
	const before = new Map();
	const sel = 'a[href], area[href], button, input, select, textarea, ' +
	    'summary, iframe, [tabindex], [contenteditable]';
	for (const el of document.querySelectorAll(sel))
		before.set(el, snap(el));
	window.__kb = { snap, info, before };
})()`;

const transparent = (c) => /^(transparent|rgba\(.*,\s*0\))$/.test(c.trim());

// Which of the recorded properties changed in a way one can see.
function visibleChanges(a, b) {
	const out = [];
	for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
		if (a[k] === b[k])
			continue;
		const prop = k.replace(/^::(before|after)/, '');
		const pre = k.slice(0, k.length - prop.length);
		const get = (s, p) => s[pre + p] ?? '';
		if (prop.startsWith('outline-')) {
			// An outline shows only if it has a style, width and colour.
			if (get(b, 'outline-style') === 'none' ||
			    parseFloat(get(b, 'outline-width')) === 0 ||
			    transparent(get(b, 'outline-color')))
				continue;
		}
		if (prop.startsWith('border-')) {
			const side = prop.split('-')[1];
			if (get(b, `border-${side}-style`) === 'none' &&
			    get(a, `border-${side}-style`) === 'none')
				continue;
		}
		if (prop.startsWith('text-decoration-') &&
		    prop !== 'text-decoration-line' &&
		    get(b, 'text-decoration-line') === 'none')
			continue;
		if (prop === 'background-color' && transparent(b[k] || '') &&
		    transparent(a[k] || ''))
			continue;
		out.push(k === 'box' ? 'position/size' : `${pre} ${prop}`.trim());
	}
	// outline-style/width/colour are one change to the reader.
	const seen = new Set();
	return out.map((k) => k.replace(
	    /^((?:::(?:before|after) )?(?:outline|text-decoration|border-(?:top|bottom|left|right)))-.*$/,
	    '$1')).filter((k) => !seen.has(k) && seen.add(k));
}

// Tab through one page; returns { lines, ok }.
async function checkPage(context, url, opts) {
	const lines = [];
	let ok = true;
	const page = await context.newPage();
	try {
		const resp = await gotoRetry(page, url, { waitUntil: 'load',
		    timeout: 30000 });
		if (!resp || resp.status() !== 200)
			return { lines: [`  page failed to load: HTTP ${resp ?
			    resp.status() : 'no response'}`], ok: false };
		await page.evaluate(HELPERS);
		const stops = [];
		let first = null;
		for (let i = 1; i <= opts.tabs; i++) {
			await page.keyboard.press('Tab');
			const s = await page.evaluate(() => {
				const el = document.activeElement;
				if (!el || el === document.body ||
				    el === document.documentElement)
					return null;
				const kb = window.__kb;
				const info = kb.info(el);
				let before = kb.before.get(el);
				const now = kb.snap(el);
				if (!before) {
					// Appeared after load: compare with it blurred.
					el.blur();
					before = kb.snap(el);
					el.focus();
				}
				return { ...info, before, now,
				    again: el === kb.first };
			});
			if (s === null || s.again)
				break;
			if (i === 1)
				await page.evaluate(() => {
					window.__kb.first = document.activeElement;
				});
			s.changes = visibleChanges(s.before, s.now);
			stops.push(s);
			if (!first)
				first = s;
		}
		const w = String(stops.length).length;
		let bad = 0;
		stops.forEach((s, i) => {
			const problems = [];
			if (s.changes.length === 0)
				problems.push('NO VISIBLE FOCUS CHANGE');
			if (s.hidden)
				problems.push(`NOT VISIBLE WHEN FOCUSED (box ${s.rect})`);
			if (problems.length)
				bad++;
			lines.push(`  ${String(i + 1).padStart(w)} ${s.tag} ` +
			    `${JSON.stringify(s.text)} ${s.path}` +
			    (s.href ? ` -> ${s.href}` : '') +
			    `\n  ${' '.repeat(w)}   ` + (problems.length ?
			    `FAIL ${problems.join('; ')}` :
			    `focus changes: ${s.changes.join(', ')}`));
		});
		if (stops.length === opts.tabs)
			lines.push(`  (stopped after ${opts.tabs} presses of Tab)`);
		lines.push(`  ${stops.length} focus stops, ${bad} without a ` +
		    'visible focus change or off screen');
		if (bad)
			ok = false;

		// The skip link: first stop, and it must work.
		const want = `#${opts.target}`;
		if (!first) {
			lines.push('  FAIL skip link: Tab focuses nothing');
			return { lines, ok: false };
		}
		if (first.tag !== 'a' || first.href !== want) {
			lines.push(`  FAIL skip link: the first Tab focuses ${first.tag} ` +
			    `${JSON.stringify(first.text)}, not a link to ${want}`);
			return { lines, ok: false };
		}
		await gotoRetry(page, url, { waitUntil: 'load', timeout: 30000 });
		await page.evaluate(HELPERS);
		await page.keyboard.press('Tab');
		await page.evaluate(() => {
			window.__kb.first = document.activeElement;
		});
		await page.keyboard.press('Enter');
		await page.waitForFunction(() => true);
		const r = await page.evaluate((id) => {
			const t = document.getElementById(id);
			if (!t)
				return { missing: true };
			const a = document.activeElement;
			const rect = t.getBoundingClientRect();
			// Is there a tab stop inside or after the target?
			const after = [...document.querySelectorAll('a[href], area[href], ' +
			    'button, input, select, textarea, summary, [tabindex]')]
			    .some((e) => e.tabIndex >= 0 && !e.disabled &&
			    e.getClientRects().length > 0 &&
			    (t.contains(e) || (t.compareDocumentPosition(e) &
			    Node.DOCUMENT_POSITION_FOLLOWING)));
			return { hash: location.hash, after,
			    stayed: a === window.__kb.first,
			    focused: a === t || t.contains(a),
			    inView: rect.top >= -1 && rect.top < innerHeight,
			    top: Math.round(rect.top), scrollY: Math.round(scrollY) };
		}, opts.target);
		if (r.missing) {
			lines.push(`  FAIL skip link: no element with id '${opts.target}'`);
			return { lines, ok: false };
		}
		if (r.stayed) {
			lines.push('  FAIL skip link: after Enter focus stays on the ' +
			    `skip link, so the keyboard did not move to ${want}`);
			return { lines, ok: false };
		}
		let how;
		if (r.focused)
			how = 'focus is on the target';
		else {
			// Not focusable: the target must now be the starting point
			// of sequential navigation.  Tab must land inside or after
			// it; if nothing focusable follows it, Shift+Tab must land on
			// the last stop before it (not wrap from the skip link).
			const forward = r.after;
			await page.keyboard.press(forward ? 'Tab' : 'Shift+Tab');
			const n = await page.evaluate((id) => {
				const t = document.getElementById(id);
				const a = document.activeElement;
				if (!a || a === document.body)
					return { where: 'nowhere' };
				const inside = t.contains(a);
				const after = !inside && (t.compareDocumentPosition(a) &
				    Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
				return { where: inside ? 'inside' : after ? 'after' : 'before',
				    first: a === window.__kb.first,
				    info: window.__kb.info(a) };
			}, opts.target);
			const good = forward ? n.where !== 'before' && n.where !== 'nowhere' :
			    n.where === 'before' && !n.first;
			const what = n.info ? `${n.info.tag} ${JSON.stringify(n.info.text)}` :
			    'nothing';
			if (!good) {
				lines.push(`  FAIL skip link: after Enter, ` +
				    `${forward ? 'Tab' : 'Shift+Tab'} lands ${n.where === 'nowhere' ?
				    '' : n.where + ' ' + want + ' '}on ${what}, so ` +
				    `the keyboard did not move to ${want}`);
				return { lines, ok: false };
			}
			how = forward ? `the next Tab lands ${n.where} it on ${what}` :
			    `nothing focusable follows it; Shift+Tab lands on ${what}`;
		}
		if (r.hash !== want) {
			lines.push(`  FAIL skip link: after Enter the address ends ` +
			    `'${r.hash}', not '${want}'`);
			return { lines, ok: false };
		}
		if (!r.inView) {
			lines.push(`  FAIL skip link: after Enter ${want} is at ` +
			    `y=${r.top} (scrolled ${r.scrollY}px), not in view`);
			return { lines, ok: false };
		}
		lines.push(`  skip link: ok (first Tab; Enter goes to ${want}, ` +
		    `scrolled ${r.scrollY}px; ${how})`);
		return { lines, ok };
	} finally {
		await page.close().catch(() => {});
	}
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const srv = await startServer(opts.dir);
	let browser = null;
	let failed = 0;
	try {
		browser = await launch();
		const context = await browser.newContext({
			viewport: { width: 1280, height: 800 },
			reducedMotion: 'reduce',
		});
		for (const p of opts.paths) {
			const url = new URL(p.replace(/^\/+/, ''), srv.url).href;
			let r;
			try {
				r = await withTimeout(checkPage(context, url, opts), 60000,
				    'the keyboard pass');
			} catch (e) {
				r = { lines: [`  FAIL ${e.message.split('\n')[0]}`], ok: false };
			}
			console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${p}`);
			for (const l of r.lines)
				console.log(l);
			if (!r.ok)
				failed++;
		}
	} finally {
		await browser?.close().catch(() => {});
		await srv.close();
	}
	console.log(`${opts.paths.length - failed} passed, ${failed} failed`);
	return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
	console.error(`keyboard.mjs: error: ${e.message}`);
	process.exit(2);
});
