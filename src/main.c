/*
 * icpgen: build an Integrated Care Partnership's website from the git
 * repository of its papers, minutes and strategy.
 *
 * Exit status: 0 success, 1 content errors, 2 usage errors, 3 system
 * errors (cannot read the repository, cannot write the output).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/text.h"
#include "util/tz.h"
#include "cli/build.h"
#include "cli/serve.h"
#include "cli/format.h"
#include "cli/init.h"

#define EX_CONTENT	1
#define EX_USAGE	2

static const char usage_main[] =
"usage: icpgen command [options]\n"
"\n"
"commands:\n"
"  build [site]   build the site into a folder (default: public)\n"
"  check [site]   check the content and report every problem; write nothing\n"
"  serve [site]   build and preview the site on http://127.0.0.1:8000/\n"
"  init dir       start a new site in a new git repository\n"
"  new kind ...   add a meeting, paper, minutes, question, action, news\n"
"                 post or measure value to the site in the current folder\n"
"\n"
"  icpgen -h        this help;  icpgen command -h: help on a command\n"
"  icpgen -V        print the version\n"
"\n"
"site is the site's folder in a git repository (default: the current\n"
"folder).  See icpgen(1) and, for the content files, icpgen(5).\n";

static const char usage_head[] =
"usage: icpgen %s [site] [--ref ref] [--worktree]%s [-q] [-j jobs]\n"
"              [--theme-dir dir] [--date YYYY-MM-DD] [--cache-dir dir]\n"
"              %s\n"
"\n"
"  --ref ref        build the content of this commit, branch or tag\n"
"                   (default: HEAD); what is published is what was committed\n"
"  --worktree       read the working tree instead, including uncommitted edits\n"
"  -q, --quiet      print errors only\n"
"  -j, --jobs n     read and render with n threads (default: the number of\n"
"                   processors)\n"
"  --theme-dir dir  where installed themes are\n"
"  --date day       the build date (what is overdue, upcoming, correct as\n"
"                   of); default: SOURCE_DATE_EPOCH's day when set, else\n"
"                   today, both in Europe/London\n"
"  --cache-dir dir  where the history cache is kept (default:\n"
"                   $XDG_CACHE_HOME/icpgen, else ~/.cache/icpgen)\n";
static const char usage_tail[] =
"\n"
"The same commit built on the same date gives the same output.\n";

static const char usage_out[] =
"  -o, --out dir    write the site here (default: public); the folder is\n"
"                   replaced only when the whole build succeeds\n";
static const char usage_port[] =
"  -p, --port n     port to serve on (default: 8000)\n"
"  --host addr      address to listen on (default: 127.0.0.1; 0.0.0.0\n"
"                   shows the preview to your whole network)\n";
static const char usage_base[] =
"  --base-url url   publish at this address instead of the configuration's\n"
"                   base_url (a preview, or a sub-path such as\n"
"                   https://org.gitlab.io/icp/)\n";
static const char usage_format[] =
"  --format fmt     write the problems as text (default), github (workflow\n"
"                   annotations), gitlab (a Code Quality report) or json\n"
"                   (one object a line) on standard output\n";

static void
usage_cmd(FILE *f, const char *cmd)
{
	int	build = strcmp(cmd, "build") == 0;
	int	serve = strcmp(cmd, "serve") == 0;

	fprintf(f, usage_head, cmd, build ? " [--out dir]" : serve ?
	    " [--port n]" : "", build ? " [--base-url url] [--format fmt]" :
	    serve ? " [--host addr] [--base-url url]" : " [--format fmt]");
	if (build)
		fputs(usage_out, f);
	if (serve)
		fputs(usage_port, f);
	if (build || serve)
		fputs(usage_base, f);
	if (!serve)
		fputs(usage_format, f);
	fputs(usage_tail, f);
}

static int	bad_usage(const char *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
bad_usage(const char *cmd, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "icpgen: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd != NULL)
		usage_cmd(stderr, cmd);
	else
		fputs(usage_main, stderr);
	return EX_USAGE;
}

/*
 * An address to publish at: http(s), a host, an optional path, and
 * nothing that could break out of an attribute or a feed.
 */
static int
good_url(const char *u)
{
	const char	*p;

	if (strncmp(u, "https://", 8) == 0)
		p = u + 8;
	else if (strncmp(u, "http://", 7) == 0)
		p = u + 7;
	else
		return 0;
	if (*p == '\0' || *p == '/')
		return 0;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || strchr("\"'<>\\`?#", *p) != NULL)
			return 0;
	return 1;
}

/* SOURCE_DATE_EPOCH, or -1 when unset; -2 when malformed. */
static int64_t
source_date(void)
{
	const char	*s = getenv("SOURCE_DATE_EPOCH");
	char		*end;
	long long	 v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		return -2;
	return (int64_t)v;
}

/* Installed themes: ICPGEN_THEMEDIR, else where make install put them. */
static const char *
themedir(void)
{
	const char	*env = getenv("ICPGEN_THEMEDIR");

	return env != NULL && *env != '\0' ? env : ICPGEN_THEMEDIR;
}

/* The NHS.UK frontend's SCSS: ICPGEN_NODEDIR, else the installed copy. */
static const char *
nodedir(void)
{
	const char	*env = getenv("ICPGEN_NODEDIR");

	return env != NULL && *env != '\0' ? env : ICPGEN_NODEDIR;
}

/* A real day written YYYY-MM-DD. */
static bool
valid_day(const char *s)
{
	struct date	d;

	return strlen(s) == 10 && text_parse_date(s, &d);
}

/*
 * The output folder when --out names a symbolic link (public ->
 * /srv/www/site): the folder it leads to, malloc'd, so that the new site
 * is swapped in there and the link still leads to it.  Swapping at the
 * link itself would replace the link by a folder and leave the folder
 * the web server reads as it was.  NULL when out is not a link (or is
 * not there), "" after reporting a link that leads nowhere.
 */
static char *
out_through_link(const char *out, struct diags *d)
{
	struct stat	 st;
	size_t		 n = strlen(out);
	char		*name, *real;

	while (n > 1 && out[n - 1] == '/')
		n--;		/* "public/" would be the folder, not the link */
	name = strndup(out, n);
	if (name == NULL || lstat(name, &st) == -1 || !S_ISLNK(st.st_mode)) {
		free(name);
		return NULL;
	}
	if ((real = realpath(name, NULL)) == NULL ||
	    stat(real, &st) == -1 || !S_ISDIR(st.st_mode)) {
		diag_error(d, NULL, 0, 0, "the output folder '%s' is a symbolic "
		    "link to something that is not a folder (%s): make the "
		    "folder it points to, or give another with --out", name,
		    real == NULL ? strerror(errno) : "not a folder");
		free(real);
		free(name);
		return strdup("");
	}
	free(name);
	return real;
}

static int
run(const char *cmd, int argc, char *argv[])
{
	static const struct option longs[] = {
		{ "ref", required_argument, NULL, 'r' },
		{ "worktree", no_argument, NULL, 'w' },
		{ "out", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "theme-dir", required_argument, NULL, 't' },
		{ "port", required_argument, NULL, 'p' },
		{ "host", required_argument, NULL, 'H' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		{ "date", required_argument, NULL, 'D' },
		{ "cache-dir", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct build_opts o;
	struct diags	 d;
	struct format	*fmt;
	const char	*host = "127.0.0.1";
	char		*end, *real_out = NULL;
	long		 n, port = 8000;
	int		 c, rc, is_build = strcmp(cmd, "build") == 0;
	int		 is_serve = strcmp(cmd, "serve") == 0, format = 0;

	memset(&o, 0, sizeof(o));
	o.site = ".";
	o.out = is_build ? "public" : NULL;
	o.themedir = themedir();
	o.nodedir = nodedir();
	n = sysconf(_SC_NPROCESSORS_ONLN);
	o.jobs = n > 0 ? (int)n : 1;
	o.progress = isatty(STDERR_FILENO);
	optind = 1;
	while ((c = getopt_long(argc, argv, "hqj:o:p:", longs, NULL)) != -1) {
		switch (c) {
		case 'r':
			o.ref = optarg;
			break;
		case 'w':
			o.worktree = true;
			break;
		case 'o':
			if (!is_build)
				return bad_usage(cmd, "'%s' does not take "
				    "--out", cmd);
			o.out = optarg;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'j':
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || n < 1 || n > 64)
				return bad_usage(cmd, "--jobs takes a number "
				    "from 1 to 64, not '%s'", optarg);
			o.jobs = (int)n;
			break;
		case 't':
			o.themedir = optarg;
			break;
		case 'D':
			if (!valid_day(optarg))
				return bad_usage(cmd, "--date takes a day as "
				    "YYYY-MM-DD, not '%s'", optarg);
			o.date = optarg;
			break;
		case 'C':
			o.cache_dir = optarg;
			break;
		case 'p':
			port = strtol(optarg, &end, 10);
			if (!is_serve || *end != '\0' || port < 1 ||
			    port > 65535)
				return bad_usage(cmd, "--port takes a port "
				    "number for serve, not '%s'", optarg);
			break;
		case 'H':
			if (!is_serve)
				return bad_usage(cmd, "'%s' does not take "
				    "--host", cmd);
			host = optarg;
			break;
		case 'b':
			if (!is_build && !is_serve)
				return bad_usage(cmd, "'%s' does not take "
				    "--base-url", cmd);
			if (!good_url(optarg))
				return bad_usage(cmd, "--base-url takes an "
				    "address such as https://org.gitlab.io/icp/, "
				    "not '%s'", optarg);
			o.base_url = optarg;
			break;
		case 'f':
			if (is_serve)
				return bad_usage(cmd, "serve does not take "
				    "--format (build and check do)");
			if ((format = format_parse(optarg)) < 0)
				return bad_usage(cmd, "--format takes text, "
				    "github, gitlab or json, not '%s'", optarg);
			break;
		case 'h':
			usage_cmd(stdout, cmd);
			return 0;
		default:
			usage_cmd(stderr, cmd);
			return EX_USAGE;
		}
	}
	if (argc - optind > 1)
		return bad_usage(cmd, "too many arguments: '%s' (give one "
		    "site folder)", argv[optind + 1]);
	if (argc - optind == 1)
		o.site = argv[optind];
	if (o.ref != NULL && o.worktree)
		return bad_usage(cmd, "--ref and --worktree cannot be used "
		    "together");
	if ((o.epoch = source_date()) == -2)
		return bad_usage(NULL, "SOURCE_DATE_EPOCH is not a number of "
		    "seconds: '%s'", getenv("SOURCE_DATE_EPOCH"));
	diag_init(&d, stderr);
	d.quiet = o.quiet;
	fmt = format_begin((enum format_kind)format, o.site, &d);
	if (o.out != NULL && (real_out = out_through_link(o.out, &d)) != NULL)
		o.out = real_out;
	if (real_out != NULL && *real_out == '\0')
		rc = 3;		/* reported */
	else if (is_serve)
		rc = serve_run(&o, host, (int)port, &d);
	else
		rc = build_run(&o, &d);
	format_end(fmt);
	diag_free(&d);
	free(real_out);
	return rc;
}

int
main(int argc, char *argv[])
{
	const char	*cmd;

	/* Output must not depend on the machine's time zone or locale. */
	tz_init();
	if (argc < 2)
		return bad_usage(NULL, "no command given");
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		puts("icpgen " ICPGEN_VERSION);
		return 0;
	}
	if (strcmp(cmd, "build") == 0 || strcmp(cmd, "check") == 0 ||
	    strcmp(cmd, "serve") == 0)
		return run(cmd, argc - 1, argv + 1);
	if (strcmp(cmd, "init") == 0)
		return init_run(argc - 1, argv + 1, themedir(), nodedir());
	if (strcmp(cmd, "new") == 0)
		return new_run(argc - 1, argv + 1, themedir(), nodedir());
	return bad_usage(NULL, "unknown command '%s' (expected build, check, "
	    "serve, init or new)", cmd);
}
