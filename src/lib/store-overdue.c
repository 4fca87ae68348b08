/*
 * store-overdue.c: what is past its deadline, or close to it: the
 * queries behind mash-overdue, and the record that it ran.
 *
 * Each kind reads only open items, through the partial index made for
 * it.  INDEXED BY is there to fail loudly: were an index dropped or
 * changed, the statement would not prepare, rather than quietly scan
 * every case the hub has ever had on each run from cron.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store.h"

/*
 * ?1 the horizon (now, or now and --within), then the filters, NULL
 * for any: ?2 kind, ?3 rag, ?4 agency, ?5 assignee.  Cases have no
 * agency, so an agency filter keeps request items only.  The last
 * column, the case's state, is for the view rule, not the item.
 * PostgreSQL has no INDEXED BY, and sorts NULL last unless told.
 */
#define ITEMS_SQL ITEMS_TEXT("INDEXED BY cases_screening ", \
	"INDEXED BY requests_due ", "INDEXED BY cases_decision ", "")
#define ITEMS_SQL_PG ITEMS_TEXT("", "", "", " NULLS FIRST")
#define ITEMS_TEXT(screening, due, decision, nulls) \
	"SELECT 'screening' AS kind, id AS case_id, NULL AS request_id, " \
	"rag, screening_due AS due_at, assigned_to, NULL AS agency, " \
	"state AS case_state " \
	"FROM cases " screening \
	"WHERE state IN ('new','screened') AND screening_due <= ?1 " \
	"AND (?2 IS NULL OR ?2 = 'screening') AND (?3 IS NULL OR rag = ?3) " \
	"AND ?4 IS NULL AND (?5 IS NULL OR assigned_to = ?5) " \
	"UNION ALL " \
	"SELECT 'request', requests.case_id, requests.id, cases.rag, " \
	"requests.due_at, cases.assigned_to, requests.agency, cases.state " \
	"FROM requests " due \
	"JOIN cases ON cases.id = requests.case_id " \
	"WHERE requests.state = 'open' AND requests.due_at <= ?1 " \
	"AND (?2 IS NULL OR ?2 = 'request') " \
	"AND (?3 IS NULL OR cases.rag = ?3) " \
	"AND (?4 IS NULL OR requests.agency = ?4) " \
	"AND (?5 IS NULL OR cases.assigned_to = ?5) " \
	"UNION ALL " \
	"SELECT 'decision', id, NULL, rag, decision_due, assigned_to, NULL, " \
	"state " \
	"FROM cases " decision \
	"WHERE state IN ('mash','recorded') AND decision_due <= ?1 " \
	"AND (?2 IS NULL OR ?2 = 'decision') AND (?3 IS NULL OR rag = ?3) " \
	"AND ?4 IS NULL AND (?5 IS NULL OR assigned_to = ?5) " \
	"ORDER BY due_at, kind, case_id, request_id" nulls

#define CHILDREN_SQL \
	"SELECT given_name, family_name, dob FROM children " \
	"WHERE case_id = ? ORDER BY id"

/*
 * The plans are of the very text that runs: one macro makes both.
 * SQLite says a plan's steps in its fourth column, PostgreSQL in its
 * first, a line each.
 */
static const struct {
	const char	*name;
	const char	*sql;
	const char	*pg;
} plans[] = {
	{ "items", "EXPLAIN QUERY PLAN " ITEMS_SQL,
	    "EXPLAIN (COSTS OFF) " ITEMS_SQL_PG },
	{ "children", "EXPLAIN QUERY PLAN " CHILDREN_SQL,
	    "EXPLAIN (COSTS OFF) " CHILDREN_SQL },
};

static const char *const kinds[] = { "screening", "request", "decision" };
static const char *const units[] = { "m", "h", "wh", "wd" };

struct tally {
	int	listed;
	int	overdue;
	int	due_soon;
};

const char *
mash_overdue_kind(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcasecmp(s, kinds[i]) == 0)
			return kinds[i];
	return NULL;
}

/*
 * A filter that names nothing in the store would list nothing for
 * ever: from cron that reads as "all is well", so it is an error.
 */
static int
filters_ok(struct mash *m, const struct mash_overdue *q, char *ab)
{
	int64_t known;
	int rc;

	if (q->names && (rc = db_need(m, MASH_ACT_NAMES)) != MASH_OK)
		return rc;
	if (q->agency != NULL && mash_agency_find(m, q->agency, ab) == NULL)
		return db_code_unknown(m, DB_AGENCIES, "--agency", q->agency);
	if (q->assigned == NULL)
		return MASH_OK;
	if ((rc = db_int(m, &known, "SELECT 1 FROM users WHERE login = ?",
	    "t", q->assigned)) != MASH_OK)
		return rc;
	return known ? MASH_OK : mash_err(MASH_ENOINPUT, "--assigned: no "
	    "such user '%s'", q->assigned);
}

/* the latest deadline listed: now, or the end of --within from now */
static int
horizon(struct mash *m, const struct mash_overdue *q, mash_time *h)
{
	const struct mash_calendar *cal;
	int rc;

	*h = m->now;
	if (!q->has_within)
		return MASH_OK;
	if ((rc = db_calendar(m, &cal)) != MASH_OK)
		return rc;
	if ((rc = mash_deadline(cal, m->now, &q->within, h)) ==
	    MASH_DEADLINE_RANGE)
		return mash_err(MASH_EDATA, "--within: the end is past the "
		    "year %d", MASH_YEAR_MAX);
	if (rc != 0)
		return mash_err(MASH_ECONFIG, "no end to --within from now: "
		    "check setting 'office.hours'");
	return MASH_OK;
}

static int
add_children(struct mash *m, int64_t case_id, cJSON *item)
{
	struct db_row *r;
	cJSON *kids, *c;

	r = db_query(m, CHILDREN_SQL, "i", case_id);
	kids = cJSON_AddArrayToObject(item, "children");
	while (db_next(r)) {
		c = cJSON_CreateObject();
		db_row_json(r, c);
		cJSON_AddItemToArray(kids, c);
	}
	return db_end(r);
}

/*
 * --names: the children of a case the user may view (mash(7), ROLES).
 * Another case's are withheld, but its item stays: an item carries no
 * child's personal field, and nothing overdue may go unseen.
 */
static int
names(struct mash *m, cJSON *item)
{
	cJSON *state;
	int64_t id;
	int v;

	state = cJSON_DetachItemFromObjectCaseSensitive(item, "case_state");
	id = (int64_t)cJSON_GetObjectItem(item, "case_id")->valuedouble;
	v = mash_case_viewer(m, id, cJSON_GetStringValue(state),
	    cJSON_GetStringValue(cJSON_GetObjectItem(item, "assigned_to")));
	cJSON_Delete(state);
	if (v < 0)
		return MASH_ESOFTWARE;
	return v == MASH_VIEW_NONE ? MASH_OK : add_children(m, id, item);
}

/*
 * One row of ITEMS_SQL as an overdue item (mash(7)), with "id", the
 * case, so that the items pipe into the programs that take case ids.
 * Its keys are these literals, not copies: a copy was a malloc and a
 * free for each field of each item, a third of a long list's.
 */
static cJSON *
item(struct mash *m, struct db_row *r, struct tally *t)
{
	mash_time due;
	int64_t by;
	cJSON *o;

	if (mash_time_parse(db_col_text(r, 4), &due) != 0)
		return NULL;
	by = m->now - due;
	o = cJSON_CreateObject();
	cJSON_AddItemToObjectCS(o, "id", db_col_json(r, 1));
	cJSON_AddItemToObjectCS(o, "kind", db_col_json(r, 0));
	cJSON_AddItemToObjectCS(o, "case_id", db_col_json(r, 1));
	if (!db_col_null(r, 2))
		cJSON_AddItemToObjectCS(o, "request_id", db_col_json(r, 2));
	cJSON_AddItemToObjectCS(o, "rag", db_col_json(r, 3));
	cJSON_AddItemToObjectCS(o, "due_at", db_col_json(r, 4));
	cJSON_AddItemToObjectCS(o, "overdue_by", cJSON_CreateNumber(
	    (double)by));
	cJSON_AddItemToObjectCS(o, "assigned_to", db_col_json(r, 5));
	cJSON_AddItemToObjectCS(o, "agency", db_col_json(r, 6));
	t->listed++;
	if (by >= 0)
		t->overdue++;
	else
		t->due_soon++;
	return o;
}

static int
gather(struct mash *m, const struct mash_overdue *q, mash_time h,
    cJSON *items, struct tally *t)
{
	struct db_row *r;
	int64_t id;
	cJSON *o;
	int rc;

	r = db_query(m, DB_SQL(m, ITEMS_SQL, ITEMS_SQL_PG), "Ttttt", h,
	    q->kind, q->rag, q->agency, q->assigned);
	while (db_next(r)) {
		if ((o = item(m, r, t)) == NULL) {
			id = db_col_int(r, 1);
			db_end(r);
			return mash_err(MASH_EDATA, "case %lld has a bad "
			    "deadline", (long long)id);
		}
		/* the view rule's, taken off again by names() */
		if (q->names)
			cJSON_AddItemToObjectCS(o, "case_state",
			    db_col_json(r, 7));
		cJSON_AddItemToArray(items, o);
	}
	if ((rc = db_end(r)) != MASH_OK)
		return rc;
	if (!q->names)
		return MASH_OK;
	/* names after: one statement steps at a time */
	cJSON_ArrayForEach(o, items)
		if ((rc = names(m, o)) != MASH_OK)
			return rc;
	return MASH_OK;
}

/* an item as --new tells it from others: ids and codes only */
static char *
item_key(const cJSON *o)
{
	const cJSON *r = cJSON_GetObjectItem(o, "request_id");
	char buf[96];

	snprintf(buf, sizeof(buf), "%s:%.0f:%.0f:%s",
	    cJSON_GetStringValue(cJSON_GetObjectItem(o, "kind")),
	    cJSON_GetObjectItem(o, "case_id")->valuedouble,
	    r ? r->valuedouble : 0.0,
	    cJSON_GetObjectItem(o, "overdue_by")->valuedouble >= 0 ?
	    "overdue" : "soon");
	return mash_xstrdup(buf);
}

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The items the last --new run of this account with the same filters
 * found, sorted; none if there was no such run (mash-overdue(1)).
 */
static int
previous(struct mash *m, const struct mash_overdue *q, char within[32],
    char ***keys, size_t *n)
{
	const cJSON *e;
	cJSON *d;
	char *details;
	int rc;

	*keys = NULL;
	*n = 0;
	if ((rc = db_str(m, &details, DB_SQL(m, "SELECT details FROM audit "
	    "WHERE action = 'overdue-run' AND actor = ?1 AND "
	    "json_extract(details, '$.new') = 1 AND "
	    "json_extract(details, '$.within') IS ?2 AND "
	    "json_extract(details, '$.kind') IS ?3 AND "
	    "json_extract(details, '$.rag') IS ?4 AND "
	    "json_extract(details, '$.agency') IS ?5 AND "
	    "json_extract(details, '$.assigned') IS ?6 "
	    "ORDER BY id DESC LIMIT 1",
	    "SELECT details FROM audit WHERE action = 'overdue-run' AND "
	    "actor = ?1 AND details::json ->> 'new' = 'true' AND "
	    "details::json ->> 'within' IS NOT DISTINCT FROM ?2 AND "
	    "details::json ->> 'kind' IS NOT DISTINCT FROM ?3 AND "
	    "details::json ->> 'rag' IS NOT DISTINCT FROM ?4 AND "
	    "details::json ->> 'agency' IS NOT DISTINCT FROM ?5 AND "
	    "details::json ->> 'assigned' IS NOT DISTINCT FROM ?6 "
	    "ORDER BY id DESC LIMIT 1"), "tttttt", m->login, q->has_within ?
	    within : NULL, q->kind, q->rag, q->agency, q->assigned)) !=
	    MASH_OK)
		return rc;
	d = details ? cJSON_Parse(details) : NULL;
	free(details);
	*keys = mash_xmalloc((cJSON_GetArraySize(cJSON_GetObjectItem(d,
	    "items")) + 1) * sizeof(**keys));
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(d, "items"))
		if (cJSON_IsString(e))
			(*keys)[(*n)++] = mash_xstrdup(e->valuestring);
	cJSON_Delete(d);
	qsort(*keys, *n, sizeof(**keys), by_text);
	return MASH_OK;
}

/*
 * --new: take out of items those the last such run found, and give
 * the keys of all found, for this run's record
 */
static int
only_new(struct mash *m, const struct mash_overdue *q, char within[32],
    cJSON *items, cJSON **all, struct tally *t)
{
	char **old, *k;
	cJSON *o, *next;
	size_t n, i;
	int rc;

	if ((rc = previous(m, q, within, &old, &n)) != MASH_OK)
		return rc;
	*all = cJSON_CreateArray();
	t->listed = 0;
	for (o = items->child; o != NULL; o = next) {
		next = o->next;
		k = item_key(o);
		cJSON_AddItemToArray(*all, cJSON_CreateString(k));
		if (n > 0 && bsearch(&k, old, n, sizeof(*old), by_text))
			cJSON_Delete(cJSON_DetachItemViaPointer(items, o));
		else
			t->listed++;
		free(k);
	}
	for (i = 0; i < n; i++)
		free(old[i]);
	free(old);
	return MASH_OK;
}

static void
add_filter(cJSON *d, const char *key, const char *value)
{
	if (value != NULL)
		cJSON_AddStringToObject(d, key, value);
}

/*
 * The run, its filters and what it found: mash-admin check reads it.
 * It is also the listing's audit row, naming the cases it showed.
 */
static int
record_run(struct mash *m, const struct mash_overdue *q,
    const struct tally *t, const cJSON *items, const char *within,
    cJSON *all)
{
	const cJSON *o;
	int64_t *ids;
	size_t n = 0;
	cJSON *d;
	int rc;

	ids = mash_xmalloc((cJSON_GetArraySize(items) + 1) * sizeof(*ids));
	cJSON_ArrayForEach(o, items)
		ids[n++] = (int64_t)cJSON_GetObjectItem(o,
		    "case_id")->valuedouble;
	d = mash_list_details("overdue", ids, n);
	free(ids);
	cJSON_AddNumberToObject(d, "listed", t->listed);
	cJSON_AddNumberToObject(d, "overdue", t->overdue);
	cJSON_AddNumberToObject(d, "due_soon", t->due_soon);
	if (q->has_within)
		cJSON_AddStringToObject(d, "within", within);
	add_filter(d, "kind", q->kind);
	add_filter(d, "rag", q->rag);
	add_filter(d, "agency", q->agency);
	add_filter(d, "assigned", q->assigned);
	cJSON_AddBoolToObject(d, "names", q->names != 0);
	/* what the next --new run leaves out: all found, listed or not */
	if (all != NULL) {
		cJSON_AddBoolToObject(d, "new", 1);
		cJSON_AddItemReferenceToObject(d, "items", all);
	}
	rc = mash_audit(m, "overdue-run", 0, d);
	cJSON_Delete(d);
	return rc;
}

/*
 * Read and record in the caller's write transaction, so both see one
 * store; the caller prints the items once the run is committed.
 */
static int
find(struct mash *m, const struct mash_overdue *q, cJSON *items,
    struct tally *t)
{
	char within[32];
	cJSON *all = NULL;
	mash_time h;
	int rc;

	if ((rc = horizon(m, q, &h)) != MASH_OK)
		return rc;
	snprintf(within, sizeof(within), "%ld%s", q->within.n,
	    units[q->within.unit]);
	if ((rc = gather(m, q, h, items, t)) == MASH_OK &&
	    (!q->only_new ||
	    (rc = only_new(m, q, within, items, &all, t)) == MASH_OK))
		rc = record_run(m, q, t, items, within, all);
	cJSON_Delete(all);
	return rc;
}

int
mash_overdue_list(struct mash *m, const struct mash_overdue *q,
    cJSON **rows)
{
	struct tally t = { 0, 0, 0 };
	struct mash_overdue c = *q;
	char ab[MASH_CODE_MAX];
	int rc;

	*rows = NULL;
	if ((rc = filters_ok(m, q, ab)) != MASH_OK)
		return rc;
	if (c.agency != NULL)
		c.agency = ab;
	*rows = cJSON_CreateArray();
	if ((rc = find(m, &c, *rows, &t)) != MASH_OK) {
		cJSON_Delete(*rows);
		*rows = NULL;
		return rc;
	}
	return t.listed > 0 ? MASH_FOUND : MASH_OK;
}

static int
explain(struct mash *m, const char *name, const char *sql, cJSON *rows)
{
	struct db_row *r;
	cJSON *o;

	r = db_query(m, sql, "");
	while (db_next(r)) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "query", name);
		cJSON_AddItemToObject(o, "detail", db_col_json(r,
		    db_pg(m) ? 0 : 3));
		cJSON_AddItemToArray(rows, o);
	}
	return db_end(r);
}

int
mash_overdue_explain(struct mash *m, cJSON **rows)
{
	size_t i;
	int rc = MASH_OK;

	*rows = cJSON_CreateArray();
	for (i = 0; i < sizeof(plans) / sizeof(plans[0]) && rc == MASH_OK;
	    i++)
		rc = explain(m, plans[i].name, DB_SQL(m, plans[i].sql,
		    plans[i].pg), *rows);
	return rc;
}
