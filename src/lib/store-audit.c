/*
 * store-audit.c: the audit trail's hash chain, and what mash-audit
 * reads of the trail.  The encoding of the chain is mash-audit(1)'s,
 * byte for byte: a row's hash is the SHA-256 of the previous row's
 * hash (32 bytes; 32 zero bytes before the first row), then its id,
 * at, actor, action, case_id and details, each as its text followed by
 * one NUL byte (integers in decimal, no case as the empty string).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/*
 * SHA-256 itself, not EVP's digests: OpenSSL 3 deprecates these calls,
 * but an EVP digest first starts a provider and builds a table of every
 * algorithm's names, once a process, which was a quarter of the
 * instructions of a command on one case (mash-refer with matching).
 * The hash and its bytes are the same.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include "store.h"

#define NFIELDS		6	/* id, at, actor, action, case_id, details */
#define HASH_LEN	32
#define BATCH		512	/* rows the upgrade reads before it writes */
_Static_assert(HASH_LEN == SHA256_DIGEST_LENGTH, "a hash is SHA-256's");

const struct mash_col mash_audit_cols[] = {
	{ "id", NULL, 0 },
	{ "at", NULL, MASH_COL_TIME },
	{ "actor", NULL, 0 },
	{ "action", NULL, 0 },
	{ "case_id", NULL, 0 },
	{ "details", NULL, 0 },
	{ "hash", NULL, MASH_COL_WIDE },
	{ NULL, NULL, 0 }
};

const struct mash_col mash_access_cols[] = {
	{ "id", NULL, 0 },
	{ "at", NULL, MASH_COL_TIME },
	{ "actor", NULL, 0 },
	{ "action", NULL, 0 },
	{ "how", NULL, 0 },
	{ "cases", NULL, 0 },
	{ NULL, NULL, 0 }
};

const struct mash_col mash_verify_cols[] = {
	{ "status", NULL, 0 },
	{ "rows", NULL, 0 },
	{ "row", NULL, 0 },
	{ "anchors", NULL, 0 },
	{ "last", NULL, MASH_COL_WIDE },
	{ "detail", NULL, 0 },
	{ NULL, NULL, 0 }
};

/* the fields of a row in the chain's order; NULL is the empty string */
struct link {
	const char	*f[NFIELDS];
	size_t		 len[NFIELDS];
};

static void
link_set(struct link *l, int i, const char *s, int len)
{
	l->f[i] = s ? s : "";
	l->len[i] = s ? (len < 0 ? strlen(s) : (size_t)len) : 0;
}

/* the hash of one row, as lowercase hex; -1 if libcrypto failed */
static int
link_hash(const unsigned char prev[HASH_LEN], const struct link *l,
    char hex[MASH_HASH_LEN])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_LENGTH];
	unsigned int n;
	SHA256_CTX c;
	int i, ok;

	ok = SHA256_Init(&c) && SHA256_Update(&c, prev, HASH_LEN);
	for (i = 0; ok && i < NFIELDS; i++)
		ok = SHA256_Update(&c, l->f[i], l->len[i]) &&
		    SHA256_Update(&c, "", 1);
	ok = ok && SHA256_Final(md, &c);
	if (!ok)
		return -1;
	for (n = 0; n < HASH_LEN; n++) {
		hex[2 * n] = digits[md[n] >> 4];
		hex[2 * n + 1] = digits[md[n] & 0xf];
	}
	hex[2 * HASH_LEN] = '\0';
	return 0;
}

static int
unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* a stored hash as bytes; zeros (and -1) if it is not one */
static int
hash_bytes(const char *hex, unsigned char out[HASH_LEN])
{
	int i, hi, lo;

	memset(out, 0, HASH_LEN);
	if (hex == NULL || strlen(hex) != 2 * HASH_LEN)
		return -1;
	for (i = 0; i < HASH_LEN; i++) {
		if ((hi = unhex(hex[2 * i])) < 0 ||
		    (lo = unhex(hex[2 * i + 1])) < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int
crypto_fail(void)
{
	return mash_err(MASH_ESOFTWARE, "cannot compute a SHA-256 hash");
}

#ifndef MASH_AUDIT_NOCHAIN
/*
 * The last row: one seek on the table's key, never a scan, once a
 * transaction.  Its lock makes it the trail's only writer (BEGIN
 * IMMEDIATE on SQLite, the advisory lock on PostgreSQL), so the row it
 * wrote last is the last row until it ends.
 */
static int
last_row(struct mash *m, int64_t *id, unsigned char prev[HASH_LEN])
{
	struct db_row *r;

	if (m->in_tx && m->chain.known) {
		*id = m->chain.id;
		memcpy(prev, m->chain.hash, HASH_LEN);
		return MASH_OK;
	}
	*id = 0;
	memset(prev, 0, HASH_LEN);
	r = db_query(m, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
	    "");
	if (db_next(r)) {
		*id = db_col_int(r, 0);
		/* a row without a hash is reported by verify, not here */
		hash_bytes(db_col_text(r, 1), prev);
	}
	return db_end(r);
}
#endif

#define AUDIT_INSERT "INSERT INTO audit (id, at, actor, action, case_id, " \
	"details, hash) VALUES (?, ?, ?, ?, ?, ?, ?)"

#ifdef MASH_AUDIT_NOCHAIN
/* only for tests/bench/bench.py: the cost of the chain, by its absence */
int
db_audit_insert(struct mash *m, const char *action, int64_t case_id,
    const char *details)
{
	char at[MASH_TIME_LEN];

	mash_time_utc(m->now, at);
	if (case_id > 0)
		return db_insert(m, &m->audit_id, "INSERT INTO audit (at, "
		    "actor, action, case_id, details) VALUES (?, ?, ?, ?, ?)",
		    "tttit", at, m->login, action, case_id, details);
	return db_insert(m, &m->audit_id, "INSERT INTO audit (at, actor, "
	    "action, details) VALUES (?, ?, ?, ?)", "tttt", at, m->login,
	    action, details);
}
#else
int
db_audit_insert(struct mash *m, const char *action, int64_t case_id,
    const char *details)
{
	unsigned char prev[HASH_LEN];
	char at[MASH_TIME_LEN], hash[MASH_HASH_LEN], ids[2][24];
	struct link l;
	int64_t id;
	int rc;

	if ((rc = last_row(m, &id, prev)) != MASH_OK)
		return rc;
	id++;
	mash_time_utc(m->now, at);
	snprintf(ids[0], sizeof(ids[0]), "%lld", (long long)id);
	snprintf(ids[1], sizeof(ids[1]), "%lld", (long long)case_id);
	link_set(&l, 0, ids[0], -1);
	link_set(&l, 1, at, -1);
	link_set(&l, 2, m->login, -1);
	link_set(&l, 3, action, -1);
	link_set(&l, 4, case_id > 0 ? ids[1] : NULL, -1);
	link_set(&l, 5, details, -1);
	if (link_hash(prev, &l, hash) != 0)
		return crypto_fail();
	/* its id is known: nothing waits for it (db_send) */
	if (case_id > 0)
		rc = db_send(m, AUDIT_INSERT, "itttitt", id, at, m->login,
		    action, case_id, details, hash);
	else
		rc = db_send(m, AUDIT_INSERT, "itttntt", id, at, m->login,
		    action, details, hash);
	if (rc != MASH_OK)
		return rc;
	m->audit_id = id;
	m->chain.known = m->in_tx;
	m->chain.id = id;
	hash_bytes(hash, m->chain.hash);
	return MASH_OK;
}
#endif

int
db_audit_text(struct mash *m, const char *field, const char *text)
{
	return db_send(m, "INSERT INTO event_text (audit_id, field, text) "
	    "VALUES (?, ?, ?)", "itt", m->audit_id, field, text);
}

/* a row of a statement that reads id, at, actor, action, case_id, details */
static void
link_row(struct db_row *r, struct link *l)
{
	int i;

	for (i = 0; i < NFIELDS; i++)
		link_set(l, i, db_col_text(r, i), (int)db_col_len(r, i));
}

#define CHAIN_COLS "SELECT id, at, actor, action, case_id, details, hash " \
	"FROM audit "

struct pending {
	int64_t	id;
	char	hash[MASH_HASH_LEN];
};

/* hash the rows after id that have none, up to BATCH; *n how many read */
static int
fill_batch(struct mash *m, int64_t *after, unsigned char prev[HASH_LEN],
    struct pending *p, size_t *np, size_t *n)
{
	struct db_row *r;
	struct link l;

	*np = *n = 0;
	r = db_query(m, CHAIN_COLS "WHERE id > ? ORDER BY id LIMIT 512", "i",
	    *after);
	while (db_next(r)) {
		(*n)++;
		*after = db_col_int(r, 0);
		if (db_col_text(r, 6) != NULL) {
			hash_bytes(db_col_text(r, 6), prev);
			continue;
		}
		link_row(r, &l);
		p[*np].id = *after;
		if (link_hash(prev, &l, p[*np].hash) != 0) {
			db_end(r);
			return crypto_fail();
		}
		hash_bytes(p[(*np)++].hash, prev);
	}
	return db_end(r);
}

int
db_audit_chain_fill(struct mash *m, int64_t *filled)
{
	unsigned char prev[HASH_LEN];
	struct pending *p;
	int64_t after = 0;
	size_t i, np, n;
	int rc;

	*filled = 0;
	db_tx_forget(m);
	memset(prev, 0, HASH_LEN);
	p = mash_xmalloc(BATCH * sizeof(*p));
	do {
		if ((rc = fill_batch(m, &after, prev, p, &np, &n)) != MASH_OK)
			break;
		for (i = 0; i < np && rc == MASH_OK; i++)
			rc = db_exec(m, "UPDATE audit SET hash = ? WHERE id = ?",
			    "ti", p[i].hash, p[i].id);
		*filled += np;
	} while (rc == MASH_OK && n == BATCH);
	free(p);
	return rc;
}

int
mash_anchor_parse(const char *s, struct mash_anchor *a)
{
	unsigned char b[HASH_LEN];
	const char *colon;
	char id[24];

	if ((colon = strchr(s, ':')) == NULL ||
	    (size_t)(colon - s) >= sizeof(id))
		return -1;
	memcpy(id, s, colon - s);
	id[colon - s] = '\0';
	if (mash_parse_id(id, &a->id) != 0 || hash_bytes(colon + 1, b) != 0)
		return -1;
	snprintf(a->hash, sizeof(a->hash), "%s", colon + 1);
	return 0;
}

/* the anchors at or before a row, checked against its stored hash */
static int
anchors_at(const struct mash_anchor *a, size_t na, int64_t id,
    const char *hash, struct mash_verdict *v)
{
	size_t i;

	for (i = 0; i < na; i++) {
		if (a[i].id != id)
			continue;
		if (strcmp(a[i].hash, hash) == 0) {
			v->anchored++;
			continue;
		}
		v->row = id;
		snprintf(v->detail, sizeof(v->detail), "audit row %lld does "
		    "not match anchor %lld:%.12s...: the trail up to it was "
		    "rewritten", (long long)id, (long long)a[i].id, a[i].hash);
		return 1;
	}
	return 0;
}

/* one row against the one before it: 1 when it breaks the chain */
static int
verify_row(struct db_row *r, unsigned char prev[HASH_LEN], int64_t *last,
    struct mash_verdict *v)
{
	char want[MASH_HASH_LEN];
	const char *have = db_col_text(r, 6);
	int64_t id = db_col_int(r, 0);
	struct link l;

	link_row(r, &l);
	if (link_hash(prev, &l, want) != 0)
		return -1;
	if (have == NULL || strcmp(have, want) != 0) {
		v->row = id;
		if (have == NULL)
			snprintf(v->detail, sizeof(v->detail), "audit row %lld "
			    "has no hash", (long long)id);
		else if (id != *last + 1)
			snprintf(v->detail, sizeof(v->detail), "audit row %lld "
			    "breaks the chain: it does not follow row %lld "
			    "(rows missing)", (long long)id, (long long)*last);
		else
			snprintf(v->detail, sizeof(v->detail), "audit row %lld "
			    "breaks the chain: its hash does not match its "
			    "fields and the row before it", (long long)id);
		return 1;
	}
	hash_bytes(have, prev);
	*last = id;
	return 0;
}

/* an anchor past the last row, or on a row that is gone */
static int
anchors_missing(struct mash *m, const struct mash_anchor *a, size_t na,
    struct mash_verdict *v)
{
	int64_t there;
	size_t i;
	int rc;

	for (i = 0; i < na; i++) {
		if ((rc = db_int(m, &there, "SELECT 1 FROM audit WHERE id = ?",
		    "i", a[i].id)) != MASH_OK)
			return rc;
		if (there)
			continue;
		v->row = a[i].id;
		snprintf(v->detail, sizeof(v->detail), "anchor %lld:%.12s... "
		    "is no longer in the chain: audit row %lld is missing "
		    "(the trail ends at row %lld)", (long long)a[i].id,
		    a[i].hash, (long long)a[i].id, (long long)v->last_id);
		return MASH_FOUND;
	}
	return MASH_OK;
}

int
db_audit_verify(struct mash *m, const struct mash_anchor *a, size_t na,
    struct mash_verdict *v)
{
	unsigned char prev[HASH_LEN];
	struct db_row *r;
	int64_t last = 0;
	int rc, bad = 0;

	memset(v, 0, sizeof(*v));
	memset(prev, 0, HASH_LEN);
	r = db_stream(m, CHAIN_COLS "ORDER BY id", "");
	while (!bad && db_next(r)) {
		v->rows++;
		if ((bad = verify_row(r, prev, &last, v)) == 0)
			bad = anchors_at(a, na, last, db_col_text(r, 6), v);
		if (bad == 0)
			snprintf(v->last_hash, sizeof(v->last_hash), "%s",
			    db_col_text(r, 6));
	}
	rc = db_end(r);
	v->last_id = last;
	if (bad < 0)
		return crypto_fail();
	if (bad)
		return MASH_FOUND;
	if (rc != MASH_OK)
		return rc;
	return anchors_missing(m, a, na, v);
}

int
mash_audit_verify(struct mash *m, const struct mash_anchor *a, size_t na,
    cJSON **rows)
{
	struct mash_verdict v;
	char last[MASH_ANCHOR_LEN];
	cJSON *o;
	int rc;

	*rows = NULL;
	if ((rc = mash_need_role(m, MASH_ROLE_AUDITOR | MASH_ROLE_ADMIN,
	    "verifying the audit trail")) != MASH_OK)
		return rc;
	rc = db_audit_verify(m, a, na, &v);
	if (rc != MASH_OK && rc != MASH_FOUND)
		return rc;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "status", rc == MASH_OK ? "ok" : "broken");
	cJSON_AddNumberToObject(o, "rows", (double)v.rows);
	if (rc == MASH_OK) {
		cJSON_AddNullToObject(o, "row");
		snprintf(v.detail, sizeof(v.detail), "%lld rows chained, %d "
		    "anchor%s matched", (long long)v.rows, v.anchored,
		    v.anchored == 1 ? "" : "s");
	} else
		cJSON_AddNumberToObject(o, "row", (double)v.row);
	cJSON_AddNumberToObject(o, "anchors", (double)v.anchored);
	snprintf(last, sizeof(last), "%lld:%s", (long long)v.last_id,
	    v.last_hash);
	cJSON_AddStringToObject(o, "last", last);
	cJSON_AddStringToObject(o, "detail", v.detail);
	*rows = cJSON_CreateArray();
	cJSON_AddItemToArray(*rows, o);
	return rc;
}

int
mash_audit_anchor(struct mash *m, struct mash_anchor *a, char at[MASH_TIME_LEN])
{
	struct db_row *r;
	int rc;

	if ((rc = mash_need_role(m, MASH_ROLE_AUDITOR | MASH_ROLE_ADMIN,
	    "anchoring the audit trail")) != MASH_OK)
		return rc;
	r = db_query(m, "SELECT id, hash, at FROM audit "
	    "ORDER BY id DESC LIMIT 1", "");
	if (!db_next(r))
		return db_none(r, "the audit trail is empty");
	a->id = db_col_int(r, 0);
	snprintf(a->hash, sizeof(a->hash), "%s", db_col_text(r, 1) ?
	    db_col_text(r, 1) : "");
	snprintf(at, MASH_TIME_LEN, "%s", db_col_text(r, 2));
	db_end(r);
	if (*a->hash == '\0')
		return mash_err(MASH_EDATA, "audit row %lld has no hash: run "
		    "mash-audit verify", (long long)a->id);
	return MASH_OK;
}

/*
 * The listing.  Each filter is off when its parameter is NULL; a case
 * or a person picks rows through the index on case_id.
 */
#define FILTERS \
	" AND (?3 IS NULL OR a.actor = ?3) AND (?4 IS NULL OR a.action = ?4)" \
	" AND (?5 IS NULL OR a.at >= ?5) AND (?6 IS NULL OR a.at <= ?6)"
#define EVENT_COLS "SELECT a.id, a.at, a.actor, a.action, a.case_id, " \
	"a.details, a.hash FROM audit a "

static const char list_all[] = EVENT_COLS
    "WHERE ?1 IS NULL AND ?2 IS NULL" FILTERS " ORDER BY a.id";
static const char list_case[] = EVENT_COLS
    "WHERE a.case_id = ?1 AND (?2 IS NULL OR a.case_id IN (SELECT case_id "
    "FROM children WHERE person_id = ?2))" FILTERS " ORDER BY a.id";
static const char list_person[] = EVENT_COLS
    "WHERE a.case_id IN (SELECT case_id FROM children WHERE person_id = ?2)"
    FILTERS " ORDER BY a.id";

/*
 * Who saw a person's cases: views and exports of one of them, and any
 * row without a case whose details name one under "cases" (a listing,
 * a return).  Only that person's cases are printed of each row.
 */
static const char list_access[] =
    "WITH pc(id) AS (SELECT DISTINCT case_id FROM children "
    "WHERE person_id = ?2 AND (?1 IS NULL OR case_id = ?1)) "
    "SELECT a.id, a.at, a.actor, a.action, coalesce(json_extract("
    "a.details, '$.list'), a.action) AS how, (SELECT json_group_array(id) "
    "FROM (SELECT id FROM pc WHERE id = a.case_id OR (a.case_id IS NULL "
    "AND id IN (SELECT value FROM json_each(a.details, '$.cases'))) "
    "ORDER BY id)) AS cases FROM audit a "
    "WHERE ((a.case_id IN pc AND a.action IN ('view', "
    "'export')) OR (a.case_id IS NULL AND json_type(a.details, '$.cases') "
    "= 'array' AND EXISTS (SELECT 1 FROM json_each(a.details, '$.cases') "
    "WHERE value IN pc)))" FILTERS " ORDER BY a.id";
/*
 * PostgreSQL's: the details read as json (kept as text, their keys in
 * order), "cases" only where it is an array, its ids compared as text
 * so that no other value can fail a cast; the cases' array made as
 * SQLite's json_group_array makes it.
 */
#define PG_CASES "(CASE WHEN json_typeof(a.details::json -> 'cases') = " \
	"'array' THEN a.details::json -> 'cases' END)"
static const char list_access_pg[] =
    "WITH pc(id) AS (SELECT DISTINCT case_id FROM children "
    "WHERE person_id = ?2 AND (?1 IS NULL OR case_id = ?1)) "
    "SELECT a.id, a.at, a.actor, a.action, coalesce(a.details::json ->> "
    "'list', a.action) AS how, (SELECT '[' || coalesce(string_agg("
    "CAST(pc.id AS TEXT), ',' ORDER BY pc.id), '') || ']' FROM pc "
    "WHERE pc.id = a.case_id OR (a.case_id IS NULL AND CAST(pc.id AS TEXT) "
    "IN (SELECT json_array_elements_text(" PG_CASES ")))) AS cases "
    "FROM audit a "
    "WHERE ((a.case_id IN (SELECT id FROM pc) AND a.action IN ('view', "
    "'export')) OR (a.case_id IS NULL AND EXISTS (SELECT 1 FROM "
    "json_array_elements_text(" PG_CASES ") AS e(v) WHERE e.v IN "
    "(SELECT CAST(id AS TEXT) FROM pc))))" FILTERS " ORDER BY a.id";

/* details and cases are JSON text: give them as JSON */
static int
event_rows(struct db_row *r, int (*row)(void *, const cJSON *), void *arg)
{
	static const char *const json[] = { "details", "cases" };
	cJSON *o, *d;
	size_t i;
	int rc, wr = MASH_OK;

	while (wr == MASH_OK && db_next(r)) {
		o = cJSON_CreateObject();
		db_row_json(r, o);
		for (i = 0; i < sizeof(json) / sizeof(json[0]); i++)
			if ((d = cJSON_GetObjectItemCaseSensitive(o, json[i]))
			    && cJSON_IsString(d))
				cJSON_ReplaceItemInObjectCaseSensitive(o,
				    json[i], cJSON_Parse(d->valuestring));
		wr = row(arg, o);
		cJSON_Delete(o);
	}
	rc = db_end(r);
	return wr != MASH_OK ? wr : rc;
}

int
mash_audit_list(struct mash *m, const struct mash_audit_query *q,
    int (*row)(void *, const cJSON *), void *arg)
{
	char since[MASH_TIME_LEN], until[MASH_TIME_LEN];
	const char *sql;
	int rc;

	if ((rc = mash_need_role(m, MASH_ROLE_AUDITOR | MASH_ROLE_ADMIN,
	    "reading the audit trail")) != MASH_OK)
		return rc;
	if (q->access && q->person <= 0)
		return mash_err(MASH_EUSAGE, "--access needs --person");
	sql = q->access ? DB_SQL(m, list_access, list_access_pg) :
	    q->case_id > 0 ? list_case :
	    q->person > 0 ? list_person : list_all;
	mash_time_utc(q->since, since);
	mash_time_utc(q->until, until);
	/* the whole trail, or a filter's share of it: read as a stream */
	return event_rows((sql == list_all ? db_stream : db_query)(m, sql,
	    "IItttt", q->case_id, q->person, q->user, q->action, q->has_since ?
	    since : NULL, q->has_until ? until : NULL), row, arg);
}

/*
 * The upgrade to version 4 moved the free text of older rows to
 * event_text (schema.sql.h); it now chains every row, and says both.
 */
int
db_audit_upgrade(struct mash *m, int from, int to)
{
	int64_t chained, moved;
	int rc;

	if ((rc = db_audit_chain_fill(m, &chained)) != MASH_OK ||
	    (rc = db_int(m, &moved, "SELECT count(DISTINCT audit_id) FROM "
	    "event_text", "")) != MASH_OK)
		return rc;
	return db_audit(m, "upgrade", 0, "#from", (int64_t)from, "#to",
	    (int64_t)to, "#chained", chained, "#moved_text", moved, NULL);
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
