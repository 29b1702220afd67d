/*
 * The preview server: build, watch the site's files with inotify,
 * rebuild when they change, and tell open pages to reload (server-sent
 * events).  While the last build failed, every page is an error page
 * listing the problems.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "util/buf.h"
#include "util/lazylib.h"
#include "util/diag.h"
#include "util/mem.h"
#include "emit/out.h"
#include "cli/build.h"
#include "cli/serve.h"

/* libmicrohttpd's functions, loaded when a preview starts (lazylib.h). */
static struct {
	__typeof__(MHD_add_response_header)		*add_response_header;
	__typeof__(MHD_create_response_from_buffer)	*create_response_from_buffer;
	__typeof__(MHD_create_response_from_callback)	*create_response_from_callback;
	__typeof__(MHD_create_response_from_fd)		*create_response_from_fd;
	__typeof__(MHD_destroy_response)		*destroy_response;
	__typeof__(MHD_queue_response)			*queue_response;
	__typeof__(MHD_start_daemon)			*start_daemon;
	__typeof__(MHD_stop_daemon)			*stop_daemon;
} mhd;

static bool
mhd_load(void)
{
	const struct lazy_sym syms[] = {
		{ "MHD_add_response_header",
		    (void **)&mhd.add_response_header },
		{ "MHD_create_response_from_buffer",
		    (void **)&mhd.create_response_from_buffer },
		{ "MHD_create_response_from_callback",
		    (void **)&mhd.create_response_from_callback },
		{ "MHD_create_response_from_fd",
		    (void **)&mhd.create_response_from_fd },
		{ "MHD_destroy_response", (void **)&mhd.destroy_response },
		{ "MHD_queue_response", (void **)&mhd.queue_response },
		{ "MHD_start_daemon", (void **)&mhd.start_daemon },
		{ "MHD_stop_daemon", (void **)&mhd.stop_daemon },
	};

	return lazy_syms(LAZY_MHD, syms, sizeof(syms) / sizeof(syms[0]));
}

#define RELOAD_PATH	"/__icpgen/reload.js"
#define EVENTS_PATH	"/__icpgen/events"
#define MAX_PROBLEMS	200		/* shown on the error page */
#define MAX_PAGE	(8u << 20)	/* pages bigger than this: no script */

struct server {
	struct build_opts	 opts;
	struct diags		*d;
	char			*root;		/* the built site */
	const char		*base;		/* base path, "/" or "/icp/" */
	pthread_mutex_t		 lock;
	pthread_cond_t		 built;		/* signalled after each build */
	unsigned long		 gen;		/* builds so far */
	int			 failed;	/* the last build failed */
	struct buf		 problems;	/* its messages, as HTML */
	size_t			 nproblems;
	struct buf		 collect;	/* the running build's messages */
	size_t			 ncollect;
};

static volatile sig_atomic_t stop;

/* The script pages get in preview: reload when a newer build is ready. */
static const char reload_js[] =
"(function () {\n"
"\t\"use strict\";\n"
"\tvar me = document.currentScript, seen = null, es;\n"
"\tif (me) { seen = new URL(me.src).searchParams.get(\"build\"); }\n"
"\tif (!window.EventSource) { return; }\n"
"\tes = new EventSource(\"" EVENTS_PATH "\");\n"
"\tes.addEventListener(\"build\", function (e) {\n"
"\t\tif (seen !== null && e.data !== seen) { location.reload(); }\n"
"\t\tseen = e.data;\n"
"\t});\n"
"}());\n";

static void
on_signal(int sig)
{
	stop = sig;
}

static const char *
mime(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
		{ ".ico", "image/x-icon" },
		{ ".pdf", "application/pdf" },
		{ ".xml", "application/xml" },
		{ ".ics", "text/calendar; charset=utf-8" },
		{ ".csv", "text/csv; charset=utf-8" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char	*dot = strrchr(path, '.');
	size_t		 i;

	for (i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* --- building ----------------------------------------------------------- */

/* Keep each message of the running build for the error page. */
static void
collect(void *arg, int lv, const char *path, int line, int col,
    const char *msg)
{
	static const char *const names[] = { "error", "warning", "note" };
	struct server	*s = arg;

	if (lv == 1 || s->ncollect >= MAX_PROBLEMS)
		return;			/* warnings do not stop a build */
	s->ncollect++;
	buf_puts(&s->collect, "<li>");
	if (path != NULL) {
		buf_puts(&s->collect, "<code>");
		buf_puts_html(&s->collect, path);
		if (line > 0)
			buf_printf(&s->collect, ":%d", line);
		if (line > 0 && col > 0)
			buf_printf(&s->collect, ":%d", col);
		buf_puts(&s->collect, "</code> ");
	}
	buf_printf(&s->collect, "<strong>%s:</strong> ", names[lv]);
	buf_puts_html(&s->collect, msg);
	buf_puts(&s->collect, "</li>\n");
}

static void
rebuild(struct server *s)
{
	int	rc;

	buf_reset(&s->collect);
	s->ncollect = 0;
	s->d->errors = s->d->warnings = 0;
	rc = build_run(&s->opts, s->d);
	pthread_mutex_lock(&s->lock);
	s->failed = rc != 0;
	buf_reset(&s->problems);
	buf_put(&s->problems, s->collect.data, s->collect.len);
	s->nproblems = s->ncollect;
	s->gen++;
	pthread_cond_broadcast(&s->built);
	pthread_mutex_unlock(&s->lock);
	if (rc == 0)
		fprintf(stderr, "icpgen: preview updated\n");
	else
		fprintf(stderr, "icpgen: the build failed; the preview shows "
		    "the problems until the next good build\n");
}

/* --- answering ---------------------------------------------------------- */

static enum MHD_Result
send_buf(struct MHD_Connection *c, unsigned code, const char *type,
    const char *data, size_t len)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;

	r = mhd.create_response_from_buffer(len, (void *)(uintptr_t)data,
	    MHD_RESPMEM_MUST_COPY);
	mhd.add_response_header(r, "Content-Type", type);
	mhd.add_response_header(r, "Cache-Control", "no-store");
	ret = mhd.queue_response(c, code, r);
	mhd.destroy_response(r);
	return ret;
}

/* The script tag for pages of build gen. */
static void
script_tag(struct buf *b, unsigned long gen)
{
	buf_printf(b, "<script src=\"" RELOAD_PATH "?build=%lu\" defer>"
	    "</script>", gen);
}

/* Every page while the last build failed. */
static enum MHD_Result
error_page(struct server *s, struct MHD_Connection *c)
{
	struct buf	 b;
	enum MHD_Result	 ret;

	buf_init(&b);
	buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<title>The site did not build - icpgen preview</title>\n"
	    "<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:48rem;"
	    "margin:2rem auto;padding:0 1rem;color:#212b32}"
	    "h1{color:#d5281b}li{margin:.5rem 0}"
	    "code{background:#f0f4f5;padding:0 .2rem}</style>\n");
	script_tag(&b, s->gen);
	buf_puts(&b, "\n</head>\n<body>\n<main>\n"
	    "<h1>The site did not build</h1>\n<p>The last change has ");
	buf_printf(&b, "%zu problem%s. Fix %s and save: this page reloads "
	    "by itself when the site builds again. Nothing has been "
	    "published.</p>\n<h2>Problems</h2>\n<ul>\n", s->nproblems,
	    s->nproblems == 1 ? "" : "s", s->nproblems == 1 ? "it" : "them");
	buf_put(&b, s->problems.data, s->problems.len);
	buf_puts(&b, "</ul>\n<p>Each problem names the file, the line and "
	    "the column where it is, and what would be right.</p>\n"
	    "</main>\n</body>\n</html>\n");
	ret = send_buf(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
	    "text/html; charset=utf-8", b.data, b.len);
	buf_free(&b);
	return ret;
}

/* A built file; HTML gets the reload script before </head>. */
static enum MHD_Result
send_file(struct server *s, struct MHD_Connection *c, unsigned code,
    const char *path)
{
	struct MHD_Response	*r;
	struct stat		 st;
	struct buf		 b, tag;
	enum MHD_Result		 ret;
	const char		*type = mime(path), *head;
	char			 chunk[8192];
	ssize_t			 n;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		static const char msg[] = "not found\n";

		if (fd != -1)
			close(fd);
		return send_buf(c, MHD_HTTP_NOT_FOUND,
		    "text/plain; charset=utf-8", msg, sizeof(msg) - 1);
	}
	if (strncmp(type, "text/html", 9) != 0 || st.st_size > MAX_PAGE) {
		r = mhd.create_response_from_fd((uint64_t)st.st_size, fd);
		mhd.add_response_header(r, "Content-Type", type);
		mhd.add_response_header(r, "Cache-Control", "no-store");
		ret = mhd.queue_response(c, code, r);
		mhd.destroy_response(r);
		return ret;
	}
	buf_init(&b);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_put(&b, chunk, (size_t)n);
	close(fd);
	buf_init(&tag);
	pthread_mutex_lock(&s->lock);
	script_tag(&tag, s->gen);
	pthread_mutex_unlock(&s->lock);
	if ((head = strstr(b.data, "</head>")) != NULL) {
		size_t at = (size_t)(head - b.data);

		buf_grow(&b, tag.len);
		memmove(b.data + at + tag.len, b.data + at, b.len - at + 1);
		memcpy(b.data + at, tag.data, tag.len);
		b.len += tag.len;
	}
	ret = send_buf(c, code, type, b.data, b.len);
	buf_free(&b);
	buf_free(&tag);
	return ret;
}

/* Server-sent events: the build number now, then after each build. */
struct stream {
	struct server	*s;
	unsigned long	 sent;		/* build last announced, 0: none */
};

static ssize_t
events(void *arg, uint64_t pos, char *out, size_t max)
{
	struct stream	*st = arg;
	struct server	*s = st->s;
	struct timespec	 until;
	int		 n;

	pthread_mutex_lock(&s->lock);
	if (st->sent == s->gen && !stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;	/* check for Ctrl-C now and then */
		pthread_cond_timedwait(&s->built, &s->lock, &until);
	}
	if (stop) {
		pthread_mutex_unlock(&s->lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	if (st->sent == s->gen) {
		pthread_mutex_unlock(&s->lock);
		n = snprintf(out, max, ":\n\n");	/* keep-alive */
		return n;
	}
	st->sent = s->gen;
	pthread_mutex_unlock(&s->lock);
	n = snprintf(out, max, "event: build\ndata: %lu\n\n", st->sent);
	return n < 0 || (size_t)n >= max ? 0 : n;
}

static enum MHD_Result
send_events(struct server *s, struct MHD_Connection *c)
{
	struct MHD_Response	*r;
	struct stream		*st = xcalloc(1, sizeof(*st));
	enum MHD_Result		 ret;

	st->s = s;
	r = mhd.create_response_from_callback(MHD_SIZE_UNKNOWN, 256, events,
	    st, free);
	mhd.add_response_header(r, "Content-Type", "text/event-stream");
	mhd.add_response_header(r, "Cache-Control", "no-store");
	ret = mhd.queue_response(c, MHD_HTTP_OK, r);
	mhd.destroy_response(r);
	return ret;
}

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
 * The request path with its %XX escapes decoded, in place.  A %00
 * would end the path early ('/robots.txt%00.html' served robots.txt),
 * so a path with one becomes one that no page or file has.
 */
static size_t
unescape(void *cls, struct MHD_Connection *c, char *uri)
{
	char	*r = uri, *w = uri;
	int	 hi, lo;

	for (; *r != '\0'; r++) {
		if (*r == '%' && (hi = hexval(r[1])) >= 0 &&
		    (lo = hexval(r[2])) >= 0) {
			if (hi == 0 && lo == 0) {
				uri[0] = '\001';	/* no path starts so */
				uri[1] = '\0';
				return 1;
			}
			*w++ = (char)(hi * 16 + lo);
			r += 2;
		} else
			*w++ = *r;
	}
	*w = '\0';
	return (size_t)(w - uri);
}

static enum MHD_Result
handle(void *arg, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data,
    size_t *size, void **state)
{
	struct server	*s = arg;
	struct buf	 path;
	struct stat	 st;
	enum MHD_Result	 ret;
	const char	*rel;
	size_t		 bl = strlen(s->base);
	int		 failed, page;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return MHD_NO;
	if (strcmp(url, RELOAD_PATH) == 0)
		return send_buf(c, MHD_HTTP_OK,
		    "text/javascript; charset=utf-8", reload_js,
		    sizeof(reload_js) - 1);
	if (strcmp(url, EVENTS_PATH) == 0)
		return send_events(s, c);
	buf_init(&path);
	/* Pages live under the base path, as they would when published. */
	if (strncmp(url, s->base, bl) == 0)
		rel = url + bl - 1;
	else if (strncmp(url, s->base, bl - 1) == 0 && url[bl - 1] == '\0')
		rel = "/";
	else
		rel = NULL;
	if (rel == NULL && strcmp(url, "/") == 0) {
		struct MHD_Response *r = mhd.create_response_from_buffer(0,
		    NULL, MHD_RESPMEM_PERSISTENT);

		mhd.add_response_header(r, "Location", s->base);
		ret = mhd.queue_response(c, MHD_HTTP_FOUND, r);
		mhd.destroy_response(r);
		buf_free(&path);
		return ret;
	}
	if (rel == NULL || strstr(rel, "..") != NULL) {
		buf_printf(&path, "%s/404.html", s->root);
		ret = send_file(s, c, MHD_HTTP_NOT_FOUND, path.data);
		buf_free(&path);
		return ret;
	}
	buf_printf(&path, "%s%s", s->root, rel);
	if (stat(path.data, &st) == 0 && S_ISDIR(st.st_mode))
		buf_puts(&path, rel[strlen(rel) - 1] == '/' ? "index.html" :
		    "/index.html");
	pthread_mutex_lock(&s->lock);
	failed = s->failed;
	pthread_mutex_unlock(&s->lock);
	page = strcmp(mime(path.data), mime(".html")) == 0 ||
	    stat(path.data, &st) == -1;
	if (failed && page)
		ret = error_page(s, c);
	else if (stat(path.data, &st) == -1) {
		buf_reset(&path);
		buf_printf(&path, "%s/404.html", s->root);
		ret = send_file(s, c, MHD_HTTP_NOT_FOUND, path.data);
	} else
		ret = send_file(s, c, MHD_HTTP_OK, path.data);
	buf_free(&path);
	return ret;
}

/* --- watching ----------------------------------------------------------- */

/* Watch dir and every folder below it, except hidden ones. */
static void
watch_tree(int fd, const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	struct buf	 sub;

	if (inotify_add_watch(fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO |
	    IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ONLYDIR) == -1 ||
	    (d = opendir(dir)) == NULL)
		return;
	buf_init(&sub);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR)
			continue;
		buf_reset(&sub);
		buf_printf(&sub, "%s/%s", dir, e->d_name);
		watch_tree(fd, sub.data);
	}
	closedir(d);
	buf_free(&sub);
}

/* The repository's git folder for the site, or NULL. */
static char *
git_dir(const char *site)
{
	char		 real[PATH_MAX];
	struct buf	 b;
	struct stat	 st;
	char		*slash;

	if (realpath(site, real) == NULL)
		return NULL;
	buf_init(&b);
	for (;;) {
		buf_reset(&b);
		buf_printf(&b, "%s/.git", real);
		if (stat(b.data, &st) == 0 && S_ISDIR(st.st_mode)) {
			slash = buf_detach(&b);
			buf_free(&b);
			return slash;
		}
		if ((slash = strrchr(real, '/')) == NULL || slash == real)
			break;
		*slash = '\0';
	}
	buf_free(&b);
	return NULL;
}

/*
 * Start watching the site's files (and, for a build of a commit, the
 * repository's refs).  Done before the first build, so that a file
 * saved while it runs is seen.  The inotify descriptor, or -1.
 */
static int
watch_open(struct server *s)
{
	struct buf	 refs;
	char		*git;
	int		 fd;

	if ((fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) == -1) {
		fprintf(stderr, "icpgen: warning: cannot watch files (%s); "
		    "restart serve to see changes\n", strerror(errno));
		return -1;
	}
	watch_tree(fd, s->opts.site);
	buf_init(&refs);
	if (!s->opts.worktree && (git = git_dir(s->opts.site)) != NULL) {
		inotify_add_watch(fd, git, IN_MOVED_TO | IN_CLOSE_WRITE);
		buf_printf(&refs, "%s/refs", git);
		watch_tree(fd, refs.data);
		free(git);
	}
	buf_free(&refs);
	return fd;
}

/*
 * Rebuild after each burst of changes seen on fd (watch_open; -1: wait
 * for the end).  Returns when stop is set; the caller closes fd.
 */
static void
watch(struct server *s, int fd)
{
	char		 ev[sizeof(struct inotify_event) + NAME_MAX + 1]
			    __attribute__((aligned(8)));
	struct pollfd	 p;
	int		 changed = 0;

	if (fd == -1) {
		while (!stop)
			pause();
		return;
	}
	p.fd = fd;
	p.events = POLLIN;
	while (!stop) {
		/* A burst of changes (a save, a checkout) gives one build. */
		if (poll(&p, 1, changed ? 150 : 1000) == 1) {
			while (read(fd, ev, sizeof(ev)) > 0) {
				const struct inotify_event *ie =
				    (const struct inotify_event *)ev;

				if (ie->mask & IN_ISDIR && ie->mask & IN_CREATE)
					watch_tree(fd, s->opts.site);
				changed = 1;
			}
			continue;
		}
		if (changed && !stop) {
			changed = 0;
			rebuild(s);
		}
	}
}

int
serve_run(const struct build_opts *o, const char *host, int port,
    struct diags *d)
{
	struct server		 s;
	struct MHD_Daemon	*daemon = NULL;
	struct sockaddr_in	 sa;
	struct sockaddr_in6	 sa6;
	struct buf		 b, url;
	char			 tmp[] = "/tmp/icpgen-serve-XXXXXX";
	char			*mfile = NULL;
	const char		*p;
	int			 rc = 3, v6 = 0, wfd = -1;
	unsigned		 flags;

	memset(&s, 0, sizeof(s));
	memset(&sa, 0, sizeof(sa));
	memset(&sa6, 0, sizeof(sa6));
	if (inet_pton(AF_INET, host, &sa.sin_addr) == 1) {
		sa.sin_family = AF_INET;
		sa.sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, host, &sa6.sin6_addr) == 1) {
		sa6.sin6_family = AF_INET6;
		sa6.sin6_port = htons((uint16_t)port);
		v6 = 1;
	} else {
		diag_error(d, NULL, 0, 0, "--host takes an IP address such as "
		    "127.0.0.1 or 0.0.0.0, not '%s'", host);
		return 2;
	}
	if (!mhd_load()) {
		diag_error(d, NULL, 0, 0, "the preview server needs "
		    "libmicrohttpd, which could not be loaded or lacks a "
		    "function it uses (reinstall it: the icpgen package "
		    "depends on it, and 'make deps' installs it)");
		return 3;
	}
	if (mkdtemp(tmp) == NULL) {
		diag_error(d, NULL, 0, 0, "cannot make a temporary folder: %s",
		    strerror(errno));
		return 3;
	}
	buf_init(&b);
	buf_init(&url);
	buf_printf(&b, "%s/site", tmp);
	s.root = buf_detach(&b);
	s.opts = *o;
	s.opts.out = s.root;
	s.opts.progress = false;
	/*
	 * The build manifest lives beside the preview and goes with it:
	 * a burst of events that changed nothing rebuilds nothing, and
	 * a change rewrites only the files whose bytes changed.
	 */
	buf_printf(&b, "%s/manifest", tmp);
	s.opts.manifest = mfile = buf_detach(&b);
	s.d = d;
	buf_init(&s.problems);
	buf_init(&s.collect);
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.built, NULL);
	/* Links, feeds and the sitemap point at the preview itself. */
	if (o->base_url == NULL) {
		buf_printf(&url, v6 ? "http://[%s]:%d/" : "http://%s:%d/",
		    strcmp(host, "0.0.0.0") == 0 ? "127.0.0.1" : host, port);
		s.opts.base_url = url.data;
	}
	p = strstr(s.opts.base_url, "://");
	p = p != NULL ? strchr(p + 3, '/') : NULL;
	buf_printf(&b, "%s%s", p != NULL ? p : "/", p != NULL &&
	    p[strlen(p) - 1] == '/' ? "" : "/");
	s.base = b.data;
	d->sink = collect;
	/* cppcheck-suppress autoVariables ; cleared before returning */
	d->sink_arg = &s;
	wfd = watch_open(&s);
	rebuild(&s);

	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
	if (v6)
		flags |= MHD_USE_IPv6;
	daemon = mhd.start_daemon(flags, (uint16_t)port, NULL, NULL, handle,
	    &s, MHD_OPTION_SOCK_ADDR, v6 ? (struct sockaddr *)&sa6 :
	    (struct sockaddr *)&sa, MHD_OPTION_UNESCAPE_CALLBACK, unescape,
	    NULL, MHD_OPTION_END);
	if (daemon == NULL) {
		diag_error(d, NULL, 0, 0, "cannot listen on %s port %d (is "
		    "another server using it? try --port)", host, port);
		goto out;
	}
	fprintf(stderr, "icpgen: previewing at http://%s%s%s:%d%s; pages "
	    "reload when files change (Ctrl-C to stop)\n", v6 ? "[" : "",
	    host, v6 ? "]" : "", port, s.base);
	if (strcmp(host, "127.0.0.1") != 0 && strcmp(host, "::1") != 0)
		fprintf(stderr, "icpgen: note: listening on %s: anyone on your "
		    "network can see the preview, including unpublished "
		    "edits\n", host);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	watch(&s, wfd);
	pthread_mutex_lock(&s.lock);
	pthread_cond_broadcast(&s.built);	/* end the event streams */
	pthread_mutex_unlock(&s.lock);
	mhd.stop_daemon(daemon);
	rc = 0;
out:
	if (wfd != -1)
		close(wfd);
	d->sink = NULL;
	d->sink_arg = NULL;
	out_remove(tmp);
	free(s.root);
	free(mfile);
	buf_free(&b);
	buf_free(&url);
	buf_free(&s.problems);
	buf_free(&s.collect);
	pthread_cond_destroy(&s.built);
	pthread_mutex_destroy(&s.lock);
	return rc;
}
