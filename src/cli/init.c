/*
 * icpgen init: a new site, ready to build and publish.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "cli/build.h"
#include "cli/init.h"

/*
 * The files of a new site: contrib/init/ and contrib/ci/ compiled in, a
 * line each; a line starting with \001 names the next file.
 */
static const char *const files[] = {
#include "init_files.inc"
	NULL
};

/* Where each compiled-in file goes in the new site. */
static const struct {
	const char	*from, *to;
} places[] = {
	{ "contrib/init/README.md", "README.md" },
	{ "contrib/init/icpgen.yaml", "icpgen.yaml" },
	{ "contrib/init/index.md", "index.md" },
	{ "contrib/init/committees/partnership.md",
	    "committees/partnership.md" },
	{ "contrib/init/meeting.md", "meetings/@MEETING_DATE@-partnership/"
	    "index.md" },
	{ "contrib/init/gitignore", ".gitignore" },
	{ "contrib/ci/github-workflow.yml", ".github/workflows/icpgen.yml" },
	{ "contrib/ci/gitlab-ci.yml", ".gitlab-ci.yml" },
};

static const char usage[] =
"usage: icpgen init [--name name] [--base-url url] dir\n"
"\n"
"Start a new site in dir (a new folder, or an empty one): configuration,\n"
"one committee, one upcoming meeting, a README for the comms team and the\n"
"GitHub and GitLab CI files, committed to a new git repository.\n"
"\n"
"  --name name      the partnership's name (default: Example Integrated\n"
"                   Care Partnership)\n"
"  --base-url url   where the site will be published\n"
"                   (default: https://icp.example.org/)\n";

/* Replace @KEY@ in a line from vars (pairs, NULL-terminated). */
static void
expand(struct buf *out, const char *line, const char *const *vars)
{
	const char	*p, *end;
	size_t		 i, n;

	for (p = line; *p != '\0'; ) {
		if (*p != '@' || (end = strchr(p + 1, '@')) == NULL) {
			buf_putc(out, *p++);
			continue;
		}
		n = (size_t)(end - p - 1);
		for (i = 0; vars[i] != NULL; i += 2)
			if (strlen(vars[i]) == n && strncmp(vars[i], p + 1, n) == 0)
				break;
		if (vars[i] == NULL) {
			buf_putc(out, *p++);
			continue;
		}
		buf_puts(out, vars[i + 1]);
		p = end + 1;
	}
}

/* Make the folders of path (relative to dir). */
static int
mkparents(const char *path)
{
	struct buf	 b;
	char		*s;
	int		 rc = 0;

	buf_init(&b);
	buf_puts(&b, path);
	for (s = b.data + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(b.data, 0777) == -1 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	buf_free(&b);
	return rc;
}

static int
write_file(const char *path, const char *data, size_t len)
{
	FILE	*f;
	int	 rc;

	if (mkparents(path) == -1 || (f = fopen(path, "wx")) == NULL)
		return -1;
	rc = fwrite(data, 1, len, f) == len ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* Run git with args in dir, its output hidden; its exit status or -1. */
static int
git(const char *dir, const char *const *args)
{
	const char	*argv[16];
	pid_t		 pid;
	int		 st, i, n = 0;

	argv[n++] = "git";
	argv[n++] = "-C";
	argv[n++] = dir;
	for (i = 0; args[i] != NULL && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	fflush(NULL);		/* the child must not write our buffers */
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execvp("git", (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Whether dir is missing or an empty folder. */
static int
usable(const char *dir)
{
	struct stat	 st;

	if (stat(dir, &st) == -1)
		return errno == ENOENT;
	return S_ISDIR(st.st_mode) && rmdir(dir) == 0;	/* made again below */
}

int
init_run(int argc, char *argv[], const char *themedir, const char *nodedir)
{
	static const struct option longs[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*name = "Example Integrated Care Partnership";
	const char	*base = "https://icp.example.org/", *dir, *env;
	const char	*vars[11];
	char		 today[32], meeting[32];
	struct build_opts o;
	struct diags	 d;
	struct date	 dt;
	struct buf	 text, path, dest;
	const char	*const *l;
	size_t		 i;
	long		 days;
	int		 c, rc = 3;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1)
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'b':
			base = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	if (argc - optind != 1) {
		fprintf(stderr, "icpgen: init needs one folder\n%s", usage);
		return 2;
	}
	dir = argv[optind];
	/* The name is written into YAML as it is: it must read as text. */
	if (!isalnum((unsigned char)name[0]) && !((unsigned char)name[0] &
	    0x80)) {
		fprintf(stderr, "icpgen: --name must begin with a letter or "
		    "a digit, not '%.1s'\n", name);
		return 2;
	}
	if (strpbrk(name, "\n\r\"\\:#@") != NULL ||
	    name[strlen(name) - 1] == ' ') {
		fprintf(stderr, "icpgen: --name may not contain a newline, "
		    "quote, backslash, ':', '#' or '@', or end in a space\n");
		return 2;
	}
	if (strpbrk(base, " \n\"'@") != NULL || strncmp(base, "http", 4) !=
	    0) {
		fprintf(stderr, "icpgen: --base-url takes an http(s) address, "
		    "such as https://icp.example.org/, not '%s'\n", base);
		return 2;
	}
	if (!usable(dir)) {
		fprintf(stderr, "icpgen: '%s' already exists and is not an "
		    "empty folder (give a new one)\n", dir);
		return 2;
	}

	/* The first meeting: a Wednesday four to five weeks from today. */
	env = getenv("SOURCE_DATE_EPOCH");
	days = (long)((env != NULL && *env != '\0' ? strtoll(env, NULL, 10) :
	    (long long)time(NULL)) / 86400);
	text_date_from_days(days, &dt);
	snprintf(today, sizeof(today), "%04d-%02d-%02d", dt.year % 10000,
	    dt.month, dt.day);
	for (days += 28, text_date_from_days(days, &dt); text_weekday(&dt) != 2;
	    text_date_from_days(++days, &dt))
		continue;
	snprintf(meeting, sizeof(meeting), "%04d-%02d-%02d", dt.year % 10000,
	    dt.month, dt.day);
	vars[0] = "NAME"; vars[1] = name;
	vars[2] = "BASE_URL"; vars[3] = base;
	vars[4] = "TODAY"; vars[5] = today;
	vars[6] = "MEETING_DATE"; vars[7] = meeting;
	vars[8] = NULL;

	buf_init(&text);
	buf_init(&path);
	buf_init(&dest);
	if (mkdir(dir, 0777) == -1) {
		fprintf(stderr, "icpgen: cannot make '%s': %s\n", dir,
		    strerror(errno));
		goto out;
	}
	for (l = files; *l != NULL; ) {
		const char *from = *l + 1;

		buf_reset(&text);
		for (l++; *l != NULL && **l != '\001'; l++)
			expand(&text, *l, vars);
		for (i = 0; i < sizeof(places) / sizeof(places[0]); i++)
			if (strcmp(places[i].from, from) == 0)
				break;
		if (i == sizeof(places) / sizeof(places[0]))
			continue;
		buf_reset(&dest);
		expand(&dest, places[i].to, vars);
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, dest.data);
		if (write_file(path.data, text.data, text.len) == -1) {
			fprintf(stderr, "icpgen: cannot write '%s': %s\n",
			    path.data, strerror(errno));
			goto out;
		}
		printf("%s\n", path.data);
	}

	/* A repository with the site as its first commit. */
	{
		static const char *const init[] = { "init", "-q", NULL };
		static const char *const branch[] = { "symbolic-ref", "HEAD",
		    "refs/heads/main", NULL };
		static const char *const add[] = { "add", "-A", NULL };
		static const char *const who[] = { "config", "user.email",
		    NULL };
		static const char *const commit[] = { "commit", "-q", "-m",
		    "Start the site with icpgen init", NULL };
		static const char *const commit_anon[] = { "-c",
		    "user.name=icpgen init", "-c", "user.email=icpgen@localhost",
		    "commit", "-q", "-m", "Start the site with icpgen init",
		    NULL };
		int anon;

		if (git(dir, init) != 0 || git(dir, branch) != 0 ||
		    git(dir, add) != 0) {
			fprintf(stderr, "icpgen: cannot make a git repository "
			    "in '%s' (is git installed?)\n", dir);
			goto out;
		}
		anon = getenv("GIT_AUTHOR_EMAIL") == NULL &&
		    git(dir, who) != 0;
		if (git(dir, anon ? commit_anon : commit) != 0) {
			fprintf(stderr, "icpgen: cannot commit the new site "
			    "in '%s'\n", dir);
			goto out;
		}
		if (anon)
			fprintf(stderr, "icpgen: note: git has no name and "
			    "email for you; the first commit is by 'icpgen "
			    "init' (set yours with git config --global "
			    "user.email)\n");
	}

	/* It builds, or this is a bug worth saying so. */
	memset(&o, 0, sizeof(o));
	o.site = dir;
	o.themedir = themedir;
	o.nodedir = nodedir;
	o.jobs = 1;
	o.quiet = true;
	o.epoch = -1;
	diag_init(&d, stderr);
	d.quiet = 1;
	rc = build_run(&o, &d);
	diag_free(&d);
	if (rc != 0) {
		fprintf(stderr, "icpgen: the new site in '%s' does not build "
		    "(is the theme installed? see above)\n", dir);
		goto out;
	}
	fprintf(stderr, "icpgen: started '%s' in %s; next:\n"
	    "  cd %s\n"
	    "  icpgen new meeting partnership YYYY-MM-DD\n"
	    "  icpgen serve --worktree\n", name, dir, dir);
	rc = 0;
out:
	buf_free(&text);
	buf_free(&path);
	buf_free(&dest);
	return rc;
}
