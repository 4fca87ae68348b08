/*
 * db.c: the query layer's calls (db.h) that both engines share, and
 * the choice of engine: a store named by a libpq URI is a PostgreSQL
 * database (db-pg.c), any other is an SQLite file (db-sqlite.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "db-engine.h"

/* "postgresql://..." or "postgres://...": libpq's URIs (mash(7)) */
int
db_is_uri(const char *path)
{
	return strncmp(path, "postgresql://", 13) == 0 ||
	    strncmp(path, "postgres://", 11) == 0;
}

/*
 * The URI without its password: the one of "user:password@host" and
 * any "password=" parameter, each left as "***".
 */
char *
db_uri_safe(const char *uri)
{
	char *s = mash_xmalloc(strlen(uri) + 8), *o = s;
	const char *p = strstr(uri, "://") + 3, *end, *at, *colon, *q;

	end = p + strcspn(p, "/?#");
	for (at = NULL, q = p; q < end; q++)
		if (*q == '@')
			at = q;
	colon = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
	if (colon != NULL) {
		o = mempcpy(o, uri, (size_t)(colon - uri));
		o = stpcpy(o, ":***");
		uri = at;
	}
	while (*uri != '\0') {
		if ((*uri == '?' || *uri == '&') &&
		    strncmp(uri + 1, "password=", 9) == 0) {
			o = mempcpy(o, uri, 10);
			o = stpcpy(o, "***");
			uri += 10 + strcspn(uri + 10, "&#");
		} else
			*o++ = *uri++;
	}
	*o = '\0';
	return s;
}

int
db_grant(struct mash *m, const char *role)
{
	return m->ops->grant(m, role);
}

int
db_pg(struct mash *m)
{
	return m->ops == &db_postgres;
}

static struct db_row *
vquery(struct mash *m, const char *sql, const char *fmt, va_list ap,
    enum db_how how)
{
	return m->ops->query(m, sql, fmt, ap, how);
}

/* the query of a variadic call to a statement, its parameters bound */
#define VQUERY(r, m, sql, fmt, how) do {		\
	va_list ap_;					\
	va_start(ap_, fmt);				\
	(r) = vquery((m), (sql), (fmt), ap_, (how));	\
	va_end(ap_);					\
} while (0)

struct db_row *
db_query(struct mash *m, const char *sql, const char *fmt, ...)
{
	struct db_row *r;

	VQUERY(r, m, sql, fmt, DB_ROWS);
	return r;
}

struct db_row *
db_stream(struct mash *m, const char *sql, const char *fmt, ...)
{
	struct db_row *r;
	va_list ap;

	va_start(ap, fmt);
	r = m->ops->stream(m, sql, fmt, ap);
	va_end(ap);
	return r;
}

int
db_next(struct db_row *r)
{
	return r->ops->next(r);
}

int
db_end(struct db_row *r)
{
	return r->ops->end(r);
}

int
db_none(struct db_row *r, const char *fmt, ...)
{
	char what[128];
	va_list ap;
	int rc;

	if ((rc = db_end(r)) != MASH_OK)
		return rc;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return mash_err(MASH_ENOINPUT, "%s", what);
}

/* a statement stepped once, its rows unread */
static int
once(struct db_row *r)
{
	db_next(r);
	return db_end(r);
}

int
db_exec(struct mash *m, const char *sql, const char *fmt, ...)
{
	struct db_row *r;

	VQUERY(r, m, sql, fmt, DB_ONE);
	return once(r);
}

int
db_send(struct mash *m, const char *sql, const char *fmt, ...)
{
	struct db_row *r;

	VQUERY(r, m, sql, fmt, DB_LATER);
	return once(r);
}

int
db_change(struct mash *m, int64_t *n, const char *sql, const char *fmt, ...)
{
	struct db_row *r;
	int rc;

	VQUERY(r, m, sql, fmt, DB_ONE);
	rc = once(r);
	*n = rc == MASH_OK ? m->ops->changes(m) : 0;
	return rc;
}

int
db_insert(struct mash *m, int64_t *id, const char *sql, const char *fmt, ...)
{
	struct db_row *r;
	int rc;

	VQUERY(r, m, sql, fmt, DB_INSERT);
	db_next(r);
	*id = m->ops->inserted(m, r);
	if ((rc = db_end(r)) != MASH_OK)
		*id = 0;
	return rc;
}

int
db_int(struct mash *m, int64_t *v, const char *sql, const char *fmt, ...)
{
	struct db_row *r;

	VQUERY(r, m, sql, fmt, DB_ONE);
	*v = db_next(r) ? db_col_int(r, 0) : 0;
	return db_end(r);
}

int
db_str(struct mash *m, char **v, const char *sql, const char *fmt, ...)
{
	struct db_row *r;

	VQUERY(r, m, sql, fmt, DB_ONE);
	*v = db_next(r) && db_col_text(r, 0) != NULL ?
	    mash_xstrdup(db_col_text(r, 0)) : NULL;
	return db_end(r);
}

int
db_cols(struct db_row *r)
{
	return r->ops->cols(r);
}

const char *
db_col_name(struct db_row *r, int col)
{
	return r->ops->col_name(r, col);
}

const char *
db_col_text(struct db_row *r, int col)
{
	return r->ops->col_text(r, col);
}

size_t
db_col_len(struct db_row *r, int col)
{
	return r->ops->col_len(r, col);
}

int64_t
db_col_int(struct db_row *r, int col)
{
	return r->ops->col_int(r, col);
}

int
db_col_null(struct db_row *r, int col)
{
	return r->ops->col_null(r, col);
}

cJSON *
db_col_json(struct db_row *r, int col)
{
	return r->ops->col_json(r, col);
}

/*
 * The one copy of a key kept for the life of the program: cJSON copies
 * each key it is given, and a listing of cases gave it each column's
 * name for each row, a malloc and a free apiece (a quarter of what the
 * screening queue allocated).  The names are the schema's columns, a
 * few hundred at most; past the table's room, NULL: copy it.
 */
static const char *
key(const char *name)
{
	static char *keys[512];
	uint32_t h = 2166136261u;
	const unsigned char *p;
	size_t i, n;

	for (p = (const unsigned char *)name; *p != '\0'; p++)
		h = (h ^ *p) * 16777619u;
	for (n = 0, i = h % 512; n < 512; n++, i = (i + 1) % 512) {
		if (keys[i] == NULL)
			return keys[i] = mash_xstrdup(name);
		if (strcmp(keys[i], name) == 0)
			return keys[i];
	}
	return NULL;
}

void
db_json_add(cJSON *obj, const char *name, cJSON *v)
{
	const char *k = key(name);

	if (k != NULL)
		cJSON_AddItemToObjectCS(obj, k, v);
	else
		cJSON_AddItemToObject(obj, name, v);
}

void
db_row_json(struct db_row *r, cJSON *obj)
{
	int i, n = db_cols(r);

	for (i = 0; i < n; i++)
		db_json_add(obj, db_col_name(r, i), db_col_json(r, i));
}

int
db_open(struct mash *m, const char *path, int create)
{
	m->ops = db_is_uri(path) ? &db_postgres : &db_sqlite;
	return m->ops->open(m, path, create);
}

int
db_setup(struct mash *m)
{
	return m->ops->setup(m);
}

void
db_close(struct mash *m)
{
	if (m->ops != NULL)
		m->ops->close(m);
}

int
db_bulk(struct mash *m)
{
	return m->ops->bulk(m);
}

int
db_begin(struct mash *m, int write)
{
	return m->ops->begin(m, write);
}

int
db_commit(struct mash *m)
{
	return m->ops->commit(m);
}

void
db_rollback(struct mash *m)
{
	if (m->ops != NULL)
		m->ops->rollback(m);
}

int
db_script(struct mash *m, const char *sql, const char *what)
{
	return m->ops->script(m, sql, what);
}

int
db_version(struct mash *m, int *version, int *app)
{
	return m->ops->version(m, version, app);
}

int
db_version_set(struct mash *m, int version, int app)
{
	return m->ops->version_set(m, version, app);
}

int
db_check_file(struct mash *m, char *detail, size_t n)
{
	return m->ops->check_file(m, detail, n);
}

int64_t
db_check_refs(struct mash *m, char *detail, size_t n)
{
	return m->ops->check_refs(m, detail, n);
}

int
db_secure_delete(struct mash *m)
{
	return m->ops->secure_delete(m);
}

int
db_scrub(struct mash *m)
{
	return m->ops->scrub(m);
}

int
db_copy(struct mash *m, const char *file)
{
	return m->ops->copy(m, file);
}

const char *
db_error(struct mash *m)
{
	return m->ops->error(m);
}
