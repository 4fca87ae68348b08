/*
 * store.c: opening and creating the store, the user acting on it,
 * and transactions.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

/* the parts of mash_tx: nothing else begins or ends a transaction */
static int	tx_begin(struct mash *);
static int	tx_begin_read(struct mash *);
static int	tx_commit(struct mash *);
static void	tx_rollback(struct mash *);

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

/*
 * Is it a mash store, of a version this program can open: *v.  A new
 * one, empty in the transaction that makes it, is version 0.
 */
static int
schema_check(struct mash *m, int *v)
{
	int id, rc;

	if ((rc = db_version(m, v, &id)) != MASH_OK)
		return rc;
	if (id != db_schema_app() && !(id == 0 && *v == 0 && m->in_tx))
		return mash_err(MASH_EDATA, "'%s' is not a mash store",
		    m->path);
	if (*v > db_schema_version())
		return mash_err(MASH_ECONFIG, "store '%s' has schema version "
		    "%d, newer than this program's %d: upgrade mash",
		    m->path, *v, db_schema_version());
	return MASH_OK;
}

/* bring an older store up to this program's schema, all or nothing */
static int
migrate(struct mash *m, int v)
{
	int from, id, rc;

	if (v == db_schema_version())
		return MASH_OK;
	if (!m->in_tx) {
		/* another program may have upgraded it while this one waited */
		if ((rc = tx_begin(m)) != MASH_OK ||
		    (rc = db_version(m, &v, &id)) != MASH_OK)
			return rc;
		if (v == db_schema_version())
			return MASH_OK;
	}
	if ((rc = db_schema_upgrade(m, v)) != MASH_OK)
		return rc;
	from = v;
	v = db_schema_version();
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

	m->own = own && !mash_priv_setgid() && !db_is_uri(m->path);
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]) && !m->own; i++)
		if ((v = getenv(vars[i])) != NULL && *v != '\0')
			return mash_err(MASH_ENOPERM, "%s is set: it is obeyed "
			    "only on a store of your own, %s", vars[i],
			    db_is_uri(m->path) ? "never on a PostgreSQL "
			    "store, whose server says who you are" :
			    mash_priv_setgid() ? "never by a hub install" :
			    "and another user owns this one");
	return MASH_OK;
}

/*
 * The login name of the real user, or MASH_USER where honoured; on
 * PostgreSQL, the role the server let in (mash(7), DEPLOYMENT)
 */
static int
whoami(struct mash *m)
{
	const char *u = NULL;
	struct passwd *pw;
	char *role;
	int rc;

	if (db_pg(m)) {
		if ((rc = db_str(m, &role, "SELECT session_user", "")) !=
		    MASH_OK)
			return rc;
		snprintf(m->login, sizeof(m->login), "%s", role ? role : "");
		free(role);
		return MASH_OK;
	}
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
	struct db_row *r;
	const char *ag;
	int rc, enabled;

	r = db_query(m, "SELECT roles, agency, enabled FROM users "
	    "WHERE login = ?", "t", m->login);
	if (!db_next(r)) {
		if ((rc = db_end(r)) != MASH_OK)
			return rc;
		return mash_err(MASH_ENOPERM, "user '%s' is not registered "
		    "in store '%s'", m->login, m->path);
	}
	m->roles = mash_roles_parse(db_col_text(r, 0));
	ag = db_col_text(r, 1);
	snprintf(m->agency, sizeof(m->agency), "%s", ag ? ag : "");
	enabled = db_col_int(r, 2) != 0;
	db_end(r);
	if (!enabled)
		return mash_err(MASH_ENOPERM, "user '%s' is disabled",
		    m->login);
	return m->roles < 0 ? mash_err(MASH_ECONFIG, "user '%s' has an "
	    "unknown role", m->login) : MASH_OK;
}

static struct mash *
alloc(const char *path)
{
	struct mash *m;

	m = mash_xmalloc(sizeof(*m));
	memset(m, 0, sizeof(*m));
	/* what messages name: never a password */
	m->path = db_is_uri(path) ? db_uri_safe(path) : mash_xstrdup(path);
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

static int
open_store(struct mash **mp, const char *path, int bulk)
{
	struct mash *m;
	struct stat sb;
	int v, rc;

	*mp = NULL;
	sb.st_uid = (uid_t)-1;
	if ((rc = hub_store(path)) != MASH_OK)
		return rc;
	if (!db_is_uri(path) && ((rc = probe(path, &sb)) != MASH_OK ||
	    (rc = dir_writable(path)) != MASH_OK ||
	    (rc = companions(path, &sb)) != MASH_OK))
		return rc;
	m = alloc(path);
	m->bulk = bulk;
	if ((rc = overrides(m, sb.st_uid == getuid())) != MASH_OK ||
	    (rc = db_open(m, path, 0)) != MASH_OK)
		goto fail;
	/* who, before an upgrade: it is audited */
	if ((rc = whoami(m)) != MASH_OK || (rc = db_setup(m)) != MASH_OK ||
	    (rc = schema_check(m, &v)) != MASH_OK ||
	    (rc = db_zone(m, v > 0)) != MASH_OK ||
	    (rc = clock_start(m)) != MASH_OK || (rc = migrate(m, v)) != MASH_OK)
		goto fail;
	if (m->in_tx && (rc = tx_commit(m)) != MASH_OK)
		goto fail;
	if ((rc = identify(m)) != MASH_OK)
		goto fail;
	*mp = m;
	return MASH_OK;
fail:
	mash_close(m);
	return rc;
}

int
mash_open(struct mash **mp, const char *path)
{
	return open_store(mp, path, 0);
}

int
mash_open_bulk(struct mash **mp, const char *path)
{
	return open_store(mp, path, 1);
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

/*
 * A PostgreSQL store is made in an empty database its server's admin
 * made; the programs' group role gets what they need and no more
 * (mash(7), DEPLOYMENT)
 */
static int
pg_empty(struct mash *m, const char *group)
{
	int64_t n;
	int rc;

	if (!db_is_uri(m->path)) {
		if (group != NULL)
			return mash_err(MASH_EUSAGE, "--pg-group is for a "
			    "PostgreSQL store, not the file '%s'", m->path);
		return MASH_OK;
	}
	if ((rc = db_int(m, &n, "SELECT count(*) FROM pg_class c JOIN "
	    "pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = "
	    "'public'", "")) != MASH_OK)
		return rc;
	if (n > 0)
		return mash_err(MASH_ECANTCREAT, "store '%s' already holds "
		    "tables: not overwriting them; init makes a store in an "
		    "empty database", m->path);
	return MASH_OK;
}

int
mash_create(struct mash **mp, const char *path, const char *admin,
    const char *group)
{
	struct mash *m;
	const char *why;
	int v, rc;

	*mp = NULL;
	if (admin != NULL && (why = mash_check_login(admin)) != NULL)
		return mash_err(MASH_EDATA, "--admin '%s' %s", admin, why);
	if ((rc = hub_store(path)) != MASH_OK)
		return rc;
	m = alloc(path);
	/* the new file is the real user's own, but never in a hub */
	if ((rc = overrides(m, 1)) != MASH_OK ||
	    (!db_is_uri(path) && (rc = create_file(path)) != MASH_OK)) {
		mash_close(m);
		return rc;
	}
	if ((rc = db_open(m, path, 1)) != MASH_OK ||
	    (rc = db_setup(m)) != MASH_OK || (rc = db_zone(m, 0)) != MASH_OK ||
	    (rc = clock_start(m)) != MASH_OK ||
	    (rc = tx_begin(m)) != MASH_OK ||
	    (rc = pg_empty(m, group)) != MASH_OK ||
	    (rc = schema_check(m, &v)) != MASH_OK ||
	    (rc = migrate(m, v)) != MASH_OK || (rc = whoami(m)) != MASH_OK ||
	    (db_pg(m) && (rc = db_grant(m, group ? group : "mash")) !=
	    MASH_OK) ||
	    (rc = db_seed(m, admin ? admin : m->login)) != MASH_OK ||
	    (rc = db_audit(m, "init", 0, "admin", admin ? admin : m->login,
	    NULL)) != MASH_OK)
		goto fail;
	if ((rc = tx_commit(m)) != MASH_OK)
		goto fail;
	m->roles = MASH_ROLE_ADMIN;
	*mp = m;
	/* what was made, as an import says what it imported */
	if (db_pg(m))
		mash_warn("created store '%s', its tables granted to role "
		    "'%s', with user '%s' its admin", m->path,
		    group ? group : "mash", admin ? admin : m->login);
	else
		mash_warn("created store '%s', mode %s, with user '%s' its "
		    "admin", path, mash_priv_setgid() ? "0660" : "0600",
		    admin ? admin : m->login);
	return MASH_OK;
fail:
	mash_close(m);
	if (!db_is_uri(path))
		unlink(path);
	return rc == MASH_OK ? MASH_ECANTCREAT : rc;
}

void
mash_close(struct mash *m)
{
	if (m == NULL)
		return;
	if (m->in_tx)
		tx_rollback(m);
	db_close(m);
	free(m->cal);
	free(m->holidays);
	free(m->path);
	free(m);
}

int
mash_bulk(struct mash *m)
{
	return db_bulk(m);
}

void
db_tx_forget(struct mash *m)
{
	memset(&m->chain, 0, sizeof(m->chain));
	memset(m->ids, 0, sizeof(m->ids));
}

static int
tx_begin(struct mash *m)
{
	int rc;

	if ((rc = db_begin(m, 1)) != MASH_OK)
		return rc;
	m->in_tx = 1;
	db_tx_forget(m);
	return MASH_OK;
}

/*
 * A read transaction: a listing sees one moment of the store, and
 * SQLite takes its locks and checks its page cache once, not once per
 * statement (a queue of 2 500 cases made 20 000 fcntl calls).
 */
static int
tx_begin_read(struct mash *m)
{
	int rc;

	if ((rc = db_begin(m, 0)) != MASH_OK)
		return rc;
	m->in_tx = 1;
	db_tx_forget(m);
	return MASH_OK;
}

static int
tx_commit(struct mash *m)
{
	int rc;

	if ((rc = db_commit(m)) != MASH_OK) {
		tx_rollback(m);
		return rc;
	}
	m->in_tx = 0;
	db_tx_forget(m);
	return MASH_OK;
}

static void
tx_rollback(struct mash *m)
{
	db_rollback(m);
	m->in_tx = 0;
	db_tx_forget(m);
}

/*
 * The one place a transaction is begun and ended: a write one taken
 * at once (BEGIN IMMEDIATE, busy is 75), fn's changes and their audit
 * rows committed together when it returns MASH_OK or MASH_FOUND, and
 * all of it rolled back on any other status.
 */
int
mash_tx(struct mash *m, enum mash_tx_kind kind,
    int (*fn)(struct mash *, void *), void *arg)
{
	int rc, rc2;

	if ((rc = kind == MASH_TX_WRITE ? tx_begin(m) :
	    tx_begin_read(m)) != MASH_OK)
		return rc;
	if ((rc = fn(m, arg)) != MASH_OK && rc != MASH_FOUND) {
		tx_rollback(m);
		return rc;
	}
	if ((rc2 = tx_commit(m)) != MASH_OK)
		return rc2;
	return rc;
}

void
mash_list_sink(struct mash *m, int (*fn)(void *, const cJSON *), void *arg)
{
	m->sink.fn = fn;
	m->sink.arg = arg;
}

int
db_list_row(struct mash *m, cJSON *rows, cJSON *row)
{
	int rc;

	if (m->sink.fn == NULL) {
		cJSON_AddItemToArray(rows, row);
		return MASH_OK;
	}
	/* written while the tree is fresh, and its memory used again */
	rc = m->sink.fn(m->sink.arg, row);
	cJSON_Delete(row);
	return rc;
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
db_need(const struct mash *m, enum mash_action a)
{
	return mash_need_role(m, mash_action_roles(a), mash_action_what(a));
}
