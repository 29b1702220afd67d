// A tiny static file server for a built site folder, used by the browser
// checks.  It listens on 127.0.0.1 with an ephemeral port.
//
//   node tests/browser/serve.mjs SITE_DIR [PORT]     serve until Ctrl-C
//
// As a module: const srv = await startServer(dir); srv.url; await srv.close();
//
// Rules: only GET and HEAD; a directory is served by its index.html (a
// directory asked for without a trailing slash is redirected to it, so that
// relative links resolve as on a real host); anything missing is the site's
// 404.html with status 404 if it has one, else a plain 404; paths never
// leave the site folder.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.htm': 'text/html; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.json': 'application/json',
	'.map': 'application/json',
	'.xml': 'application/xml',
	'.rss': 'application/rss+xml',
	'.atom': 'application/atom+xml',
	'.ics': 'text/calendar; charset=utf-8',
	'.txt': 'text/plain; charset=utf-8',
	'.md': 'text/markdown; charset=utf-8',
	'.csv': 'text/csv; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.avif': 'image/avif',
	'.ico': 'image/x-icon',
	'.woff': 'font/woff',
	'.woff2': 'font/woff2',
	'.ttf': 'font/ttf',
	'.otf': 'font/otf',
	'.pdf': 'application/pdf',
	'.doc': 'application/msword',
	'.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	'.xls': 'application/vnd.ms-excel',
	'.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	'.ppt': 'application/vnd.ms-powerpoint',
	'.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	'.odt': 'application/vnd.oasis.opendocument.text',
	'.webmanifest': 'application/manifest+json',
};

// The content type of a file name (application/octet-stream if unknown).
export function contentType(name) {
	return TYPES[path.extname(name).toLowerCase()] || 'application/octet-stream';
}

function statOrNull(p) {
	try {
		return fs.statSync(p);
	} catch {
		return null;
	}
}

function send(req, res, status, file, headers = {}) {
	let body;
	try {
		body = fs.readFileSync(file);
	} catch {
		res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
		res.end('cannot read file\n');
		return;
	}
	res.writeHead(status, {
		'Content-Type': contentType(file),
		'Content-Length': body.length,
		'Cache-Control': 'no-store',
		...headers,
	});
	res.end(req.method === 'HEAD' ? undefined : body);
}

function notFound(req, res, root) {
	const page = path.join(root, '404.html');
	if (statOrNull(page)?.isFile()) {
		send(req, res, 404, page);
		return;
	}
	const body = 'not found\n';
	res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8',
	    'Content-Length': Buffer.byteLength(body) });
	res.end(req.method === 'HEAD' ? undefined : body);
}

// Answer one request from the folder root (an absolute, real path).
function handle(root, req, res) {
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.writeHead(405, { 'Allow': 'GET, HEAD' });
		res.end();
		return;
	}
	let pathname;
	try {
		pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
	} catch {
		res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
		res.end('bad request\n');
		return;
	}
	if (pathname.includes('\0')) {
		notFound(req, res, root);
		return;
	}
	// path.join normalises "..", and the prefix test keeps us inside root.
	let file = path.join(root, pathname);
	if (file !== root && !file.startsWith(root + path.sep)) {
		notFound(req, res, root);
		return;
	}
	let st = statOrNull(file);
	if (st?.isDirectory()) {
		if (!pathname.endsWith('/')) {
			const u = new URL(req.url, 'http://x');
			res.writeHead(301, { 'Location': u.pathname + '/' + u.search });
			res.end();
			return;
		}
		file = path.join(file, 'index.html');
		st = statOrNull(file);
	}
	if (!st?.isFile()) {
		notFound(req, res, root);
		return;
	}
	// Refuse symlinks pointing out of the site.
	const real = fs.realpathSync(file);
	if (!real.startsWith(root + path.sep)) {
		notFound(req, res, root);
		return;
	}
	send(req, res, 200, file);
}

// Serve dir on 127.0.0.1 (port 0: ephemeral).  Resolves to
// { url, port, root, close() } where url ends with a slash.
export async function startServer(dir, port = 0) {
	const root = fs.realpathSync(path.resolve(dir));
	if (!fs.statSync(root).isDirectory())
		throw new Error(`'${dir}' is not a folder`);
	const server = http.createServer((req, res) => handle(root, req, res));
	server.keepAliveTimeout = 1000;
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	const p = server.address().port;
	return {
		url: `http://127.0.0.1:${p}/`,
		port: p,
		root,
		close: () => new Promise((resolve) => {
			server.closeAllConnections?.();
			server.close(() => resolve());
		}),
	};
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
	const [dir, port] = process.argv.slice(2);
	if (!dir) {
		console.error('usage: node serve.mjs SITE_DIR [PORT]');
		process.exit(2);
	}
	try {
		const srv = await startServer(dir, port ? Number(port) : 0);
		console.log(`serving ${srv.root} at ${srv.url}`);
		const stop = () => srv.close().then(() => process.exit(0));
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	} catch (e) {
		console.error(`serve.mjs: error: ${e.message}`);
		process.exit(2);
	}
}
