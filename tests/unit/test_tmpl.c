/*
 * Tests for the template engine: syntax, rendering, filters, error
 * messages and limits.  Templates come from in-memory tables.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "render/tmpl.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/val.h"

struct file {
	const char	*name;
	const char	*src;
};

static struct arena	*ca;		/* context values */
static struct val	*ctx;
static char		*out;		/* last render, or NULL */
static char		*dg;		/* diagnostics of the last run */
static unsigned		 nerrors;

static int
readfn(void *arg, const char *name, const char **src, size_t *len,
    const char **path)
{
	const struct file *f;

	for (f = arg; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0) {
			*src = f->src;
			*len = strlen(f->src);
			*path = f->name;
			return 0;
		}
	return -1;
}

static struct val *
f_shout(void *arg, struct arena *a, const struct val *in,
    const struct val *x)
{
	const char	*suffix = arg;
	char		*s;

	if (in->kind != VAL_STR)
		return NULL;
	s = arena_printf(a, "%s%s", in->str, suffix);
	return val_str(a, s);
}

/*
 * Load name from files and render it with ctx; the output goes to
 * out (NULL when loading failed) and messages to dg.
 */
static int
run(const struct file *files, const char *name)
{
	struct tmpl_set	*s;
	const struct tmpl *t;
	struct diags	 d;
	struct arena	*a;
	struct buf	 b;
	FILE		*f;
	size_t		 n;
	int		 rc = -2;

	free(out);
	free(dg);
	out = dg = NULL;
	f = open_memstream(&dg, &n);
	diag_init(&d, f);
	s = tmpl_set_new(readfn, (void *)(uintptr_t)files);
	tmpl_add_filter(s, "shout", f_shout, (void *)(uintptr_t)"!");
	if ((t = tmpl_get(s, name, &d)) != NULL) {
		buf_init(&b);
		buf_puts(&b, "");
		a = arena_new();
		rc = tmpl_render(t, ctx, a, &b, &d);
		out = buf_detach(&b);
		buf_free(&b);
		arena_free(a);
	}
	nerrors = d.errors;
	fclose(f);
	diag_free(&d);
	tmpl_set_free(s);
	return rc;
}

/* Render one template source named "t.html". */
static int
run1(const char *src)
{
	struct file	 files[2] = { { "t.html", src }, { NULL, NULL } };

	return run(files, "t.html");
}

static void
expect(const char *src, const char *want)
{
	int	rc = run1(src);

	if (rc != 0 || out == NULL || strcmp(out, want) != 0)
		print_error("template: %s\nwant: %s\ngot: %s\ndiags: %s\n",
		    src, want, out ? out : "(null)", dg ? dg : "");
	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
	assert_string_equal(dg, "");
}

/* Loading src must fail with exactly the messages want. */
static void
expect_err(const char *src, const char *want)
{
	int	rc = run1(src);

	if (dg == NULL || strcmp(dg, want) != 0)
		print_error("template: %s\nwant: %s\ngot: %s\n", src, want,
		    dg ? dg : "(null)");
	assert_int_equal(rc, -2);
	assert_null(out);
	assert_string_equal(dg, want);
}

static struct val *
strlist(const char *const *s)
{
	struct val	*l = val_list(ca);

	for (; *s != NULL; s++)
		val_push(ca, l, val_str(ca, *s));
	return l;
}

static int
setup(void **state)
{
	static const char *const items[] = { "a", "b", "c", NULL };
	struct val	*m, *p, *l, *v;
	int		 i;

	ca = arena_new();
	ctx = val_map(ca);
	val_set(ca, ctx, "title", val_str(ca, "A&B <i>\"q\" 'x'</i>"));
	val_set(ca, ctx, "n", val_num(ca, 42));
	val_set(ca, ctx, "pi", val_num(ca, 3.5));
	val_set(ca, ctx, "neg", val_num(ca, -2));
	val_set(ca, ctx, "big", val_num(ca, 1e20));
	val_set(ca, ctx, "zero", val_num(ca, 0));
	val_set(ca, ctx, "yes", val_bool(ca, true));
	val_set(ca, ctx, "no", val_bool(ca, false));
	val_set(ca, ctx, "nil", val_new(ca, VAL_NULL));
	val_set(ca, ctx, "empty", val_str(ca, ""));
	val_set(ca, ctx, "numstr", val_str(ca, "10"));
	val_set(ca, ctx, "items", strlist(items));
	val_set(ca, ctx, "none", val_list(ca));
	v = val_str(ca, "<b>bold</b>");
	v->html = true;		/* as icpgen marks a page's body */
	val_set(ca, ctx, "html", v);
	/* Text from content, such as a title: never HTML. */
	val_set(ca, ctx, "text", val_str(ca, "<i>x</i>"));
	val_set(ca, ctx, "date", val_str(ca, "2021-12-07"));
	val_set(ca, ctx, "baddate", val_str(ca, "2021-02-30"));
	val_set(ca, ctx, "stamp", val_str(ca, "2021-12-07T10:00:00"));
	val_set(ca, ctx, "time", val_str(ca, "14:00"));
	val_set(ca, ctx, "time2", val_str(ca, "09:30"));
	val_set(ca, ctx, "utf", val_str(ca, "Caf\xc3\xa9 Cr\xc3\xa8me"));
	m = val_map(ca);
	val_set(ca, m, "x", val_str(ca, "1"));
	val_set(ca, m, "y", val_str(ca, "2"));
	val_set(ca, ctx, "m", m);
	p = val_map(ca);
	val_set(ca, p, "title", val_str(ca, "Hello"));
	m = val_map(ca);
	val_set(ca, m, "title", val_str(ca, "ICP Board"));
	val_set(ca, p, "meeting", m);
	val_set(ca, ctx, "page", p);
	l = val_list(ca);
	m = val_map(ca);
	val_set(ca, m, "name", val_str(ca, "Ann"));
	val_push(ca, l, m);
	m = val_map(ca);
	val_set(ca, m, "name", val_str(ca, "Bob"));
	val_push(ca, l, m);
	val_set(ca, ctx, "people", l);
	l = val_list(ca);
	for (i = 0; i < 1001; i++)
		val_push(ca, l, val_num(ca, i));
	val_set(ca, ctx, "thousand", l);
	return 0;
}

static int
teardown(void **state)
{
	free(out);
	free(dg);
	out = dg = NULL;
	arena_free(ca);
	return 0;
}

/* --- rendering ----------------------------------------------------- */

static void
t_text(void **state)
{
	expect("", "");
	expect("plain { text } with {braces} and 100% #s",
	    "plain { text } with {braces} and 100% #s");
}

static void
t_vars(void **state)
{
	expect("<h1>{{ page.title }}</h1>", "<h1>Hello</h1>");
	expect("{{page.meeting.title}}", "ICP Board");
	expect("[{{ missing }}{{ page.nothing.deeper }}{{ n.x }}]", "[]");
}

static void
t_escape(void **state)
{
	expect("{{ title }}",
	    "A&amp;B &lt;i&gt;&quot;q&quot; &#39;x&#39;&lt;/i&gt;");
	expect("{{ '&<>\"\\'' }}", "&amp;&lt;&gt;&quot;&#39;");
}

static void
t_safe(void **state)
{
	expect("{{ html | safe }}", "<b>bold</b>");
	expect("{{ html }}", "&lt;b&gt;bold&lt;/b&gt;");
	/* Only a final "safe" counts. */
	expect("{{ html | safe | upper }}", "&lt;B&gt;BOLD&lt;/B&gt;");
	expect("{{ html | upper | safe }}", "<B>BOLD</B>");
	/* A variable set from a safe value stays safe. */
	expect("{% set h = html | safe %}{{ h }}", "<b>bold</b>");
	/* Content is escaped even when a template says safe. */
	expect("{{ text | safe }}", "&lt;i&gt;x&lt;/i&gt;");
	expect("{{ text | upper | safe }}", "&lt;I&gt;X&lt;/I&gt;");
	expect("{% set h = text | safe %}{{ h }}", "&lt;i&gt;x&lt;/i&gt;");
	expect("{{ text | default('') | safe }}", "&lt;i&gt;x&lt;/i&gt;");
	/* The template's own text is its HTML. */
	expect("{{ '<hr>' | safe }}", "<hr>");
}

static void
t_scalars(void **state)
{
	expect("{{ n }} {{ pi }} {{ neg }} {{ zero }} {{ big }}",
	    "42 3.5 -2 0 1e+20");
	expect("{{ yes }} {{ no }} [{{ nil }}] [{{ items }}] [{{ m }}]",
	    "true false [] [] []");
	expect("{{ 7 }} {{ -1.25 }} {{ true }} [{{ null }}]",
	    "7 -1.25 true []");
}

static void
t_strings(void **state)
{
	expect("{{ \"dq\" }} {{ 'sq' }} {{ 'it\\'s' }} {{ \"a\\\"b\" }}",
	    "dq sq it&#39;s a&quot;b");
	expect("{{ 'a\\nb\\tc\\\\' }}", "a\nb\tc\\");
	expect("{{ '%} }}' }}", "%} }}");
}

static void
t_index(void **state)
{
	expect("{{ items.0 }}{{ items.2 }}[{{ items.3 }}]", "ac[]");
	expect("{{ people.1.name }}", "Bob");
	expect("{{ m.x }}{{ m.y }}", "12");
}

static void
t_if(void **state)
{
	const char *src = "{% if n == 1 %}one{% elif n == 42 %}answer"
	    "{% else %}other{% endif %}";

	expect(src, "answer");
	expect("{% if missing %}yes{% else %}no{% endif %}", "no");
	expect("{% if items %}has{% endif %}{% if none %}x{% endif %}",
	    "has");
	expect("{% if empty %}x{% elif zero %}y{% elif no %}z"
	    "{% endif %}.", ".");
}

static void
t_logic(void **state)
{
	expect("{% if yes and n %}1{% endif %}{% if no or zero %}2"
	    "{% endif %}{% if not no %}3{% endif %}", "13");
	expect("{% if not (yes and no) %}ok{% endif %}", "ok");
	expect("{% if not not yes %}ok{% endif %}", "ok");
	/* "or" and "and" give one of their operands. */
	expect("{{ empty or 'fallback' }}|{{ page.title or 'x' }}|"
	    "{{ yes and 'both' }}|{{ no and 'x' }}",
	    "fallback|Hello|both|false");
	expect("{% if yes or no and no %}prec{% endif %}", "prec");
}

static void
t_compare(void **state)
{
	expect("{% if page.title == 'Hello' %}a{% endif %}"
	    "{% if page.title != 'hello' %}b{% endif %}"
	    "{% if numstr == 10 %}c{% endif %}"
	    "{% if numstr > 9 %}d{% endif %}"
	    "{% if numstr < '9' %}e{% endif %}"
	    "{% if n >= 42 and n <= 42 %}f{% endif %}"
	    "{% if pi > 3 %}g{% endif %}", "abcdefg");
	/* ISO dates sort as strings. */
	expect("{% if date < '2022-01-01' %}a{% endif %}"
	    "{% if date > '2021-12-06' %}b{% endif %}"
	    "{% if date == '2021-12-07' %}c{% endif %}", "abc");
	expect("{% if nil == null %}a{% endif %}"
	    "{% if yes == true %}b{% endif %}"
	    "{% if yes != 'true' %}c{% endif %}"
	    "{% if nil < 1 %}x{% endif %}"
	    "{% if empty == nil %}y{% endif %}", "abc");
}

static void
t_for(void **state)
{
	expect("{% for x in items %}{{ loop.index }}:{{ x }}"
	    "{% if loop.first %}F{% endif %}{% if loop.last %}L{% endif %}"
	    "/{{ loop.length }} {% endfor %}",
	    "1:aF/3 2:b/3 3:cL/3 ");
	expect("{% for p in people %}{{ p.name }},{% endfor %}", "Ann,Bob,");
	expect("{% for x in items %}{{ x }}{% endfor %}[{{ x }}]"
	    "[{{ loop.index }}]", "abc[][]");
}

static void
t_for_else(void **state)
{
	expect("{% for x in none %}{{ x }}{% else %}empty{% endfor %}",
	    "empty");
	expect("{% for x in missing %}{{ x }}{% else %}none{% endfor %}",
	    "none");
	expect("{% for x in items %}{{ x }}{% else %}none{% endfor %}",
	    "abc");
	/* A scalar is iterated once. */
	expect("{% for x in page.title %}[{{ x }}]{% endfor %}", "[Hello]");
}

static void
t_for_map(void **state)
{
	expect("{% for e in m %}{{ e.key }}={{ e.value }};{% endfor %}",
	    "x=1;y=2;");
	expect("{% for e in page %}{{ e.key }} {% endfor %}", "title meeting ");
}

static void
t_nested_loops(void **state)
{
	expect("{% for a in items %}{% set outer = loop.index %}"
	    "{% for b in m %}{{ outer }}.{{ loop.index }}{{ a }}{{ b.key }} "
	    "{% endfor %}{% endfor %}",
	    "1.1ax 1.2ay 2.1bx 2.2by 3.1cx 3.2cy ");
}

static void
t_set(void **state)
{
	expect("{% set x = 'v' %}{{ x }}", "v");
	expect("{% if yes %}{% set x = 1 %}{% else %}{% set x = 2 %}"
	    "{% endif %}{{ x }}", "1");
	expect("{% for i in items %}{% set x = i %}{% endfor %}[{{ x }}]",
	    "[]");
	expect("{% set title = 'shadow' %}{{ title }}", "shadow");
	expect("{% set x = 1 %}{% set x = x == 1 %}{{ x }}", "true");
}

static void
t_include(void **state)
{
	static const struct file files[] = {
		{ "page.html", "<ul>{% for x in items %}"
		    "{% include \"li.html\" %}{% endfor %}</ul>"
		    "{% include 'foot.html' %}" },
		{ "li.html", "<li>{{ loop.index }}={{ x }}</li>" },
		{ "foot.html", "{% set local = 1 %}<p>{{ page.title }}</p>" },
		{ NULL, NULL },
	};

	assert_int_equal(run(files, "page.html"), 0);
	assert_string_equal(out, "<ul><li>1=a</li><li>2=b</li>"
	    "<li>3=c</li></ul><p>Hello</p>");
	assert_string_equal(dg, "");
}

static void
t_trim(void **state)
{
	expect("a  {{- n -}}  b", "a42b");
	expect("<ul>\n  {%- for x in items %}\n  <li>{{ x }}</li>\n"
	    "  {%- endfor %}\n</ul>",
	    "<ul>\n  <li>a</li>\n  <li>b</li>\n  <li>c</li>\n</ul>");
	expect("x \n {#- gone -#} \n y", "xy");
	expect("x {%- if yes -%} \n y \n {%- endif -%} z", "xyz");
	expect("x {{ n }} y", "x 42 y");
	expect("{{- n -}}", "42");
}

static void
t_comment(void **state)
{
	expect("a{# {{ broken %} #}b", "ab");
	expect("a{##}b{#-#}c", "abc");
}

static void
t_filter_dates(void **state)
{
	expect("{{ date | date }}", "7 December 2021");
	expect("{{ date | weekday_date }}", "Tuesday 7 December 2021");
	expect("{{ baddate | date }}|{{ title | date }}|{{ n | date }}",
	    "2021-02-30|A&amp;B &lt;i&gt;&quot;q&quot; &#39;x&#39;"
	    "&lt;/i&gt;|42");
	expect("{{ time | time }} {{ time2 | time }} {{ '12:00' | time }}"
	    " {{ '25:00' | time }}", "2pm 9:30am midday 25:00");
	expect("{{ date | iso }} {{ stamp | iso }} {{ 'nope' | iso }}",
	    "2021-12-07 2021-12-07 nope");
}

static void
t_filter_text(void **state)
{
	expect("{{ 'MiXed' | upper }} {{ 'MiXed' | lower }} {{ n | upper }}",
	    "MIXED mixed 42");
	expect("{{ utf | upper }}", "CAF\xc3\xa9 CR\xc3\xa8ME");
	expect("{{ items | length }} {{ m | length }} {{ utf | length }} "
	    "{{ missing | length }} {{ n | length }}", "3 2 10 0 2");
	expect("{{ 'Children\\'s Services & Care' | slug }}",
	    "childrens-services-care");
	/* Left to right: the slug of the upper-cased text. */
	expect("{{ 'a b' | upper | slug }}", "a-b");
}

static void
t_filter_default_join(void **state)
{
	expect("{{ missing | default('none') }} {{ empty | default('e') }} "
	    "{{ zero | default(1) }} {{ page.title | default('x') }}",
	    "none e 0 Hello");
	expect("{{ items | join(', ') }}|{{ items | join }}|"
	    "{{ n | join('-') }}", "a, b, c|abc|42");
	expect("{{ missing | default('<b>') }}", "&lt;b&gt;");
}

static void
t_filter_json_url(void **state)
{
	expect("{{ '<a href=\"x\">&\\'\\n' | json | safe }}",
	    "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u0027\\n\"");
	expect("{{ items | json | safe }} {{ m | json | safe }} "
	    "{{ pi | json | safe }} {{ nil | json | safe }}",
	    "[\"a\",\"b\",\"c\"] {\"x\":\"1\",\"y\":\"2\"} 3.5 null");
	/* Without safe, the JSON is escaped like any text. */
	expect("{{ 'a' | json }}", "&quot;a&quot;");
	expect("{{ 'a b&c/d?e=é' | urlencode }}",
	    "a%20b%26c%2Fd%3Fe%3D%C3%A9");
}

static void
t_custom_filter(void **state)
{
	expect("{{ page.title | shout }}", "Hello!");
	assert_int_equal(run1("x{{ n | shout }}"), -1);
	assert_string_equal(out, "");
	assert_string_equal(dg,
	    "t.html:1:9: note: in filter 'shout' called here\n");
}

static void
t_render_restores_output(void **state)
{
	static const struct file files[] = {
		{ "t.html", "abc{{ n | shout }}" },
		{ NULL, NULL },
	};
	struct tmpl_set	*s = tmpl_set_new(readfn, (void *)(uintptr_t)files);
	const struct tmpl *t;
	struct arena	*a = arena_new();
	struct buf	 b;

	tmpl_add_filter(s, "shout", f_shout, (void *)(uintptr_t)"!");
	t = tmpl_get(s, "t.html", NULL);
	assert_non_null(t);
	buf_init(&b);
	buf_puts(&b, "before");
	assert_int_equal(tmpl_render(t, ctx, a, &b, NULL), -1);
	assert_string_equal(b.data, "before");
	/* Rendering twice from the same set gives the same output. */
	assert_int_equal(tmpl_render(tmpl_get(s, "t.html", NULL), NULL, a,
	    &b, NULL), -1);
	buf_free(&b);
	arena_free(a);
	tmpl_set_free(s);
}

/* --- errors -------------------------------------------------------- */

static void
t_err_unclosed(void **state)
{
	expect_err("<p>\n  {% if yes %}\n  text\n",
	    "t.html:2:3: error: unclosed '{% if %}' opened here "
	    "(add '{% endif %}')\n");
	expect_err("{% for x in items %}{% if yes %}x{% endif %}",
	    "t.html:1:1: error: unclosed '{% for %}' opened here "
	    "(add '{% endfor %}')\n");
	/* An end tag for an outer block closes the inner one too. */
	expect_err("{% for x in items %}\n{% if x %}\n{% endfor %}",
	    "t.html:2:1: error: unclosed '{% if %}' opened here "
	    "(add '{% endif %}')\n");
}

static void
t_err_stray(void **state)
{
	expect_err("a\n{% endfor %}",
	    "t.html:2:1: error: '{% endfor %}' without a matching "
	    "'{% for %}' (remove it)\n");
	expect_err("{% endif %}{% elif x %}",
	    "t.html:1:1: error: '{% endif %}' without a matching "
	    "'{% if %}' (remove it)\n"
	    "t.html:1:12: error: '{% elif %}' without a matching "
	    "'{% if %}' (remove it)\n");
	expect_err("{% else %}",
	    "t.html:1:1: error: '{% else %}' outside '{% if %}' or "
	    "'{% for %}' (remove it)\n");
	expect_err("{% if a %}{% else %}{% elif b %}{% else %}{% endif %}",
	    "t.html:1:21: error: '{% elif %}' after '{% else %}' "
	    "(move it before the else)\n"
	    "t.html:1:33: error: second '{% else %}' in the '{% if %}' "
	    "at line 1\n");
}

static void
t_err_unknown_tag(void **state)
{
	expect_err("\n\n  {% endfi %}",
	    "t.html:3:6: error: unknown tag 'endfi' (did you mean "
	    "'endif'?)\n");
	expect_err("{% block content %}",
	    "t.html:1:4: error: unknown tag 'block' (expected if, elif, "
	    "else, endif, for, endfor, include or set)\n");
}

static void
t_err_unknown_filter(void **state)
{
	expect_err("{{ x | uper }}",
	    "t.html:1:8: error: unknown filter 'uper' (did you mean "
	    "'upper'?)\n");
	expect_err("{{ x | shuot }}",
	    "t.html:1:8: error: unknown filter 'shuot' (did you mean "
	    "'shout'?)\n");
	expect_err("{{ x | frobnicate }}",
	    "t.html:1:8: error: unknown filter 'frobnicate'\n");
}

static void
t_err_filter_args(void **state)
{
	expect_err("{{ x | upper('y') }}",
	    "t.html:1:8: error: filter 'upper' takes no argument\n");
	expect_err("{{ x | default }}",
	    "t.html:1:8: error: filter 'default' needs an argument, as in "
	    "default('none')\n");
	expect_err("{{ x | join(',', 2) }}",
	    "t.html:1:16: error: filter 'join' takes one argument\n");
}

static void
t_err_expression(void **state)
{
	expect_err("{{ a == }}",
	    "t.html:1:9: error: expected a value after '==', found '}}'\n");
	expect_err("{{ }}",
	    "t.html:1:4: error: expected a value after '{{', found '}}'\n");
	expect_err("{% if a b %}{% endif %}",
	    "t.html:1:9: error: expected '%}' after 'a', found 'b'\n");
	expect_err("{{ a + b }}",
	    "t.html:1:6: error: unexpected character '+' in expression\n");
	expect_err("{{ a < b < c }}",
	    "t.html:1:10: error: comparisons cannot be chained (join them "
	    "with 'and')\n");
	expect_err("{{ (a }}",
	    "t.html:1:7: error: expected ')' after 'a', found '}}'\n");
	expect_err("{{ a. }}",
	    "t.html:1:7: error: expected a name after '.', found '}}'\n");
	expect_err("{% for and in x %}{% endfor %}",
	    "t.html:1:8: error: 'and' is a reserved word (choose another "
	    "name)\n");
	expect_err("{% for x of y %}{% endfor %}",
	    "t.html:1:10: error: expected 'in' after 'x', found 'of'\n");
	expect_err("{% set x.y = 1 %}",
	    "t.html:1:9: error: expected '=' after 'x', found '.'\n");
	expect_err("{% include page %}",
	    "t.html:1:12: error: expected a quoted template name after "
	    "'include', found 'page'\n");
	expect_err("{{ 12ab }}", "t.html:1:4: error: bad number '12ab'\n");
}

static void
t_err_unterminated(void **state)
{
	expect_err("ok\n{{ 'abc }}\n",
	    "t.html:2:4: error: unterminated string (add the closing ')\n"
	    "t.html:2:1: error: unterminated '{{' (add '}}')\n");
	expect_err("a {{ x", "t.html:1:3: error: unterminated '{{' "
	    "(add '}}')\n");
	expect_err("a {% if x", "t.html:1:3: error: unterminated '{%' tag "
	    "(add '%}')\n");
	expect_err("a {# note", "t.html:1:3: error: unterminated comment "
	    "(add '#}')\n");
}

static void
t_err_many(void **state)
{
	/* Every error in the template is reported, then NULL. */
	expect_err("{{ a | nope }}\n{% bogus %}\n{{ b == }}\n{% if x %}\n",
	    "t.html:1:8: error: unknown filter 'nope'\n"
	    "t.html:2:4: error: unknown tag 'bogus' (expected if, elif, "
	    "else, endif, for, endfor, include or set)\n"
	    "t.html:3:9: error: expected a value after '==', found '}}'\n"
	    "t.html:4:1: error: unclosed '{% if %}' opened here "
	    "(add '{% endif %}')\n");
	assert_int_equal(nerrors, 4);
}

static void
t_err_depth(void **state)
{
	struct buf	 b;
	int		 i;

	buf_init(&b);
	buf_puts(&b, "{{ ");
	for (i = 0; i < 70; i++)
		buf_putc(&b, '(');
	buf_putc(&b, 'x');
	for (i = 0; i < 70; i++)
		buf_putc(&b, ')');
	buf_puts(&b, " }}");
	expect_err(b.data, "t.html:1:68: error: expression nested too "
	    "deeply (more than 64 levels)\n");
	buf_reset(&b);
	for (i = 0; i < 70; i++)
		buf_puts(&b, "{% if x %}");
	expect_err(b.data, "t.html:1:641: error: blocks nested more than "
	    "64 deep\n");
	/* Chains are as deep as they are long (evaluated by recursion). */
	buf_reset(&b);
	buf_puts(&b, "{{ x");
	for (i = 0; i < 100000; i++)
		buf_puts(&b, " | upper");
	buf_puts(&b, " }}");
	expect_err(b.data, "t.html:1:510: error: expression too long (more "
	    "than 64 filters, 'and's, 'or's and levels of nesting; use "
	    "{% set %} for a part of it)\n");
	buf_reset(&b);
	buf_puts(&b, "{{ x");
	for (i = 0; i < 100000; i++)
		buf_puts(&b, i % 2 ? " or x" : " and x");
	buf_puts(&b, " }}");
	expect_err(b.data, "t.html:1:699: error: expression too long (more "
	    "than 64 filters, 'and's, 'or's and levels of nesting; use "
	    "{% set %} for a part of it)\n");
	buf_reset(&b);		/* 60 links are fine */
	buf_puts(&b, "{{ x");
	for (i = 0; i < 60; i++)
		buf_puts(&b, " | lower");
	buf_puts(&b, " }}");
	expect(b.data, "");
	buf_free(&b);
}

static void
t_err_missing_include(void **state)
{
	static const struct file files[] = {
		{ "page.html", "a\nb\n{% include 'foo.html' %}" },
		{ NULL, NULL },
	};

	assert_int_equal(run(files, "page.html"), -2);
	assert_string_equal(dg, "icpgen: error: template 'foo.html' not "
	    "found (included from page.html:3)\n");
	assert_int_equal(run(files, "nope.html"), -2);
	assert_string_equal(dg, "icpgen: error: template 'nope.html' not "
	    "found (add it to the theme's templates/ or the site's "
	    "templates/)\n");
}

static void
t_err_include_cycle(void **state)
{
	static const struct file files[] = {
		{ "a.html", "A{% include 'b.html' %}" },
		{ "b.html", "B\n{% if x %}{% include 'a.html' %}{% endif %}" },
		{ "self.html", "{% include 'self.html' %}" },
		{ NULL, NULL },
	};

	assert_int_equal(run(files, "a.html"), -2);
	assert_string_equal(dg, "b.html:2:11: error: include cycle 'a.html' "
	    "-> 'b.html' -> 'a.html' (a template cannot include itself)\n");
	assert_int_equal(run(files, "self.html"), -2);
	assert_string_equal(dg, "self.html:1:1: error: include cycle "
	    "'self.html' -> 'self.html' (a template cannot include itself)\n");
}

static void
t_err_include_depth(void **state)
{
	struct file	 files[TMPL_MAX_DEPTH + 3];
	char		 names[TMPL_MAX_DEPTH + 2][16];
	char		 srcs[TMPL_MAX_DEPTH + 2][64];
	int		 i, n;

	/* d0 includes d1 ... up to dn, which includes nothing. */
	for (n = TMPL_MAX_DEPTH; n <= TMPL_MAX_DEPTH + 1; n++) {
		for (i = 0; i < n; i++) {
			snprintf(names[i], sizeof(names[i]), "d%d", i);
			if (i + 1 < n)
				snprintf(srcs[i], sizeof(srcs[i]),
				    "%d{%% include 'd%d' %%}", i, i + 1);
			else
				snprintf(srcs[i], sizeof(srcs[i]), "end");
			files[i].name = names[i];
			files[i].src = srcs[i];
		}
		files[n].name = files[n].src = NULL;
		if (n == TMPL_MAX_DEPTH) {
			assert_int_equal(run(files, "d0"), 0);
			assert_string_equal(out, "01234567891011121314end");
		} else {
			assert_int_equal(run(files, "d0"), -2);
			assert_string_equal(dg, "d15:1:3: error: includes "
			    "nested more than 16 deep at 'd16'\n");
		}
	}
}

static void
t_err_cached(void **state)
{
	static const struct file files[] = {
		{ "bad.html", "{% if %}" },
		{ "good.html", "ok" },
		{ NULL, NULL },
	};
	struct tmpl_set	*s = tmpl_set_new(readfn, (void *)(uintptr_t)files);
	struct diags	 d;
	char		*text = NULL;
	size_t		 n;
	FILE		*f = open_memstream(&text, &n);

	diag_init(&d, f);
	assert_null(tmpl_get(s, "bad.html", &d));
	assert_null(tmpl_get(s, "bad.html", &d));
	assert_non_null(tmpl_get(s, "good.html", &d));
	assert_ptr_equal(tmpl_get(s, "good.html", &d),
	    tmpl_get(s, "good.html", NULL));
	fflush(f);
	assert_string_equal(text,
	    "bad.html:1:7: error: expected a value after 'if', found '%}'\n"
	    "bad.html:1:1: error: unclosed '{% if %}' opened here "
	    "(add '{% endif %}')\n");
	assert_int_equal(d.errors, 2);
	fclose(f);
	free(text);
	diag_free(&d);
	tmpl_set_free(s);
}

struct job {
	const struct tmpl *t;
	char		*out;
	int		 rc;
};

static void *
render_job(void *arg)
{
	struct job	*j = arg;
	struct arena	*a = arena_new();
	struct buf	 b;
	int		 i;

	buf_init(&b);
	for (i = 0; i < 200 && j->rc == 0; i++) {
		buf_reset(&b);
		j->rc = tmpl_render(j->t, ctx, a, &b, NULL);
	}
	j->out = buf_detach(&b);
	buf_free(&b);
	arena_free(a);
	return NULL;
}

static void
t_threads(void **state)
{
	static const struct file files[] = {
		{ "t.html", "{% for x in people %}{% set n = x.name %}"
		    "{% include 'p.html' %}{% endfor %}{{ date | date }}" },
		{ "p.html", "<{{ loop.index }} {{ n | upper }}>" },
		{ NULL, NULL },
	};
	struct tmpl_set	*s = tmpl_set_new(readfn, (void *)(uintptr_t)files);
	struct job	 jobs[4];
	pthread_t	 th[4];
	int		 i;

	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < 4; i++) {
		jobs[i].t = tmpl_get(s, "t.html", NULL);
		assert_non_null(jobs[i].t);
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, render_job,
		    &jobs[i]), 0);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 4; i++) {
		assert_int_equal(jobs[i].rc, 0);
		assert_string_equal(jobs[i].out,
		    "<1 ANN><2 BOB>7 December 2021");
		free(jobs[i].out);
	}
	tmpl_set_free(s);
}

/* --- limits -------------------------------------------------------- */

static void
t_limit_iterations(void **state)
{
	assert_int_equal(run1("{% for a in thousand %}\n"
	    "  {% for b in thousand %}{% endfor %}{% endfor %}"), -1);
	assert_string_equal(out, "");
	assert_string_equal(dg, "t.html:2:3: error: loops ran more than "
	    "1000000 times in all (is a loop running away?)\n");
}

static void
t_limit_output(void **state)
{
	struct buf	 b;
	int		 i;

	buf_init(&b);
	buf_puts(&b, "{% for a in thousand %}");
	for (i = 0; i < 20000; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "{% endfor %}");
	assert_int_equal(run1(b.data), -1);
	assert_string_equal(out, "");
	assert_string_equal(dg, "t.html:1:24: error: output is larger than "
	    "16 MiB (is a loop running away?)\n");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_text),
		cmocka_unit_test(t_vars),
		cmocka_unit_test(t_escape),
		cmocka_unit_test(t_safe),
		cmocka_unit_test(t_scalars),
		cmocka_unit_test(t_strings),
		cmocka_unit_test(t_index),
		cmocka_unit_test(t_if),
		cmocka_unit_test(t_logic),
		cmocka_unit_test(t_compare),
		cmocka_unit_test(t_for),
		cmocka_unit_test(t_for_else),
		cmocka_unit_test(t_for_map),
		cmocka_unit_test(t_nested_loops),
		cmocka_unit_test(t_set),
		cmocka_unit_test(t_include),
		cmocka_unit_test(t_trim),
		cmocka_unit_test(t_comment),
		cmocka_unit_test(t_filter_dates),
		cmocka_unit_test(t_filter_text),
		cmocka_unit_test(t_filter_default_join),
		cmocka_unit_test(t_filter_json_url),
		cmocka_unit_test(t_custom_filter),
		cmocka_unit_test(t_render_restores_output),
		cmocka_unit_test(t_threads),
		cmocka_unit_test(t_err_unclosed),
		cmocka_unit_test(t_err_stray),
		cmocka_unit_test(t_err_unknown_tag),
		cmocka_unit_test(t_err_unknown_filter),
		cmocka_unit_test(t_err_filter_args),
		cmocka_unit_test(t_err_expression),
		cmocka_unit_test(t_err_unterminated),
		cmocka_unit_test(t_err_many),
		cmocka_unit_test(t_err_depth),
		cmocka_unit_test(t_err_missing_include),
		cmocka_unit_test(t_err_include_cycle),
		cmocka_unit_test(t_err_include_depth),
		cmocka_unit_test(t_err_cached),
		cmocka_unit_test(t_limit_iterations),
		cmocka_unit_test(t_limit_output),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
