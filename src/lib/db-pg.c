/*
 * db-pg.c: the query layer of db.h on PostgreSQL (db-engine.h), and the
 * only file that speaks to libpq.  The store's SQL is SQLite's where
 * both read it alike (and DB_SQL's second text where not): its "?" and
 * "?N" become "$N" here, a statement that runs more than once is
 * prepared, and SQLSTATEs become exit statuses here and nowhere else.
 *
 * Writes are serialised per store, as SQLite's are per file: every
 * transaction takes one advisory lock at BEGIN, waiting no longer than
 * the server's lock_timeout (30 seconds unless the connection sets
 * one), so two commands never interleave and the audit chain grows one
 * row at a time.  Reads take it too, for a listing writes its audit row.
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db-engine.h"

#define PG_CACHE	96
#define PG_PARAMS	64
#define PG_BATCH	4096	/* the rows a stream's cursor gives at a time */
#define LOCK_KEY	"1835102056"	/* "mash" as a number */

/* PostgreSQL's type oids (catalog/pg_type.h) that the results need */
#define OID_BOOL	16
#define OID_INT8	20
#define OID_INT2	21
#define OID_INT4	23
#define OID_TEXT	25
#define OID_OID		26
#define OID_FLOAT4	700
#define OID_FLOAT8	701
#define OID_NUMERIC	1700

#define ROW(h)	((struct pg_row *)(h))

static void	pg_rollback(struct mash *);
static int	pg_end(struct db_row *);

/*
 * libpq, loaded when a program first opens a PostgreSQL store: linked
 * into every program, it and the libraries it needs (Kerberos, LDAP,
 * TLS) would double the start-up of a command on an SQLite file.
 */
#define LIBPQ(X)							\
	X(PGconn *, PQconnectdb, (const char *))			\
	X(ConnStatusType, PQstatus, (const PGconn *))			\
	X(void, PQfinish, (PGconn *))					\
	X(char *, PQerrorMessage, (const PGconn *))			\
	X(char *, PQdb, (const PGconn *))				\
	X(PGTransactionStatusType, PQtransactionStatus, (const PGconn *)) \
	X(char *, PQescapeIdentifier, (PGconn *, const char *, size_t))	\
	X(void, PQfreemem, (void *))					\
	X(PGresult *, PQexec, (PGconn *, const char *))		\
	X(PGresult *, PQexecParams, (PGconn *, const char *, int,	\
	    const Oid *, const char *const *, const int *, const int *, int)) \
	X(PGresult *, PQprepare, (PGconn *, const char *, const char *,	\
	    int, const Oid *))						\
	X(PGresult *, PQexecPrepared, (PGconn *, const char *, int,	\
	    const char *const *, const int *, const int *, int))	\
	X(ExecStatusType, PQresultStatus, (const PGresult *))		\
	X(char *, PQresultErrorField, (const PGresult *, int))		\
	X(char *, PQcmdStatus, (PGresult *))				\
	X(char *, PQcmdTuples, (PGresult *))				\
	X(int, PQntuples, (const PGresult *))				\
	X(int, PQnfields, (const PGresult *))				\
	X(char *, PQfname, (const PGresult *, int))			\
	X(Oid, PQftype, (const PGresult *, int))			\
	X(char *, PQgetvalue, (const PGresult *, int, int))		\
	X(int, PQgetisnull, (const PGresult *, int, int))		\
	X(void, PQclear, (PGresult *))					\
	X(int, PQenterPipelineMode, (PGconn *))				\
	X(int, PQexitPipelineMode, (PGconn *))				\
	X(int, PQpipelineSync, (PGconn *))				\
	X(int, PQflush, (PGconn *))					\
	X(int, PQsendQueryParams, (PGconn *, const char *, int,	\
	    const Oid *, const char *const *, const int *, const int *, int)) \
	X(int, PQsendPrepare, (PGconn *, const char *, const char *,	\
	    int, const Oid *))						\
	X(int, PQsendQueryPrepared, (PGconn *, const char *, int,	\
	    const char *const *, const int *, const int *, int))	\
	X(PGresult *, PQgetResult, (PGconn *))

#define PQ_FIELD(type, name, args)	type (*name) args;
static struct {
	LIBPQ(PQ_FIELD)
} pq;

struct pg_row {
	struct db_row	 h;
	struct mash	*m;
	const char	*sql;		/* identity, not content: literals */
	int		 insert;	/* prepared with RETURNING id */
	char		*text;		/* in PostgreSQL's form */
	int		 nparams;
	Oid		 types[PG_PARAMS];
	int		 runs;		/* from the second, by a name */
	PGresult	*res;
	int		 row;		/* the row at hand, -1 before the first */
	int		 status;	/* a failure, already reported */
	int		 done;
	int		 stream;	/* to be sent as a cursor (pg_stream) */
	int		 open;		/* its cursor is declared, not closed */
	int		 drained;	/* the cursor's last batch was short */
	unsigned	 tx;		/* the transaction it was declared in */
};

struct db {
	PGconn		*c;
	struct pg_row	 cache[PG_CACHE];
	size_t		 ncache;
	size_t		 next;		/* where to look for a place to reuse */
	struct pg_row	 failed;	/* what a query that cannot run is */
	int64_t		 changed;	/* rows the last statement changed */
	int		 owed;		/* statements sent, not yet answered */
	unsigned	 tx;		/* transactions begun: a cursor's is one */
	char		 last[160];	/* the last failure, in the server's words */
};

/* the server's first line of what went wrong: never a row's values */
static const char *
primary(struct db *db, const PGresult *res)
{
	const char *s = res ? pq.PQresultErrorField(res,
	    PG_DIAG_MESSAGE_PRIMARY) : NULL;

	if (s == NULL)
		s = pq.PQerrorMessage(db->c);
	snprintf(db->last, sizeof(db->last), "%.*s", (int)strcspn(s, "\n"),
	    s);
	return db->last;
}

/* the exit status for an SQLSTATE (mash(7), EXIT STATUS) */
static int
status(const char *st)
{
	static const struct {
		const char	*state;	/* a whole code, or a class of two */
		int		 status;
	} map[] = {
		{ "40001", MASH_ETEMPFAIL },	/* serialization failure */
		{ "40P01", MASH_ETEMPFAIL },	/* deadlock */
		{ "55P03", MASH_ETEMPFAIL },	/* lock not available */
		{ "57014", MASH_ETEMPFAIL },	/* canceled: a timeout */
		{ "53100", MASH_EIO },		/* disk full */
		{ "3D000", MASH_ENOINPUT },	/* no such database */
		{ "42501", MASH_ECANTCREAT },	/* privilege */
		{ "P0001", MASH_EDATA },	/* a trigger's refusal */
		{ "08", MASH_ETEMPFAIL },	/* connection */
		{ "57", MASH_ETEMPFAIL },	/* shut down, crashed */
		{ "53", MASH_ETEMPFAIL },	/* out of resources */
		{ "23", MASH_EDATA },		/* integrity */
		{ "22", MASH_EDATA },		/* data */
		{ "28", MASH_ENOPERM },		/* authorization */
	};
	size_t i;

	if (st == NULL)			/* no answer: the connection broke */
		return MASH_ETEMPFAIL;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strncmp(st, map[i].state, strlen(map[i].state)) == 0)
			return map[i].status;
	return MASH_ESOFTWARE;
}

/* report a failed result, once (res is cleared); its exit status */
static int
fail(struct mash *m, PGresult *res, const char *what)
{
	const char *st = res ? pq.PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = primary(m->db, res);
	int rc = status(st);

	pq.PQclear(res);
	if (rc == MASH_ETEMPFAIL && st != NULL && strncmp(st, "08", 2) != 0 &&
	    strncmp(st, "57P", 3) != 0)
		return mash_err(rc, "store '%s' is busy: try again", m->path);
	if (rc == MASH_ETEMPFAIL)
		return mash_err(rc, "store '%s' cannot be reached: %s: try "
		    "again", m->path, msg);
	if (rc == MASH_EIO)
		return mash_err(rc, "store '%s': disk full: nothing was "
		    "written", m->path);
	return mash_err(rc, "store '%s': %s: %s", m->path, what, msg);
}

/*
 * The pipeline (db_send): statements whose answers nothing waits for
 * are sent in libpq's pipeline mode and left unanswered; the next
 * statement goes down the same pipe, and one sync brings back all the
 * answers at once.  A failure among them is reported here, once: the
 * server skips what came after it, and the transaction has failed.
 */
static int
pipe_open(struct mash *m)
{
	struct db *db = m->db;

	if (db->owed == 0 && !pq.PQenterPipelineMode(db->c))
		return fail(m, NULL, "cannot send");
	return MASH_OK;
}

/*
 * The answers owed, up to the sync: the last one kept in *last, if
 * asked for and all went well; the first failure reported, the rest
 * were skipped by the server.  Out of the pipeline again.
 */
static int
answers(struct mash *m, PGresult **last)
{
	struct db *db = m->db;
	PGresult *res, *got = NULL;
	ExecStatusType s;
	int rc = MASH_OK, ends = 0, more;

	if (!(more = pq.PQpipelineSync(db->c)))
		rc = fail(m, NULL, "cannot send");
	/* a NULL ends each statement's answer; then comes the sync's */
	while (more) {
		if ((res = pq.PQgetResult(db->c)) == NULL) {
			if (++ends <= db->owed)
				continue;
			if (rc == MASH_OK)	/* the connection broke */
				rc = fail(m, NULL, "store");
			break;
		}
		s = pq.PQresultStatus(res);
		if (s == PGRES_PIPELINE_SYNC) {
			pq.PQclear(res);
			more = 0;
		} else if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
			pq.PQclear(got);
			got = res;
		} else if (s == PGRES_PIPELINE_ABORTED || rc != MASH_OK)
			pq.PQclear(res);	/* skipped, or told already */
		else
			rc = fail(m, res, "store");
	}
	db->owed = 0;
	if (!pq.PQexitPipelineMode(db->c) && rc == MASH_OK)
		rc = fail(m, NULL, "store");
	if (last != NULL && rc == MASH_OK)
		*last = got;
	else
		pq.PQclear(got);
	return rc;
}

/* a statement with no parameters, for its effect */
static int
run(struct mash *m, const char *sql, const char *what)
{
	PGresult *res;
	ExecStatusType s;
	int rc;

	if (m->db->owed > 0 && (rc = answers(m, NULL)) != MASH_OK)
		return rc;
	res = pq.PQexec(m->db->c, sql);
	s = pq.PQresultStatus(res);

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		return fail(m, res, what);
	pq.PQclear(res);
	return MASH_OK;
}

/*
 * SQLite's parameters in PostgreSQL's form: "?N" is "$N", and a bare
 * "?" is one more than the largest number before it, as in SQLite.
 * Quoted text and comments are copied as they are.  *n: the largest.
 */
char *
db_pg_placeholders(const char *sql, int insert, int *n)
{
	static const char ret[] = " RETURNING id";
	char *out = mash_xmalloc(strlen(sql) * 2 + sizeof(ret) + 1), *o = out;
	const char *s = sql;
	char q;
	int k;

	*n = 0;
	while (*s != '\0') {
		if (*s == '\'' || *s == '"') {
			q = *s;
			*o++ = *s++;
			while (*s != '\0' && *s != q)
				*o++ = *s++;
			if (*s != '\0')
				*o++ = *s++;
		} else if (s[0] == '-' && s[1] == '-') {
			while (*s != '\0' && *s != '\n')
				*o++ = *s++;
		} else if (*s == '?') {
			s++;
			if (*s >= '0' && *s <= '9')
				k = (int)strtol(s, (char **)&s, 10);
			else
				k = *n + 1;
			if (k > *n)
				*n = k;
			o += sprintf(o, "$%d", k);
		} else
			*o++ = *s++;
	}
	if (insert)
		o = stpcpy(o, ret);
	*o = '\0';
	return out;
}

/*
 * Where a new statement is kept: a free place, or the place of one not
 * being read, which the server forgets (a program that ran more
 * statements than it keeps prepares some again)
 */
static struct pg_row *
slot(struct mash *m)
{
	struct db *db = m->db;
	char sql[40];
	size_t i;

	if (db->ncache < PG_CACHE)
		return &db->cache[db->ncache];
	for (i = 0; i < PG_CACHE; i++) {
		db->next = (db->next + 1) % PG_CACHE;
		if (db->cache[db->next].res == NULL)
			break;
	}
	if (i == PG_CACHE)
		return NULL;
	snprintf(sql, sizeof(sql), "DEALLOCATE m%zu", db->next);
	if (db->cache[db->next].runs > 1 &&
	    run(m, sql, "cannot forget a statement") != MASH_OK)
		return NULL;
	free(db->cache[db->next].text);
	memset(&db->cache[db->next], 0, sizeof(db->cache[0]));
	return &db->cache[db->next];
}

/*
 * The kept statement of a text, or a new one kept.  Most commands run
 * a statement once: it is sent with its parameters, one round trip;
 * one that runs again (an import's, a listing's per row) is prepared
 * then, and runs by its name from then on.
 */
static struct pg_row *
prepare(struct mash *m, const char *sql, const char *fmt, int insert)
{
	struct db *db = m->db;
	struct pg_row *r;
	size_t i;
	int n, k;

	for (i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql && db->cache[i].insert == insert) {
			r = &db->cache[i];
			pg_end(&r->h);
			return r;
		}
	db->failed.h.ops = &db_postgres;
	db->failed.m = m;
	if ((r = slot(m)) == NULL) {
		db->failed.status = mash_err(MASH_ESOFTWARE, "store '%s': more "
		    "than %d statements at once", m->path, PG_CACHE);
		return &db->failed;
	}
	if (r == &db->cache[db->ncache])
		db->ncache++;
	r->h.ops = &db_postgres;
	r->m = m;
	r->sql = sql;
	r->insert = insert;
	r->text = db_pg_placeholders(sql, insert, &n);
	r->nparams = n;
	r->row = -1;
	if (n > PG_PARAMS) {
		r->sql = NULL;	/* never found again */
		db->failed.status = mash_err(MASH_ESOFTWARE, "store '%s': a "
		    "statement of %d parameters", m->path, n);
		return &db->failed;
	}
	/* the types the letters say; the server infers the rest */
	for (k = 0; k < n; k++)
		switch ((size_t)k < strlen(fmt) ? fmt[k] : 'n') {
		case 'i':
		case 'I':
			r->types[k] = OID_INT8;
			break;
		case 't':
		case 'T':
		case 'j':
			r->types[k] = OID_TEXT;
			break;
		default:
			r->types[k] = 0;
		}
	return r;
}

/*
 * A stream's statement, as the cursor of its place's name (one query
 * of a place steps at a time, so no two open cursors share it): sent
 * with its parameters each time, never prepared, for a big read runs
 * once a command and its parse is nothing beside its rows.
 */
static PGresult *
declare(struct mash *m, struct pg_row *r, const char *const *v)
{
	char *sql = mash_xmalloc(strlen(r->text) + 48);
	PGresult *res;

	sprintf(sql, "DECLARE c%td NO SCROLL CURSOR FOR %s", r - m->db->cache,
	    r->text);
	res = pq.PQexecParams(m->db->c, sql, r->nparams, r->types, v, NULL,
	    NULL, 0);
	free(sql);
	return res;
}

/* a statement sent: once as it is, then prepared by its place's name */
static PGresult *
send(struct mash *m, struct pg_row *r, const char *const *v)
{
	struct db *db = m->db;
	char name[24];
	PGresult *res;

	if (r->stream)
		return declare(m, r, v);
	if (r->runs++ == 0)
		return pq.PQexecParams(db->c, r->text, r->nparams, r->types, v,
		    NULL, NULL, 0);
	snprintf(name, sizeof(name), "m%td", r - db->cache);
	if (r->runs == 2) {
		res = pq.PQprepare(db->c, name, r->text, r->nparams, r->types);
		if (pq.PQresultStatus(res) != PGRES_COMMAND_OK)
			return res;
		pq.PQclear(res);
	}
	return pq.PQexecPrepared(db->c, name, r->nparams, v, NULL, NULL, 0);
}

/*
 * A statement down the pipeline, its answer owed (answers).  It waits
 * in libpq's buffer for the next statement that is waited for: one
 * send and one wait for all, not a send each.
 */
static int
pipe_send(struct mash *m, struct pg_row *r, const char *const *v)
{
	struct db *db = m->db;
	char name[24];
	int rc, ok;

	if ((rc = pipe_open(m)) != MASH_OK)
		return rc;
	db->owed++;
	if (r->runs++ == 0)
		ok = pq.PQsendQueryParams(db->c, r->text, r->nparams,
		    r->types, v, NULL, NULL, 0);
	else {
		snprintf(name, sizeof(name), "m%td", r - db->cache);
		ok = 1;
		if (r->runs == 2) {	/* the prepare is answered too */
			db->owed++;
			ok = pq.PQsendPrepare(db->c, name, r->text, r->nparams,
			    r->types);
		}
		ok = ok && pq.PQsendQueryPrepared(db->c, name, r->nparams, v,
		    NULL, NULL, 0);
	}
	if (!ok)
		return fail(m, NULL, "cannot send");
	return MASH_OK;
}

/* a statement's answer, kept to be read */
static void
keep(struct mash *m, struct pg_row *r, PGresult *res)
{
	r->res = res;
	m->db->changed = strtoll(pq.PQcmdTuples(res), NULL, 10);
}

/*
 * The parameters as text, and the statement run: its rows kept; or,
 * later, sent down the pipeline for answers() to collect.
 */
static int
execute(struct mash *m, struct pg_row *r, const char *fmt, va_list ap,
    int later)
{
	char num[PG_PARAMS][24], times[PG_PARAMS][MASH_TIME_LEN];
	char *json[PG_PARAMS] = { 0 };
	const char *v[PG_PARAMS] = { 0 };
	PGresult *res;
	ExecStatusType s;
	int64_t id;
	cJSON *j;
	int k, rc = MASH_OK;

	for (k = 0; fmt[k] != '\0' && rc == MASH_OK; k++) {
		if (k >= r->nparams) {
			rc = mash_err(MASH_ESOFTWARE, "store '%s': a parameter "
			    "too many", m->path);
			break;
		}
		switch (fmt[k]) {
		case 't':
			v[k] = va_arg(ap, const char *);
			break;
		case 'i':
			snprintf(num[k], sizeof(num[k]), "%lld",
			    (long long)va_arg(ap, int64_t));
			v[k] = num[k];
			break;
		case 'I':
			id = va_arg(ap, int64_t);
			snprintf(num[k], sizeof(num[k]), "%lld", (long long)id);
			v[k] = id > 0 ? num[k] : NULL;
			break;
		case 'n':
			break;
		case 'T':
			if (mash_time_utc(va_arg(ap, mash_time), times[k]) != 0)
				rc = mash_err(MASH_EDATA, "an instant is "
				    "outside the years %d to %d: not stored",
				    MASH_YEAR_MIN, MASH_YEAR_MAX);
			v[k] = times[k];
			break;
		case 'j':
			j = va_arg(ap, cJSON *);
			v[k] = json[k] = j ? mash_json_print(j) : NULL;
			break;
		default:
			rc = mash_err(MASH_ESOFTWARE, "bad bind letter");
		}
	}
	if (rc == MASH_OK && later)
		rc = pipe_send(m, r, v);
	else if (rc == MASH_OK && m->db->owed > 0) {
		/* this one's answer and those owed: one round trip */
		if ((rc = pipe_send(m, r, v)) == MASH_OK &&
		    (rc = answers(m, &res)) == MASH_OK)
			keep(m, r, res);
	} else if (rc == MASH_OK) {
		res = send(m, r, v);
		s = pq.PQresultStatus(res);
		if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK)
			keep(m, r, res);
		else
			rc = fail(m, res, "store");
	}
	for (k = 0; k < PG_PARAMS; k++)
		free(json[k]);
	return rc;
}

/* db_send's statement waits only in a transaction, which it can fail */
static struct db_row *
pg_query(struct mash *m, const char *sql, const char *fmt, va_list ap,
    enum db_how how)
{
	struct pg_row *r;

	if ((r = prepare(m, sql, fmt, how == DB_INSERT))->status == MASH_OK)
		r->status = execute(m, r, fmt, ap, how == DB_LATER &&
		    m->in_tx);
	return &r->h;
}

/*
 * A big read (db_stream).  Its whole result fetched at once, as a
 * query's is, would hold every row in memory; inside a transaction it
 * is a cursor instead, read PG_BATCH rows at a time as db_next needs
 * them, so that other statements still run between its rows.  A cursor
 * lives no longer than its transaction: outside one (mash-admin check)
 * the rows are fetched at once.
 */
static struct db_row *
pg_stream(struct mash *m, const char *sql, const char *fmt, va_list ap)
{
	struct pg_row *r;

	if ((r = prepare(m, sql, fmt, 0))->status != MASH_OK)
		return &r->h;
	/* what the pipeline owes first: a cursor is declared on its own */
	if (m->db->owed > 0 && (r->status = answers(m, NULL)) != MASH_OK)
		return &r->h;
	r->stream = pq.PQtransactionStatus(m->db->c) == PQTRANS_INTRANS;
	r->status = execute(m, r, fmt, ap, 0);
	r->open = r->stream && r->status == MASH_OK;
	r->stream = 0;
	r->tx = m->db->tx;
	r->drained = 0;
	return &r->h;
}

/* the cursor's next batch in place of the last: 1 if it has a row */
static int
fetch(struct pg_row *r)
{
	struct db *db = r->m->db;
	char sql[48];

	snprintf(sql, sizeof(sql), "FETCH %d FROM c%td", PG_BATCH,
	    r - db->cache);
	pq.PQclear(r->res);
	r->res = NULL;
	/* rows written inside the loop go down the pipeline: answered first */
	if (db->owed > 0 && (r->status = answers(r->m, NULL)) != MASH_OK)
		return 0;
	r->res = pq.PQexec(db->c, sql);
	if (pq.PQresultStatus(r->res) != PGRES_TUPLES_OK) {
		r->status = fail(r->m, r->res, "store");
		r->res = NULL;
		return 0;
	}
	/* a short batch is the last: no round trip to be told so */
	r->drained = pq.PQntuples(r->res) < PG_BATCH;
	r->row = 0;
	return pq.PQntuples(r->res) > 0;
}

/*
 * The cursor closed at the query's end, so that its place may declare
 * another; one whose transaction has ended, or failed, went with it.
 */
static int
uncursor(struct pg_row *r, int rc)
{
	struct db *db = r->m->db;
	char sql[32];
	int closed;

	r->open = 0;
	if (r->tx != db->tx ||
	    pq.PQtransactionStatus(db->c) != PQTRANS_INTRANS)
		return rc;
	snprintf(sql, sizeof(sql), "CLOSE c%td", r - db->cache);
	closed = run(r->m, sql, "cannot close a cursor");
	return rc != MASH_OK ? rc : closed;
}

static int
pg_next(struct db_row *h)
{
	struct pg_row *r = ROW(h);

	if (r->status != MASH_OK || r->done || r->res == NULL)
		return 0;
	if (++r->row < pq.PQntuples(r->res))
		return 1;
	if (r->open && !r->drained && fetch(r))
		return 1;
	r->done = 1;
	return 0;
}

static int
pg_end(struct db_row *h)
{
	struct pg_row *r = ROW(h);
	int rc = r->status;

	if (r->open)
		rc = uncursor(r, rc);
	pq.PQclear(r->res);
	r->res = NULL;
	r->row = -1;
	r->status = MASH_OK;
	r->done = 0;
	return rc;
}

static int64_t
pg_changes(struct mash *m)
{
	return m->db->changed;
}

static int64_t
pg_inserted(struct mash *m, struct db_row *h)
{
	struct pg_row *r = ROW(h);

	(void)m;
	if (r->status != MASH_OK || r->res == NULL || r->row < 0 ||
	    r->row >= pq.PQntuples(r->res))
		return 0;
	return strtoll(pq.PQgetvalue(r->res, r->row, 0), NULL, 10);
}

static int
pg_cols(struct db_row *h)
{
	return ROW(h)->res ? pq.PQnfields(ROW(h)->res) : 0;
}

static const char *
pg_col_name(struct db_row *h, int col)
{
	return pq.PQfname(ROW(h)->res, col);
}

static int
pg_col_null(struct db_row *h, int col)
{
	return pq.PQgetisnull(ROW(h)->res, ROW(h)->row, col);
}

/* a truth is 1 or 0, as SQLite has it */
static const char *
pg_col_text(struct db_row *h, int col)
{
	struct pg_row *r = ROW(h);
	const char *v;

	if (pq.PQgetisnull(r->res, r->row, col))
		return NULL;
	v = pq.PQgetvalue(r->res, r->row, col);
	if (pq.PQftype(r->res, col) == OID_BOOL)
		return *v == 't' ? "1" : "0";
	return v;
}

static size_t
pg_col_len(struct db_row *h, int col)
{
	const char *v = pg_col_text(h, col);

	return v ? strlen(v) : 0;
}

static int64_t
pg_col_int(struct db_row *h, int col)
{
	const char *v = pg_col_text(h, col);

	return v ? strtoll(v, NULL, 10) : 0;
}

static cJSON *
pg_col_json(struct db_row *h, int col)
{
	const char *v = pg_col_text(h, col);

	if (v == NULL)
		return cJSON_CreateNull();
	switch (pq.PQftype(ROW(h)->res, col)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID:
		return cJSON_CreateNumber((double)strtoll(v, NULL, 10));
	case OID_FLOAT4:
	case OID_FLOAT8:
	case OID_NUMERIC:
		return cJSON_CreateNumber(strtod(v, NULL));
	default:
		return cJSON_CreateString(v);
	}
}

/*
 * Why a connection failed, as an exit status: libpq gives no SQLSTATE
 * for it, only the server's words.
 */
static int
refused(struct mash *m, const char *why)
{
	int n = (int)strcspn(why, "\n");

	if (strstr(why, "database \"") && strstr(why, "does not exist"))
		return mash_err(MASH_ENOINPUT, "cannot open store '%s': no such "
		    "database", m->path);
	if (strstr(why, "authentication failed") ||
	    strstr(why, "permission denied for database") ||
	    (strstr(why, "role \"") && strstr(why, "does not exist")) ||
	    strstr(why, "no pg_hba.conf entry"))
		return mash_err(MASH_ENOPERM, "cannot open store '%s': the "
		    "server did not let you in: %.*s", m->path, n, why);
	return mash_err(MASH_ETEMPFAIL, "cannot open store '%s': %.*s: try "
	    "again", m->path, n, why);
}

/* libpq's functions, found once: 0, or 1 and why not */
static int
libpq(const char **why)
{
	static void *h;

#define PQ_FIND(type, name, args)					\
	if ((*(void **)&pq.name = dlsym(h, #name)) == NULL) {		\
		*why = "libpq.so.5 has no " #name;			\
		return 1;						\
	}
	if (h != NULL)
		return 0;
	if ((h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL)) == NULL) {
		*why = "libpq.so.5 is missing: install libpq5";
		return 1;
	}
	LIBPQ(PQ_FIND)
	return 0;
}

static int
pg_open(struct mash *m, const char *uri, int create)
{
	struct db *db;
	const char *why;

	(void)create;		/* a database is made by its server's admin */
	m->db = db = mash_xmalloc(sizeof(*db));
	memset(db, 0, sizeof(*db));
	if (libpq(&why) != 0)
		return mash_err(MASH_EUNAVAILABLE, "cannot open store '%s': %s",
		    m->path, why);
	db->c = pq.PQconnectdb(uri);
	if (db->c == NULL)
		return mash_err(MASH_ESOFTWARE, "out of memory");
	if (pq.PQstatus(db->c) != CONNECTION_OK)
		return refused(m, pq.PQerrorMessage(db->c));
	return MASH_OK;
}

/*
 * The session as the store's SQL expects it: the public schema only
 * (no table of a user's own shadows the store's), UTC, and a wait for
 * the store's lock no longer than SQLite's busy timeout unless the
 * connection asked for another.  A stream's cursor is read to its end,
 * not a tenth of it as the planner assumes: its plan is the query's.
 */
static int
pg_setup(struct mash *m)
{
	return run(m, "SET search_path = public; SET TimeZone = 'UTC'; "
	    "SET client_encoding = 'UTF8'; "
	    "SET standard_conforming_strings = on; "
	    "SET client_min_messages = warning; "
	    "SET cursor_tuple_fraction = 1; "
	    "SELECT set_config('lock_timeout', '30s', false) "
	    "WHERE current_setting('lock_timeout') = '0'",
	    "cannot set up the store");
}

static void
pg_close(struct mash *m)
{
	struct db *db = m->db;
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->ncache; i++) {
		pq.PQclear(db->cache[i].res);
		free(db->cache[i].text);
	}
	pq.PQfinish(db->c);
	free(db);
	m->db = NULL;
}

static int
pg_bulk(struct mash *m)
{
	(void)m;
	return MASH_OK;
}

static int
pg_begin(struct mash *m, int write)
{
	int rc;

	(void)write;		/* a view writes its audit row */
	m->db->tx++;
	if ((rc = run(m, "BEGIN ISOLATION LEVEL READ COMMITTED; "
	    "SELECT pg_advisory_xact_lock(" LOCK_KEY ")",
	    "cannot begin a transaction")) != MASH_OK)
		pg_rollback(m);
	return rc;
}

/*
 * A COMMIT of a failed transaction rolls it back, and says so.  With
 * answers owed, it goes down the pipeline after them: one round trip.
 */
static int
pg_commit(struct mash *m)
{
	struct db *db = m->db;
	PGresult *res = NULL;
	int rc;

	if (db->owed > 0) {
		if ((rc = pipe_open(m)) != MASH_OK)
			return rc;
		db->owed++;
		if (!pq.PQsendQueryParams(db->c, "COMMIT", 0, NULL, NULL, NULL,
		    NULL, 0))
			return fail(m, NULL, "cannot commit");
		if ((rc = answers(m, &res)) != MASH_OK)
			return rc;
	} else
		res = pq.PQexec(db->c, "COMMIT");
	if (pq.PQresultStatus(res) != PGRES_COMMAND_OK)
		return fail(m, res, "cannot commit");
	if (strcmp(pq.PQcmdStatus(res), "COMMIT") != 0) {
		pq.PQclear(res);
		return mash_err(MASH_ESOFTWARE, "store '%s': the transaction "
		    "failed and was rolled back", m->path);
	}
	pq.PQclear(res);
	return MASH_OK;
}

/* what was sent is answered first: whatever it says, all is undone */
static void
pg_rollback(struct mash *m)
{
	if (m->db != NULL && m->db->owed > 0)
		answers(m, NULL);
	if (m->db != NULL && m->db->c != NULL &&
	    pq.PQtransactionStatus(m->db->c) != PQTRANS_IDLE)
		run(m, "ROLLBACK", "cannot roll back");
}

static int
pg_script(struct mash *m, const char *sql, const char *what)
{
	return run(m, sql, what);
}

/* the schema's version and the application's id, in mash_meta */
static int
pg_version(struct mash *m, int *version, int *app)
{
	struct db_row *r;
	int64_t have;
	int rc;

	*version = *app = 0;
	if ((rc = db_int(m, &have, "SELECT to_regclass('mash_meta') IS NOT "
	    "NULL", "")) != MASH_OK || !have)
		return rc;
	r = db_query(m, "SELECT version, app FROM mash_meta", "");
	if (db_next(r)) {
		*version = (int)db_col_int(r, 0);
		*app = (int)db_col_int(r, 1);
	}
	return db_end(r);
}

static int
pg_version_set(struct mash *m, int version, int app)
{
	int rc;

	if ((rc = db_exec(m, "DELETE FROM mash_meta", "")) != MASH_OK)
		return rc;
	return db_exec(m, "INSERT INTO mash_meta (version, app) VALUES (?, ?)",
	    "ii", (int64_t)version, (int64_t)app);
}

static int
pg_check_file(struct mash *m, char *detail, size_t n)
{
	(void)m;
	snprintf(detail, n, "no file: the server keeps the store");
	return 0;
}

/* the server keeps every foreign key: none can point at nothing */
static int64_t
pg_check_refs(struct mash *m, char *detail, size_t n)
{
	(void)m;
	(void)detail;
	(void)n;
	return 0;
}

static int
pg_secure_delete(struct mash *m)
{
	(void)m;
	return MASH_OK;
}

/* what a purge frees, the server's vacuum reclaims (mash(7)) */
static int
pg_scrub(struct mash *m)
{
	(void)m;
	return MASH_OK;
}

/* mash_backup refuses first: a PostgreSQL store is pg_dump's to copy */
static int
pg_copy(struct mash *m, const char *file)
{
	(void)file;
	return mash_err(MASH_ESOFTWARE, "store '%s': no copy of a "
	    "PostgreSQL database", m->path);
}

static const char *
pg_error(struct mash *m)
{
	return m->db->last;
}

/*
 * The programs' group role, made if the server lets this user make
 * roles: it may read and change the store's tables, and only add to
 * the audit trail (mash(7), DEPLOYMENT)
 */
static int
pg_grant(struct mash *m, const char *role)
{
	static const char *const grants[] = {
		"GRANT USAGE ON SCHEMA public TO ",
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "
		    "public TO ",
		"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ",
		"REVOKE UPDATE, DELETE, TRUNCATE ON audit, mash_meta FROM ",
	};
	char sql[256], *g, *d;
	int64_t have;
	size_t i;
	int rc;

	if ((rc = db_int(m, &have, "SELECT count(*) FROM pg_roles WHERE "
	    "rolname = ?", "t", role)) != MASH_OK)
		return rc;
	g = pq.PQescapeIdentifier(m->db->c, role, strlen(role));
	d = pq.PQescapeIdentifier(m->db->c, pq.PQdb(m->db->c),
	    strlen(pq.PQdb(m->db->c)));
	if (g == NULL || d == NULL)
		rc = mash_err(MASH_EDATA, "--pg-group '%s' cannot be a role's "
		    "name", role);
	if (rc == MASH_OK && !have) {
		snprintf(sql, sizeof(sql), "CREATE ROLE %s NOLOGIN", g);
		rc = run(m, sql, "cannot make the programs' role");
	}
	if (rc == MASH_OK) {
		snprintf(sql, sizeof(sql), "GRANT CONNECT ON DATABASE %s TO %s",
		    d, g);
		rc = run(m, sql, "cannot grant the programs' role its rights");
	}
	for (i = 0; rc == MASH_OK && i < sizeof(grants) / sizeof(grants[0]);
	    i++) {
		snprintf(sql, sizeof(sql), "%s%s", grants[i], g);
		rc = run(m, sql, "cannot grant the programs' role its rights");
	}
	pq.PQfreemem(g);
	pq.PQfreemem(d);
	return rc;
}

const struct db_ops db_postgres = {
	pg_query, pg_stream, pg_next, pg_end, pg_changes, pg_inserted, pg_cols,
	pg_col_name, pg_col_text, pg_col_len, pg_col_int, pg_col_null,
	pg_col_json, pg_open, pg_setup, pg_close, pg_bulk, pg_begin,
	pg_commit, pg_rollback, pg_script, pg_version, pg_version_set,
	pg_check_file, pg_check_refs, pg_secure_delete, pg_scrub, pg_copy,
	pg_error, pg_grant,
};
