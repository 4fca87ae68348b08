/*
 * store.c: opening and creating the store, the user acting on it,
 * transactions, statements, and the audit trail.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "schema.sql.h"

#define BUSY_TIMEOUT_MS	30000

const char *
mash_db_path(const char *opt)
{
	const char *p;

	if (opt != NULL)
		return opt;
	/*
	 * getenv, not secure_getenv: a hub's program must see MASH_DB to
	 * refuse it (mash_open), not silently open the hub's store instead
	 */
	if ((p = getenv("MASH_DB")) != NULL && *p != '\0')
		return p;
	return MASH_DEFAULT_DB;
}

/* a hub's programs open the hub's store and no other (mash(7)) */
static int
hub_store(const char *path)
{
	if (!mash_priv_setgid() || strcmp(path, MASH_DEFAULT_DB) == 0)
		return MASH_OK;
	return mash_err(MASH_ENOPERM, "store '%s' is not the hub's store "
	    "'%s': a hub install opens no other (unset MASH_DB, leave out "
	    "-d)", path, MASH_DEFAULT_DB);
}

int
db_schema_version(void)
{
	return SCHEMA_VERSION;
}

int
db_status(int rc)
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

int
db_fail(struct mash *m, int rc, const char *what)
{
	const char *path = m && m->path ? m->path : "";
	const char *msg = m && m->db ? sqlite3_errmsg(m->db) :
	    sqlite3_errstr(rc);

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
		return mash_err(db_status(rc) == MASH_OK ? MASH_ESOFTWARE :
		    db_status(rc), "store '%s': %s: %s", path, what, msg);
	}
}

/*
 * With MASH_EXPLAIN set, every statement's query plan is written to
 * that file as it is first prepared: the tests read it to prove that
 * no listing or matching query scans a whole table.
 */
static void
explain(struct mash *m, const char *sql)
{
	sqlite3_stmt *st;
	char *q;

	q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	if (q != NULL && sqlite3_prepare_v2(m->db, q, -1, &st, NULL) ==
	    SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			fprintf(m->explain, "%.60s\t%s\n", sql, db_text(st, 3));
		sqlite3_finalize(st);
	}
	sqlite3_free(q);
}

sqlite3_stmt *
db_prep(struct mash *m, const char *sql)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < m->ncache; i++)
		if (m->cache[i].sql == sql) {
			sqlite3_reset(m->cache[i].stmt);
			sqlite3_clear_bindings(m->cache[i].stmt);
			return m->cache[i].stmt;
		}
	rc = sqlite3_prepare_v3(m->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL);
	if (rc != SQLITE_OK) {
		db_fail(m, rc, "cannot prepare a statement");
		return NULL;
	}
	if (m->explain != NULL)
		explain(m, sql);
	if (m->ncache < MASH_STMT_CACHE) {
		m->cache[m->ncache].sql = sql;
		m->cache[m->ncache++].stmt = st;
	} else {
		/* a full cache is a bug: keep working, but do not leak */
		sqlite3_finalize(m->cache[0].stmt);
		m->cache[0].sql = sql;
		m->cache[0].stmt = st;
	}
	return st;
}

static int
vbind(struct mash *m, sqlite3_stmt *st, const char *fmt, va_list ap)
{
	char tbuf[MASH_TIME_LEN];
	const char *s;
	char *js;
	cJSON *j;
	int i, rc = SQLITE_OK;

	for (i = 1; *fmt != '\0' && rc == SQLITE_OK; fmt++, i++) {
		switch (*fmt) {
		case 't':
			s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st, i, s, -1,
			    SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
			break;
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'n':
			rc = sqlite3_bind_null(st, i);
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
	return rc == SQLITE_OK ? MASH_OK : db_fail(m, rc, "cannot bind");
}

int
db_bind(struct mash *m, sqlite3_stmt *st, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vbind(m, st, fmt, ap);
	va_end(ap);
	return rc;
}

int
db_step(struct mash *m, sqlite3_stmt *st)
{
	int rc;

	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_fail(m, rc, "store");
	return rc;
}

int
db_one(struct mash *m, sqlite3_stmt *st, const char *fmt, ...)
{
	char what[128];
	va_list ap;
	int rc;

	if ((rc = db_step(m, st)) == SQLITE_ROW)
		return MASH_OK;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_status(rc);
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return mash_err(MASH_ENOINPUT, "%s", what);
}

int
db_exec(struct mash *m, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	if ((st = db_prep(m, sql)) == NULL)
		return MASH_ESOFTWARE;
	va_start(ap, fmt);
	rc = vbind(m, st, fmt, ap);
	va_end(ap);
	if (rc != MASH_OK)
		return rc;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return MASH_OK;
	return db_fail(m, rc, "store");
}

const char *
db_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

cJSON *
db_json_col(sqlite3_stmt *st, int col)
{
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_NULL:
		return cJSON_CreateNull();
	case SQLITE_INTEGER:
		return cJSON_CreateNumber((double)sqlite3_column_int64(st, col));
	case SQLITE_FLOAT:
		return cJSON_CreateNumber(sqlite3_column_double(st, col));
	default:
		return cJSON_CreateString(db_text(st, col));
	}
}

void
db_row_json(sqlite3_stmt *st, cJSON *obj)
{
	int i, n = sqlite3_column_count(st);

	for (i = 0; i < n; i++)
		cJSON_AddItemToObject(obj, sqlite3_column_name(st, i),
		    db_json_col(st, i));
}

int
db_list(struct mash *m, sqlite3_stmt *st, struct mash_out *out)
{
	cJSON *o, *e;
	int rc, wr = MASH_OK;

	while (wr == MASH_OK && (rc = db_step(m, st)) == SQLITE_ROW) {
		o = cJSON_CreateObject();
		db_row_json(st, o);
		/* a flag kept as 0 or 1 prints as a JSON boolean */
		if ((e = cJSON_GetObjectItemCaseSensitive(o, "enabled")) &&
		    cJSON_IsNumber(e))
			cJSON_ReplaceItemInObjectCaseSensitive(o, "enabled",
			    cJSON_CreateBool(e->valueint));
		wr = mash_out_row(out, o);
		cJSON_Delete(o);
	}
	sqlite3_reset(st);
	if (wr != MASH_OK)
		return wr;
	return rc == SQLITE_DONE ? MASH_OK : db_status(rc);
}

static int
pragmas(struct mash *m)
{
	static const char *const sql[] = {
		"PRAGMA foreign_keys = ON",
		"PRAGMA trusted_schema = OFF",
		"PRAGMA synchronous = FULL",
		/* no temporary file where the user could read it */
		"PRAGMA temp_store = MEMORY",
		/* an import's pages stay in memory, not spilled and read back */
		"PRAGMA cache_size = -8192",
	};
	size_t i;
	int rc;

	sqlite3_extended_result_codes(m->db, 1);
	sqlite3_busy_timeout(m->db, BUSY_TIMEOUT_MS);
	sqlite3_db_config(m->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		if ((rc = sqlite3_exec(m->db, sql[i], NULL, NULL, NULL)) !=
		    SQLITE_OK)
			return db_fail(m, rc, "cannot set up the store");
	return MASH_OK;
}

static int
pragma_int(struct mash *m, const char *sql, int *v)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite3_prepare_v2(m->db, sql, -1, &st, NULL)) != SQLITE_OK)
		return db_fail(m, rc, "cannot read the store");
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(m, rc, "cannot read the store");
	return MASH_OK;
}

/* bring an older store up to this program's schema, all or nothing */
static int
migrate(struct mash *m)
{
	char sql[64];
	int v, from, id, rc;

	if ((rc = pragma_int(m, "PRAGMA user_version", &v)) != MASH_OK ||
	    (rc = pragma_int(m, "PRAGMA application_id", &id)) != MASH_OK)
		return rc;
	if (id != APPLICATION_ID && !(id == 0 && v == 0 && m->in_tx))
		return mash_err(MASH_EDATA, "'%s' is not a mash store",
		    m->path);
	if (v > SCHEMA_VERSION)
		return mash_err(MASH_ECONFIG, "store '%s' has schema version "
		    "%d, newer than this program's %d: upgrade mash",
		    m->path, v, SCHEMA_VERSION);
	if (v == SCHEMA_VERSION)
		return MASH_OK;
	if (!m->in_tx) {
		/* another program may have upgraded it while this one waited */
		if ((rc = mash_begin(m)) != MASH_OK ||
		    (rc = pragma_int(m, "PRAGMA user_version", &v)) != MASH_OK)
			return rc;
		if (v == SCHEMA_VERSION)
			return MASH_OK;
	}
	from = v;
	for (; v < SCHEMA_VERSION; v++)
		if ((rc = sqlite3_exec(m->db, schema[v], NULL, NULL, NULL)) !=
		    SQLITE_OK)
			return db_fail(m, rc, "cannot upgrade the store");
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
	if ((rc = sqlite3_exec(m->db, sql, NULL, NULL, NULL)) != SQLITE_OK)
		return db_fail(m, rc, "cannot upgrade the store");
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d",
	    APPLICATION_ID);
	if ((rc = sqlite3_exec(m->db, sql, NULL, NULL, NULL)) != SQLITE_OK)
		return db_fail(m, rc, "cannot upgrade the store");
	if (from == 0)
		return MASH_OK;		/* a new store: init is audited */
	if (from < 4)			/* the chain begins at version 4 */
		return db_audit_upgrade(m, from, v);
	return db_audit(m, "upgrade", 0, "#from", (int64_t)from, "#to",
	    (int64_t)v, NULL);
}

/*
 * MASH_USER and MASH_NOW give no one more than they have: they are
 * obeyed only outside a hub install, on a store file the real user
 * owns and could change anyway (mash(7), ENVIRONMENT).  Anywhere else
 * a set one is refused, never silently obeyed or ignored.
 */
static int
overrides(struct mash *m, int own)
{
	static const char *const vars[] = { "MASH_USER", "MASH_NOW" };
	const char *v;
	size_t i;

	m->own = own && !mash_priv_setgid();
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]) && !m->own; i++)
		if ((v = getenv(vars[i])) != NULL && *v != '\0')
			return mash_err(MASH_ENOPERM, "%s is set: it is obeyed "
			    "only on a store of your own, %s", vars[i],
			    mash_priv_setgid() ? "never by a hub install" :
			    "and another user owns this one");
	return MASH_OK;
}

/* the login name of the real user, or MASH_USER where honoured */
static int
whoami(struct mash *m)
{
	const char *u = NULL;
	struct passwd *pw;

	if (m->own)
		u = getenv("MASH_USER");
	if (u == NULL || *u == '\0') {
		if ((pw = getpwuid(getuid())) == NULL)
			return mash_err(MASH_ENOPERM,
			    "user id %u has no login name", (unsigned)getuid());
		u = pw->pw_name;
	}
	if (strlen(u) >= sizeof(m->login))
		return mash_err(MASH_ENOPERM, "login name is too long");
	strcpy(m->login, u);
	return MASH_OK;
}

static int
identify(struct mash *m)
{
	sqlite3_stmt *st;
	const char *ag;
	int rc;

	if ((st = db_prep(m, "SELECT roles, agency, enabled FROM users"
	    " WHERE login = ?")) == NULL)
		return MASH_ESOFTWARE;
	db_bind(m, st, "t", m->login);
	if ((rc = db_step(m, st)) == SQLITE_DONE)
		return mash_err(MASH_ENOPERM, "user '%s' is not registered "
		    "in store '%s'", m->login, m->path);
	if (rc != SQLITE_ROW)
		return db_status(rc);
	if (sqlite3_column_int(st, 2) == 0) {
		sqlite3_reset(st);
		return mash_err(MASH_ENOPERM, "user '%s' is disabled",
		    m->login);
	}
	m->roles = mash_roles_parse(db_text(st, 0));
	ag = db_text(st, 1);
	snprintf(m->agency, sizeof(m->agency), "%s", ag ? ag : "");
	sqlite3_reset(st);
	return m->roles < 0 ? mash_err(MASH_ECONFIG, "user '%s' has an "
	    "unknown role", m->login) : MASH_OK;
}

/*
 * SQLite, set up once before its first use.  Each program runs one
 * thread, so the locks SQLite takes around every call and every
 * allocation guard nothing; nor is its count of memory in use read.
 * Both cost 12% of an import's instructions.
 */
static void
engine(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static struct mash *
alloc(const char *path)
{
	struct mash *m;
	const char *e;

	engine();
	m = mash_xmalloc(sizeof(*m));
	memset(m, 0, sizeof(*m));
	m->path = mash_xstrdup(path);
	if ((e = secure_getenv("MASH_EXPLAIN")) != NULL && *e != '\0')
		m->explain = fopen(e, "a");
	return m;
}

static int
clock_start(struct mash *m)
{
	/* mash_now has said what is wrong with MASH_NOW */
	return mash_now(&m->now) == 0 ? MASH_OK : MASH_ECONFIG;
}

/*
 * Opened to see whether it can be: a set-group-id program's access(2)
 * would answer for the user, not for the program (mash(7)).  Every
 * command may write (a view is audited), so the store must open for
 * writing; say plainly when it cannot.
 */
static int
probe(const char *path, struct stat *sb)
{
	int fd, e;

	fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		e = errno;
		if (e == ENOENT)
			return mash_err(MASH_ENOINPUT, "cannot open store "
			    "'%s':", path);
		if (e == EISDIR)
			return mash_err(MASH_EDATA, "store '%s' is not a file",
			    path);
		if (e == ELOOP)
			return mash_err(MASH_ECANTCREAT, "store '%s' is a "
			    "symbolic link: name the file itself", path);
		if ((e == EACCES || e == EROFS || e == EPERM) &&
		    (fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC)) != -1) {
			close(fd);
			return mash_err(MASH_ECANTCREAT, "store '%s' is "
			    "read-only", path);
		}
		errno = e;
		return mash_err(e == EACCES ? MASH_ENOPERM : MASH_ECANTCREAT,
		    "cannot open store '%s':", path);
	}
	if (fstat(fd, sb) == -1) {
		close(fd);
		return mash_err(MASH_EIO, "cannot open store '%s':", path);
	}
	close(fd);
	if (!S_ISREG(sb->st_mode))
		return mash_err(MASH_EDATA, "store '%s' is not a file", path);
	return MASH_OK;
}

/*
 * SQLite's write-ahead log needs files beside the store.  Asked with
 * the program's effective rights (AT_EACCESS), which are the ones
 * SQLite will have.
 */
static int
dir_writable(const char *path)
{
	char dir[4096], *slash;
	char wal[4096 + 8];
	struct stat sb;

	snprintf(wal, sizeof(wal), "%s-wal", path);
	if (stat(wal, &sb) == 0)
		return MASH_OK;
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) == -1)
		return mash_err(MASH_ECANTCREAT, "store '%s': its directory is "
		    "read-only:", path);
	return MASH_OK;
}

/*
 * SQLite's write-ahead log and its index beside the store, -wal and
 * -shm, belong to whoever made them.  Made by a hub user's program,
 * they would be that user's: a copy of the store's pages the user
 * could read through /proc/self/fd of any program holding them open.
 * So a hub keeps the ones root made with the store (mash(7),
 * DEPLOYMENT): a program run by root gives any other back to the
 * store's owner, and anyone else's refuses to open the store without
 * them rather than make its own.
 */
static int
companions(const char *path, const struct stat *store)
{
	static const char *const ext[] = { "-wal", "-shm" };
	char f[4096 + 8];
	struct stat sb;
	size_t i;
	int ok;

	if (!mash_priv_setgid())
		return MASH_OK;
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(f, sizeof(f), "%s%s", path, ext[i]);
		if (lstat(f, &sb) == 0)
			ok = S_ISREG(sb.st_mode) && sb.st_nlink == 1;
		else if (errno == ENOENT && getuid() == 0)
			continue;	/* SQLite makes it the store owner's */
		else
			ok = 0;
		if (ok && sb.st_uid != store->st_uid && getuid() == 0 &&
		    chown(f, store->st_uid, store->st_gid) == -1)
			return mash_err(MASH_ECANTCREAT, "cannot give '%s' "
			    "to the store's owner:", f);
		if (!ok || (sb.st_uid != store->st_uid && getuid() != 0))
			return mash_err(MASH_ECONFIG, "store '%s': '%s' is "
			    "missing or not the store owner's: a hub keeps "
			    "the ones root made (mash(7), DEPLOYMENT): root "
			    "mends it by running 'mash-admin check'", path, f);
	}
	return MASH_OK;
}

/*
 * In a hub, the -wal and -shm files stay when the store is closed, the
 * -wal emptied: no stale page in it, nor one for a store put back
 */
static void
keep_companions(struct mash *m)
{
	int on = 1;

	if (!mash_priv_setgid())
		return;
	sqlite3_file_control(m->db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
	sqlite3_exec(m->db, "PRAGMA journal_size_limit = 0", NULL, NULL, NULL);
}

int
mash_open(struct mash **mp, const char *path)
{
	struct mash *m;
	struct stat sb;
	int rc;

	*mp = NULL;
	if ((rc = hub_store(path)) != MASH_OK ||
	    (rc = probe(path, &sb)) != MASH_OK ||
	    (rc = dir_writable(path)) != MASH_OK ||
	    (rc = companions(path, &sb)) != MASH_OK)
		return rc;
	m = alloc(path);
	if ((rc = overrides(m, sb.st_uid == getuid())) != MASH_OK)
		goto fail;
	rc = sqlite3_open_v2(path, &m->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE, NULL);
	if (rc == SQLITE_OK && sqlite3_db_readonly(m->db, "main") == 1)
		rc = SQLITE_READONLY;
	if (rc != SQLITE_OK) {
		rc = mash_err(db_status(rc) == MASH_ENOINPUT ? MASH_ECANTCREAT :
		    db_status(rc), "cannot open store '%s': %s", path,
		    sqlite3_errstr(rc));
		goto fail;
	}
	keep_companions(m);
	/* who, before an upgrade: it is audited */
	if ((rc = whoami(m)) != MASH_OK || (rc = pragmas(m)) != MASH_OK ||
	    (rc = db_zone(m)) != MASH_OK || (rc = clock_start(m)) != MASH_OK ||
	    (rc = migrate(m)) != MASH_OK)
		goto fail;
	if (m->in_tx && (rc = mash_commit(m)) != MASH_OK)
		goto fail;
	if ((rc = identify(m)) != MASH_OK)
		goto fail;
	*mp = m;
	return MASH_OK;
fail:
	mash_close(m);
	return rc;
}

/*
 * Why a store could not be made, and what to do: make its directory,
 * which init never does (mash-admin(1)), or choose another store;
 * a hub's is the one store its programs open (make install-hub makes
 * its directory)
 */
static int
cannot_create(const char *path)
{
	int e = errno;
	const char *slash = strrchr(path, '/');
	int dir = slash == NULL ? 1 : slash == path ? 1 : (int)(slash - path);

	if (mash_priv_setgid())
		return mash_err(MASH_ECANTCREAT, "cannot create store '%s': %s;"
		    " its directory is made by make install-hub", path,
		    strerror(e));
	if (e == ENOENT)
		return mash_err(MASH_ECANTCREAT, "cannot create store '%s': %s;"
		    " create the directory '%.*s' first, or choose another "
		    "store with -d or MASH_DB", path, strerror(e), dir,
		    slash ? path : ".");
	return mash_err(MASH_ECANTCREAT, "cannot create store '%s': %s; "
	    "choose another store with -d or MASH_DB", path, strerror(e));
}

/*
 * A user's own store is theirs alone (0600); a hub's is shared with
 * the programs' group and no one else (0660), and only root makes it.
 */
static int
create_file(const char *path)
{
	mode_t mode = mash_priv_setgid() ? 0660 : 0600;
	int fd;

	if (mash_priv_setgid() && getuid() != 0)
		return mash_err(MASH_ENOPERM, "creating a hub's store needs "
		    "root: run 'mash-admin init --admin LOGIN' as root");
	/* made here, not by SQLite, so that no umask can widen it */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, mode)) == -1) {
		if (errno == EEXIST)
			return mash_err(MASH_ECANTCREAT, "store '%s' already "
			    "exists: not overwriting it", path);
		return cannot_create(path);
	}
	if (fchmod(fd, mode) == -1) {
		close(fd);
		unlink(path);
		return mash_err(MASH_ECANTCREAT, "cannot create store '%s':",
		    path);
	}
	close(fd);
	return MASH_OK;
}

int
mash_create(struct mash **mp, const char *path, const char *admin)
{
	struct mash *m;
	const char *why;
	int rc;

	*mp = NULL;
	if (admin != NULL && (why = mash_check_login(admin)) != NULL)
		return mash_err(MASH_EDATA, "--admin '%s' %s", admin, why);
	if ((rc = hub_store(path)) != MASH_OK)
		return rc;
	m = alloc(path);
	/* the new file is the real user's own, but never in a hub */
	if ((rc = overrides(m, 1)) != MASH_OK ||
	    (rc = create_file(path)) != MASH_OK) {
		mash_close(m);
		return rc;
	}
	if ((rc = sqlite3_open_v2(path, &m->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE, NULL)) != SQLITE_OK) {
		rc = mash_err(MASH_ECANTCREAT, "cannot create store '%s': %s",
		    path, sqlite3_errstr(rc));
		goto fail;
	}
	keep_companions(m);
	if ((rc = sqlite3_exec(m->db, "PRAGMA journal_mode = WAL", NULL, NULL,
	    NULL)) != SQLITE_OK) {
		rc = db_fail(m, rc, "cannot create the store");
		goto fail;
	}
	if ((rc = pragmas(m)) != MASH_OK || (rc = db_zone(m)) != MASH_OK ||
	    (rc = clock_start(m)) != MASH_OK ||
	    (rc = mash_begin(m)) != MASH_OK ||
	    (rc = migrate(m)) != MASH_OK || (rc = whoami(m)) != MASH_OK ||
	    (rc = db_seed(m, admin ? admin : m->login)) != MASH_OK)
		goto fail;
	if ((rc = mash_commit(m)) != MASH_OK)
		goto fail;
	m->roles = MASH_ROLE_ADMIN;
	*mp = m;
	/* what was made, as an import says what it imported */
	mash_warn("created store '%s', mode %s, with user '%s' its admin",
	    path, mash_priv_setgid() ? "0660" : "0600",
	    admin ? admin : m->login);
	return MASH_OK;
fail:
	mash_close(m);
	unlink(path);
	return rc == MASH_OK ? MASH_ECANTCREAT : rc;
}

void
mash_close(struct mash *m)
{
	size_t i;

	if (m == NULL)
		return;
	if (m->in_tx)
		mash_rollback(m);
	for (i = 0; i < m->ncache; i++)
		sqlite3_finalize(m->cache[i].stmt);
	sqlite3_close(m->db);
	if (m->explain != NULL)
		fclose(m->explain);
	free(m->cal);
	free(m->holidays);
	free(m->path);
	free(m);
}

int
mash_bulk(struct mash *m)
{
	int rc;

	/*
	 * An import writes one long transaction into indexes in no order:
	 * pages the cache cannot hold are spilled and read back.  16 MiB
	 * halves that on a large file and keeps the process near 24 MiB.
	 */
	if ((rc = sqlite3_exec(m->db, "PRAGMA cache_size = -16384", NULL,
	    NULL, NULL)) != SQLITE_OK)
		return db_fail(m, rc, "cannot set up the store");
	return MASH_OK;
}

int
mash_begin(struct mash *m)
{
	int rc;

	if ((rc = sqlite3_exec(m->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) !=
	    SQLITE_OK)
		return db_fail(m, rc, "cannot begin a transaction");
	m->in_tx = 1;
	return MASH_OK;
}

/*
 * A read transaction: a listing sees one moment of the store, and
 * SQLite takes its locks and checks its page cache once, not once per
 * statement (a queue of 2 500 cases made 20 000 fcntl calls).
 */
int
mash_begin_read(struct mash *m)
{
	int rc;

	if ((rc = sqlite3_exec(m->db, "BEGIN DEFERRED", NULL, NULL, NULL)) !=
	    SQLITE_OK)
		return db_fail(m, rc, "cannot begin a transaction");
	m->in_tx = 1;
	return MASH_OK;
}

int
mash_commit(struct mash *m)
{
	int rc;

	rc = sqlite3_exec(m->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = db_fail(m, rc, "cannot commit");
		mash_rollback(m);
		return rc;
	}
	m->in_tx = 0;
	return MASH_OK;
}

void
mash_rollback(struct mash *m)
{
	if (sqlite3_get_autocommit(m->db) == 0)
		sqlite3_exec(m->db, "ROLLBACK", NULL, NULL, NULL);
	m->in_tx = 0;
}

mash_time
mash_clock(const struct mash *m)
{
	return m->now;
}

static const struct {
	const char	*name;
	int		 bit;
} role_names[] = {
	{ "admin", MASH_ROLE_ADMIN },
	{ "screener", MASH_ROLE_SCREENER },
	{ "head", MASH_ROLE_HEAD },
	{ "social-worker", MASH_ROLE_SW },
	{ "agency", MASH_ROLE_AGENCY },
	{ "auditor", MASH_ROLE_AUDITOR },
};

int
mash_roles_parse(const char *s)
{
	size_t i, n;
	int mask = 0;

	if (s == NULL || *s == '\0')
		return -1;
	while (*s != '\0') {
		n = strcspn(s, ",");
		for (i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
			if (strlen(role_names[i].name) == n &&
			    strncmp(role_names[i].name, s, n) == 0)
				break;
		if (i == sizeof(role_names) / sizeof(role_names[0]))
			return -1;
		mask |= role_names[i].bit;
		s += n;
		if (*s == ',' && *++s == '\0')
			return -1;
	}
	return mask;
}

int
mash_need_role(const struct mash *m, int mask, const char *what)
{
	char need[80] = "";
	size_t i;

	if (m->roles & mask)
		return MASH_OK;
	for (i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (mask & role_names[i].bit) {
			if (need[0] != '\0')
				strcat(need, "' or '");
			strcat(need, role_names[i].name);
		}
	return mash_err(MASH_ENOPERM, "%s needs the role '%s': user '%s' "
	    "does not have it", what, need, m->login);
}

int
mash_audit(struct mash *m, const char *action, int64_t case_id,
    cJSON *details)
{
	char *js;
	int rc;

	js = details ? mash_json_print(details) : mash_xstrdup("{}");
	rc = db_audit_insert(m, action, case_id, js);
	free(js);
	return rc;
}

/*
 * An audit row from alternating keys and values: a string (null when
 * NULL), or an int64_t where the key starts with '#' (left out of the
 * name).  A key that starts with '~' is free text: its name goes in
 * the details' "fields", its text in event_text (mash-audit(1)); it is
 * left out when NULL.  The list ends with a NULL key.
 */
int
db_audit(struct mash *m, const char *action, int64_t id, ...)
{
	const char *k, *v;
	va_list ap, texts;
	cJSON *d, *f = NULL;
	int rc;

	d = cJSON_CreateObject();
	va_start(ap, id);
	va_copy(texts, ap);
	while ((k = va_arg(ap, const char *)) != NULL) {
		if (*k == '#') {
			cJSON_AddNumberToObject(d, k + 1,
			    (double)va_arg(ap, int64_t));
			continue;
		}
		v = va_arg(ap, const char *);
		if (*k == '~' && v != NULL && f == NULL)
			f = cJSON_AddArrayToObject(d, "fields");
		if (*k == '~' && v != NULL)
			cJSON_AddItemToArray(f, cJSON_CreateString(k + 1));
		else if (*k != '~')
			cJSON_AddItemToObject(d, k, v ? cJSON_CreateString(v) :
			    cJSON_CreateNull());
	}
	va_end(ap);
	rc = mash_audit(m, action, id, d);
	cJSON_Delete(d);
	while (rc == MASH_OK && f != NULL &&
	    (k = va_arg(texts, const char *)) != NULL) {
		if (*k == '#') {
			(void)va_arg(texts, int64_t);
			continue;
		}
		v = va_arg(texts, const char *);
		if (*k == '~' && v != NULL)
			rc = db_audit_text(m, k + 1, v);
	}
	va_end(texts);
	return rc;
}
