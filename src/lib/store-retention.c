/*
 * store-retention.c: how long the hub keeps a child's personal data,
 * and the child's right to see it (mash(7), RETENTION AND SUBJECT
 * ACCESS; mash-admin(1), RETENTION).  A legal hold keeps a case
 * whole; a purge erases the personal fields of the closed cases past
 * retention and keeps their ids, dates and codes, so that returns and
 * reports keep their counts and the audit chain its rows; a subject
 * access export gives every case about one child.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define ERASED		"[erased]"
#define MERGES_MAX	64	/* a chain of merged persons, at most */

const struct mash_col mash_purge_cols[] = {
	{ "case_id", NULL, 0 },
	{ "closed_at", NULL, MASH_COL_TIME },
	{ "children", NULL, 0 },
	{ "why", NULL, 0 },
	{ NULL, NULL, 0 }
};

/*
 * What a purge erases of a case, a statement a field, each of the case
 * as ?1.  Free text that was there reads "[erased]", so a reader sees
 * that something was; what identifies or matches a child (and any
 * column whose CHECK takes no such text) becomes null.  A name key of
 * '' matches nothing: matching asks for a date of birth or a postcode
 * with it.  Gender, codes, ids, dates and outcomes stay.
 */
/* the values before of an update (json_replace has no PostgreSQL twin) */
static const char erase_previous[] = "UPDATE case_updates SET previous = "
    "json_replace(previous, '$.concern', CASE WHEN json_type(previous, "
    "'$.concern') = 'text' THEN '" ERASED "' END, '$.referrer_name', CASE "
    "WHEN json_type(previous, '$.referrer_name') = 'text' THEN '" ERASED
    "' END, '$.referrer_contact', CASE WHEN json_type(previous, "
    "'$.referrer_contact') = 'text' THEN '" ERASED "' END) "
    "WHERE case_id = ?1 AND previous <> '{}'";
/* the object rebuilt in its order, as json_replace leaves it */
static const char erase_previous_pg[] = "UPDATE case_updates SET previous = "
    "(SELECT '{' || string_agg(to_json(e.k)::text || ':' || CASE WHEN "
    "e.k NOT IN ('concern', 'referrer_name', 'referrer_contact') THEN "
    "e.v::text WHEN json_typeof(e.v) = 'string' THEN '\"" ERASED "\"' "
    "ELSE 'null' END, ',' ORDER BY e.o) || '}' FROM "
    "json_each(previous::json) WITH ORDINALITY AS e(k, v, o)) "
    "WHERE case_id = ?1 AND previous <> '{}'";

static const struct {
	const char	*field;
	const char	*sql;
} erase_steps[] = {
	{ "concern", "UPDATE cases SET concern = '" ERASED "' WHERE id = ?1" },
	{ "referrer", "UPDATE cases SET referrer = '" ERASED "' "
	    "WHERE id = ?1 AND referrer IS NOT NULL" },
	{ "referrer_contact", "UPDATE cases SET referrer_contact = '" ERASED
	    "' WHERE id = ?1 AND referrer_contact IS NOT NULL" },
	{ "screening_note", "UPDATE cases SET screening_note = '" ERASED "' "
	    "WHERE id = ?1 AND screening_note IS NOT NULL" },
	{ "share_basis", "UPDATE cases SET share_basis = '" ERASED "' "
	    "WHERE id = ?1 AND share_basis IS NOT NULL" },
	{ "summary", "UPDATE cases SET summary = '" ERASED "' "
	    "WHERE id = ?1 AND summary IS NOT NULL" },
	{ "given_name", "UPDATE children SET given_name = '" ERASED "' "
	    "WHERE case_id = ?1 AND given_name IS NOT NULL" },
	{ "family_name", "UPDATE children SET family_name = '" ERASED "' "
	    "WHERE case_id = ?1 AND family_name IS NOT NULL" },
	{ "name_key", "UPDATE children SET name_key = '' "
	    "WHERE case_id = ?1 AND name_key <> ''" },
	{ "dob", "UPDATE children SET dob = NULL "
	    "WHERE case_id = ?1 AND dob IS NOT NULL" },
	{ "nhs_number", "UPDATE children SET nhs_number = NULL "
	    "WHERE case_id = ?1 AND nhs_number IS NOT NULL" },
	{ "upn", "UPDATE children SET upn = NULL "
	    "WHERE case_id = ?1 AND upn IS NOT NULL" },
	{ "school", "UPDATE children SET school = NULL "
	    "WHERE case_id = ?1 AND school IS NOT NULL" },
	{ "address", "UPDATE children SET address = NULL "
	    "WHERE case_id = ?1 AND address IS NOT NULL" },
	{ "postcode", "UPDATE children SET postcode = NULL "
	    "WHERE case_id = ?1 AND postcode IS NOT NULL" },
	{ "expected_dob", "UPDATE children SET expected_dob = NULL "
	    "WHERE case_id = ?1 AND expected_dob IS NOT NULL" },
	{ "question", "UPDATE requests SET question = '" ERASED "' "
	    "WHERE case_id = ?1 AND question IS NOT NULL" },
	{ "answer", "UPDATE requests SET answer = '" ERASED "' "
	    "WHERE case_id = ?1 AND answer IS NOT NULL" },
	{ "withdraw_reason", "UPDATE requests SET withdraw_reason = '" ERASED
	    "' WHERE case_id = ?1 AND withdraw_reason IS NOT NULL" },
	/* an update's values before: the free text of mash-import(5) */
	{ "previous", erase_previous },
	/* the text beside the case's audit rows; the rows stay as they are */
	{ "event_text", "UPDATE event_text SET text = NULL WHERE text IS NOT "
	    "NULL AND audit_id IN (SELECT id FROM audit WHERE case_id = ?1)" },
	/*
	 * Matches of its children, and the open matches offered with a
	 * person of whom nothing but erased children is left
	 */
	{ "possible_matches", "DELETE FROM possible_matches WHERE child_id IN "
	    "(SELECT id FROM children WHERE case_id = ?1) OR (status = 'open' "
	    "AND person_id IN (SELECT person_id FROM children WHERE "
	    "case_id = ?1) AND NOT EXISTS (SELECT 1 FROM children k "
	    "JOIN cases kc ON kc.id = k.case_id WHERE k.person_id = "
	    "possible_matches.person_id AND kc.id <> ?1 AND "
	    "kc.erased_at IS NULL))" },
};
#define NSTEPS	(sizeof(erase_steps) / sizeof(erase_steps[0]))

/* a reason: more than white space, and text (mash(7), Text) */
static int
reason_ok(const char *reason)
{
	const char *why;

	if (reason == NULL || reason[strspn(reason, " \t\r\n")] == '\0')
		return mash_err(MASH_EUSAGE, "a hold needs --reason");
	if ((why = mash_check_text(reason, MASH_TEXT_MAX)) != NULL)
		return mash_err(MASH_EDATA, "--reason %s", why);
	return MASH_OK;
}

/* when a case was put on hold, and erased: "" for never */
static int
hold_state(struct mash *m, int64_t id, char held[MASH_TIME_LEN],
    char erased[MASH_TIME_LEN])
{
	struct db_row *r;

	r = db_query(m, "SELECT held_at, erased_at FROM cases WHERE id = ?",
	    "i", id);
	if (!db_next(r))
		return db_none(r, "no such case %lld", (long long)id);
	snprintf(held, MASH_TIME_LEN, "%s", db_col_text(r, 0) ?
	    db_col_text(r, 0) : "");
	snprintf(erased, MASH_TIME_LEN, "%s", db_col_text(r, 1) ?
	    db_col_text(r, 1) : "");
	return db_end(r);
}

int
mash_case_hold(struct mash *m, int64_t id, const char *reason)
{
	char held[MASH_TIME_LEN], erased[MASH_TIME_LEN];
	int rc;

	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, "a legal hold")) ||
	    (rc = reason_ok(reason)) != MASH_OK ||
	    (rc = hold_state(m, id, held, erased)) != MASH_OK)
		return rc;
	if (*held != '\0')
		return mash_err(MASH_EDATA, "case %lld is on hold already, "
		    "since %s", (long long)id, held);
	if (*erased != '\0')
		return mash_err(MASH_EDATA, "case %lld was erased at %s: "
		    "nothing is left to hold", (long long)id, erased);
	if ((rc = db_exec(m, "UPDATE cases SET held_at = ?, held_by = ?, "
	    "held_reason = ? WHERE id = ?", "Ttti", m->now, m->login, reason,
	    id)) != MASH_OK)
		return rc;
	return db_audit(m, "hold", id, "~reason", reason, NULL);
}

int
mash_case_unhold(struct mash *m, int64_t id)
{
	char held[MASH_TIME_LEN], erased[MASH_TIME_LEN];
	int rc;

	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, "a legal hold")) ||
	    (rc = hold_state(m, id, held, erased)) != MASH_OK)
		return rc;
	if (*held == '\0')
		return mash_err(MASH_EDATA, "case %lld is not on hold",
		    (long long)id);
	if ((rc = db_exec(m, "UPDATE cases SET held_at = NULL, held_by = NULL,"
	    " held_reason = NULL WHERE id = ?", "i", id)) != MASH_OK)
		return rc;
	return db_audit(m, "unhold", id, NULL);
}

/*
 * The limits of retention, from today's local date: a case closed
 * before the local day 'years' ago, every child born on or before the
 * day 'age' years ago (a 29 February with no such day in that year is
 * the 28th, so a child born on 29 February is that age on 1 March).
 */
struct limits {
	int		 years, age;
	mash_time	 closed_before;		/* local midnight */
	char		 born_by[MASH_DATE_LEN];
	mash_time	 received_after;	/* the next local midnight */
};

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* a local date some years before today: y, m, d */
static void
years_ago(const char *today, int n, int *y, int *mo, int *d)
{
	*y = atoi(today) - n;
	*mo = atoi(today + 5);
	*d = atoi(today + 8);
	if (*mo == 2 && *d == 29 && !leap(*y))
		*d = 28;
}

static int
setting_years(struct mash *m, const char *key, int lo, int *n)
{
	char *v;

	v = mash_setting(m, key);
	*n = mash_setting_whole(v, lo, 120);
	free(v);
	if (*n < 0)
		return mash_err(MASH_ECONFIG, "setting '%s' is not a whole "
		    "number of years", key);
	return MASH_OK;
}

static int
limits(struct mash *m, struct limits *l)
{
	char today[MASH_DATE_LEN];
	int y, mo, d, rc;

	if ((rc = setting_years(m, "retention.years", 1, &l->years)) ||
	    (rc = setting_years(m, "retention.until-age", 0, &l->age)))
		return rc;
	mash_time_localdate(m->now, today);
	years_ago(today, l->years, &y, &mo, &d);
	if (mash_time_mklocal(y, mo, d, 0, 0, 0, &l->closed_before) != 0)
		return mash_err(MASH_ESOFTWARE, "no local midnight on "
		    "%04d-%02d-%02d", y, mo, d);
	years_ago(today, l->age, &y, &mo, &d);
	snprintf(l->born_by, sizeof(l->born_by), "%04d-%02d-%02d", y, mo, d);
	/* a child of no known birth is no older than the contact about them */
	if (mash_time_mklocal(y, mo, d, 24, 0, 0, &l->received_after) != 0)
		return mash_err(MASH_ESOFTWARE, "no local midnight after %s",
		    l->born_by);
	return MASH_OK;
}

/* a case a purge takes, and why it may */
struct due {
	int64_t	 id;
	char	 closed_at[MASH_TIME_LEN];
	int64_t	 children, undated;
};

struct dues {
	struct due	*v;
	size_t		 n, cap;
};

/*
 * The closed cases past retention, not on hold, not yet erased, oldest
 * first: through cases_purge, then each case's children by their index.
 * PostgreSQL has no INDEXED BY.
 */
#define PAST_SQL(by) "SELECT c.id, c.closed_at, (SELECT count(*) " \
	"FROM children WHERE case_id = c.id), (SELECT count(*) FROM " \
	"children WHERE case_id = c.id AND dob IS NULL) " \
	"FROM cases c " by \
	"WHERE c.state = 'closed' AND c.erased_at IS NULL AND " \
	"c.closed_at < ?1 AND c.held_at IS NULL AND NOT EXISTS (" \
	"SELECT 1 FROM children y WHERE y.case_id = c.id AND " \
	"(y.dob > ?2 OR (y.dob IS NULL AND c.received_at >= ?3))) " \
	"ORDER BY c.closed_at, c.id"

static int
past_retention(struct mash *m, const struct limits *l, struct dues *d)
{
	struct db_row *r;
	struct due *e;

	r = db_stream(m, DB_SQL(m, PAST_SQL("INDEXED BY cases_purge "),
	    PAST_SQL("")), "TtT", l->closed_before, l->born_by,
	    l->received_after);
	while (db_next(r)) {
		if (d->n == d->cap)
			d->v = mash_xrealloc(d->v, (d->cap = d->cap ?
			    2 * d->cap : 64) * sizeof(*d->v));
		e = &d->v[d->n++];
		e->id = db_col_int(r, 0);
		snprintf(e->closed_at, sizeof(e->closed_at), "%s",
		    db_col_text(r, 1));
		e->children = db_col_int(r, 2);
		e->undated = db_col_int(r, 3);
	}
	return db_end(r);
}

/* the ids of a case's children, for its erase row */
static int
child_ids(struct mash *m, int64_t id, cJSON *a)
{
	struct db_row *r;

	r = db_query(m, "SELECT id FROM children WHERE case_id = ? "
	    "ORDER BY id", "i", id);
	while (db_next(r))
		cJSON_AddItemToArray(a, cJSON_CreateNumber(
		    (double)db_col_int(r, 0)));
	return db_end(r);
}

/*
 * Erase one case, and audit it: one row naming its children and the
 * fields that held something, never a value (mash-audit(1)).
 */
static int
erase_case(struct mash *m, int64_t id)
{
	cJSON *d, *f;
	int64_t n;
	size_t i;
	int rc;

	d = cJSON_CreateObject();
	rc = child_ids(m, id, cJSON_AddArrayToObject(d, "children"));
	f = cJSON_AddArrayToObject(d, "erased");
	for (i = 0; i < NSTEPS && rc == MASH_OK; i++)
		if ((rc = db_change(m, &n, erase_steps[i].sql == erase_previous ?
		    DB_SQL(m, erase_previous, erase_previous_pg) :
		    erase_steps[i].sql, "i", id)) ==
		    MASH_OK && n > 0)
			cJSON_AddItemToArray(f,
			    cJSON_CreateString(erase_steps[i].field));
	if (rc == MASH_OK)
		rc = db_exec(m, "UPDATE cases SET erased_at = ? WHERE id = ?",
		    "Ti", m->now, id);
	if (rc == MASH_OK)
		rc = mash_audit(m, "erase", id, d);
	cJSON_Delete(d);
	return rc;
}

static cJSON *
due_row(const struct limits *l, const struct due *e)
{
	char why[160];
	cJSON *o;
	int n;

	n = snprintf(why, sizeof(why), "closed over %d years ago, every child "
	    "%d or over", l->years, l->age);
	if (e->undated > 0)
		snprintf(why + n, sizeof(why) - n, " (%lld without a date of "
		    "birth: aged from the contact)", (long long)e->undated);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "case_id", (double)e->id);
	cJSON_AddStringToObject(o, "closed_at", e->closed_at);
	cJSON_AddNumberToObject(o, "children", (double)e->children);
	cJSON_AddStringToObject(o, "why", why);
	return o;
}

/*
 * A dry run reads ids, dates and counts, no personal field, and
 * changes nothing, not even the trail: it is no view of a case.
 */
int
mash_purge(struct mash *m, int dry_run, cJSON **rows)
{
	struct dues d = { NULL, 0, 0 };
	struct limits l;
	size_t i;
	int rc;

	*rows = NULL;
	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, "a purge")) != MASH_OK ||
	    (rc = limits(m, &l)) != MASH_OK)
		return rc;
	/* nothing erased may stay in the file (mash_scrub) */
	if (!dry_run && (rc = db_secure_delete(m)) != MASH_OK)
		return rc;
	rc = past_retention(m, &l, &d);
	for (i = 0; i < d.n && rc == MASH_OK && !dry_run; i++)
		rc = erase_case(m, d.v[i].id);
	if (rc == MASH_OK) {
		*rows = cJSON_CreateArray();
		for (i = 0; i < d.n; i++)
			cJSON_AddItemToArray(*rows, due_row(&l, &d.v[i]));
	}
	free(d.v);
	return rc;
}

int
mash_scrub(struct mash *m)
{
	return db_scrub(m);
}

/* the person a merged one became; no such person is 66 */
static int
person_now(struct mash *m, int64_t *person)
{
	struct db_row *r;
	int64_t asked = *person;
	int i, merged;

	for (i = 0; i < MERGES_MAX; i++) {
		r = db_query(m, "SELECT merged_into FROM persons WHERE id = ?",
		    "i", *person);
		if (!db_next(r))
			return db_none(r, "no such person %lld",
			    (long long)asked);
		if ((merged = !db_col_null(r, 0)))
			*person = db_col_int(r, 0);
		db_end(r);
		if (!merged)
			return MASH_OK;
	}
	return mash_err(MASH_EDATA, "person %lld: merged more than %d times",
	    (long long)asked, MERGES_MAX);
}

static int
person_cases(struct mash *m, int64_t person, struct dues *d)
{
	struct db_row *r;

	r = db_query(m, "SELECT DISTINCT case_id FROM children "
	    "WHERE person_id = ? ORDER BY case_id", "i", person);
	while (db_next(r)) {
		if (d->n == d->cap)
			d->v = mash_xrealloc(d->v, (d->cap = d->cap ?
			    2 * d->cap : 16) * sizeof(*d->v));
		d->v[d->n++].id = db_col_int(r, 0);
	}
	return db_end(r);
}

/*
 * Each case is audited as an export before it is read, as a view is,
 * so that each record shown already holds its export.
 */
int
mash_person_records(struct mash *m, int64_t person, cJSON **out)
{
	struct dues d = { NULL, 0, 0 };
	int64_t now = person;
	cJSON *rec;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = mash_need_role(m, MASH_ROLE_HEAD | MASH_ROLE_ADMIN |
	    MASH_ROLE_AUDITOR, "a subject access export")) != MASH_OK ||
	    (rc = person_now(m, &now)) != MASH_OK ||
	    (rc = person_cases(m, now, &d)) != MASH_OK) {
		free(d.v);
		return rc;
	}
	*out = cJSON_CreateArray();
	for (i = 0; i < d.n && rc == MASH_OK; i++)
		if ((rc = db_audit(m, "export", d.v[i].id, "#person", person,
		    NULL)) == MASH_OK &&
		    (rc = db_case_whole(m, d.v[i].id, &rec)) == MASH_OK)
			cJSON_AddItemToArray(*out, rec);
	free(d.v);
	if (rc != MASH_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return rc;
}
