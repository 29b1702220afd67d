/*
 * Unit tests of emit/opendata.c: a small site is written to a
 * temporary repository, loaded and linked as a build does, and its
 * data files are written and compared with what the public
 * documentation (docs/open-data.md) promises, byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/tz.h"
#include "util/val.h"
#include "load/src.h"
#include "model/site.h"
#include "emit/out.h"
#include "emit/opendata.h"

/* 2026-11-01, the build date of every test. */
#define TODAY	1793491200

struct fix {
	char		 dir[64];
	struct diags	 d;
	char		*text;
	size_t		 len;
	FILE		*f;
	char		*file;		/* the last file read */
};

/* One file of the test site: a path and its contents. */
static const char *const site_files[][2] = {
	{ "icpgen.yaml",
	    "name: Test Partnership\n"
	    "base_url: https://icp.test/\n"
	    "contact:\n"
	    "  email: team@icp.test\n" },
	{ "committees/board.md",
	    "---\n"
	    "title: The Board\n"
	    "short_name: Board\n"
	    "members:\n"
	    "  - person: ann-lee\n"
	    "    role: chair\n"
	    "    from: 2025-01-01\n"
	    "  - person: bob-ray\n"
	    "    to: 2026-12-31\n"
	    "    voting: false\n"
	    "---\n" },
	{ "people/ann-lee.md",
	    "---\n"
	    "title: Ann Lee\n"
	    "role: Director of Health, \"Place\"\n"
	    "organisation: city-council\n"
	    "interests:\n"
	    "  - interest: Trustee of a charity\n"
	    "    kind: non-financial\n"
	    "    from: 2024-05-01\n"
	    "---\n" },
	{ "people/bob-ray.md",
	    "---\n"
	    "title: Bob Ray\n"
	    "---\n" },
	{ "organisations/city-council.md",
	    "---\n"
	    "title: City Council\n"
	    "type: council\n"
	    "website: https://city.test/\n"
	    "---\n" },
	{ "meetings/2026-06-18-board/index.md",
	    "---\n"
	    "committee: board\n"
	    "date: 2026-06-18\n"
	    "start: \"14:00\"\n"
	    "end: \"16:00\"\n"
	    "status: held\n"
	    "venue: Town Hall\n"
	    "agenda:\n"
	    "  - number: \"1\"\n"
	    "    title: Budget\n"
	    "    purpose: decision\n"
	    "    presenter: Ann Lee\n"
	    "    papers:\n"
	    "      - budget\n"
	    "  - number: \"2\"\n"
	    "    title: Land sale\n"
	    "    purpose: decision\n"
	    "    presenter: Bob Ray\n"
	    "    summary: The price offered\n"
	    "    exempt: true\n"
	    "    exempt_reason: Commercial information\n"
	    "    papers:\n"
	    "      - land\n"
	    "---\n" },
	{ "meetings/2026-06-18-board/budget.md",
	    "---\n"
	    "title: Budget report\n"
	    "item: \"1\"\n"
	    "attachments:\n"
	    "  - file: tables.pdf\n"
	    "    title: Budget tables\n"
	    "---\n"
	    "The budget.\n" },
	{ "meetings/2026-06-18-board/tables.pdf",
	    "%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n" },
	{ "meetings/2026-06-18-board/land.md",
	    "---\n"
	    "title: Land valuation\n"
	    "---\n"
	    "Confidential.\n" },
	{ "meetings/2026-06-18-board/minutes.md",
	    "---\n"
	    "status: draft\n"
	    "present:\n"
	    "  - ann-lee\n"
	    "apologies:\n"
	    "  - bob-ray\n"
	    "items:\n"
	    "  - number: \"1\"\n"
	    "    minute: Discussed.\n"
	    "    decisions:\n"
	    "      - resolution: |-\n"
	    "          To agree the budget, \"as amended\",\n"
	    "          and publish it.\n"
	    "        type: agreed\n"
	    "    actions:\n"
	    "      - id: A-1\n"
	    "        action: Publish the budget\n"
	    "        owner: ann-lee\n"
	    "        due: 2026-07-01\n"
	    "---\n" },
	{ "meetings/2026-01-20-board/index.md",
	    "---\n"
	    "committee: board\n"
	    "date: 2026-01-20\n"
	    "start: \"10:00\"\n"
	    "status: held\n"
	    "---\n" },
	/* The clocks go forward at 01:00 GMT on 29 March 2026... */
	{ "meetings/2026-03-29-board/index.md",
	    "---\n"
	    "committee: board\n"
	    "date: 2026-03-29\n"
	    "start: \"00:30\"\n"
	    "end: \"03:00\"\n"
	    "status: held\n"
	    "---\n" },
	/* ... and back at 01:00 GMT on 25 October 2026 (01:30 is BST). */
	{ "meetings/2026-10-25-board/index.md",
	    "---\n"
	    "committee: board\n"
	    "date: 2026-10-25\n"
	    "start: \"01:30\"\n"
	    "end: \"02:30\"\n"
	    "status: held\n"
	    "---\n" },
	{ "meetings/2026-12-02-board/index.md",
	    "---\n"
	    "committee: board\n"
	    "date: 2026-12-02\n"
	    "status: cancelled\n"
	    "---\n" },
	{ "strategy/live.md",
	    "---\n"
	    "title: Live well\n"
	    "---\n" },
	{ "strategy/measures/smoke.md",
	    "---\n"
	    "title: Adults who smoke\n"
	    "priority: live\n"
	    "unit: \"%\"\n"
	    "higher_is_better: false\n"
	    "baseline: {value: 13, date: 2024-12-31}\n"
	    "values:\n"
	    "  - date: 2026-03-31\n"
	    "    rag: no-data\n"
	    "  - date: 2025-12-31\n"
	    "    value: 12.5\n"
	    "    rag: at-risk\n"
	    "    reason: Down a \"little\"\n"
	    "---\n" },
};

static int	sh(const char *, ...) __attribute__((format(printf, 1, 2)));

static int
sh(const char *fmt, ...)
{
	struct buf	b;
	va_list		ap;
	char		tmp[1024];
	int		rc;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	buf_init(&b);
	buf_printf(&b, "set -e; export GIT_CONFIG_GLOBAL=/dev/null "
	    "GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org "
	    "GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org "
	    "GIT_AUTHOR_DATE=2026-01-05T10:00:00Z "
	    "GIT_COMMITTER_DATE=2026-01-05T10:00:00Z; %s", tmp);
	rc = system(b.data);
	buf_free(&b);
	return rc;
}

static int
put_file(const char *dir, const char *rel, const char *text)
{
	char	 p[512], *slash;
	FILE	*f;

	snprintf(p, sizeof(p), "%s/site/%s", dir, rel);
	for (slash = strchr(p + strlen(dir) + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(p, 0777);
		*slash = '/';
	}
	if ((f = fopen(p, "w")) == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* Write the site, commit it, and build its data into dir/out. */
static int
setup(void **state)
{
	struct fix	*x = xcalloc(1, sizeof(*x));
	struct src	*src;
	struct site	*s;
	struct out	*o;
	char		 p[128];
	size_t		 i;
	int		 rc;

	snprintf(x->dir, sizeof(x->dir), "/tmp/icpgen-opendata-XXXXXX");
	if (mkdtemp(x->dir) == NULL)
		return -1;
	x->f = open_memstream(&x->text, &x->len);
	diag_init(&x->d, x->f);
	for (i = 0; i < sizeof(site_files) / sizeof(site_files[0]); i++)
		if (put_file(x->dir, site_files[i][0], site_files[i][1]) != 0)
			return -1;
	if (sh("cd %s/site && git init -q -b main && git add -A && "
	    "git commit -qm one", x->dir) != 0)
		return -1;
	snprintf(p, sizeof(p), "%s/site", x->dir);
	if ((src = src_open(p, NULL, false, x->dir, &x->d)) == NULL)
		return -1;
	s = site_load(src, TODAY, &x->d);
	/* As a page hook does: each page's data a copy of its own. */
	for (i = 0; i < s->npages; i++)
		s->pages[i]->data = val_copy(s->arena, s->pages[i]->data);
	site_link(s, &x->d);
	if (src_history(src, NULL, &x->d) == 0)
		history_link(s, history_cache_begin(s, NULL), &x->d);
	rc = opendata_write(s, NULL, &x->d, NULL);	/* check mode writes nothing */
	snprintf(p, sizeof(p), "%s/out", x->dir);
	if (rc != 0 || (o = out_begin(p, &x->d)) == NULL ||
	    opendata_write(s, o, &x->d, NULL) != 0 || out_commit(o, NULL, 0, &x->d) != 0)
		return -1;
	site_free(s);
	src_close(src);
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*x = *state;

	sh("rm -rf %s", x->dir);
	fclose(x->f);
	free(x->text);
	free(x->file);
	diag_free(&x->d);
	free(x);
	return 0;
}

/* Commit ids (which depend on git's object format) read "COMMIT". */
static void
normalise(char *t)
{
	const char	*key = "_commit\": \"";
	char		*p = t, *q;

	while ((p = strstr(p, key)) != NULL) {
		p += strlen(key);
		q = p + strspn(p, "0123456789abcdef");
		if (q - p != 40)
			continue;
		memcpy(p, "COMMIT", 6);
		memmove(p + 6, q, strlen(q) + 1);
	}
}

/* The contents of data/NAME as written, commit ids normalised. */
static const char *
data(struct fix *x, const char *name)
{
	char	 p[256];
	FILE	*f;
	long	 n;

	free(x->file);
	x->file = NULL;
	snprintf(p, sizeof(p), "%s/out/data/%s", x->dir, name);
	if ((f = fopen(p, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	x->file = xcalloc(1, (size_t)n + 1);
	if (fread(x->file, 1, (size_t)n, f) != (size_t)n)
		x->file[0] = '\0';
	fclose(f);
	normalise(x->file);
	return x->file;
}

/* The text from the line starting with start to the line end (incl.). */
static char *
between(const char *text, const char *start, const char *end)
{
	const char	*a = strstr(text, start), *b;

	if (a == NULL || (b = strstr(a, end)) == NULL)
		return xstrdup("(not found)");
	return xstrndup(a, (size_t)(b - a) + strlen(end));
}

static void
builds_without_problems(void **state)
{
	struct fix	*x = *state;

	fflush(x->f);
	/* The one diagnostic: the exempt item's paper is withheld. */
	assert_string_equal(x->text != NULL ? x->text : "",
	    "meetings/2026-06-18-board/land.md: warning: not published: this "
	    "paper is for exempt item '2' (exempt papers are listed on the "
	    "agenda, never published)\n");
	assert_non_null(data(x, "index.json"));
}

/* Lines of text, joined with newlines (each line ends with one). */
static char *
joined(const char *const *lines)
{
	struct buf	 b;
	char		*t;

	buf_init(&b);
	for (; *lines != NULL; lines++)
		buf_printf(&b, "%s\n", *lines);
	t = buf_detach(&b);
	buf_free(&b);
	return t;
}

/* The meeting on 2026-06-18, as the documentation describes it. */
static const char *const event_lines[] = {
	    "{",
	    " \"id\": \"2026-06-18-board\",",
	    " \"name\": \"The Board\",",
	    " \"classification\": \"committee-meeting\",",
	    " \"start_date\": \"2026-06-18T14:00:00+01:00\",",
	    " \"end_date\": \"2026-06-18T16:00:00+01:00\",",
	    " \"timezone\": \"Europe/London\",",
	    " \"status\": \"passed\",",
	    " \"location\": {",
	    "  \"name\": \"Town Hall\",",
	    "  \"coordinates\": null",
	    " },",
	    " \"agenda\": [",
	    "  {",
	    "   \"order\": \"1\",",
	    "   \"description\": \"Budget\",",
	    "   \"classification\": [",
	    "    \"decision\"",
	    "   ],",
	    "   \"related_entities\": [",
	    "    {",
	    "     \"entity_type\": \"paper\",",
	    "     \"entity_id\": \"2026-06-18-board/budget\",",
	    "     \"entity_name\": \"Budget report\",",
	    "     \"note\": null",
	    "    },",
	    "    {",
	    "     \"entity_type\": \"decision\",",
	    "     \"entity_id\": \"2026-06-18-board-1-1\",",
	    "     \"entity_name\": \"To agree the budget, \\\"as amended\\\",\\nand publish it.\",",
	    "     \"note\": \"agreed\"",
	    "    },",
	    "    {",
	    "     \"entity_type\": \"action\",",
	    "     \"entity_id\": \"A-1\",",
	    "     \"entity_name\": \"Publish the budget\",",
	    "     \"note\": null",
	    "    }",
	    "   ],",
	    "   \"extras\": {",
	    "    \"number\": \"1\",",
	    "    \"exempt\": false,",
	    "    \"exempt_reason\": null,",
	    "    \"purpose\": \"decision\",",
	    "    \"presenter\": \"Ann Lee\",",
	    "    \"summary\": null,",
	    "    \"recommendation\": null,",
	    "    \"papers\": [",
	    "     \"2026-06-18-board/budget\"",
	    "    ]",
	    "   }",
	    "  },",
	    "  {",
	    "   \"order\": \"2\",",
	    "   \"description\": \"Land sale\",",
	    "   \"classification\": [],",
	    "   \"related_entities\": [],",
	    "   \"extras\": {",
	    "    \"number\": \"2\",",
	    "    \"exempt\": true,",
	    "    \"exempt_reason\": \"Commercial information\",",
	    "    \"purpose\": null,",
	    "    \"presenter\": null,",
	    "    \"summary\": null,",
	    "    \"recommendation\": null,",
	    "    \"papers\": []",
	    "   }",
	    "  }",
	    " ],",
	    " \"documents\": [",
	    "  {",
	    "   \"note\": \"Budget report\",",
	    "   \"date\": \"2026-06-18\",",
	    "   \"links\": [",
	    "    {",
	    "     \"url\": \"https://icp.test/meetings/2026-06-18-board/budget/\",",
	    "     \"media_type\": \"text/html\"",
	    "    }",
	    "   ],",
	    "   \"extras\": {",
	    "    \"kind\": \"paper\",",
	    "    \"id\": \"2026-06-18-board/budget\",",
	    "    \"item\": \"1\",",
	    "    \"author\": null,",
	    "    \"summary\": null,",
	    "    \"timeliness\": {",
	    "     \"published\": \"2026-01-05\",",
	    "     \"clear_days\": 113,",
	    "     \"late\": false",
	    "    },",
	    "    \"history\": {",
	    "     \"first_published\": \"2026-01-05T10:00:00Z\",",
	    "     \"last_updated\": \"2026-01-05T10:00:00Z\",",
	    "     \"revisions\": 1,",
	    "     \"first_commit\": \"COMMIT\",",
	    "     \"last_commit\": \"COMMIT\",",
	    "     \"changes_url\": null,",
	    "     \"deleted\": [],",
	    "     \"changed_after_meeting\": false",
	    "    }",
	    "   }",
	    "  },",
	    "  {",
	    "   \"note\": \"Budget tables\",",
	    "   \"date\": \"2026-06-18\",",
	    "   \"links\": [",
	    "    {",
	    "     \"url\": \"https://icp.test/meetings/2026-06-18-board/tables.pdf\",",
	    "     \"media_type\": \"application/pdf\"",
	    "    }",
	    "   ],",
	    "   \"extras\": {",
	    "    \"kind\": \"attachment\",",
	    "    \"paper_id\": \"2026-06-18-board/budget\",",
	    "    \"item\": \"1\",",
	    "    \"author\": null,",
	    "    \"size\": 42,",
	    "    \"pages\": null",
	    "   }",
	    "  },",
	    "  {",
	    "   \"note\": \"Draft minutes\",",
	    "   \"date\": \"2026-06-18\",",
	    "   \"links\": [",
	    "    {",
	    "     \"url\": \"https://icp.test/meetings/2026-06-18-board/minutes/\",",
	    "     \"media_type\": \"text/html\"",
	    "    }",
	    "   ],",
	    "   \"extras\": {",
	    "    \"kind\": \"minutes\",",
	    "    \"status\": \"draft\",",
	    "    \"approved_at\": null,",
	    "    \"history\": {",
	    "     \"first_published\": \"2026-01-05T10:00:00Z\",",
	    "     \"last_updated\": \"2026-01-05T10:00:00Z\",",
	    "     \"revisions\": 1,",
	    "     \"first_commit\": \"COMMIT\",",
	    "     \"last_commit\": \"COMMIT\",",
	    "     \"changes_url\": null,",
	    "     \"deleted\": [],",
	    "     \"changed_after_approval\": false",
	    "    }",
	    "   }",
	    "  }",
	    " ],",
	    " \"media\": [],",
	    " \"participants\": [",
	    "  {",
	    "   \"name\": \"The Board\",",
	    "   \"entity_type\": \"organization\",",
	    "   \"entity_id\": \"committee:board\",",
	    "   \"note\": \"host\",",
	    "   \"extras\": {}",
	    "  },",
	    "  {",
	    "   \"name\": \"Ann Lee\",",
	    "   \"entity_type\": \"person\",",
	    "   \"entity_id\": \"ann-lee\",",
	    "   \"note\": \"present\",",
	    "   \"extras\": {",
	    "    \"role\": null,",
	    "    \"substitute_for\": null",
	    "   }",
	    "  },",
	    "  {",
	    "   \"name\": \"Bob Ray\",",
	    "   \"entity_type\": \"person\",",
	    "   \"entity_id\": \"bob-ray\",",
	    "   \"note\": \"apologies\",",
	    "   \"extras\": {",
	    "    \"role\": null,",
	    "    \"substitute_for\": null",
	    "   }",
	    "  }",
	    " ],",
	    " \"sources\": [",
	    "  {",
	    "   \"url\": \"https://icp.test/meetings/2026-06-18-board/\",",
	    "   \"note\": \"meeting page\"",
	    "  }",
	    " ],",
	    " \"extras\": {",
	    "  \"committee_id\": \"committee:board\",",
	    "  \"date\": \"2026-06-18\",",
	    "  \"meeting_status\": \"held\",",
	    "  \"status_reason\": null,",
	    "  \"new_date\": null,",
	    "  \"question_deadline\": null,",
	    "  \"url\": \"https://icp.test/meetings/2026-06-18-board/\",",
	    "  \"minutes\": {",
	    "   \"status\": \"draft\",",
	    "   \"approved_at\": null,",
	    "   \"quorate\": null,",
	    "   \"url\": \"https://icp.test/meetings/2026-06-18-board/minutes/\"",
	    "  },",
	    "  \"decisions\": [",
	    "   {",
	    "    \"id\": \"2026-06-18-board-1-1\",",
	    "    \"item\": {",
	    "     \"number\": \"1\",",
	    "     \"title\": \"Budget\"",
	    "    },",
	    "    \"resolution\": \"To agree the budget, \\\"as amended\\\",\\nand publish it.\",",
	    "    \"type\": \"agreed\"",
	    "   }",
	    "  ],",
	    "  \"actions_raised\": [",
	    "   {",
	    "    \"id\": \"A-1\",",
	    "    \"item\": {",
	    "     \"number\": \"1\",",
	    "     \"title\": \"Budget\"",
	    "    },",
	    "    \"action\": \"Publish the budget\",",
	    "    \"owner\": {",
	    "     \"id\": \"ann-lee\",",
	    "     \"name\": \"Ann Lee\"",
	    "    },",
	    "    \"due\": \"2026-07-01\",",
	    "    \"status\": \"open\"",
	    "   }",
	    "  ],",
	    "  \"removed_papers\": [],",
	    "  \"history\": {",
	    "   \"first_published\": \"2026-01-05T10:00:00Z\",",
	    "   \"last_updated\": \"2026-01-05T10:00:00Z\",",
	    "   \"revisions\": 1,",
	    "   \"first_commit\": \"COMMIT\",",
	    "   \"last_commit\": \"COMMIT\",",
	    "   \"changes_url\": null,",
	    "   \"deleted\": []",
	    "  }",
	    " }",
	    "},",
	    NULL
};

static void
meeting_is_an_ocd_event(void **state)
{
	struct fix	*x = *state;
	const char	*t = data(x, "meetings.json");
	char		*ev, *want = joined(event_lines);

	assert_non_null(t);
	ev = between(t, "{\n \"id\": \"2026-06-18-board\"", "\n},\n");
	assert_string_equal(ev, want);
	free(ev);
	free(want);
}

/* A person, with standing interests, attendance and history. */
static const char *const person_lines[] = {
	    "  {",
	    "   \"id\": \"ann-lee\",",
	    "   \"name\": \"Ann Lee\",",
	    "   \"links\": [],",
	    "   \"sources\": [",
	    "    {",
	    "     \"url\": \"https://icp.test/people/ann-lee/\",",
	    "     \"note\": \"person's page\"",
	    "    }",
	    "   ],",
	    "   \"extras\": {",
	    "    \"role\": \"Director of Health, \\\"Place\\\"\",",
	    "    \"organisation_id\": \"organisation:city-council\",",
	    "    \"represents_id\": null,",
	    "    \"interests\": [",
	    "     {",
	    "      \"interest\": \"Trustee of a charity\",",
	    "      \"kind\": \"non-financial\",",
	    "      \"from\": \"2024-05-01\",",
	    "      \"to\": null",
	    "     }",
	    "    ],",
	    "    \"attendance\": {",
	    "     \"expected\": 1,",
	    "     \"present\": 1,",
	    "     \"apologies\": 0,",
	    "     \"absent\": 0",
	    "    },",
	    "    \"url\": \"https://icp.test/people/ann-lee/\",",
	    "    \"history\": {",
	    "     \"first_published\": \"2026-01-05T10:00:00Z\",",
	    "     \"last_updated\": \"2026-01-05T10:00:00Z\",",
	    "     \"revisions\": 1,",
	    "     \"first_commit\": \"COMMIT\",",
	    "     \"last_commit\": \"COMMIT\",",
	    "     \"changes_url\": null,",
	    "     \"deleted\": []",
	    "    }",
	    "   }",
	    "  },",
	    NULL
};

static void
person_is_popolo(void **state)
{
	struct fix	*x = *state;
	const char	*t = data(x, "people.json");
	char		*p, *want = joined(person_lines);

	assert_non_null(t);
	assert_int_equal(strncmp(t, "{\n \"persons\": [\n  {\n", 20), 0);
	p = between(t, "  {\n   \"id\": \"ann-lee\"", "\n  },\n");
	assert_string_equal(p, want);
	free(p);
	free(want);
}

static void
csv_quotes_commas_quotes_and_newlines(void **state)
{
	struct fix	*x = *state;

	assert_string_equal(data(x, "decisions.csv"),
	    "id,date,meeting_id,committee_id,item_number,item_title,"
	    "resolution,type,url\r\n"
	    "2026-06-18-board-1-1,2026-06-18,2026-06-18-board,"
	    "committee:board,1,Budget,\"To agree the budget, \"\"as amended"
	    "\"\",\nand publish it.\",agreed,https://icp.test/meetings/"
	    "2026-06-18-board/minutes/#item-1\r\n");
	assert_string_equal(data(x, "people.csv"),
	    "id,name,role,organisation_id,represents_id,interests_url,url,"
	    "last_updated\r\n"
	    "ann-lee,Ann Lee,\"Director of Health, \"\"Place\"\"\","
	    "organisation:city-council,,,https://icp.test/people/ann-lee/,"
	    "2026-01-05T10:00:00Z\r\n"
	    "bob-ray,Bob Ray,,,,,https://icp.test/people/bob-ray/,"
	    "2026-01-05T10:00:00Z\r\n");
	assert_string_equal(data(x, "measure_values.csv"),
	    "measure_id,date,value,rag,reason,narrative\r\n"
	    "smoke,2025-12-31,12.5,at-risk,\"Down a \"\"little\"\"\",\r\n"
	    "smoke,2026-03-31,,no-data,,\r\n");
}

static void
london_time_has_the_right_offset(void **state)
{
	struct fix	*x = *state;
	const char	*t = data(x, "meetings.csv");

	assert_non_null(t);
	/* Winter, the mornings the clocks change, summer, and no time. */
	assert_non_null(strstr(t, "\r\n2026-01-20-board,The Board,"
	    "committee:board,2026-01-20,2026-01-20T10:00:00+00:00,,passed,"
	    "held,"));
	assert_non_null(strstr(t, ",2026-03-29T00:30:00+00:00,"
	    "2026-03-29T03:00:00+01:00,"));
	assert_non_null(strstr(t, ",2026-06-18T14:00:00+01:00,"
	    "2026-06-18T16:00:00+01:00,"));
	assert_non_null(strstr(t, ",2026-10-25T01:30:00+01:00,"
	    "2026-10-25T02:30:00+00:00,"));
	assert_non_null(strstr(t, "\r\n2026-12-02-board,The Board,"
	    "committee:board,2026-12-02,2026-12-02,,cancelled,cancelled,"));
}

static void
exempt_items_carry_no_papers(void **state)
{
	struct fix	*x = *state;
	const char	*t;

	t = data(x, "documents.csv");
	assert_string_equal(t,
	    "meeting_id,kind,paper_id,item,title,author,url,media_type,size,"
	    "pages\r\n"
	    "2026-06-18-board,paper,2026-06-18-board/budget,1,Budget report,,"
	    "https://icp.test/meetings/2026-06-18-board/budget/,text/html,,"
	    "\r\n"
	    "2026-06-18-board,attachment,2026-06-18-board/budget,1,"
	    "Budget tables,,https://icp.test/meetings/2026-06-18-board/"
	    "tables.pdf,application/pdf,42,\r\n"
	    "2026-06-18-board,minutes,,,Draft minutes,,https://icp.test/"
	    "meetings/2026-06-18-board/minutes/,text/html,,\r\n");
	t = data(x, "agenda_items.csv");
	assert_string_equal(t,
	    "meeting_id,number,title,purpose,presenter,summary,"
	    "recommendation,exempt,exempt_reason\r\n"
	    "2026-06-18-board,1,Budget,decision,Ann Lee,,,false,\r\n"
	    "2026-06-18-board,2,Land sale,,,,,true,Commercial information"
	    "\r\n");
	t = data(x, "meetings.json");
	assert_null(strstr(t, "board/land"));
	assert_null(strstr(t, "Land valuation"));
	assert_null(strstr(t, "The price offered"));
	assert_null(strstr(t, "Bob Ray\",\n"
	    "     \"summary"));
}

static void
index_lists_every_file(void **state)
{
	struct fix	*x = *state;
	const char	*t = data(x, "index.json");
	const char	*names[] = { "meetings.json", "meetings.csv",
	    "agenda_items.csv", "documents.csv", "attendance.csv",
	    "people.json", "people.csv", "interests.csv",
	    "organizations.json", "organizations.csv", "memberships.json",
	    "memberships.csv", "decisions.json", "decisions.csv",
	    "actions.json", "actions.csv", "action_updates.csv",
	    "declarations.json", "declarations.csv", "questions.json",
	    "questions.csv", "measures.json", "measures.csv",
	    "measure_values.csv", "measure_trajectory.csv" };
	char		 want[128];
	size_t		 i;

	assert_non_null(t);
	assert_non_null(strstr(t, "\"build_date\": \"2026-11-01\",\n"));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(want, sizeof(want), "\"name\": \"%s\",\n", names[i]);
		assert_non_null(strstr(t, want));
		assert_non_null(data(x, names[i]));
		t = data(x, "index.json");
	}
	assert_non_null(strstr(t, "   \"name\": \"memberships.csv\",\n"
	    "   \"url\": \"https://icp.test/data/memberships.csv\",\n"
	    "   \"media_type\": \"text/csv; charset=utf-8; header=present\",\n"
	    "   \"records\": 2,\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builds_without_problems),
		cmocka_unit_test(meeting_is_an_ocd_event),
		cmocka_unit_test(person_is_popolo),
		cmocka_unit_test(csv_quotes_commas_quotes_and_newlines),
		cmocka_unit_test(london_time_has_the_right_offset),
		cmocka_unit_test(exempt_items_carry_no_papers),
		cmocka_unit_test(index_lists_every_file),
	};

	tz_init();	/* as main() does: local time is Europe/London */
	return cmocka_run_group_tests(tests, setup, teardown);
}
