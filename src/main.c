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
#include <time.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/text.h"
#include "util/tz.h"
#include "cli/build.h"
#include "cli/serve.h"

#define EX_CONTENT	1
#define EX_USAGE	2

static const char usage_main[] =
"usage: icpgen command [options]\n"
"\n"
"commands:\n"
"  build [site]   build the site into a folder (default: public)\n"
"  check [site]   check the content and report every problem; write nothing\n"
"  serve [site]   build and preview the site on http://127.0.0.1:8000/\n"
"\n"
"  icpgen -h        this help;  icpgen command -h: help on a command\n"
"  icpgen -V        print the version\n"
"\n"
"site is the site's folder in a git repository (default: the current\n"
"folder).  See icpgen(1) and, for the content files, icpgen(5).\n";

static const char usage_build[] =
"usage: icpgen %s [site] [--ref ref] [--worktree]%s [-q] [-j jobs]\n"
"              [--theme-dir dir] [--date YYYY-MM-DD] [--cache-dir dir]\n"
"\n"
"  --ref ref        build the content of this commit, branch or tag\n"
"                   (default: HEAD); what is published is what was committed\n"
"  --worktree       read the working tree instead, including uncommitted edits\n"
"%s"
"  -q, --quiet      print errors only\n"
"  -j, --jobs n     render with n threads (default: the number of processors)\n"
"  --theme-dir dir  where installed themes are\n"
"  --date day       the build date (what is overdue, upcoming, correct as\n"
"                   of); default: SOURCE_DATE_EPOCH's day when set, else\n"
"                   today, both in Europe/London\n"
"  --cache-dir dir  where the history cache is kept (default:\n"
"                   $XDG_CACHE_HOME/icpgen, else ~/.cache/icpgen)\n"
"\n"
"The same commit built on the same date gives the same output.\n";

static const char usage_out[] =
"  -o, --out dir    write the site here (default: public); the folder is\n"
"                   replaced only when the whole build succeeds\n";
static const char usage_port[] =
"  -p, --port n     port on 127.0.0.1 to serve on (default: 8000)\n";

static void
usage_cmd(FILE *f, const char *cmd)
{
	const char *extra = strcmp(cmd, "build") == 0 ? " [--out dir]" :
	    strcmp(cmd, "serve") == 0 ? " [--port n]" : "";
	const char *help = strcmp(cmd, "build") == 0 ? usage_out :
	    strcmp(cmd, "serve") == 0 ? usage_port : "";

	fprintf(f, usage_build, cmd, extra, help);
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

/* A real day written YYYY-MM-DD. */
static bool
valid_day(const char *s)
{
	struct date	d;

	return strlen(s) == 10 && text_parse_date(s, &d);
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
		{ "date", required_argument, NULL, 'D' },
		{ "cache-dir", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct build_opts o;
	struct diags	 d;
	const char	*env;
	char		*end;
	long		 n, port = 8000;
	int		 c, rc, is_build = strcmp(cmd, "build") == 0;
	int		 is_serve = strcmp(cmd, "serve") == 0;

	memset(&o, 0, sizeof(o));
	o.site = ".";
	o.out = is_build ? "public" : NULL;
	o.themedir = (env = getenv("ICPGEN_THEMEDIR")) && *env ? env :
	    ICPGEN_THEMEDIR;
	o.nodedir = (env = getenv("ICPGEN_NODEDIR")) && *env ? env :
	    ICPGEN_NODEDIR;
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
	if (is_serve)
		rc = serve_run(&o, (int)port, &d);
	else
		rc = build_run(&o, &d);
	diag_free(&d);
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
	return bad_usage(NULL, "unknown command '%s' (expected build, check "
	    "or serve)", cmd);
}
