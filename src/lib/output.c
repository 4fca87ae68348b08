/*
 * output.c: every program prints through here, as JSON Lines, RFC 4180
 * CSV or an aligned table (mash(7)).  A row is a cJSON object; columns
 * pick what CSV and tables show of it.
 */
#include <sys/ioctl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libmash.h"

#define CELL_MAX	60	/* display columns of a table cell */
#define CELL_LEAST	10	/* the narrowest a column is made to fit */

struct mash_out {
	enum mash_format	 format;
	int			 raw;
	const struct mash_col	*cols;
	size_t			 ncols;
	size_t			 ncells;	/* a table row's: none wide */
	int			 has_child;
	int			 started;
	FILE			*f;	/* JSON and CSV rows: stdout */
	char		      ***rows;	/* tables: kept until the end */
	size_t			 nrows, caprows;
	char			*js;	/* JSON rows: each printed here */
	size_t			 jscap;
};

/* how a table's columns are laid out: their widths, and which show */
struct layout {
	size_t	*w;
	int	*fixed;		/* a time or a code: never cut */
	int	*extra;		/* left out first when too wide */
	int	*empty;		/* nothing in any row */
	int	*hide;
	size_t	 n;
};

int
mash_format_parse(const char *s, enum mash_format *f)
{
	if (strcmp(s, "json") == 0)
		*f = MASH_FORMAT_JSON;
	else if (strcmp(s, "csv") == 0)
		*f = MASH_FORMAT_CSV;
	else if (strcmp(s, "table") == 0)
		*f = MASH_FORMAT_TABLE;
	else
		return -1;
	return 0;
}

enum mash_format
mash_format_resolve(enum mash_format f)
{
	if (f == MASH_FORMAT_DEFAULT)
		f = isatty(STDOUT_FILENO) ? MASH_FORMAT_TABLE : MASH_FORMAT_JSON;
	return f;
}

struct mash_out *
mash_out_new(enum mash_format f, int raw, const struct mash_col *cols)
{
	struct mash_out *o;

	o = mash_xmalloc(sizeof(*o));
	memset(o, 0, sizeof(*o));
	o->format = mash_format_resolve(f);
	o->raw = raw;
	o->cols = cols;
	o->f = stdout;
	while (cols[o->ncols].key != NULL) {
		if (cols[o->ncols].flags & MASH_COL_CHILD)
			o->has_child = 1;
		if (!(cols[o->ncols].flags & MASH_COL_WIDE))
			o->ncells++;
		o->ncols++;
	}
	return o;
}

/* append to a growing string */
static void
put(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = mash_xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static void
put_scalar(char **buf, size_t *len, size_t *cap, const cJSON *v)
{
	char num[32];

	if (cJSON_IsString(v))
		put(buf, len, cap, v->valuestring, strlen(v->valuestring));
	else if (cJSON_IsNumber(v)) {
		if (v->valuedouble == (double)(int64_t)v->valuedouble)
			snprintf(num, sizeof(num), "%lld",
			    (long long)v->valuedouble);
		else
			snprintf(num, sizeof(num), "%g", v->valuedouble);
		put(buf, len, cap, num, strlen(num));
	} else if (cJSON_IsBool(v))
		put(buf, len, cap, cJSON_IsTrue(v) ? "true" : "false",
		    cJSON_IsTrue(v) ? 4 : 5);
}

/* a value as text: arrays joined with sep */
static char *
joined(const cJSON *v, const char *sep)
{
	const cJSON *e;
	char *buf = NULL, *js;
	size_t len = 0, cap = 0;

	put(&buf, &len, &cap, "", 0);
	if (v == NULL || cJSON_IsNull(v))
		return buf;
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(e, v) {
			if (e != v->child)
				put(&buf, &len, &cap, sep, strlen(sep));
			put_scalar(&buf, &len, &cap, e);
		}
	} else if (cJSON_IsObject(v)) {
		js = mash_json_print(v);
		put(&buf, &len, &cap, js, strlen(js));
		free(js);
	} else
		put_scalar(&buf, &len, &cap, v);
	return buf;
}

/* a value as the text of a cell: arrays joined with ';' */
static char *
cell(const cJSON *v)
{
	return joined(v, ";");
}

static const cJSON *
col_value(const struct mash_col *c, const char *key, const cJSON *obj,
    const cJSON *child)
{
	if (c->flags & MASH_COL_CHILD)
		return child ? cJSON_GetObjectItemCaseSensitive(child, key) :
		    NULL;
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/*
 * The text of a column, *value set to its value when it has one key;
 * the values of several keys are joined by a space, those that are
 * empty left out, as a name of given and family names.
 */
static char *
col_text(const struct mash_col *c, const cJSON *obj, const cJSON *child,
    const cJSON **value)
{
	char key[64], *buf = NULL, *v;
	const char *p;
	size_t len = 0, cap = 0, n;

	*value = NULL;
	if (strchr(c->key, ' ') == NULL) {
		*value = col_value(c, c->key, obj, child);
		return cell(*value);
	}
	put(&buf, &len, &cap, "", 0);
	for (p = c->key; *p != '\0'; p += n + (p[n] == ' ')) {
		n = strcspn(p, " ");
		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		v = cell(col_value(c, key, obj, child));
		if (*v != '\0' && len > 0)
			put(&buf, &len, &cap, " ", 1);
		put(&buf, &len, &cap, v, strlen(v));
		free(v);
	}
	return buf;
}

static void
csv_field(FILE *f, const char *s, int formula_safe)
{
	const char *p;

	int guard = formula_safe && *s != '\0' && strchr("=+-@\t\r", *s);

	/* the guard goes inside the quotes, so the field reads back whole */
	if (strpbrk(s, ",\"\r\n") == NULL) {
		if (guard)
			putc('\'', f);
		fputs(s, f);
		return;
	}
	putc('"', f);
	if (guard)
		putc('\'', f);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			putc('"', f);
		putc(*p, f);
	}
	putc('"', f);
}

static void
csv_header(struct mash_out *o)
{
	size_t i;

	for (i = 0; i < o->ncols; i++) {
		if (i > 0)
			putc(',', o->f);
		csv_field(o->f, o->cols[i].head ? o->cols[i].head :
		    o->cols[i].key, 0);
	}
	fputs("\r\n", o->f);
}

static void
csv_row(struct mash_out *o, const cJSON *obj, const cJSON *child)
{
	const cJSON *v;
	char *s;
	size_t i;

	for (i = 0; i < o->ncols; i++) {
		if (i > 0)
			putc(',', o->f);
		s = col_text(&o->cols[i], obj, child, &v);
		/* only text can be a formula; numbers keep their sign */
		csv_field(o->f, s, !o->raw && (v == NULL || cJSON_IsString(v)));
		free(s);
	}
	fputs("\r\n", o->f);
}

/* the number of characters, not bytes, of UTF-8 text */
static size_t
width(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* cut a cell to CELL_MAX characters, on a character boundary */
static void
shorten(char *s)
{
	size_t n = 0;
	char *p;

	for (p = s; *p != '\0'; p++)
		if (((unsigned char)*p & 0xc0) != 0x80 && ++n > CELL_MAX - 3) {
			strcpy(p, "...");
			return;
		}
}

/* "1d 12h", "3h 5m", "55m": a span of seconds as people say it */
static void
span(int64_t n, char *buf, size_t len)
{
	int64_t d = n / 86400, h = n % 86400 / 3600, m = n % 3600 / 60;

	if (d > 0)
		snprintf(buf, len, h ? "%lldd %lldh" : "%lldd", (long long)d,
		    (long long)h);
	else if (h > 0)
		snprintf(buf, len, m ? "%lldh %lldm" : "%lldh", (long long)h,
		    (long long)m);
	else if (m > 0)
		snprintf(buf, len, "%lldm", (long long)m);
	else
		snprintf(buf, len, "under a minute");
}

/* seconds past a deadline: "55m late", or "due in 1d 12h" */
static char *
lateness(const cJSON *v)
{
	char buf[48], *s;
	int64_t n;

	if (!cJSON_IsNumber(v))
		return cell(v);
	n = (int64_t)v->valuedouble;
	span(n < 0 ? -n : n, buf, sizeof(buf));
	s = mash_xmalloc(strlen(buf) + 8);
	if (n < 0)
		sprintf(s, "due in %s", buf);
	else
		sprintf(s, "%s late", buf);
	return s;
}

/* a value as people read it: local time, lateness in words, a mark */
static char *
readable(const struct mash_col *c, char *s, const cJSON *v)
{
	mash_time t;

	if (c->flags & MASH_COL_LATE) {
		free(s);
		s = lateness(v);
	} else if (c->flags & MASH_COL_MARK) {
		free(s);
		s = mash_xstrdup(cJSON_IsTrue(v) ? "yes" : "");
	}
	if ((c->flags & MASH_COL_TIME) && *s != '\0' &&
	    mash_time_parse(s, &t) == 0) {
		s = mash_xrealloc(s, 32);
		mash_time_local(t, s, 32);
	}
	mash_sanitise(s);
	return s;
}

static char *
table_cell(const struct mash_col *c, const cJSON *obj, const cJSON *child)
{
	const cJSON *v;
	char *s;

	s = col_text(c, obj, child, &v);
	s = readable(c, s, v);
	if (width(s) > CELL_MAX)
		shorten(s);
	return s;
}

static void
table_keep(struct mash_out *o, const cJSON *obj, const cJSON *child)
{
	char **row;
	size_t i, j;

	if (o->nrows == o->caprows) {
		o->caprows = o->caprows ? o->caprows * 2 : 16;
		o->rows = mash_xrealloc(o->rows, o->caprows * sizeof(*o->rows));
	}
	row = mash_xmalloc(o->ncols * sizeof(*row));
	for (i = j = 0; i < o->ncols; i++)
		if (!(o->cols[i].flags & MASH_COL_WIDE))
			row[j++] = table_cell(&o->cols[i], obj, child);
	o->rows[o->nrows++] = row;
}

int
mash_out_row(struct mash_out *o, const cJSON *obj)
{
	const cJSON *children, *c;
	size_t n;

	switch (o->format) {
	case MASH_FORMAT_CSV:
		if (!o->started++)
			csv_header(o);
		break;
	case MASH_FORMAT_TABLE:
		break;
	default:
		n = mash_json_print_to(obj, &o->js, &o->jscap);
		o->js[n] = '\n';
		fwrite(o->js, 1, n + 1, o->f);
		return ferror(o->f) ? MASH_EIO : MASH_OK;
	}
	children = cJSON_GetObjectItemCaseSensitive(obj, "children");
	if (o->has_child && cJSON_GetArraySize(children) > 0) {
		cJSON_ArrayForEach(c, children) {
			if (o->format == MASH_FORMAT_CSV)
				csv_row(o, obj, c);
			else
				table_keep(o, obj, c);
		}
	} else if (o->format == MASH_FORMAT_CSV)
		csv_row(o, obj, NULL);
	else
		table_keep(o, obj, NULL);
	return ferror(o->f) ? MASH_EIO : MASH_OK;
}

void
mash_out_to(struct mash_out *o, FILE *f)
{
	o->f = f;
}

/* the bytes of the first n characters of UTF-8 text */
static size_t
prefix(const char *s, size_t n)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (((unsigned char)*p & 0xc0) != 0x80 && n-- == 0)
			break;
	return p - s;
}

/* one line of a table, padded by characters, without trailing blanks;
 * a cell wider than its column is cut, and the cut marked */
static void
table_line(char **cells, const struct layout *l)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, j, k, last = 0;

	for (j = 0; j < l->n; j++)
		if (!l->hide[j])
			last = j;
	put(&buf, &len, &cap, "", 0);
	for (j = 0; j < l->n; j++) {
		if (l->hide[j])
			continue;
		if (len > 0)
			put(&buf, &len, &cap, "  ", 2);
		if ((k = width(cells[j])) > l->w[j]) {
			put(&buf, &len, &cap, cells[j], prefix(cells[j],
			    l->w[j] - 1));
			put(&buf, &len, &cap, "\u2026", strlen("\u2026"));
			k = l->w[j];
		} else
			put(&buf, &len, &cap, cells[j], strlen(cells[j]));
		for (; j < last && k < l->w[j]; k++)
			put(&buf, &len, &cap, " ", 1);
	}
	while (len > 0 && buf[len - 1] == ' ')
		buf[--len] = '\0';
	puts(buf);
	free(buf);
}

/*
 * The width a table must fit: COLUMNS, else the terminal's, else none
 * (0), so that a table sent to a file is whole.
 */
static size_t
screen_width(void)
{
	struct winsize ws;
	const char *c;
	long n;

	if ((c = getenv("COLUMNS")) != NULL && (n = atol(c)) > 0)
		return (size_t)n;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) ==
	    0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

/* the display columns of a UTF-8 word of n bytes: one per character */
static size_t
columns(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/*
 * One paragraph of a line of text, from column indent of the screen,
 * which the caller has reached: its words filled to the width, each
 * further line indented to that column; a word longer than a line has
 * a line of its own.
 */
static void
wrap(const char *s, size_t n, size_t indent, size_t width)
{
	size_t at = indent, w, k;

	while (n > 0) {
		k = strcspn(s, " ");
		if (k > n)
			k = n;
		w = columns(s, k);
		if (at > indent && width > 0 && at + 1 + w > width) {
			printf("\n%*s", (int)indent, "");
			at = indent;
		} else if (at > indent) {
			putchar(' ');
			at++;
		}
		fwrite(s, 1, k, stdout);
		at += w;
		s += k;
		n -= k;
		while (n > 0 && *s == ' ')
			s++, n--;
	}
	putchar('\n');
}

/*
 * Text as lines of paragraphs, each filled from column indent; the
 * first line starts where the caller is, the others after the indent.
 */
static void
wrap_text(const char *text, size_t indent, size_t width)
{
	const char *p;
	char *line, *q;
	size_t n;

	for (p = text; ; p += n + 1) {
		n = strcspn(p, "\n");
		line = mash_xmalloc(n + 1);
		memcpy(line, p, n);
		line[n] = '\0';
		/* as a table cell is: no control reaches the terminal */
		for (q = line; *q != '\0'; q++)
			if (*q == '\t' || *q == '\r')
				*q = ' ';
		mash_sanitise(line);
		if (p != text)
			printf("%*s", (int)indent, "");
		wrap(line, strlen(line), indent, width);
		free(line);
		if (p[n] == '\0')
			break;
	}
}

int
mash_out_text(const char *label, const char *text)
{
	if (text == NULL || *text == '\0')
		return MASH_OK;
	printf("\n%s:\n  ", label);
	wrap_text(text, 2, screen_width());
	return ferror(stdout) ? MASH_EIO : MASH_OK;
}

/* a field's value as a record shows it: arrays as a list, never cut */
static char *
field_text(const struct mash_col *c, const cJSON *obj)
{
	const cJSON *v;
	char *s;

	if (strchr(c->key, ' ') != NULL)
		return col_text(c, obj, NULL, &v);
	v = cJSON_GetObjectItemCaseSensitive(obj, c->key);
	s = joined(v, ", ");
	return (c->flags & (MASH_COL_TIME | MASH_COL_LATE | MASH_COL_MARK)) ?
	    readable(c, s, v) : s;
}

int
mash_out_fields(const cJSON *obj, const struct mash_col *cols, int indent)
{
	const char *head;
	size_t i, n, w = 0, wide = screen_width();
	char **text;

	for (n = 0; cols[n].key != NULL; n++)
		;
	text = mash_xmalloc((n + 1) * sizeof(*text));
	/* the headers of the fields shown are as wide as the widest */
	for (i = 0; i < n; i++) {
		text[i] = cols[i].flags & MASH_COL_WIDE ? NULL :
		    field_text(&cols[i], obj);
		head = cols[i].head ? cols[i].head : cols[i].key;
		if (text[i] != NULL && *text[i] != '\0' && width(head) > w)
			w = width(head);
	}
	for (i = 0; i < n; i++) {
		head = cols[i].head ? cols[i].head : cols[i].key;
		if (text[i] != NULL && *text[i] != '\0') {
			printf("%*s%s%*s", indent, "", head,
			    (int)(w + 2 - width(head)), "");
			wrap_text(text[i], indent + w + 2, wide);
		}
		free(text[i]);
	}
	free(text);
	return ferror(stdout) ? MASH_EIO : MASH_OK;
}

static size_t
layout_width(const struct layout *l)
{
	size_t j, total = 0, shown = 0;

	for (j = 0; j < l->n; j++)
		if (!l->hide[j])
			total += l->w[j] + (shown++ > 0 ? 2 : 0);
	return total;
}

/* leave out the last extra column shown; 0 when there is none */
static int
drop_extra(struct layout *l)
{
	size_t j;

	for (j = l->n; j-- > 0; )
		if (l->extra[j] && !l->hide[j])
			return l->hide[j] = 1;
	return 0;
}

/*
 * Fit the table to the screen: first leave out the columns with nothing
 * in them, then the extra ones, last first, then narrow the widest
 * columns of text one character at a time.  Times and the codes marked
 * whole are never cut, nor a column narrowed below CELL_LEAST, so that
 * ids, dates and codes stay whole; a table that still does not fit runs
 * on.
 */
static void
table_fit(struct layout *l)
{
	size_t limit = screen_width(), total, j, widest, least;

	if (limit == 0 || (total = layout_width(l)) <= limit)
		return;
	for (j = 0; j < l->n; j++)
		l->hide[j] |= l->empty[j];
	while (layout_width(l) > limit && drop_extra(l))
		;
	for (total = layout_width(l); total > limit; total--) {
		widest = l->n;
		for (j = 0; j < l->n; j++) {
			least = l->w[j] < CELL_LEAST ? l->w[j] : CELL_LEAST;
			if (!l->hide[j] && !l->fixed[j] && l->w[j] > least &&
			    (widest == l->n || l->w[j] > l->w[widest]))
				widest = j;
		}
		if (widest == l->n)
			break;
		l->w[widest]--;
	}
}

static void
layout_init(struct layout *l, struct mash_out *o, char **head)
{
	size_t i, j;
	int f;

	l->w = mash_xmalloc(o->ncols * sizeof(*l->w));
	l->fixed = mash_xmalloc(o->ncols * sizeof(*l->fixed));
	l->extra = mash_xmalloc(o->ncols * sizeof(*l->extra));
	l->empty = mash_xmalloc(o->ncols * sizeof(*l->empty));
	l->hide = mash_xmalloc(o->ncols * sizeof(*l->hide));
	l->n = 0;
	for (i = 0; i < o->ncols; i++)
		if (!((f = o->cols[i].flags) & MASH_COL_WIDE)) {
			j = l->n++;
			head[j] = (char *)(o->cols[i].head ? o->cols[i].head :
			    o->cols[i].key);
			l->w[j] = width(head[j]);
			l->fixed[j] = (f & (MASH_COL_TIME | MASH_COL_LATE |
			    MASH_COL_WHOLE)) != 0;
			l->extra[j] = (f & MASH_COL_EXTRA) != 0;
			l->empty[j] = 1;
			l->hide[j] = (f & MASH_COL_SPARSE) != 0;
		}
	for (i = 0; i < o->nrows; i++)
		for (j = 0; j < l->n; j++) {
			if (width(o->rows[i][j]) > l->w[j])
				l->w[j] = width(o->rows[i][j]);
			if (o->rows[i][j][0] != '\0')
				l->empty[j] = l->hide[j] = 0;
		}
}

static void
table_print(struct mash_out *o)
{
	struct layout l;
	size_t i, j;
	char **head;

	head = mash_xmalloc(o->ncols * sizeof(*head));
	layout_init(&l, o, head);
	table_fit(&l);
	table_line(head, &l);
	for (i = 0; i < o->nrows; i++) {
		table_line(o->rows[i], &l);
		for (j = 0; j < l.n; j++)
			free(o->rows[i][j]);
		free(o->rows[i]);
	}
	free(l.w);
	free(l.fixed);
	free(l.extra);
	free(l.empty);
	free(l.hide);
	free(head);
}

void
mash_out_continue(struct mash_out *o)
{
	o->started = 1;
}

int
mash_out_rows(struct mash_out *o, const cJSON *rows)
{
	const cJSON *r;
	int rc = MASH_OK;

	cJSON_ArrayForEach(r, rows)
		if ((rc = mash_out_row(o, r)) != MASH_OK)
			break;
	return rc;
}

int
mash_out_header(struct mash_out *o)
{
	if (o->format == MASH_FORMAT_CSV && !o->started++)
		csv_header(o);
	return ferror(o->f) ? MASH_EIO : MASH_OK;
}

void
mash_out_drop(struct mash_out *o)
{
	size_t i, j;

	if (o == NULL)
		return;
	for (i = 0; i < o->nrows; i++) {
		for (j = 0; j < o->ncells; j++)
			free(o->rows[i][j]);
		free(o->rows[i]);
	}
	o->nrows = 0;
	mash_out_end(o);
}

int
mash_out_end(struct mash_out *o)
{
	int rc;

	if (o == NULL)
		return MASH_OK;
	if (o->format == MASH_FORMAT_TABLE && o->nrows > 0)
		table_print(o);
	rc = ferror(stdout) ? MASH_EIO : MASH_OK;
	free(o->rows);
	free(o->js);
	free(o);
	return rc;
}
