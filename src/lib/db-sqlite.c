/*
 * db-sqlite.c: the query layer of db.h on SQLite (db-engine.h), and the
 * only file that speaks to SQLite.  Statements are prepared once a program and
 * kept; their result codes become exit statuses here and nowhere else.
 */
#include <sys/mman.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db-engine.h"

#define ROW(h)	((struct sq_row *)(h))
#define MASH_STMT_CACHE	64
#define BUSY_TIMEOUT_MS	30000

struct sq_row {
	struct db_row	 h;
	struct mash	*m;
	const char	*sql;		/* identity, not content: literals */
	sqlite3_stmt	*st;
	int		 status;	/* a failure, already reported */
	int		 done;		/* stepped to its end */
};

struct db {
	sqlite3		*h;
	struct sq_row	 cache[MASH_STMT_CACHE];
	size_t		 ncache;
	struct sq_row	 failed;	/* what a query that cannot run is */
	FILE		*explain;	/* MASH_EXPLAIN: query plans */
	int		 last;		/* the last failure's result code */
};

/* the exit status for a result code */
static int
status(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return MASH_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return MASH_ETEMPFAIL;
	case SQLITE_CONSTRAINT:
	case SQLITE_TOOBIG:
	case SQLITE_MISMATCH:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return MASH_EDATA;
	case SQLITE_CANTOPEN:
		return MASH_ENOINPUT;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return MASH_ECANTCREAT;
	case SQLITE_FULL:
	case SQLITE_IOERR:
		return MASH_EIO;
	default:
		return MASH_ESOFTWARE;
	}
}

/* report a failure, once; the exit status it maps to */
static int
fail(struct mash *m, int rc, const char *what)
{
	const char *path = m->path ? m->path : "";
	const char *msg = m->db->h ? sqlite3_errmsg(m->db->h) :
	    sqlite3_errstr(rc);

	m->db->last = rc;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return mash_err(MASH_ETEMPFAIL,
		    "store '%s' is busy: try again", path);
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return mash_err(MASH_EDATA,
		    "store '%s' is damaged or not a mash store: %s", path, msg);
	case SQLITE_FULL:
		return mash_err(MASH_EIO, "store '%s': disk full: "
		    "nothing was written", path);
	default:
		return mash_err(status(rc) == MASH_OK ? MASH_ESOFTWARE :
		    status(rc), "store '%s': %s: %s", path, what, msg);
	}
}

static const char *
sq_error(struct mash *m)
{
	return sqlite3_errstr(m->db->last);
}

/*
 * With MASH_EXPLAIN set, every statement's query plan is written to
 * that file as it is first prepared: the tests read it to prove that
 * no listing or matching query scans a whole table.
 */
static void
explain(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	char *q;

	q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	if (q != NULL && sqlite3_prepare_v2(db->h, q, -1, &st, NULL) ==
	    SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			fprintf(db->explain, "%.60s\t%s\n", sql,
			    (const char *)sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
	}
	sqlite3_free(q);
}

/* the kept statement of a text, reset, or a new one kept */
static struct sq_row *
prepare(struct mash *m, const char *sql)
{
	struct db *db = m->db;
	struct sq_row *r;
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql) {
			r = &db->cache[i];
			sqlite3_reset(r->st);
			sqlite3_clear_bindings(r->st);
			r->status = MASH_OK;
			r->done = 0;
			return r;
		}
	rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL);
	if (rc != SQLITE_OK) {
		db->failed.h.ops = &db_sqlite;
		db->failed.m = m;
		db->failed.status = fail(m, rc, "cannot prepare a statement");
		return &db->failed;
	}
	if (db->explain != NULL)
		explain(db, sql);
	if (db->ncache < MASH_STMT_CACHE)
		r = &db->cache[db->ncache++];
	else {
		/* a full cache is a bug: keep working, but do not leak */
		r = &db->cache[0];
		sqlite3_finalize(r->st);
	}
	r->h.ops = &db_sqlite;
	r->m = m;
	r->sql = sql;
	r->st = st;
	r->status = MASH_OK;
	r->done = 0;
	return r;
}

/*
 * A text is bound where it lies, not copied, when the call runs the
 * statement to its end before it returns (how, db-engine.h): the
 * caller's string outlives every step.  A query's rows are read after
 * bind returns, so its texts are copied.  The statement keeps the
 * pointer after its reset, but prepare clears it before the statement
 * runs again.
 */
static int
bind(struct mash *m, sqlite3_stmt *st, const char *fmt, va_list ap,
    enum db_how how)
{
	void (*keep)(void *) = how == DB_ROWS ? SQLITE_TRANSIENT :
	    SQLITE_STATIC;
	char tbuf[MASH_TIME_LEN];
	const char *s;
	int64_t id;
	char *js;
	cJSON *j;
	int i, rc = SQLITE_OK;

	for (i = 1; *fmt != '\0' && rc == SQLITE_OK; fmt++, i++) {
		switch (*fmt) {
		case 't':
			s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st, i, s, -1, keep) :
			    sqlite3_bind_null(st, i);
			break;
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'n':
			rc = sqlite3_bind_null(st, i);
			break;
		case 'I':
			id = va_arg(ap, int64_t);
			rc = id > 0 ? sqlite3_bind_int64(st, i, id) :
			    sqlite3_bind_null(st, i);
			break;
		case 'T':
			if (mash_time_utc(va_arg(ap, mash_time), tbuf) != 0)
				return mash_err(MASH_EDATA, "an instant is "
				    "outside the years %d to %d: not stored",
				    MASH_YEAR_MIN, MASH_YEAR_MAX);
			rc = sqlite3_bind_text(st, i, tbuf, -1,
			    SQLITE_TRANSIENT);
			break;
		case 'j':
			j = va_arg(ap, cJSON *);
			js = j ? mash_json_print(j) : NULL;
			rc = js ? sqlite3_bind_text(st, i, js, -1, free) :
			    sqlite3_bind_null(st, i);
			break;
		default:
			return mash_err(MASH_ESOFTWARE, "bad bind letter");
		}
	}
	return rc == SQLITE_OK ? MASH_OK : fail(m, rc, "cannot bind");
}

static struct db_row *
sq_query(struct mash *m, const char *sql, const char *fmt, va_list ap,
    enum db_how how)
{
	struct sq_row *r;

	/* one process: nothing to wait for, but its texts need not be kept */
	if ((r = prepare(m, sql))->status == MASH_OK)
		r->status = bind(m, r->st, fmt, ap, how);
	return &r->h;
}

/* a file's rows are read as they are stepped: a big read is a query */
static struct db_row *
sq_stream(struct mash *m, const char *sql, const char *fmt, va_list ap)
{
	return sq_query(m, sql, fmt, ap, 0);
}

static int
sq_next(struct db_row *h)
{
	struct sq_row *r = ROW(h);
	int rc;

	if (r->status != MASH_OK || r->done || r->st == NULL)
		return 0;
	if ((rc = sqlite3_step(r->st)) == SQLITE_ROW)
		return 1;
	r->done = 1;
	if (rc != SQLITE_DONE)
		r->status = fail(r->m, rc, "store");
	return 0;
}

static int
sq_end(struct db_row *h)
{
	struct sq_row *r = ROW(h);
	int rc = r->status;

	if (r->st != NULL)
		sqlite3_reset(r->st);
	r->status = MASH_OK;
	r->done = 0;
	return rc;
}

static int64_t
sq_changes(struct mash *m)
{
	return sqlite3_changes64(m->db->h);
}

static int64_t
sq_inserted(struct mash *m, struct db_row *r)
{
	(void)r;
	return sqlite3_last_insert_rowid(m->db->h);
}

static int
sq_cols(struct db_row *h)
{
	return sqlite3_column_count(ROW(h)->st);
}

static const char *
sq_col_name(struct db_row *h, int col)
{
	return sqlite3_column_name(ROW(h)->st, col);
}

static const char *
sq_col_text(struct db_row *h, int col)
{
	return (const char *)sqlite3_column_text(ROW(h)->st, col);
}

static size_t
sq_col_len(struct db_row *h, int col)
{
	return (size_t)sqlite3_column_bytes(ROW(h)->st, col);
}

static int64_t
sq_col_int(struct db_row *h, int col)
{
	return sqlite3_column_int64(ROW(h)->st, col);
}

static int
sq_col_null(struct db_row *h, int col)
{
	return sqlite3_column_type(ROW(h)->st, col) == SQLITE_NULL;
}

static cJSON *
sq_col_json(struct db_row *h, int col)
{
	sqlite3_stmt *st = ROW(h)->st;

	switch (sqlite3_column_type(st, col)) {
	case SQLITE_NULL:
		return cJSON_CreateNull();
	case SQLITE_INTEGER:
		return cJSON_CreateNumber((double)sqlite3_column_int64(st, col));
	case SQLITE_FLOAT:
		return cJSON_CreateNumber(sqlite3_column_double(st, col));
	default:
		return cJSON_CreateString(sq_col_text(h, col));
	}
}

#define HUGE_PAGE	(2u << 20)

/* may this process have transparent huge pages, on asking for them? */
static int
thp_madvise(void)
{
	char mode[128];
	ssize_t n;
	int fd;

	if ((fd = open("/sys/kernel/mm/transparent_hugepage/enabled",
	    O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, mode, sizeof(mode) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	mode[n] = '\0';
	return strstr(mode, "[always]") != NULL ||
	    strstr(mode, "[madvise]") != NULL;
}

/*
 * SQLite's page cache (its 2000 KiB, sq_setup) in one huge page of
 * memory, where the kernel gives them.  A queue reads thousands of
 * pages through it, and each page of it that SQLite malloc'd was a page
 * fault of its own: 780 of mash-decide's on a million cases, 270 with
 * this.  SQLite lays out the buffer when it starts, touching all of it:
 * one fault for a huge page, 500 for small ones, which is why nothing
 * is asked where huge pages cannot be had.  Pages past the buffer, and
 * those of a store with larger pages, are malloc'd as before.
 */
static void
page_cache(void)
{
	char *raw, *buf;
	size_t sz;
	int hdr = 0;

	if (!thp_madvise() ||
	    sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &hdr) != SQLITE_OK)
		return;
	if ((raw = mmap(NULL, 2 * HUGE_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		return;
	/* one whole huge page, aligned, of the two asked for */
	buf = raw + (-(uintptr_t)raw & (HUGE_PAGE - 1));
	if (buf > raw)
		munmap(raw, (size_t)(buf - raw));
	munmap(buf + HUGE_PAGE, HUGE_PAGE - (size_t)(buf - raw));
	sz = (4096 + (size_t)hdr + 7) & ~(size_t)7;
	if (madvise(buf, HUGE_PAGE, MADV_HUGEPAGE) == -1 ||
	    sqlite3_config(SQLITE_CONFIG_PAGECACHE, buf, (int)sz,
	    (int)(HUGE_PAGE / sz)) != SQLITE_OK)
		munmap(buf, HUGE_PAGE);
}

/* SQLite's memory, in alloc.c's small blocks */
static void *
small_malloc(int n)
{
	return mash_small_alloc((size_t)n);
}

static void *
small_realloc(void *p, int n)
{
	return mash_small_realloc(p, (size_t)n);
}

static int
small_size(void *p)
{
	return (int)mash_small_size(p);
}

static int
small_roundup(int n)
{
	return (int)mash_small_roundup((size_t)n);
}

static int
small_init(void *unused)
{
	(void)unused;
	return SQLITE_OK;
}

static void
small_shutdown(void *unused)
{
	(void)unused;
}

/*
 * SQLite, set up once before its first use.  Each program runs one
 * thread, so the locks SQLite takes around every call and every
 * allocation guard nothing; nor is its count of memory in use read.
 * Both cost 12% of an import's instructions.
 */
static void
engine(int bulk)
{
	static const sqlite3_mem_methods small = { small_malloc,
	    mash_small_free, small_realloc, small_size, small_roundup,
	    small_init, small_shutdown, NULL };
	static int done;

	if (done)
		return;
	done = 1;
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (mash_small())
		sqlite3_config(SQLITE_CONFIG_MALLOC, &small);
	/* a cache in the buffer could never grow past it, as bulk's must */
	if (!bulk)
		page_cache();
}

/* a statement run for its effect, no parameters: SQLite's code */
static int
run(struct db *db, const char *sql)
{
	return sqlite3_exec(db->h, sql, NULL, NULL, NULL);
}

/*
 * In a hub, the -wal and -shm files stay when the store is closed, the
 * -wal emptied: no stale page in it, nor one for a store put back
 */
static void
keep_companions(struct db *db)
{
	int on = 1;

	if (!mash_priv_setgid())
		return;
	sqlite3_file_control(db->h, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
	run(db, "PRAGMA journal_size_limit = 0");
}

/* open the store's file (create: a new, empty one, in WAL mode) */
static int
sq_open(struct mash *m, const char *path, int create)
{
	struct db *db;
	const char *e;
	int rc;

	engine(m->bulk);
	m->db = db = mash_xmalloc(sizeof(*db));
	memset(db, 0, sizeof(*db));
	if ((e = secure_getenv("MASH_EXPLAIN")) != NULL && *e != '\0')
		db->explain = fopen(e, "a");
	rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE, NULL);
	if (create && rc != SQLITE_OK)
		return mash_err(MASH_ECANTCREAT, "cannot create store '%s': "
		    "%s", path, sqlite3_errstr(rc));
	if (!create && rc == SQLITE_OK &&
	    sqlite3_db_readonly(db->h, "main") == 1)
		rc = SQLITE_READONLY;
	if (rc != SQLITE_OK)
		return mash_err(status(rc) == MASH_ENOINPUT ?
		    MASH_ECANTCREAT : status(rc), "cannot open store '%s': %s",
		    path, sqlite3_errstr(rc));
	keep_companions(db);
	if (create && (rc = run(db, "PRAGMA journal_mode = WAL")) !=
	    SQLITE_OK)
		return fail(m, rc, "cannot create the store");
	return MASH_OK;
}

/*
 * close_name(name_key): could the key be close to the child being
 * matched (m->probe, store-case.c)?  1 when none is.  Matching reads
 * every child born on the day, 150 of them in a store of a million:
 * asked here, the many that cannot be close are let go inside the
 * statement, not stepped out one by one.  Direct only: the schema and
 * its triggers cannot call it.
 */
static void
close_name(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct mash *m = sqlite3_user_data(cx);
	const unsigned char *key;

	(void)argc;
	key = sqlite3_value_text(argv[0]);
	sqlite3_result_int(cx, m->probe == NULL || key == NULL ||
	    mash_name_probe_close(m->probe, (const char *)key));
}

static int
sq_setup(struct mash *m)
{
	static const char *const sql[] = {
		"PRAGMA foreign_keys = ON",
		"PRAGMA trusted_schema = OFF",
		"PRAGMA synchronous = FULL",
		/* no temporary file where the user could read it */
		"PRAGMA temp_store = MEMORY",
		/*
		 * The page cache is SQLite's own, 2000 KiB: a listing reads
		 * most pages once, and each page kept past that was a malloc
		 * and a fresh page of memory, not a read saved (8 MiB here
		 * made mash-overdue on a million cases take 3 400 page
		 * faults to sqlite3's 800).  It is kept in one huge page
		 * where the kernel has them (page_cache).  An import asks
		 * for more (bulk), malloc'd.
		 */
	};
	struct db *db = m->db;
	size_t i;
	int rc;

	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		if ((rc = run(db, sql[i])) != SQLITE_OK)
			return fail(m, rc, "cannot set up the store");
	if ((rc = sqlite3_create_function(db->h, "close_name", 1,
	    SQLITE_UTF8 | SQLITE_DIRECTONLY, m, close_name, NULL, NULL)) !=
	    SQLITE_OK)
		return fail(m, rc, "cannot set up the store");
	return MASH_OK;
}

static void
sq_close(struct mash *m)
{
	struct db *db = m->db;
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].st);
	sqlite3_close(db->h);
	if (db->explain != NULL)
		fclose(db->explain);
	free(db);
	m->db = NULL;
}

/*
 * An import writes one long transaction into indexes in no order:
 * pages the cache cannot hold are spilled and read back.  16 MiB
 * halves that on a large file and keeps the process near 24 MiB.  The
 * cache grows to it only in pages SQLite mallocs: a store opened by
 * mash_open_bulk, whose engine keeps no page cache buffer (engine).
 */
static int
sq_bulk(struct mash *m)
{
	int rc;

	if ((rc = run(m->db, "PRAGMA cache_size = -16384")) != SQLITE_OK)
		return fail(m, rc, "cannot set up the store");
	return MASH_OK;
}

static int
sq_begin(struct mash *m, int write)
{
	int rc;

	if ((rc = run(m->db, write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")) !=
	    SQLITE_OK)
		return fail(m, rc, "cannot begin a transaction");
	return MASH_OK;
}

static int
sq_commit(struct mash *m)
{
	int rc;

	if ((rc = run(m->db, "COMMIT")) != SQLITE_OK)
		return fail(m, rc, "cannot commit");
	return MASH_OK;
}

static void
sq_rollback(struct mash *m)
{
	if (m->db != NULL && sqlite3_get_autocommit(m->db->h) == 0)
		run(m->db, "ROLLBACK");
}

static int
sq_script(struct mash *m, const char *sql, const char *what)
{
	int rc;

	if ((rc = run(m->db, sql)) != SQLITE_OK)
		return fail(m, rc, what);
	return MASH_OK;
}

/* a pragma's number, read without keeping the statement */
static int
pragma_int(struct mash *m, const char *sql, int *v)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite3_prepare_v2(m->db->h, sql, -1, &st, NULL)) !=
	    SQLITE_OK)
		return fail(m, rc, "cannot read the store");
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(m, rc, "cannot read the store");
	return MASH_OK;
}

static int
sq_version(struct mash *m, int *version, int *app)
{
	int rc;

	if ((rc = pragma_int(m, "PRAGMA user_version", version)) != MASH_OK)
		return rc;
	return pragma_int(m, "PRAGMA application_id", app);
}

static int
sq_version_set(struct mash *m, int version, int app)
{
	char sql[64];
	int rc;

	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
	if ((rc = run(m->db, sql)) != SQLITE_OK)
		return fail(m, rc, "cannot upgrade the store");
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", app);
	if ((rc = run(m->db, sql)) != SQLITE_OK)
		return fail(m, rc, "cannot upgrade the store");
	return MASH_OK;
}

static int
sq_check_file(struct mash *m, char *detail, size_t n)
{
	const char *t;
	sqlite3_stmt *st;
	int rc, bad = 0;

	if ((rc = sqlite3_prepare_v2(m->db->h, "PRAGMA integrity_check", -1,
	    &st, NULL)) != SQLITE_OK) {
		snprintf(detail, n, "%s", sqlite3_errstr(rc));
		return 1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((t = (const char *)sqlite3_column_text(st, 0)) != NULL &&
		    strcmp(t, "ok") != 0 && bad++ == 0)
			snprintf(detail, n, "%s", t);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(detail, n, "%s", sqlite3_errstr(rc));
		return 1;
	}
	if (!bad)
		snprintf(detail, n, "integrity_check ok");
	return bad != 0;
}

static int64_t
sq_check_refs(struct mash *m, char *detail, size_t n)
{
	sqlite3_stmt *st;
	int64_t broken = 0;
	int rc;

	if ((rc = sqlite3_prepare_v2(m->db->h, "PRAGMA foreign_key_check", -1,
	    &st, NULL)) != SQLITE_OK) {
		snprintf(detail, n, "%s", sqlite3_errstr(rc));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		broken++;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(detail, n, "%s", sqlite3_errstr(rc));
		return -1;
	}
	return broken;
}

static int
sq_secure_delete(struct mash *m)
{
	int rc;

	if ((rc = run(m->db, "PRAGMA secure_delete = ON")) != SQLITE_OK)
		return fail(m, rc, "cannot set up the store");
	return MASH_OK;
}

/*
 * The transaction zeroed what it freed (secure_delete); VACUUM
 * rewrites the file without the free space older changes left; a
 * checkpoint empties the write-ahead log.
 */
static int
sq_scrub(struct mash *m)
{
	sqlite3_stmt *st;
	int rc, busy;

	if ((rc = run(m->db, "VACUUM")) != SQLITE_OK)
		return fail(m, rc, "cannot rewrite the store");
	if ((rc = sqlite3_prepare_v2(m->db->h, "PRAGMA wal_checkpoint("
	    "TRUNCATE)", -1, &st, NULL)) != SQLITE_OK)
		return fail(m, rc, "cannot prepare a statement");
	rc = sqlite3_step(st);
	busy = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return fail(m, rc, "store");
	if (busy)
		return mash_err(MASH_ETEMPFAIL, "store '%s': another program "
		    "kept the write-ahead log open: run the purge again to "
		    "empty it", m->path);
	return MASH_OK;
}

/* all pages in one step: a consistent snapshot, with its own log */
static int
sq_copy(struct mash *m, const char *file)
{
	sqlite3_backup *b;
	sqlite3 *dst;
	int rc;

	if ((rc = sqlite3_open_v2(file, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW, NULL)) == SQLITE_OK) {
		if ((b = sqlite3_backup_init(dst, "main", m->db->h, "main"))) {
			rc = sqlite3_backup_step(b, -1);
			sqlite3_backup_finish(b);
		} else
			rc = sqlite3_errcode(dst);
		if (rc == SQLITE_DONE)
			rc = sqlite3_exec(dst, "PRAGMA journal_mode = WAL",
			    NULL, NULL, NULL);
	}
	sqlite3_close(dst);
	if (rc == SQLITE_OK)
		return MASH_OK;
	return mash_err(status(rc) ? status(rc) : MASH_EIO,
	    "backup to '%s' failed: %s", file, sqlite3_errstr(rc));
}

/* a file's rights are its mode's (mash(7), DEPLOYMENT) */
static int
sq_grant(struct mash *m, const char *role)
{
	(void)m;
	(void)role;
	return MASH_OK;
}

const struct db_ops db_sqlite = {
	sq_query, sq_stream, sq_next, sq_end, sq_changes, sq_inserted, sq_cols,
	sq_col_name, sq_col_text, sq_col_len, sq_col_int, sq_col_null,
	sq_col_json, sq_open, sq_setup, sq_close, sq_bulk, sq_begin,
	sq_commit, sq_rollback, sq_script, sq_version, sq_version_set,
	sq_check_file, sq_check_refs, sq_secure_delete, sq_scrub, sq_copy,
	sq_error, sq_grant,
};
