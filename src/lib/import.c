/*
 * import.c: referrals from CSV (mash-import(5)).
 *
 * libcsv parses; this file feeds it one physical line at a time, so
 * that the line each row starts on is known, and keeps the bytes of
 * the row being read, so that a rejected row goes out as it came.
 * Nothing grows with the file: one row is held at a time, each good
 * row goes into one open transaction as it is read, and the store
 * itself tells a later row of a household (rows sharing a reference)
 * which case it joins.  Any bad row, and the transaction is rolled
 * back: all or nothing.
 *
 * With --reject, a household goes in whole or is rejected whole: a
 * corrected row of it would otherwise find its case already present
 * and be skipped, and that child would be lost.  So when a pass
 * rejects a row, the transaction is rolled back and the file read
 * again, setting aside every row whose reference had a rejected row.
 * Only the rejected rows and references are remembered between
 * passes, as 64-bit hashes.
 */
#include <csv.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libmash.h"

#define CHUNK		65536		/* bytes read at a time */
#define ROW_MAX		(4 * 1024 * 1024)	/* a 1 MiB concern, quoted */
#define COLS_MAX	512
#define ECHO_MAX	40		/* characters of a value in a message */
#define ECHO_SIZE	(ECHO_MAX * 4 + 4)
#define ERRS_MAX	1024		/* a row's errors in the reject file */
#define MAP_MAX		256
#define MAP_LINE_MAX	1024
#define CSV_OPTS	(CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)

static const char BAD_QUOTES[] = "quotes are not well formed";
static const char OPEN_QUOTE[] = "a quoted field is still open at the end "
    "of the file";

struct col {
	char		*head;		/* the name, white space squeezed */
	char		*show;		/* the same, fit for a message */
	char		*field;		/* the field it fills; NULL: ignored */
	int		 nameless;	/* no name: must stay empty */
};

/* a column's name, or with field set, one of its values */
struct mapping {
	char		*ours;
	char		*theirs;
	char		*field;		/* a value map: the field, else NULL */
};

/* non-zero 64-bit keys, open addressing */
struct set {
	uint64_t	*v;
	size_t		 n, cap;
};

struct row {
	char		*raw;		/* its bytes as read */
	size_t		 rawlen, rawcap;
	char		*val;		/* its fields, each NUL-terminated */
	size_t		 vallen, valcap;
	size_t		 off[COLS_MAX];
	size_t		 len[COLS_MAX];
	size_t		 nf;		/* fields read, even past COLS_MAX */
	int		 ended;		/* libcsv has submitted it */
	unsigned long	 line;		/* the physical line it starts on */
};

struct imp {
	struct mash		*m;
	const struct mash_import *opt;
	const char		*name;		/* the file, for messages */
	FILE			*in;		/* what is read */
	FILE			*file;		/* what was opened */
	FILE			*spool;		/* a pipe, kept for pass two */
	off_t			 start;		/* where a seekable file began */
	char			*buf;
	struct csv_parser	 csv;
	struct row		 row;
	unsigned long		 line;		/* the physical line being read */
	int			 skipping;	/* to the end of a bad line */
	int			 cr;		/* the last piece ended in CR */
	int			 bom;
	struct mapping		*map;
	size_t			 nmap;
	int			 values;	/* the map translates values */
	struct col		*cols;
	size_t			 ncols;
	size_t			 ref;		/* the column of the reference */
	long			 errcol;	/* an error column, or -1 */
	int			 delim;		/* 0 until the header is read */
	int			 has_header;
	char			*header;	/* as it came, for the reject */
	size_t			 headerlen;
	int			 crlf;
	int			 rejecting;	/* --reject: keep the good rows */
	FILE			*rej;
	char			*rejtmp;
	struct set		 badkeys;	/* references with a bad row */
	struct set		 badrows;	/* rows rejected, by number */
	uint64_t		 rowno;
	uint64_t		 key;		/* this row's reference, hashed */
	int64_t			 first_new;	/* the first case of this pass */
	int64_t			 first_update;	/* its first update */
	unsigned long		 cases, children, present, updated, bad;
	char			 errs[ERRS_MAX];
	size_t			 errslen;
	int			 nerr;
};

static int	row_error(struct imp *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	on_field(void *, size_t, void *);

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static int
set_has(const struct set *s, uint64_t k)
{
	size_t i;

	if (s->cap == 0)
		return 0;
	for (i = mix(k) & (s->cap - 1); s->v[i] != 0; i = (i + 1) &
	    (s->cap - 1))
		if (s->v[i] == k)
			return 1;
	return 0;
}

static void
set_put(struct set *s, uint64_t k)
{
	size_t i;

	for (i = mix(k) & (s->cap - 1); s->v[i] != 0 && s->v[i] != k;
	    i = (i + 1) & (s->cap - 1))
		;
	if (s->v[i] == 0)
		s->n++;
	s->v[i] = k;
}

/* add a key; kept at most half full */
static void
set_add(struct set *s, uint64_t k)
{
	struct set old = *s;
	size_t i;

	if (set_has(s, k))
		return;
	if (2 * (s->n + 1) > s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = mash_xmalloc(s->cap * sizeof(*s->v));
		memset(s->v, 0, s->cap * sizeof(*s->v));
		s->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.v[i] != 0)
				set_put(s, old.v[i]);
		free(old.v);
	}
	set_put(s, k);
}

/* FNV-1a; never 0, which marks a free slot */
static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h ? h : 1;
}

/*
 * Marks that reorder or hide text on a terminal: bidirectional
 * controls, line and paragraph separators.
 */
static int
hidden(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
	    (c >= 0x200e && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069);
}

/*
 * A value fit to quote in a message: ECHO_MAX characters at most,
 * control characters and bytes that are not UTF-8 shown as '?'.
 */
static const char *
echo(const char *v, char out[ECHO_SIZE])
{
	size_t i = 0, k, chars;
	uint32_t c;

	for (chars = 0; *v != '\0' && chars < ECHO_MAX; chars++) {
		if ((k = mash_utf8_decode(v, &c)) == 0 || hidden(c)) {
			out[i++] = '?';
			v += k ? k : 1;
		} else {
			memcpy(out + i, v, k);
			i += k;
			v += k;
		}
	}
	if (*v != '\0') {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

static char *
trim(char *s)
{
	char *e;

	s += strspn(s, " \t\r\n");
	for (e = s + strlen(s); e > s && strchr(" \t\r\n", e[-1]) != NULL; e--)
		;
	*e = '\0';
	return s;
}

/* runs of white space as one space, none at either end; in place */
static char *
squeeze(char *s)
{
	char *p, *d;

	s = trim(s);
	for (p = d = s; *p != '\0'; p++)
		if (*p != ' ' && *p != '\t')
			*d++ = *p;
		else if (d[-1] != ' ')
			*d++ = ' ';
	*d = '\0';
	return s;
}

/* a column this importer fills: mash-import(5)'s, or a whole child_name */
static int
known(const char *f)
{
	return mash_referral_field(f) || strcmp(f, "child_name") == 0;
}

static char *
lower(const char *s)
{
	char *l, *p;

	l = mash_xstrdup(s);
	for (p = l; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return l;
}

static void
map_add(struct imp *im, char *ours, const char *theirs, char *field)
{
	im->map = mash_xrealloc(im->map, (im->nmap + 1) * sizeof(*im->map));
	im->map[im->nmap].ours = ours;
	im->map[im->nmap].field = field;
	im->map[im->nmap++].theirs = mash_xstrdup(theirs);
}

/* "column: Theirs=ours": a value of theirs read as ours */
static int
value_line(struct imp *im, unsigned long ln, char *line, char *colon,
    char *eq)
{
	const char *path = im->opt->map;
	char *field, *theirs, *ours, e[ECHO_SIZE];
	size_t i;

	*colon = *eq = '\0';
	field = lower(trim(line));
	theirs = trim(colon + 1);
	ours = trim(eq + 1);
	if (!known(field) || *theirs == '\0' || *ours == '\0') {
		mash_warn("%s:%lu: '%s' is not 'column: Theirs=ours' for a "
		    "column of mash-import(5)", path, ln, echo(field, e));
		free(field);
		return MASH_EDATA;
	}
	for (i = 0; i < im->nmap; i++)
		if (im->map[i].field != NULL &&
		    strcmp(im->map[i].field, field) == 0 &&
		    strcasecmp(im->map[i].theirs, theirs) == 0) {
			free(field);
			return mash_err(MASH_EDATA, "%s:%lu: '%s' is mapped "
			    "twice", path, ln, echo(theirs, e));
		}
	map_add(im, mash_xstrdup(ours), theirs, field);
	im->values = 1;
	return MASH_OK;
}

static int
map_line(struct imp *im, unsigned long ln, char *line)
{
	const char *path = im->opt->map;
	char *eq, *colon, *ours, *theirs, e[ECHO_SIZE];
	size_t i;

	if (ln == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
		line += 3;
	line = trim(line);
	if (*line == '\0' || *line == '#')
		return MASH_OK;
	if ((eq = strchr(line, '=')) == NULL)
		return mash_err(MASH_EDATA, "%s:%lu: '%s' is not "
		    "'ours=Theirs' or 'column: Theirs=ours'", path, ln,
		    echo(line, e));
	if (im->nmap == MAP_MAX)
		return mash_err(MASH_EDATA, "%s:%lu: more than %d names",
		    path, ln, MAP_MAX);
	/* our column names hold no ':' */
	if ((colon = memchr(line, ':', (size_t)(eq - line))) != NULL)
		return value_line(im, ln, line, colon, eq);
	*eq = '\0';
	ours = lower(trim(line));
	theirs = squeeze(eq + 1);
	if (!known(ours) || *theirs == '\0' ||
	    mash_check_name(theirs) != NULL) {
		if (!known(ours))
			mash_warn("%s:%lu: '%s' is not a column of "
			    "mash-import(5)", path, ln, echo(ours, e));
		else
			mash_warn("%s:%lu: '%s' is mapped to no name", path,
			    ln, ours);
		free(ours);
		return MASH_EDATA;
	}
	for (i = 0; i < im->nmap; i++)
		if (im->map[i].field == NULL &&
		    strcasecmp(im->map[i].theirs, theirs) == 0) {
			free(ours);
			return mash_err(MASH_EDATA, "%s:%lu: '%s' is mapped "
			    "twice", path, ln, echo(theirs, e));
		}
	map_add(im, ours, theirs, NULL);
	return MASH_OK;
}

/*
 * --map: "ours=Theirs" or "column: Theirs=ours" a line, '#' comments
 * and blank lines
 */
static int
load_map(struct imp *im)
{
	const char *path = im->opt->map;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long ln = 0;
	FILE *fp;
	int rc = MASH_OK;

	if (path == NULL)
		return MASH_OK;
	if ((fp = mash_user_fopen(path)) == NULL)
		return mash_err(MASH_ENOINPUT, "cannot open map '%s':", path);
	while (rc == MASH_OK && (n = getline(&line, &cap, fp)) != -1) {
		ln++;
		if (n > MAP_LINE_MAX || strlen(line) != (size_t)n)
			rc = mash_err(MASH_EDATA, "%s:%lu: not a line of text",
			    path, ln);
		else
			rc = map_line(im, ln, line);
	}
	if (rc == MASH_OK && ferror(fp))
		rc = mash_err(MASH_EIO, "cannot read map '%s':", path);
	free(line);
	fclose(fp);
	return rc;
}

/* the field a header name fills: the map's first, then our own */
static char *
column_field(const struct imp *im, const char *head)
{
	char *f;
	size_t i;

	for (i = 0; i < im->nmap; i++)
		if (im->map[i].field == NULL &&
		    strcasecmp(im->map[i].theirs, head) == 0)
			return mash_xstrdup(im->map[i].ours);
	f = lower(head);
	if (known(f))
		return f;
	free(f);
	return NULL;
}

static const char *
value(const struct imp *im, size_t i)
{
	return im->row.val + im->row.off[i];
}

static const struct col *
col_of(const struct imp *im, const char *field)
{
	size_t i;

	for (i = 0; i < im->ncols; i++)
		if (im->cols[i].field && strcmp(im->cols[i].field, field) == 0)
			return &im->cols[i];
	return NULL;
}

static int
valid_utf8(const char *s)
{
	uint32_t c;
	size_t k;

	for (; *s != '\0'; s += k)
		if ((k = mash_utf8_decode(s, &c)) == 0)
			return 0;
	return 1;
}

static int
header_col(struct imp *im, size_t i)
{
	struct col *c = &im->cols[i];
	char e[ECHO_SIZE];
	char *l;
	int ignored;

	l = mash_xstrdup(value(im, i));
	c->head = mash_xstrdup(squeeze(l));
	free(l);
	c->show = mash_xstrdup(echo(c->head, e));
	c->field = column_field(im, c->head);
	/* a spreadsheet's empty column past the last: ignored if empty */
	c->nameless = *c->head == '\0';
	l = lower(c->head);
	/* a reject file's own column, so that it imports once corrected */
	ignored = strcmp(l, "error") == 0;
	free(l);
	if (ignored && im->errcol < 0)
		im->errcol = (long)i;
	if (c->field != NULL || ignored || c->nameless ||
	    im->opt->ignore_unknown)
		return MASH_OK;
	return mash_err(MASH_EDATA, "%s:%lu: column '%s' is not a known "
	    "column", im->name, im->row.line, c->show);
}

static int
header_needs(struct imp *im)
{
	const char *why = NULL;

	if (col_of(im, "reference") == NULL)
		why = "column 'reference' is missing";
	else if (col_of(im, "concern") == NULL)
		why = "column 'concern' is missing";
	else if (col_of(im, "source") == NULL && im->opt->source == NULL)
		why = "column 'source' is missing: add it or give --source";
	else if (col_of(im, "child_given_name") == NULL &&
	    col_of(im, "child_family_name") == NULL &&
	    col_of(im, "child_name") == NULL)
		why = "no column names the child: add child_given_name or "
		    "child_family_name";
	if (why != NULL)
		return mash_err(MASH_EDATA, "%s:%lu: %s", im->name,
		    im->row.line, why);
	im->ref = col_of(im, "reference") - im->cols;
	return MASH_OK;
}

/* the raw bytes of the row, less its line end */
static size_t
raw_len(const struct row *w)
{
	size_t n = w->rawlen;

	if (n > 0 && w->raw[n - 1] == '\n')
		n--;
	if (n > 0 && w->raw[n - 1] == '\r')
		n--;
	return n;
}

static int
header(struct imp *im, const char *why)
{
	size_t i, j;
	int rc = MASH_OK;

	if (why != NULL)
		return mash_err(MASH_EDATA, "%s:%lu: header: %s", im->name,
		    im->row.line, why);
	if (im->row.nf > COLS_MAX)
		return mash_err(MASH_EDATA, "%s:%lu: more than %d columns",
		    im->name, im->row.line, COLS_MAX);
	for (i = 0; i < im->row.nf; i++)
		if (strlen(value(im, i)) != im->row.len[i] ||
		    !valid_utf8(value(im, i)))
			return mash_err(MASH_EDATA, "%s:%lu: the header is not "
			    "UTF-8 text", im->name, im->row.line);
	im->ncols = im->row.nf;
	im->cols = mash_xmalloc(im->ncols * sizeof(*im->cols));
	memset(im->cols, 0, im->ncols * sizeof(*im->cols));
	for (i = 0; i < im->ncols; i++)
		if (header_col(im, i) != MASH_OK)
			rc = MASH_EDATA;
	for (i = 0; i < im->ncols; i++)
		for (j = 0; j < i && im->cols[i].field != NULL; j++)
			if (im->cols[j].field != NULL &&
			    strcmp(im->cols[i].field, im->cols[j].field) == 0)
				rc = mash_err(MASH_EDATA, "%s:%lu: columns '%s' "
				    "and '%s' both fill '%s'", im->name,
				    im->row.line, im->cols[j].show,
				    im->cols[i].show, im->cols[i].field);
	if (rc == MASH_OK && (rc = header_needs(im)) == MASH_OK) {
		im->headerlen = raw_len(&im->row);
		im->header = mash_xmalloc(im->headerlen + 1);
		memcpy(im->header, im->row.raw, im->headerlen);
		im->crlf = im->row.raw[im->row.rawlen - 1] == '\r';
	}
	return rc;
}

/* report a bad row, and keep the error for the reject file */
static int
row_error(struct imp *im, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mash_warn("%s:%lu: %s", im->name, im->row.line, msg);
	n = snprintf(im->errs + im->errslen, sizeof(im->errs) - im->errslen,
	    "%s%s", im->nerr ? "; " : "", msg);
	if (n > 0)
		im->errslen += (size_t)n < sizeof(im->errs) - im->errslen ?
		    (size_t)n : sizeof(im->errs) - im->errslen - 1;
	return ++im->nerr;
}

static void
field_error(struct imp *im, size_t i, const char *v, const char *why)
{
	char e[ECHO_SIZE];

	row_error(im, "column '%s': '%s' %s", im->cols[i].show, echo(v, e),
	    why);
}

/*
 * Every field is text: no NUL byte, valid UTF-8.  A CRLF inside a
 * quoted field is the file's line end, stored as a newline.
 */
static void
check_bytes(struct imp *im)
{
	char *v, *s, *d;
	size_t i;

	for (i = 0; i < im->ncols; i++) {
		v = im->row.val + im->row.off[i];
		if (strlen(v) != im->row.len[i]) {
			/* shown as '?', like any control character */
			for (s = v; s < v + im->row.len[i]; s++)
				if (*s == '\0')
					*s = '?';
			field_error(im, i, v, "has a NUL byte");
		} else if (!valid_utf8(v))
			field_error(im, i, v, "is not valid UTF-8");
		else {
			for (s = d = v; *s != '\0'; s++)
				if (s[0] != '\r' || s[1] != '\n')
					*d++ = *s;
			*d = '\0';
		}
	}
}

/* a value as the map translates it ("child_gender: F=female") */
static const char *
translated(const struct imp *im, const struct col *c, const char *v)
{
	size_t i;

	for (i = 0; i < im->nmap; i++)
		if (im->map[i].field != NULL &&
		    strcmp(im->map[i].field, c->field) == 0 &&
		    strcasecmp(im->map[i].theirs, v) == 0)
			return im->map[i].ours;
	return v;
}

/* the row's fields through the one set of rules, mash_referral_set */
static void
fill(struct imp *im, struct mash_referral *r)
{
	const struct col *c;
	const char *why, *v;
	mash_time now = mash_clock(im->m);
	size_t i;

	for (i = 0; i < im->ncols; i++) {
		c = &im->cols[i];
		v = value(im, i);
		if (c->nameless && *v != '\0')
			row_error(im, "column %zu has no name in the header, "
			    "but a value", i + 1);
		if (c->field == NULL)
			continue;
		if (im->values && *v != '\0')
			v = translated(im, c, v);
		if ((why = mash_referral_set(r, c->field, v, now)) != NULL)
			field_error(im, i, value(im, i), why);
	}
	if (im->nerr > 0)
		return;
	if (*value(im, im->ref) == '\0')
		row_error(im, "column '%s' is empty", im->cols[im->ref].show);
	else if (r->source == NULL && im->opt->source != NULL &&
	    (why = mash_referral_set(r, "source", im->opt->source, now)) !=
	    NULL)
		row_error(im, "--source '%s' %s", im->opt->source, why);
	else if ((why = mash_referral_check(r)) != NULL)
		row_error(im, "%s", why);
}

/*
 * A later row of a household: its child joins the case.  The row must
 * agree with the case (the store says where it does not, fields), and
 * must not name the same child again (as the store's matching sees
 * it).  A bad row is rolled back with its transaction, or read again
 * without it.
 */
static int
sibling(struct imp *im, const struct mash_referral *r,
    const struct mash_intake *in)
{
	const struct col *col;
	char e[ECHO_SIZE];
	int rc, twice;

	echo(r->reference, e);
	if (in->fields[0] != '\0') {
		col = col_of(im, in->fields);
		row_error(im, "column '%s': differs from an earlier row with "
		    "reference '%s'", col ? col->show : in->fields, e);
		return MASH_OK;
	}
	if ((rc = mash_case_add_child(im->m, in->id, &r->children[0],
	    &twice)) != MASH_OK)
		return rc;
	if (twice)
		row_error(im, "the child is already in an earlier row with "
		    "reference '%s'", e);
	else
		im->children++;
	return MASH_OK;
}

/* what an update or a renewal did, for the log: ids and field names */
static void
resent(struct imp *im, const struct mash_intake *in)
{
	if (in->how == MASH_INTAKE_UPDATED)
		mash_warn("%s:%lu: case %lld updated: %s", im->name,
		    im->row.line, (long long)in->id, mash_intake_said(in));
	else
		mash_warn("%s:%lu: case %lld is closed: recorded as case %lld",
		    im->name, im->row.line, (long long)in->previous,
		    (long long)in->id);
}

static int
record(struct imp *im, const struct mash_referral *r)
{
	struct mash_intake in;
	const struct col *col;
	char e[ECHO_SIZE], *f;
	int rc;

	memset(&in, 0, sizeof(in));
	/* in one IMMEDIATE transaction, new ids are above all older ones */
	in.since_case = im->first_new;
	in.since_update = im->first_update;
	if ((rc = mash_case_create(im->m, r, &in)) != MASH_OK)
		return rc;
	switch (in.how) {
	case MASH_INTAKE_BATCH:
		return sibling(im, r, &in);
	case MASH_INTAKE_PRESENT:
		im->present++;
		return MASH_OK;
	case MASH_INTAKE_CONFLICT:
		f = in.fields;
		f[strcspn(f, ",")] = '\0';
		col = col_of(im, f);
		row_error(im, "column '%s': differs from an earlier row with "
		    "reference '%s'", col ? col->show : f,
		    echo(r->reference, e));
		return MASH_OK;
	case MASH_INTAKE_UPDATED:
		if (im->first_update == 0)
			im->first_update = in.update;
		im->updated++;
		resent(im, &in);
		return MASH_OK;
	case MASH_INTAKE_RENEWED:
		resent(im, &in);
		/* FALLTHROUGH */
	default:
		if (im->first_new == 0)
			im->first_new = in.id;
		im->cases++;
		im->children++;
		return MASH_OK;
	}
}

static int
reject_open(struct imp *im)
{
	const char *path = im->opt->reject;
	int fd;

	/* beside REJFILE, renamed to it once the store has committed */
	im->rejtmp = mash_xmalloc(strlen(path) + 8);
	snprintf(im->rejtmp, strlen(path) + 8, "%s.XXXXXX", path);
	if ((fd = mash_user_mkstemp(im->rejtmp)) == -1) {
		free(im->rejtmp);
		im->rejtmp = NULL;
		return mash_err(MASH_ECANTCREAT, "cannot create reject file "
		    "'%s':", path);
	}
	if ((im->rej = fdopen(fd, "w")) == NULL) {
		close(fd);
		return mash_err(MASH_ECANTCREAT, "cannot create reject file "
		    "'%s':", path);
	}
	if (im->bom)
		fputs("\xef\xbb\xbf", im->rej);
	fwrite(im->header, 1, im->headerlen, im->rej);
	/* a reject file rejected again keeps its one error column */
	if (im->errcol < 0) {
		putc(im->delim, im->rej);
		fputs("error", im->rej);
	}
	fputs(im->crlf ? "\r\n" : "\n", im->rej);
	return MASH_OK;
}

/*
 * Where field k of the raw row starts and ends, counting delimiters
 * outside quotes; 0 if the row has fewer fields.
 */
static int
raw_field(const struct imp *im, size_t k, size_t *start, size_t *end)
{
	size_t i, n = raw_len(&im->row), f = 0;
	int quoted = 0;

	*start = 0;
	for (i = 0; i < n; i++) {
		if (im->row.raw[i] == '"')
			quoted = !quoted;
		else if (!quoted && im->row.raw[i] == im->delim) {
			if (f == k) {
				*end = i;
				return 1;
			}
			if (++f == k)
				*start = i + 1;
		}
	}
	*end = n;
	return f == k;
}

/* the row as it came, and its errors in one more field */
static int
reject_write(struct imp *im)
{
	size_t start, end;
	int rc;

	if (im->opt->reject == NULL || im->opt->dry_run)
		return MASH_OK;
	if (im->rej == NULL && (rc = reject_open(im)) != MASH_OK)
		return rc;
	if (im->errcol >= 0 && raw_field(im, (size_t)im->errcol, &start,
	    &end)) {
		/* the row's own error field gives way to the new errors */
		fwrite(im->row.raw, 1, start, im->rej);
		csv_fwrite(im->rej, im->errs, im->errslen);
		fwrite(im->row.raw + end, 1, raw_len(&im->row) - end, im->rej);
	} else {
		fwrite(im->row.raw, 1, raw_len(&im->row), im->rej);
		putc(im->delim, im->rej);
		csv_fwrite(im->rej, im->errs, im->errslen);
	}
	fputs(im->crlf ? "\r\n" : "\n", im->rej);
	if (ferror(im->rej))
		return mash_err(MASH_EIO, "cannot write reject file '%s':",
		    im->rejtmp);
	return MASH_OK;
}

static int
row_bad(struct imp *im)
{
	im->bad++;
	if (!im->rejecting)
		return MASH_OK;
	set_add(&im->badrows, im->rowno);
	if (im->key != 0)
		set_add(&im->badkeys, im->key);
	return reject_write(im);
}

/* a row of the right shape and bytes: checked, then recorded */
static int
whole_row(struct imp *im)
{
	struct mash_referral r;
	char e[ECHO_SIZE];
	int rc = MASH_OK;

	mash_referral_init(&r);
	fill(im, &r);
	if (im->nerr == 0 && im->rejecting && set_has(&im->badkeys, im->key))
		row_error(im, "not imported: another row with reference '%s' "
		    "was rejected", echo(r.reference, e));
	else if (im->nerr == 0)
		rc = record(im, &r);
	mash_referral_free(&r);
	return rc;
}

/*
 * A row that stops before the header's nameless columns at its end
 * (a spreadsheet's empty columns) lacks only empty fields: add them.
 */
static int
nameless_tail(struct imp *im)
{
	size_t i;

	if (im->row.nf > im->ncols)
		return 0;
	for (i = im->row.nf; i < im->ncols; i++)
		if (!im->cols[i].nameless)
			return 0;
	while (im->row.nf < im->ncols)
		on_field("", 0, im);
	return 1;
}

static int
data_row(struct imp *im, const char *why)
{
	size_t nf = im->row.nf;
	int rc = MASH_OK;

	im->rowno++;
	im->nerr = 0;
	im->errslen = 0;
	im->errs[0] = '\0';
	if (im->rejecting && set_has(&im->badrows, im->rowno))
		return MASH_OK;		/* rejected by an earlier pass */
	im->key = nf > im->ref && *value(im, im->ref) != '\0' ?
	    hash(value(im, im->ref), im->row.len[im->ref]) : 0;
	if (why != NULL && nf < im->ncols)
		row_error(im, "column '%s': %s", im->cols[nf].show, why);
	else if (why != NULL)
		row_error(im, "after the last column: %s", why);
	else if (nf != im->ncols && !nameless_tail(im))
		row_error(im, "row has %zu field%s, not %zu as the header", nf,
		    nf == 1 ? "" : "s", im->ncols);
	else {
		check_bytes(im);
		if (im->nerr == 0)
			rc = whole_row(im);
	}
	if (rc == MASH_OK && im->nerr > 0)
		rc = row_bad(im);
	return rc;
}

static int
end_row(struct imp *im, const char *why)
{
	int rc;

	if (im->has_header)
		rc = data_row(im, why);
	else {
		rc = header(im, why);
		im->has_header = 1;
	}
	im->row.rawlen = im->row.vallen = im->row.nf = 0;
	im->row.ended = 0;
	return rc;
}

static void
on_field(void *s, size_t n, void *arg)
{
	struct imp *im = arg;
	struct row *w = &im->row;

	if (w->nf < COLS_MAX) {
		if (w->vallen + n + 1 > w->valcap) {
			w->valcap = 2 * (w->vallen + n + 1);
			w->val = mash_xrealloc(w->val, w->valcap);
		}
		if (n > 0)
			memcpy(w->val + w->vallen, s, n);
		w->val[w->vallen + n] = '\0';
		w->off[w->nf] = w->vallen;
		w->len[w->nf] = n;
		w->vallen += n + 1;
	}
	w->nf++;
}

static void
on_row(int c, void *arg)
{
	struct imp *im = arg;

	(void)c;
	im->row.ended = 1;
}

/* a line of white space, or after the header, of delimiters too */
static int
blank(const struct imp *im, const char *s, size_t n)
{
	for (; n > 0; n--, s++)
		if (*s == '\0' || (strchr(" \t\r\n", *s) == NULL &&
		    !(im->has_header && *s == im->delim)))
			return 0;
	return 1;
}

static void
csv_start(struct imp *im)
{
	if (csv_init(&im->csv, CSV_OPTS) != 0)
		mash_die(MASH_ESOFTWARE, "out of memory");
	if (im->delim != 0)
		csv_set_delim(&im->csv, (unsigned char)im->delim);
}

static void
csv_restart(struct imp *im)
{
	csv_free(&im->csv);
	csv_start(im);
}

/*
 * The delimiter of a file that does not say: the one of ',', ';' and
 * tab that the first line of the header holds most of, outside quotes.
 */
static int
delimiter(const char *s, size_t n)
{
	size_t comma = 0, semi = 0, tab = 0;
	int quoted = 0;

	for (; n > 0; n--, s++)
		if (*s == '"')
			quoted = !quoted;
		else if (!quoted) {
			comma += *s == ',';
			semi += *s == ';';
			tab += *s == '\t';
		}
	if (semi > comma && semi >= tab)
		return ';';
	return tab > comma ? '\t' : ',';
}

/*
 * One piece of a line: up to and including a CR or LF, so that a row
 * can only end at the end of a piece, and the row is then in raw.
 */
static int
feed(struct imp *im, const char *s, size_t n)
{
	struct row *w = &im->row;
	int nl = s[n - 1] == '\n', eol = nl || s[n - 1] == '\r';

	/* a CR not followed by LF ends a line too (old Mac files) */
	if (im->cr && s[0] != '\n')
		im->line++;
	im->cr = s[n - 1] == '\r';
	if (w->rawlen == 0 && im->delim == 0 && !blank(im, s, n)) {
		im->delim = im->opt->delimiter ? im->opt->delimiter :
		    delimiter(s, n);
		csv_set_delim(&im->csv, (unsigned char)im->delim);
	}
	if (w->rawlen == 0) {
		/* blank lines between rows: libcsv skips them too */
		if (blank(im, s, n)) {
			im->line += nl;
			return MASH_OK;
		}
		w->line = im->line;
	}
	if (w->rawlen + n > ROW_MAX)
		return mash_err(MASH_EDATA, "%s:%lu: row is longer than %d "
		    "bytes: is a quote left open?", im->name, w->line, ROW_MAX);
	if (w->rawlen + n > w->rawcap) {
		w->rawcap = 2 * (w->rawlen + n);
		w->raw = mash_xrealloc(w->raw, w->rawcap);
	}
	memcpy(w->raw + w->rawlen, s, n);
	w->rawlen += n;
	im->line += nl;
	if (im->skipping) {
		if (!eol)
			return MASH_OK;
		im->skipping = 0;
		return end_row(im, BAD_QUOTES);
	}
	if (csv_parse(&im->csv, s, n, on_field, on_row, im) != n) {
		if (csv_error(&im->csv) != CSV_EPARSE)
			mash_die(MASH_ESOFTWARE, "out of memory");
		/* take the rest of the line as the bad row's, and go on */
		csv_restart(im);
		if (!eol) {
			im->skipping = 1;
			return MASH_OK;
		}
		return end_row(im, BAD_QUOTES);
	}
	return w->ended ? end_row(im, NULL) : MASH_OK;
}

static int
at_end(struct imp *im)
{
	int rc = MASH_OK;

	if (im->skipping) {
		im->skipping = 0;
		rc = end_row(im, BAD_QUOTES);
	} else if (csv_fini(&im->csv, on_field, on_row, im) != 0) {
		csv_restart(im);
		rc = end_row(im, OPEN_QUOTE);
	} else if (im->row.ended)
		rc = end_row(im, NULL);
	if (rc == MASH_OK && !im->has_header)
		rc = mash_err(MASH_EDATA, "%s: the file is empty: a header row "
		    "is needed", im->name);
	return rc;
}

static int
read_all(struct imp *im)
{
	const char *b = im->buf;
	size_t n, i, j;
	int rc = MASH_OK, first = 1;

	while (rc == MASH_OK && (n = fread(im->buf, 1, CHUNK, im->in)) > 0) {
		if (im->spool != NULL && im->in != im->spool &&
		    fwrite(b, 1, n, im->spool) != n)
			return mash_err(MASH_EIO, "cannot keep %s for a second "
			    "pass:", im->name);
		i = 0;
		if (first && n >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0) {
			im->bom = 1;
			i = 3;
		}
		first = 0;
		for (; rc == MASH_OK && i < n; i = j) {
			for (j = i; j < n && b[j] != '\n' && b[j] != '\r'; j++)
				;
			rc = feed(im, b + i, (j < n ? j + 1 : n) - i);
			j += j < n;
		}
	}
	if (rc == MASH_OK && ferror(im->in))
		rc = mash_err(MASH_EIO, "cannot read %s:", im->name);
	return rc == MASH_OK ? at_end(im) : rc;
}

static void
pass_reset(struct imp *im)
{
	size_t i;

	for (i = 0; i < im->ncols; i++) {
		free(im->cols[i].head);
		free(im->cols[i].show);
		free(im->cols[i].field);
	}
	free(im->cols);
	free(im->header);
	im->cols = NULL;
	im->header = NULL;
	im->ncols = im->headerlen = 0;
	im->errcol = -1;
	im->has_header = im->skipping = im->bom = im->cr = 0;
	im->row.rawlen = im->row.vallen = im->row.nf = 0;
	im->row.ended = 0;
	im->line = 1;
	im->rowno = 0;
	im->first_new = im->first_update = 0;
	im->cases = im->children = im->present = im->updated = im->bad = 0;
}


static int
open_input(struct imp *im)
{
	const char *file = im->opt->file;
	struct stat sb, rb;

	if (strcmp(file, "-") == 0) {
		im->in = stdin;
		im->name = "standard input";
	} else if ((im->in = im->file = mash_user_fopen(file)) == NULL)
		return mash_err(MASH_ENOINPUT, "cannot open '%s':", file);
	else
		im->name = file;
	if (fstat(fileno(im->in), &sb) == -1)
		return mash_err(MASH_EIO, "cannot read %s:", im->name);
	if (S_ISDIR(sb.st_mode))
		return mash_err(MASH_ENOINPUT, "'%s' is a directory", file);
	/* renamed over the file being read, it would take its place */
	if (im->opt->reject != NULL && stat(im->opt->reject, &rb) == 0 &&
	    rb.st_dev == sb.st_dev && rb.st_ino == sb.st_ino)
		return mash_err(MASH_EUSAGE, "--reject '%s' is the file being "
		    "imported: name another", im->opt->reject);
	/* a pipe cannot be read twice: keep what it sends */
	if (im->rejecting && (!S_ISREG(sb.st_mode) ||
	    (im->start = ftello(im->in)) == -1) &&
	    (im->spool = tmpfile()) == NULL)
		return mash_err(MASH_ECANTCREAT, "cannot keep %s for a second "
		    "pass:", im->name);
	return MASH_OK;
}

static int
rewind_input(struct imp *im)
{
	if (im->spool != NULL) {
		if (fflush(im->spool) == EOF)
			return mash_err(MASH_EIO, "cannot keep %s for a second "
			    "pass:", im->name);
		im->in = im->spool;
	}
	if (fseeko(im->in, im->spool ? 0 : im->start, SEEK_SET) == -1)
		return mash_err(MASH_EIO, "cannot read %s again:", im->name);
	clearerr(im->in);
	return MASH_OK;
}

static int
audit(struct imp *im, unsigned long rejected)
{
	cJSON *d;
	int rc;

	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "file", im->name);
	cJSON_AddNumberToObject(d, "cases", (double)im->cases);
	cJSON_AddNumberToObject(d, "children", (double)im->children);
	cJSON_AddNumberToObject(d, "present", (double)im->present);
	cJSON_AddNumberToObject(d, "updated", (double)im->updated);
	cJSON_AddNumberToObject(d, "rejected", (double)rejected);
	if (im->opt->reject != NULL)
		cJSON_AddStringToObject(d, "reject", im->opt->reject);
	rc = mash_audit(im->m, "import", 0, d);
	cJSON_Delete(d);
	return rc;
}

static int
reject_close(struct imp *im)
{
	int rc = MASH_OK;

	if (im->rej == NULL)
		return MASH_OK;
	if (fflush(im->rej) == EOF || ferror(im->rej) ||
	    fsync(fileno(im->rej)) == -1)
		rc = mash_err(MASH_EIO, "cannot write reject file '%s':",
		    im->rejtmp);
	if (fclose(im->rej) == EOF && rc == MASH_OK)
		rc = mash_err(MASH_EIO, "cannot write reject file '%s':",
		    im->rejtmp);
	im->rej = NULL;
	return rc;
}

static void
summary(const struct imp *im, const char *verb, unsigned long rejected)
{
	mash_warn("%s %lu case%s, %lu child%s; %lu already present; "
	    "%lu updated; %lu rejected", verb, im->cases,
	    im->cases == 1 ? "" : "s", im->children,
	    im->children == 1 ? "" : "ren", im->present, im->updated,
	    rejected);
}

/*
 * Statuses of a pass that roll its transaction back without an error:
 * a pass that rejected a new reference, to be read again without it;
 * a dry run's, which ends there.
 */
enum { PASS_AGAIN = -1, PASS_DRY = -2 };

/* the end of a pass: its audit row, or why nothing is imported */
static int
pass_end(struct imp *im)
{
	unsigned long bad = im->rejecting ? im->badrows.n : im->bad;
	int rc;

	if (bad > 0 && !im->rejecting)
		return mash_err(MASH_EDATA, "%s: %lu bad row%s: nothing %s",
		    im->name, bad, bad == 1 ? "" : "s", im->opt->dry_run ?
		    "would be imported" : "imported");
	if (im->opt->dry_run)
		return PASS_DRY;
	/* written out before the commit, so a full disk loses nothing */
	if ((rc = audit(im, bad)) != MASH_OK)
		return rc;
	return reject_close(im);
}

/* one pass over the file: all of it imported, or none */
static int
pass_tx(struct mash *m, void *p)
{
	struct imp *im = p;
	size_t keys = im->badkeys.n;
	int rc;

	(void)m;
	pass_reset(im);
	csv_start(im);
	rc = read_all(im);
	csv_free(&im->csv);
	if (rc != MASH_OK)
		return rc;
	if (im->rejecting && im->badkeys.n != keys)
		return PASS_AGAIN;
	return pass_end(im);
}

/* pass after pass, until no new reference is rejected */
static int
passes(struct imp *im)
{
	int rc;

	if ((rc = mash_bulk(im->m)) != MASH_OK)
		return rc;
	while ((rc = mash_tx(im->m, MASH_TX_WRITE, pass_tx, im)) ==
	    PASS_AGAIN)
		if ((rc = rewind_input(im)) != MASH_OK)
			return rc;
	return rc;
}

/* once the pass has ended: the rejected rows kept, and a summary */
static int
finish(struct imp *im, int rc)
{
	unsigned long bad = im->rejecting ? im->badrows.n : im->bad;

	if (rc == PASS_DRY) {
		summary(im, "dry run: would import", bad);
		return bad > 0 ? MASH_FOUND : MASH_OK;
	}
	if (rc != MASH_OK)
		return rc;
	if (im->rejtmp != NULL) {
		if (mash_user_rename(im->rejtmp, im->opt->reject) == -1) {
			rc = mash_err(MASH_ECANTCREAT, "cannot rename '%s' to "
			    "'%s': the rejected rows are in '%s':", im->rejtmp,
			    im->opt->reject, im->rejtmp);
			free(im->rejtmp);
			im->rejtmp = NULL;
			return rc;
		}
		free(im->rejtmp);
		im->rejtmp = NULL;
	}
	summary(im, "imported", bad);
	return bad > 0 ? MASH_FOUND : MASH_OK;
}

static void
imp_free(struct imp *im)
{
	size_t i;

	pass_reset(im);
	if (im->rej != NULL)
		fclose(im->rej);
	if (im->rejtmp != NULL) {
		mash_user_unlink(im->rejtmp);
		free(im->rejtmp);
	}
	if (im->file != NULL)
		fclose(im->file);
	if (im->spool != NULL)
		fclose(im->spool);
	for (i = 0; i < im->nmap; i++) {
		free(im->map[i].ours);
		free(im->map[i].theirs);
		free(im->map[i].field);
	}
	free(im->map);
	free(im->badkeys.v);
	free(im->badrows.v);
	free(im->row.raw);
	free(im->row.val);
	free(im->buf);
}

int
mash_import_csv(struct mash *m, const struct mash_import *opt)
{
	struct imp *im;
	int rc;

#ifdef M_TRIM_THRESHOLD
	/*
	 * Every INSERT makes and drops an 85 KB ephemeral index for the
	 * schema's CHECK (x IN (...)) lists; glibc gives that back to the
	 * kernel and takes it again for each row, most of the time of a
	 * large import.  Keeping 4 MB in hand makes it three times faster.
	 */
	mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
#endif
	/* on the heap: a row's field table is some kilobytes */
	im = mash_xmalloc(sizeof(*im));
	memset(im, 0, sizeof(*im));
	im->m = m;
	im->opt = opt;
	im->rejecting = opt->reject != NULL;
	im->buf = mash_xmalloc(CHUNK);
	if ((rc = load_map(im)) == MASH_OK &&
	    (rc = open_input(im)) == MASH_OK)
		rc = finish(im, passes(im));
	imp_free(im);
	free(im);
	return rc;
}
