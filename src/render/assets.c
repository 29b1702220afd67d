/*
 * The theme's assets: the stylesheet compiled from the theme's SCSS with
 * the site's variables (brand colour, theme_variables), checked for the
 * contrast the theme declares, and the theme's static files (scripts
 * get content-hashed names), written to the output.  Templates read
 * their URLs from the globals' "assets" map.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/colour.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "load/theme.h"
#include "model/site.h"
#include "emit/out.h"
#include "render/style.h"
#include "render/assets.h"

/* Values allowed in SCSS variables: no way to close the declaration. */
static int
safe_scss(const char *s)
{
	for (; *s != '\0'; s++)
		if (strchr(";{}@\\\"'/\n\r", *s) != NULL)
			return 0;
	return 1;
}

static void
prelude_vars(struct buf *pre, const struct val *m, struct diags *d)
{
	size_t	i;
	const struct val *v;

	for (i = 0; m != NULL && m->kind == VAL_MAP && i < m->n; i++) {
		v = m->pairs[i].v;
		if (v->kind != VAL_STR || !safe_scss(v->str) ||
		    !safe_scss(m->pairs[i].key)) {
			diag_error(d, v->file, v->line, v->col, "theme "
			    "variable '%s' has a value that is not allowed "
			    "(use a colour, size or plain word)",
			    m->pairs[i].key);
			continue;
		}
		buf_printf(pre, "$%s: %s;\n", m->pairs[i].key, v->str);
	}
}

/*
 * The value a site gives a theme variable: theme_variables, then
 * brand.colour for brand-colour, then the theme's default.
 */
static const struct val *
variable(const struct site *s, const struct val *man, const char *name)
{
	const struct val *v = val_get(val_get(s->config, "theme_variables"),
	    name);

	if (v == NULL && strcmp(name, "brand-colour") == 0)
		v = val_path(s->config, "brand.colour");
	if (v == NULL)
		v = val_get(val_get(man, "variables"), name);
	return v;
}

/*
 * Refuse colours that fail the contrast the theme declares for them
 * (theme.yaml "contrast"), naming the variable, the ratio and where the
 * colour is used.
 */
static void
check_contrast(const struct site *s, const struct val *man, struct diags *d)
{
	const struct val *rules = val_get(man, "contrast"), *r, *ag, *v;
	const char	*name, *col, *use, *min;
	unsigned	 c, bg;
	double		 ratio, need;
	size_t		 i, j;

	for (i = 0; rules != NULL && rules->kind == VAL_LIST &&
	    i < rules->n; i++) {
		r = rules->items[i];
		name = val_get_str(r, "variable");
		min = val_get_str(r, "ratio");
		need = min != NULL ? strtod(min, NULL) : 4.5;
		if (name == NULL ||
		    (v = variable(s, man, name)) == NULL ||
		    v->kind != VAL_STR)
			continue;
		if (!colour_parse(v->str, &c)) {
			if (v != val_path(s->config, "brand.colour"))
				diag_error(d, v->file, v->line, v->col,
				    "'%s' is not a colour: '%s' (write "
				    "#rrggbb)", name, v->str);
			continue;	/* brand.colour: reported already */
		}
		ag = val_get(r, "against");
		for (j = 0; ag != NULL && ag->kind == VAL_LIST && j < ag->n;
		    j++) {
			col = val_get_str(ag->items[j], "colour");
			use = val_get_str(ag->items[j], "use");
			if (col == NULL || !colour_parse(col, &bg))
				continue;
			ratio = colour_contrast(c, bg);
			if (ratio + 1e-9 >= need)
				continue;
			/* Round down: never claim a pass that is not one. */
			diag_error(d, v->file, v->line, v->col, "theme "
			    "variable '%s' (%s) has a contrast ratio of "
			    "%.2f:1 against %s, used for %s; WCAG 2.2 AA needs "
			    "at least %.1f:1 (choose a darker or lighter "
			    "colour)", name, v->str, floor(ratio * 100) / 100,
			    col, use != NULL ? use : "text", need);
		}
	}
}

int
assets_write(struct site *s, struct theme *t, struct out *out,
    struct val *globals, const char *cache, struct diags *d)
{
	const struct val *man = theme_manifest(t), *req, *v;
	const char	*entry, **required = NULL;
	struct style_opts so;
	struct buf	 css, pre, path;
	struct val	*assets;
	char		*data;
	size_t		 i, n, len;
	int		 rc = -1;

	buf_init(&css);
	buf_init(&pre);
	buf_init(&path);
	check_contrast(s, man, d);
	/* Stylesheet: theme defaults, then the site's variables. */
	prelude_vars(&pre, val_get(man, "variables"), d);
	v = val_path(s->config, "brand.colour");
	if (v != NULL && v->kind == VAL_STR)
		buf_printf(&pre, "$brand-colour: %s;\n", v->str);
	prelude_vars(&pre, val_get(s->config, "theme_variables"), d);
	entry = val_get_str(man, "stylesheet");
	req = val_get(man, "required_selectors");
	n = req != NULL && req->kind == VAL_LIST ? req->n : 0;
	required = xcalloc(n + 1, sizeof(*required));
	for (i = 0; i < n; i++)
		required[i] = req->items[i]->str;
	if (entry != NULL) {
		buf_printf(&path, "%s/%s", theme_dir(t), entry);
		memset(&so, 0, sizeof(so));
		so.entry = path.data;
		so.entry_shown = arena_printf(s->arena, "themes/%s/%s",
		    s->theme, entry);
		so.prelude = pre.data;
		so.include_paths = theme_include_paths(t);
		so.required = required;
		so.site_read = theme_read_asset;
		so.site_dir = "assets";
		so.ctx = t;
		so.compressed = 1;
		so.cache = cache;
		if (style_compile(&so, &css, d) == -1)
			goto out;
	}
	assets = val_map(s->arena);
	if (css.len > 0) {
		const char *name = arena_printf(s->arena,
		    "assets/main.%016llx.css", (unsigned long long)
		    text_hash(css.data, css.len));

		val_set(s->arena, assets, "css", val_str(s->arena,
		    arena_printf(s->arena, "%s%s", s->base_path, name)));
		if (out != NULL && out_write(out, name, css.data,
		    css.len, d) == -1)
			goto out;
	}
	val_set(s->arena, globals, "assets", assets);
	for (i = 0; i < theme_static_count(t); i++) {
		const char *name = theme_static_path(t, i);
		size_t	    nl = strlen(name);

		if ((data = theme_static_read(t, i, &len, d)) == NULL)
			goto out;
		buf_reset(&path);
		if (nl > 3 && strcmp(name + nl - 3, ".js") == 0 &&
		    strchr(name, '/') == NULL) {
			/* Scripts get content-hashed names, like the CSS. */
			buf_printf(&path, "assets/%.*s.%016llx.js",
			    (int)(nl - 3), name, (unsigned long long)
			    text_hash(data, len));
			val_set(s->arena, assets, arena_strndup(s->arena, name,
			    nl - 3), val_str(s->arena, arena_printf(s->arena,
			    "%s%s", s->base_path, path.data)));
		} else
			buf_printf(&path, "assets/%s", name);
		if (out == NULL) {
			free(data);
			continue;
		}
		if (out_write(out, path.data, data, len, d) == -1) {
			free(data);
			goto out;
		}
		free(data);
	}
	rc = 0;
out:
	free(required);
	buf_free(&css);
	buf_free(&pre);
	buf_free(&path);
	return rc;
}

