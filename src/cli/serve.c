/*
 * The preview server.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "emit/out.h"
#include "cli/build.h"
#include "cli/serve.h"

struct server {
	struct build_opts	 opts;
	struct diags		*d;
	char			*root;		/* the built site */
	time_t			 built;
	pthread_mutex_t		 lock;
};

static volatile sig_atomic_t stop;

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

static void
rebuild(struct server *s)
{
	time_t	now = time(NULL);

	pthread_mutex_lock(&s->lock);
	if (now - s->built >= 2) {	/* at most one build every 2 s */
		s->d->errors = s->d->warnings = 0;
		build_run(&s->opts, s->d);
		s->built = time(NULL);
	}
	pthread_mutex_unlock(&s->lock);
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned code, const char *path)
{
	struct MHD_Response	*r;
	struct stat		 st;
	enum MHD_Result		 ret;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		static const char msg[] = "not found\n";

		if (fd != -1)
			close(fd);
		r = MHD_create_response_from_buffer(sizeof(msg) - 1,
		    (void *)(uintptr_t)msg, MHD_RESPMEM_PERSISTENT);
		ret = MHD_queue_response(c, MHD_HTTP_NOT_FOUND, r);
		MHD_destroy_response(r);
		return ret;
	}
	r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	MHD_add_response_header(r, "Content-Type", mime(path));
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
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
	size_t		 n = strlen(url);

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return MHD_NO;
	buf_init(&path);
	if (url[0] != '/' || strstr(url, "..") != NULL) {
		buf_printf(&path, "%s/404.html", s->root);
		ret = reply(c, MHD_HTTP_NOT_FOUND, path.data);
		buf_free(&path);
		return ret;
	}
	if (n == 0 || url[n - 1] == '/' || strstr(url, ".html") != NULL)
		rebuild(s);
	buf_printf(&path, "%s%s", s->root, url);
	if (stat(path.data, &st) == 0 && S_ISDIR(st.st_mode))
		buf_puts(&path, url[n - 1] == '/' ? "index.html" :
		    "/index.html");
	if (stat(path.data, &st) == -1) {
		buf_reset(&path);
		buf_printf(&path, "%s/404.html", s->root);
		ret = reply(c, MHD_HTTP_NOT_FOUND, path.data);
	} else
		ret = reply(c, MHD_HTTP_OK, path.data);
	buf_free(&path);
	return ret;
}

int
serve_run(const struct build_opts *o, const char *host, int port,
    struct diags *d)
{
	struct server		 s;
	struct MHD_Daemon	*daemon;
	struct sockaddr_in	 sa;
	struct buf		 b;
	char			 tmp[] = "/tmp/icpgen-serve-XXXXXX";
	int			 rc;

	memset(&s, 0, sizeof(s));
	if (mkdtemp(tmp) == NULL) {
		diag_error(d, NULL, 0, 0, "cannot make a temporary folder: %s",
		    strerror(errno));
		return 3;
	}
	buf_init(&b);
	buf_printf(&b, "%s/site", tmp);
	s.root = buf_detach(&b);
	buf_free(&b);
	s.opts = *o;
	s.opts.out = s.root;
	s.d = d;
	pthread_mutex_init(&s.lock, NULL);
	rc = build_run(&s.opts, d);
	s.built = time(NULL);
	if (rc == 3)
		goto out;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);	/* never public */
	daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD,
	    (uint16_t)port, NULL, NULL, handle, &s, MHD_OPTION_SOCK_ADDR, &sa,
	    MHD_OPTION_END);
	if (daemon == NULL) {
		diag_error(d, NULL, 0, 0, "cannot listen on 127.0.0.1:%d (is "
		    "another server using it? try --port)", port);
		rc = 3;
		goto out;
	}
	fprintf(stderr, "icpgen: previewing at http://127.0.0.1:%d%s "
	    "(Ctrl-C to stop)\n", port, "/");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop)
		pause();
	MHD_stop_daemon(daemon);
	rc = 0;
out:
	out_remove(tmp);
	free(s.root);
	pthread_mutex_destroy(&s.lock);
	return rc;
}
