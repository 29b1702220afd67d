// Shared helpers of the browser checks: finding the npm tools, starting
// Chromium, listing a site's pages and bounding the time of each step.
//
// Environment: NODEDIR (default: node_modules of the repository) and
// CHROMIUM (default: /usr/bin/chromium).

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
export const NODEDIR = process.env.NODEDIR || path.join(REPO, 'node_modules');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Load an npm package from NODEDIR, with a clear message if it is missing.
export function need(name) {
	const req = createRequire(path.join(NODEDIR, 'x.js'));
	try {
		return req(name);
	} catch (e) {
		throw new Error(`cannot load '${name}' from ${NODEDIR} ` +
		    `(run 'make deps'): ${e.message.split('\n')[0]}`);
	}
}

// The last one stops Chromium's own look-ups (it asks DNS for
// clients2.google.com even with background networking off): every name
// fails without a query, and our server is reached by address.
export const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
    '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'];

// Start the system Chromium through playwright-core (never downloads one).
export async function launch() {
	const { chromium } = need('playwright-core');
	if (!fs.existsSync(CHROMIUM))
		throw new Error(`no browser at ${CHROMIUM} (install Debian's ` +
		    `'chromium' or set CHROMIUM)`);
	return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS,
	    timeout: 60000 });
}

// Every .html file under dir, as sorted paths relative to dir with '/'.
export function htmlFiles(dir) {
	const out = [];
	const walk = (rel) => {
		const ents = fs.readdirSync(path.join(dir, rel),
		    { withFileTypes: true });
		for (const e of ents) {
			const r = rel ? `${rel}/${e.name}` : e.name;
			if (e.isDirectory())
				walk(r);
			else if (e.isFile() && /\.html?$/i.test(e.name))
				out.push(r);
		}
	};
	walk('');
	return out.sort();
}

// The URL path a page is served at: "a/index.html" is "/a/".
export function urlPathOf(rel) {
	if (rel === 'index.html')
		return '/';
	if (rel.endsWith('/index.html'))
		return '/' + rel.slice(0, -'index.html'.length);
	return '/' + rel;
}

// Resolve to p's value, or reject after ms with "what timed out".
export function withTimeout(p, ms, what) {
	let t;
	const timer = new Promise((_, reject) => {
		t = setTimeout(() => reject(new Error(
		    `${what} timed out after ${ms / 1000} s`)), ms);
	});
	return Promise.race([p, timer]).finally(() => clearTimeout(t));
}

// page.goto, tried again with more time when a loaded machine is slow:
// a page that does not load in time is retried, not failed.  Attempt k
// (from 1) waits k times the timeout given (default 30 s).  Errors that
// are not about time (HTTP errors, a refused connection) are not retried.
export async function gotoRetry(page, url, options = {}, tries = 3) {
	const base = options.timeout ?? 30000;
	for (let k = 1; ; k++) {
		try {
			return await page.goto(url, { ...options, timeout: base * k });
		} catch (e) {
			if (k >= tries || !/timeout|timed out/i.test(String(e.message)))
				throw e;
		}
	}
}

// Block everything not served by our loopback server; collect what was
// blocked or failed so that a check can report it.
export async function guardRequests(context, base, onProblem) {
	await context.route('**/*', (route) => {
		const u = route.request().url();
		if (u.startsWith(base) || u.startsWith('data:') ||
		    u.startsWith('blob:') || u === 'about:blank')
			return route.continue();
		onProblem(route.request(), `external request blocked: ${u}`);
		return route.abort('blockedbyclient');
	});
}

// A short CSS-ish path for an element, computed in the page: up to the
// nearest id, at most four steps.
export const CSS_PATH_FN = `(el) => {
	const parts = [];
	while (el && el.nodeType === 1 && el !== document.documentElement) {
		if (parts.length === 4) {
			parts.unshift('...');
			break;
		}
		let s = el.localName;
		if (el.id) { parts.unshift(s + '#' + CSS.escape(el.id)); break; }
		const cls = [...el.classList].slice(0, 2);
		if (cls.length) s += '.' + cls.map((c) => CSS.escape(c)).join('.');
		const p = el.parentElement;
		if (p) {
			const same = [...p.children].filter((c) => c.localName === el.localName);
			if (same.length > 1) s += ':nth-of-type(' + (same.indexOf(el) + 1) + ')';
		}
		parts.unshift(s);
		el = p;
	}
	return parts.join(' > ') || 'html';
}`;
