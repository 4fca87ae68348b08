/*
 * store-case.c: cases and their children in the store: recording a
 * contact, matching each child with the children already known, and
 * reading a case back as the JSON shape of mash(7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define KEY_MAX	(2 * MASH_NAME_MAX + 1)
#define NHS_SIZE	11	/* ten digits, as mash_check_nhs gives them */

/*
 * The whole name in matching form, "oliviagrant": the key the indexes
 * hold, and the name that closeness compares.  Given and family names
 * make one key, since where a referral split "Sean O Neill" is a guess.
 */
static void
child_key(const struct mash_child *c, char *key, size_t n)
{
	size_t len;

	mash_name_key(c->given_name ? c->given_name : "", key, n);
	len = strlen(key);
	mash_name_key(c->family_name ? c->family_name : "", key + len,
	    n - len);
}

/*
 * The lowest and highest NHS number among a person's children: each one
 * seek in children_person, which holds (person_id, nhs_number), however
 * many children the person has.  NULL when none has a number.
 */
#define NHS_LO(p) "(SELECT min(nhs_number) FROM children WHERE " \
	"person_id = " p " AND nhs_number IS NOT NULL)"
#define NHS_HI(p) "(SELECT max(nhs_number) FROM children WHERE " \
	"person_id = " p ")"
/* true when the two persons' children carry more than one number */
#define NHS_DIFFER(a, b) "(SELECT min(lo) <> max(hi) FROM (SELECT " \
	NHS_LO(a) " AS lo, " NHS_HI(a) " AS hi UNION ALL SELECT " \
	NHS_LO(b) ", " NHS_HI(b) ") AS n)"

/*
 * The person's number into nhs ("" when none), and whether its children
 * carry two (mash-admin(1) check's nhs-numbers)
 */
static int
person_number(struct mash *m, int64_t person, char nhs[NHS_SIZE],
    int *two)
{
	struct db_row *r;
	const char *lo, *hi;

	*nhs = '\0';
	*two = 0;
	r = db_query(m, "SELECT " NHS_LO("?1") ", " NHS_HI("?1"), "i",
	    person);
	if (db_next(r) && (lo = db_col_text(r, 0)) != NULL &&
	    (hi = db_col_text(r, 1)) != NULL) {
		snprintf(nhs, NHS_SIZE, "%s", lo);
		*two = strcmp(lo, hi) != 0;
	}
	return db_end(r);
}

/* has the person a number; has it one other than nhs? */
static int
numbers(struct mash *m, int64_t person, const char *nhs, int *numbered,
    int *differs)
{
	char own[NHS_SIZE];
	int two, rc;

	rc = person_number(m, person, own, &two);
	*numbered = *own != '\0';
	*differs = *numbered && nhs != NULL && (two || strcmp(own, nhs) != 0);
	return rc;
}

/*
 * The same child (mash(7)): the same NHS number; else the same name key
 * and date of birth, where the NHS numbers do not disagree, since two
 * children with different NHS numbers are never one child (mash(7)).
 *
 * The name and date of birth may be those of several persons, whom the
 * numbers keep apart: joining any of them would be a guess that gives
 * a child another child's history.  A child without a number joins the
 * one among them with no number, if there is one: the contacts that
 * could not be told apart stay together.  A child with a number joins
 * no one while a namesake carries another number.  Otherwise it is a
 * new person, whom the possible matches link to the others.
 */
static int
same_person(struct mash *m, const struct mash_child *c, const char *key,
    int64_t *person, int *by_name)
{
	struct namesake {
		int64_t	person;
		int64_t	first;		/* its earliest such child */
	} *ns = NULL;
	struct db_row *r;
	int64_t bareid = 0;
	size_t n = 0, cap = 0, i;
	int rc = MASH_OK, differ = 0, numbered, differs;

	*person = 0;
	*by_name = 0;
	if (c->nhs_number != NULL && ((rc = db_int(m, person, "SELECT "
	    "person_id FROM children WHERE nhs_number = ? LIMIT 1", "t",
	    c->nhs_number)) != MASH_OK || *person != 0))
		return rc;
	if (c->dob == NULL)
		return MASH_OK;
	/* the index gives them in person order, with no sort */
	r = db_query(m, "SELECT person_id, min(id) FROM children "
	    "WHERE dob = ?2 AND name_key = ?1 GROUP BY person_id", "tt", key,
	    c->dob);
	while (db_next(r)) {
		if (n == cap)
			ns = mash_xrealloc(ns, (cap = cap ? 2 * cap : 4) *
			    sizeof(*ns));
		ns[n].person = db_col_int(r, 0);
		ns[n++].first = db_col_int(r, 1);
	}
	if ((rc = db_end(r)) != MASH_OK) {
		free(ns);
		return rc;
	}
	/* the common case, one namesake and no number, asks no more */
	if (n == 1 && c->nhs_number == NULL) {
		*person = ns[0].person;
		*by_name = 1;
		free(ns);
		return MASH_OK;
	}
	for (i = 0, rc = MASH_OK; i < n && rc == MASH_OK; i++) {
		if ((rc = numbers(m, ns[i].person, c->nhs_number, &numbered,
		    &differs)) != MASH_OK)
			break;
		differ |= differs;
		if (n == 1)
			*person = ns[i].person;
		else if (!numbered && (bareid == 0 || ns[i].first < bareid)) {
			*person = ns[i].person;
			bareid = ns[i].first;
		}
	}
	free(ns);
	if (rc == MASH_OK && differ)
		*person = 0;	/* a namesake has another number */
	*by_name = *person != 0;
	return rc;
}

int
db_nhs_differ(struct mash *m, int64_t a, int64_t b, int *differ)
{
	int64_t v;
	int rc;

	rc = db_int(m, &v, "SELECT " NHS_DIFFER("?1", "?2"), "ii", a, b);
	*differ = v != 0;
	return rc;
}

/*
 * A person has taken in a number.  The open matches, of its children or
 * with it, that the numbers now rule out could never be confirmed: they
 * are withdrawn.
 */
int
db_withdraw_matches(struct mash *m, int64_t person)
{
	int rc;

	if ((rc = db_exec(m, "DELETE FROM possible_matches AS pm WHERE "
	    "status = 'open' AND child_id IN (SELECT id FROM children "
	    "WHERE person_id = ?1) AND " NHS_DIFFER("?1", "pm.person_id"),
	    "i", person)) != MASH_OK)
		return rc;
	return db_exec(m, "DELETE FROM possible_matches AS pm WHERE "
	    "status = 'open' AND person_id = ?1 AND " NHS_DIFFER("?1",
	    "(SELECT person_id FROM children WHERE id = pm.child_id)"),
	    "i", person);
}

/*
 * The persons already offered to one child, each weighed once, and the
 * number of the child's own person, read once, at the first of them
 */
struct offered {
	int64_t	*v;
	size_t	 n, cap;
	int64_t	 mine;		/* the child's person */
	int	 asked, two;	/* its numbers read; two of them */
	char	 nhs[NHS_SIZE];	/* "" when it has none */
};

/*
 * A possible match between the new child's person and another, unless
 * their NHS numbers say they cannot be one: theirs is read only when
 * the child's person has a number.  A person without one differs from
 * no one, since no person carries two: matching and a confirmed match
 * refuse to make one (same_person, nhs_agree), and mash-admin(1)
 * check finds one made before.  Each number asked is a seek into that
 * person's leaf of children_person: for a child with 152 namesakes
 * born that day, 171 of the contact's 487 reads.
 */
static int
offer(struct mash *m, struct offered *o, int64_t child, int64_t theirs)
{
	int numbered, differs, rc;
	size_t i;

	for (i = 0; i < o->n; i++)
		if (o->v[i] == theirs)
			return MASH_OK;
	if (o->n == o->cap)
		o->v = mash_xrealloc(o->v, (o->cap = o->cap ? 2 * o->cap : 8) *
		    sizeof(*o->v));
	o->v[o->n++] = theirs;
	if (!o->asked) {
		o->asked = 1;
		if ((rc = person_number(m, o->mine, o->nhs, &o->two)) !=
		    MASH_OK)
			return rc;
	}
	/* a person of two numbers can be no one else (mash-admin(1)) */
	if (o->two)
		return MASH_OK;
	if (*o->nhs != '\0' && ((rc = numbers(m, theirs, o->nhs, &numbered,
	    &differs)) != MASH_OK || differs))
		return rc;
	return db_send(m, "INSERT INTO possible_matches (child_id, person_id) "
	    "VALUES (?, ?) ON CONFLICT DO NOTHING", "ii", child, theirs);
}

/*
 * Possible matches, for a person to confirm: a close name with the same
 * date of birth, or the same name and postcode.  Never merged here.
 * One statement asks both, each half along its own index: a round trip
 * a child, not two, on PostgreSQL.  The third column is 0 where a
 * close name is still to be asked.  SQLite asks it inside the
 * statement (close_name, db-sqlite.c), so that the many names that
 * cannot be close are let go there, and says 1 of the rest.
 */
#define POSSIBLE_SQL(close, asked) \
	"SELECT person_id, name_key, " asked " FROM children " \
	"WHERE dob = ?1" close " AND person_id <> ?3 UNION ALL " \
	"SELECT person_id, name_key, 1 FROM children " \
	"WHERE name_key = ?2 AND postcode = ?4 AND person_id <> ?3"

/*
 * Built with MASH_MATCH_NONE, by tests/bench/bench.py only, the
 * programs match no one: what matching costs an import, by its absence.
 */
#ifdef MASH_MATCH_NONE
#define MATCHING 0
#else
#define MATCHING 1
#endif

static int
possible_matches(struct mash *m, const struct mash_child *c, const char *key,
    int64_t child, int64_t person)
{
	struct mash_name_probe probe;
	struct offered o = { NULL, 0, 0, 0, 0, 0, "" };
	struct db_row *r;
	int rc, err = MASH_OK;

	if (!MATCHING || (c->dob == NULL && c->postcode == NULL))
		return MASH_OK;
	o.mine = person;
	mash_name_probe_init(&probe, key);
	m->probe = &probe;
	r = db_query(m, DB_SQL(m, POSSIBLE_SQL(" AND close_name(name_key)",
	    "1"), POSSIBLE_SQL("", "0")), "ttit", c->dob, key, person,
	    c->postcode);
	while (err == MASH_OK && db_next(r)) {
		if (db_col_int(r, 2) == 0 && !mash_name_probe_close(&probe,
		    db_col_text(r, 1)))
			continue;
		err = offer(m, &o, child, db_col_int(r, 0));
	}
	rc = db_end(r);
	m->probe = NULL;
	free(o.v);
	return err != MASH_OK ? err : rc;
}

/*
 * The id a new row of a table takes: one more than the largest, as
 * SQLite gives it and the PostgreSQL schema's triggers do, read once a
 * transaction and counted on from there (its lock keeps out every
 * other writer).  Given before the row is sent, it lets the INSERT go
 * without waiting for its answer (db_send).
 */
static int
next_id(struct mash *m, enum db_table t, int64_t *id)
{
	static const char *const sql[] = {
		"SELECT coalesce(max(id), 0) + 1 FROM cases",
		"SELECT coalesce(max(id), 0) + 1 FROM persons",
		"SELECT coalesce(max(id), 0) + 1 FROM children",
	};
	int rc;

	if (!m->ids[t].known) {
		if ((rc = db_int(m, &m->ids[t].next, sql[t], "")) != MASH_OK)
			return rc;
		m->ids[t].known = m->in_tx;
	}
	*id = m->ids[t].next;
	return MASH_OK;
}

/* the row of next_id's id is sent: the next is one more */
static int
took_id(struct mash *m, enum db_table t, int rc)
{
	if (rc == MASH_OK)
		m->ids[t].next++;
	return rc;
}

/*
 * Is the child one of the case's children already: the person it was
 * found to be, or the same name and date of birth where the numbers do
 * not disagree (mash-import(5) "Households")?
 */
static int
in_household(struct mash *m, int64_t case_id, const struct mash_child *c,
    const char *key, int64_t person, int *twice)
{
	int64_t n;
	int rc;

	rc = db_int(m, &n, "SELECT EXISTS (SELECT 1 FROM children WHERE "
	    "case_id = ?1 AND (person_id = ?2 OR (name_key = ?3 AND "
	    "dob = ?4 AND (nhs_number IS NULL OR ?5 IS NULL OR "
	    "nhs_number = ?5))))", "iittt", case_id, person, key, c->dob,
	    c->nhs_number);
	*twice = n != 0;
	return rc;
}

/* a child into a case; with twice, not if the case has it already */
static int
add_child(struct mash *m, int64_t case_id, const struct mash_child *c,
    int *twice)
{
	char key[KEY_MAX];
	int64_t person, child;
	int by_name, rc;

	child_key(c, key, sizeof(key));
	if ((rc = same_person(m, c, key, &person, &by_name)) != MASH_OK)
		return rc;
	if (twice != NULL && ((rc = in_household(m, case_id, c, key, person,
	    twice)) != MASH_OK || *twice))
		return rc;
	if (person == 0 && ((rc = next_id(m, DB_PERSONS, &person)) !=
	    MASH_OK || (rc = took_id(m, DB_PERSONS, db_send(m, "INSERT INTO "
	    "persons (id) VALUES (?)", "i", person))) != MASH_OK))
		return rc;
	if ((rc = next_id(m, DB_CHILDREN, &child)) != MASH_OK ||
	    (rc = took_id(m, DB_CHILDREN, db_send(m, "INSERT INTO children "
	    "(id, case_id, person_id, given_name, family_name, name_key, dob, "
	    "gender, nhs_number, upn, school, address, postcode, ethnicity, "
	    "disabilities, expected_dob) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "iiittttttttttttt", child, case_id, person, c->given_name,
	    c->family_name, key, c->dob, c->gender ? c->gender : "unknown",
	    c->nhs_number, c->upn, c->school, c->address, c->postcode,
	    c->ethnicity ? c->ethnicity : "NOBT",
	    c->disabilities ? c->disabilities : "[]", c->expected_dob))) !=
	    MASH_OK)
		return rc;
	/* found by name, the person had no number until this one */
	if (by_name && c->nhs_number != NULL &&
	    (rc = db_withdraw_matches(m, person)) != MASH_OK)
		return rc;
	return possible_matches(m, c, key, child, person);
}

/*
 * The fields of a referral as a whole that an update may change, as
 * mash-import(5) names them, with the column each is kept in.
 */
#define CASE_FIELDS "concern, categories, consent, referrer, " \
	"referrer_contact, report_type, risk"
static const char *const case_fields[] = {
	"concern", "categories", "consent", "referrer_name",
	"referrer_contact", "report_type", "risk"
};
#define NCASE_FIELDS (sizeof(case_fields) / sizeof(case_fields[0]))

/* the referral's value of case_fields[i]; NULL when not given */
static const char *
given(const struct mash_referral *r, size_t i)
{
	const char *v[NCASE_FIELDS];

	v[0] = r->concern;
	v[1] = NULL;		/* categories: an array, see same_categories */
	v[2] = r->consent;
	v[3] = r->referrer;
	v[4] = r->referrer_contact;
	v[5] = r->report_type;
	v[6] = r->risk;
	return v[i];
}

/* the same codes, in any order; each list holds a code once */
static int
same_categories(const cJSON *mine, const char *stored)
{
	const cJSON *e, *t;
	cJSON *theirs;
	int same;

	theirs = stored ? cJSON_Parse(stored) : NULL;
	same = cJSON_GetArraySize(mine) == cJSON_GetArraySize(theirs);
	cJSON_ArrayForEach(e, mine) {
		int found = 0;

		cJSON_ArrayForEach(t, theirs)
			found |= cJSON_IsString(t) &&
			    strcmp(t->valuestring, e->valuestring) == 0;
		same &= found;
	}
	cJSON_Delete(theirs);
	return same;
}

/* the case that holds (source, reference) now: the latest, if renewed */
struct held {
	int64_t	 id, update;	/* 0: none */
	int	 closed;
	char	*received;	/* its received_at */
	char	*old[NCASE_FIELDS];	/* its values of case_fields */
};

static void
held_free(struct held *h)
{
	size_t i;

	free(h->received);
	for (i = 0; i < NCASE_FIELDS; i++)
		free(h->old[i]);
	memset(h, 0, sizeof(*h));
}

static char *
col_dup(struct db_row *q, int col)
{
	const char *v = db_col_text(q, col);

	return v ? mash_xstrdup(v) : NULL;
}

/* one seek in cases_reference: every imported row asks it */
static int
held(struct mash *m, const struct mash_referral *r, struct held *h)
{
	struct db_row *q;
	size_t i;

	memset(h, 0, sizeof(*h));
	if (r->reference == NULL)
		return MASH_OK;
	/*
	 * the newest case of the reference as max(id), not ORDER BY id
	 * DESC LIMIT 1: that sorted its one or two rows in a temporary
	 * b-tree, made and dropped for every row of an import
	 */
	q = db_query(m, "SELECT id, state = 'closed', (SELECT max(id) "
	    "FROM case_updates u WHERE u.case_id = cases.id), received_at, "
	    CASE_FIELDS " FROM cases WHERE id = (SELECT max(id) FROM cases "
	    "WHERE source = ? AND reference = ?)", "tt", r->source,
	    r->reference);
	if (db_next(q)) {
		h->id = db_col_int(q, 0);
		h->closed = db_col_int(q, 1) != 0;
		h->update = db_col_int(q, 2);
		h->received = col_dup(q, 3);
		for (i = 0; i < NCASE_FIELDS; i++)
			h->old[i] = col_dup(q, (int)i + 4);
	}
	return db_end(q);
}

/* which case fields the referral changes: a bit for each, and names */
static unsigned
changed(const struct mash_referral *r, const struct held *h, char *names,
    size_t n)
{
	unsigned bits = 0;
	size_t i, len = 0;
	int differs;

	names[0] = '\0';
	for (i = 0; i < NCASE_FIELDS; i++) {
		if (i == 1)	/* none given: nothing to change */
			differs = cJSON_GetArraySize(r->categories) != 0 &&
			    !same_categories(r->categories, h->old[i]);
		else
			differs = given(r, i) != NULL && (h->old[i] == NULL ||
			    strcmp(given(r, i), h->old[i]) != 0);
		if (!differs)
			continue;
		bits |= 1u << i;
		len += snprintf(names + len, n - len, "%s%s", len ? "," : "",
		    case_fields[i]);
		if (len >= n)
			len = n - 1;
	}
	return bits;
}

/*
 * Is this child already in the case?  The same NHS number, or the same
 * name and date of birth where the numbers do not disagree, as a
 * household's rows are held to; a child sent without a date of birth
 * or number is one sent with less, not another.  One seek in
 * children_case.
 */
static int
in_case(struct mash *m, int64_t id, const struct mash_child *c, int *yes)
{
	char key[KEY_MAX];
	int64_t n;
	int rc;

	child_key(c, key, sizeof(key));
	rc = db_int(m, &n, "SELECT count(*) FROM children WHERE "
	    "case_id = ?1 AND ((?2 IS NOT NULL AND nhs_number = ?2) OR "
	    "(name_key = ?3 AND (?4 IS NULL OR dob = ?4) AND (nhs_number IS NULL OR "
	    "?2 IS NULL OR nhs_number = ?2)))", "ittt", id, c->nhs_number, key,
	    c->dob);
	*yes = n != 0;
	return rc;
}

static int
create(struct mash *m, const struct mash_referral *r, int64_t supersedes,
    int64_t *id)
{
	mash_time received, due;
	cJSON *d, *none;
	size_t i;
	int rc;

	received = r->has_received_at ? r->received_at : m->now;
	/* the clock starts at receipt, or now if it came in the past */
	if ((rc = mash_deadline_from(m, "screening.due", received, &due)) !=
	    MASH_OK)
		return rc;
	if ((rc = next_id(m, DB_CASES, id)) != MASH_OK)
		return rc;
	none = cJSON_CreateArray();
	rc = took_id(m, DB_CASES, db_send(m, "INSERT INTO cases (id, source, "
	    "reference, received_at, created_at, created_by, concern, "
	    "categories, consent, referrer, referrer_contact, report_type, "
	    "risk, screening_due, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, nullif(?, 0))", "ittTTttjtttttTi", *id,
	    r->source, r->reference, received, m->now, m->login, r->concern,
	    r->categories ? r->categories : none,
	    r->consent ? r->consent : "unknown", r->referrer,
	    r->referrer_contact, r->report_type, r->risk, due, supersedes));
	cJSON_Delete(none);
	if (rc != MASH_OK)
		return rc;
	for (i = 0; i < r->nchildren; i++)
		if ((rc = add_child(m, *id, &r->children[i], NULL)) !=
		    MASH_OK)
			return rc;
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "source", r->source);
	if (r->reference)
		cJSON_AddStringToObject(d, "reference", r->reference);
	cJSON_AddNumberToObject(d, "children", (double)r->nchildren);
	if (supersedes != 0)
		cJSON_AddNumberToObject(d, "supersedes", (double)supersedes);
	rc = mash_audit(m, "refer", *id, d);
	cJSON_Delete(d);
	return rc;
}

/* the values before of the fields changed, a JSON object */
static cJSON *
before(const struct held *h, unsigned bits)
{
	cJSON *o, *a;
	size_t i;

	o = cJSON_CreateObject();
	for (i = 0; i < NCASE_FIELDS; i++) {
		if (!(bits & (1u << i)))
			continue;
		if (i == 1 && (a = cJSON_Parse(h->old[i] ? h->old[i] : "[]")))
			cJSON_AddItemToObject(o, case_fields[i], a);
		else
			cJSON_AddItemToObject(o, case_fields[i], h->old[i] ?
			    cJSON_CreateString(h->old[i]) : cJSON_CreateNull());
	}
	return o;
}

/*
 * Keep the update: a row of case_updates, or, for a later row of the
 * same import (from since_update on), more in the row it began: the
 * fields joined, the values before kept from the first.
 */
static int
keep_update(struct mash *m, const struct mash_referral *r,
    const struct held *h, unsigned bits, struct mash_intake *in)
{
	char t[MASH_TIME_LEN];
	cJSON *fields, *prev;
	size_t i;
	int rc;

	fields = cJSON_CreateArray();
	for (i = 0; i < NCASE_FIELDS; i++)
		if (bits & (1u << i))
			cJSON_AddItemToArray(fields,
			    cJSON_CreateString(case_fields[i]));
	prev = before(h, bits);
	if (r->has_received_at)
		mash_time_utc(r->received_at, t);
	if (in->since_update != 0 && h->update >= in->since_update) {
		in->update = h->update;
		rc = db_exec(m, DB_SQL(m, "UPDATE case_updates SET fields = "
		    "(SELECT json_group_array(value) FROM (SELECT value FROM "
		    "json_each(fields) UNION SELECT value FROM json_each(?1))), "
		    "previous = json_patch(?2, previous), children = children + "
		    "?3 WHERE id = ?4",
		    /* the union's names sorted by byte, as SQLite's are */
		    "UPDATE case_updates SET fields = (SELECT '[' || "
		    "coalesce(string_agg(to_json(u.v)::text, ',' ORDER BY "
		    "u.v COLLATE \"C\"), '') || ']' FROM (SELECT "
		    "json_array_elements_text(fields::json) AS v UNION SELECT "
		    "json_array_elements_text(CAST(?1 AS TEXT)::json)) AS u), "
		    "previous = " PG_JSON_PATCH("?2", "previous") ", "
		    "children = children + ?3 WHERE id = ?4"), "jjii", fields,
		    prev, (int64_t)in->added, in->update);
	} else
		rc = db_insert(m, &in->update, "INSERT INTO case_updates "
		    "(case_id, at, actor, received_at, fields, children, "
		    "previous) VALUES (?, ?, ?, ?, ?, ?, ?)", "iTttjij", h->id,
		    m->now, m->login, r->has_received_at ? t : NULL, fields,
		    (int64_t)in->added, prev);
	cJSON_Delete(fields);
	cJSON_Delete(prev);
	return rc;
}

/*
 * An open case takes the new values of the fields that changed and the
 * children it did not have; the update is kept and audited, naming
 * the fields, never their values (mash(7)).
 */
static int
update(struct mash *m, const struct mash_referral *r, const struct held *h,
    unsigned bits, const char *fresh, struct mash_intake *in)
{
	const char *v[NCASE_FIELDS];
	cJSON *d, *f;
	char *copy, *p, *tok;
	size_t i;
	int rc;

	in->how = MASH_INTAKE_UPDATED;
	for (i = 0; i < NCASE_FIELDS; i++)
		v[i] = bits & (1u << i) ? given(r, i) : NULL;
	if ((rc = db_exec(m, "UPDATE cases SET concern = coalesce(?1, concern), "
	    "categories = coalesce(?2, categories), consent = coalesce(?3, "
	    "consent), referrer = coalesce(?4, referrer), referrer_contact = "
	    "coalesce(?5, referrer_contact), report_type = coalesce(?6, "
	    "report_type), risk = coalesce(?7, risk), updated_at = ?8 "
	    "WHERE id = ?9", "tjtttttTi", v[0], bits & 2 ? r->categories : NULL,
	    v[2], v[3], v[4], v[5], v[6], m->now, h->id)) != MASH_OK)
		return rc;
	for (i = 0; i < r->nchildren; i++)
		if (fresh[i] && (rc = add_child(m, h->id, &r->children[i],
		    NULL)) != MASH_OK)
			return rc;
	if ((rc = keep_update(m, r, h, bits, in)) != MASH_OK)
		return rc;
	d = cJSON_CreateObject();
	cJSON_AddNumberToObject(d, "update", (double)in->update);
	f = cJSON_AddArrayToObject(d, "fields");
	copy = mash_xstrdup(in->fields);
	for (p = copy; (tok = strsep(&p, ",")) != NULL; )
		if (*tok != '\0')
			cJSON_AddItemToArray(f, cJSON_CreateString(tok));
	free(copy);
	cJSON_AddNumberToObject(d, "children", (double)in->added);
	rc = mash_audit(m, "update", h->id, d);
	cJSON_Delete(d);
	return rc;
}

/*
 * A referral already held, sent again (mash-import(5)): the same
 * content is present; other content updates an open case, and makes a
 * new case that supersedes a closed one, which never changes.
 */
static int
resent(struct mash *m, const struct mash_referral *r, const struct held *h,
    unsigned bits, struct mash_intake *in)
{
	char *fresh;
	size_t i;
	int yes = 0, rc = MASH_OK;

	in->id = h->id;
	fresh = mash_xmalloc(r->nchildren + 1);
	for (i = 0; i < r->nchildren && rc == MASH_OK; i++) {
		rc = in_case(m, h->id, &r->children[i], &yes);
		fresh[i] = !yes;
		in->added += !yes;
	}
	if (rc != MASH_OK)
		;
	else if (bits == 0 && in->added == 0)
		in->how = MASH_INTAKE_PRESENT;
	else if (h->closed) {
		in->how = MASH_INTAKE_RENEWED;
		in->previous = h->id;
		in->added = 0;
		rc = create(m, r, h->id, &in->id);
	} else if (bits != 0 && in->since_update != 0 &&
	    h->update >= in->since_update)
		in->how = MASH_INTAKE_CONFLICT;
	else
		rc = update(m, r, h, bits, fresh, in);
	free(fresh);
	return rc;
}

/*
 * The first field in which a later row of a household differs from
 * its case (mash-import(5)): each must be as the first row gave it,
 * given or not.  NULL when none does.
 */
static const char *
household_differs(struct mash *m, const struct mash_referral *r,
    const struct held *h)
{
	char t[MASH_TIME_LEN];
	const char *v;
	size_t i;

	mash_time_utc(r->has_received_at ? r->received_at : m->now, t);
	if (h->received == NULL || strcmp(t, h->received) != 0)
		return "received_at";
	for (i = 0; i < NCASE_FIELDS; i++) {
		if (i == 1) {
			if (!same_categories(r->categories, h->old[i]))
				return case_fields[i];
			continue;
		}
		if ((v = given(r, i)) == NULL && i == 2)
			v = "unknown";	/* the consent a case is made with */
		if (v == NULL ? h->old[i] != NULL :
		    h->old[i] == NULL || strcmp(v, h->old[i]) != 0)
			return case_fields[i];
	}
	return NULL;
}

int
mash_case_create(struct mash *m, const struct mash_referral *r,
    struct mash_intake *in)
{
	struct held h;
	const char *f;
	unsigned bits;
	int rc;

	in->how = MASH_INTAKE_NEW;
	in->id = in->previous = in->update = 0;
	in->fields[0] = '\0';
	in->added = 0;
	if ((rc = held(m, r, &h)) != MASH_OK)
		return rc;
	if (h.id == 0)
		rc = create(m, r, 0, &in->id);
	else if (in->since_case != 0 && h.id >= in->since_case) {
		in->how = MASH_INTAKE_BATCH;
		in->id = h.id;
		if ((f = household_differs(m, r, &h)) != NULL)
			snprintf(in->fields, sizeof(in->fields), "%s", f);
	} else {
		bits = changed(r, &h, in->fields, sizeof(in->fields));
		rc = resent(m, r, &h, bits, in);
	}
	held_free(&h);
	return rc;
}

/*
 * A later row of a household: its child joins the case, unless it is
 * one of the case's children already (twice), when nothing is done.
 */
int
mash_case_add_child(struct mash *m, int64_t case_id,
    const struct mash_child *c, int *twice)
{
	int rc;

	if ((rc = add_child(m, case_id, c, twice)) != MASH_OK || *twice)
		return rc;
	return mash_audit(m, "add-child", case_id, NULL);
}

/* a JSON array kept as text, parsed; an empty array if it is not one */
static cJSON *
json_array_col(struct db_row *r, int col)
{
	cJSON *a;

	if (db_col_text(r, col) == NULL ||
	    (a = cJSON_Parse(db_col_text(r, col))) == NULL)
		return cJSON_CreateArray();
	return a;
}

/* the case whose children's histories are read: its id and its time */
struct me {
	int64_t		 id;
	const char	*received;
	const char	*year_before;
	char		 buf[32];
	int		 contacts_12m;	/* the most of any child's */
};

/*
 * YEAR_BEFORE (store.h) of the case's time, worked out once here: in
 * the query, SQLite's string functions made it a quarter of the work
 * of each child's history (callgrind), a case listed in a queue at a
 * time.  The time is stored as "YYYY-MM-DDTHH:MM:SSZ" (its CHECK);
 * any other, as NULL would in the query, finds no case before it.
 */
static void
me_set(struct me *me, int64_t id, const char *received)
{
	int year;

	me->id = id;
	me->received = me->year_before = NULL;
	me->contacts_12m = 0;
	if (received == NULL || strlen(received) != MASH_TIME_LEN - 1 ||
	    (year = atoi(received) - 1) < 0)
		return;
	snprintf(me->buf, sizeof(me->buf), "%04d%.6s%s", year,
	    strncmp(received + 5, "02-29", 5) == 0 ? "-03-01" : received + 4,
	    received + 10);
	me->received = received;
	me->year_before = me->buf;
}

/*
 * previous_cases, contacts_12m and possible_matches of one child.  The
 * person's cases up to this one come in order, and a case twice when
 * two of its children are the person: one query, with no DISTINCT to
 * build a temporary table for every child of every case listed.
 */
static int
child_history(struct mash *m, struct me *me, int64_t child,
    int64_t person, cJSON *o)
{
	struct db_row *r;
	cJSON *a;
	int64_t id, last = 0;
	int rc, recent;

	/*
	 * The case itself is one of the twelve months' contacts, and not
	 * read again: the join read its row a second time, a page of the
	 * table for each case of a queue.
	 */
	recent = me->received != NULL;
	a = cJSON_AddArrayToObject(o, "previous_cases");
	r = db_query(m, "SELECT c.id, c.received_at > ?3 "
	    "FROM children h JOIN cases c ON c.id = h.case_id "
	    "WHERE h.person_id = ?2 AND h.case_id <> ?1 AND "
	    "(c.received_at < ?4 OR (c.received_at = ?4 AND c.id < ?1)) "
	    "ORDER BY c.received_at, c.id", "iitt", me->id, person,
	    me->year_before, me->received);
	while (db_next(r)) {
		if ((id = db_col_int(r, 0)) == last)
			continue;
		last = id;
		cJSON_AddItemToArray(a, cJSON_CreateNumber((double)id));
		recent += (int)db_col_int(r, 1);
	}
	if ((rc = db_end(r)) != MASH_OK)
		return rc;
	cJSON_AddNumberToObject(o, "contacts_12m", recent);
	if (recent > me->contacts_12m)
		me->contacts_12m = recent;
	a = cJSON_AddArrayToObject(o, "possible_matches");
	r = db_query(m, "SELECT person_id FROM possible_matches "
	    "WHERE child_id = ? AND status = 'open' ORDER BY person_id", "i",
	    child);
	while (db_next(r))
		cJSON_AddItemToArray(a, cJSON_CreateNumber(
		    (double)db_col_int(r, 0)));
	return db_end(r);
}

/*
 * A child into the case's list in the order of their ids.  The index
 * of a case's children gives them by person: an ORDER BY sorted them
 * in a temporary b-tree, for each case of a queue a third of the work
 * of reading its children (callgrind), for a list of one or two.
 */
static void
add_by_id(cJSON *kids, cJSON *o, int64_t id)
{
	const cJSON *k;
	int i = 0;

	cJSON_ArrayForEach(k, kids) {
		if (cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(k,
		    "id")) > (double)id) {
			cJSON_InsertItemInArray(kids, i, o);
			return;
		}
		i++;
	}
	cJSON_AddItemToArray(kids, o);
}

static int
children_json(struct mash *m, struct me *me, cJSON *kids)
{
	struct db_row *r;
	cJSON *o;
	int rc;

	r = db_query(m, "SELECT id, person_id, given_name, family_name, "
	    "dob, expected_dob, gender, ethnicity, disabilities, nhs_number, "
	    "upn, school, address, postcode "
	    "FROM children WHERE case_id = ?", "i", me->id);
	/* gather first: child_history reuses the statement cache */
	while (db_next(r)) {
		o = cJSON_CreateObject();
		db_row_json(r, o);
		cJSON_ReplaceItemInObject(o, "disabilities",
		    json_array_col(r, 8));
		add_by_id(kids, o, db_col_int(r, 0));
	}
	if ((rc = db_end(r)) != MASH_OK)
		return rc;
	cJSON_ArrayForEach(o, kids) {
		if ((rc = child_history(m, me, (int64_t)cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(o, "id")),
		    (int64_t)cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(o, "person_id")), o)) !=
		    MASH_OK)
			return rc;
	}
	return MASH_OK;
}

/* a column of a case, as the case shape of mash(7) has it */
static cJSON *
case_column(cJSON *o, struct db_row *r, int col, const char *name)
{
	cJSON *v;

	if (col == CASE_CATEGORIES || col == CASE_CRITERIA)
		v = json_array_col(r, col);
	else if (col == CASE_SOURCE) {
		cJSON_AddItemToObjectCS(o, "source", cJSON_CreateString(
		    mash_source_name(db_col_text(r, col))));
		name = "source_code";
		v = cJSON_CreateString(db_col_text(r, col));
	} else
		v = db_col_json(r, col);
	cJSON_AddItemToObjectCS(o, name, v);
	return v;
}

/*
 * The keys of a row of CASE_COLUMNS, split from it once, so that each
 * column is known by its place: comparing every column's name with
 * those made more of, at every row, and finding the one copy of its
 * key, were a tenth of a queue's instructions (callgrind)
 */
static const char *const *
case_keys(void)
{
	static char names[] = CASE_COLUMNS;
	static const char *keys[CASE_NCOLUMNS];
	static int n;
	char *p, *last;

	if (n == CASE_NCOLUMNS)
		return keys;
	/* store.h's places are those of CASE_COLUMNS, or nothing works */
	for (p = strtok_r(names, ", ", &last); p != NULL;
	    p = strtok_r(NULL, ", ", &last)) {
		if (n == CASE_NCOLUMNS)
			abort();
		keys[n++] = p;
	}
	if (n != CASE_NCOLUMNS ||
	    strcmp(keys[CASE_STATE], "state") != 0 ||
	    strcmp(keys[CASE_SOURCE], "source") != 0 ||
	    strcmp(keys[CASE_RECEIVED_AT], "received_at") != 0 ||
	    strcmp(keys[CASE_CATEGORIES], "categories") != 0 ||
	    strcmp(keys[CASE_CRITERIA], "criteria") != 0 ||
	    strcmp(keys[CASE_ASSIGNED], "assigned_to") != 0 ||
	    strcmp(keys[CASE_UPDATED_AT], "updated_at") != 0)
		abort();
	return keys;
}

/* one row of CASE_COLUMNS as the case shape of mash(7) */
static cJSON *
case_row(struct db_row *r, const char **received, const cJSON **criteria)
{
	const char *const *keys = case_keys();
	cJSON *o, *v;
	int i;

	*received = NULL;
	*criteria = NULL;
	o = cJSON_CreateObject();
	for (i = 0; i < CASE_NCOLUMNS; i++) {
		v = case_column(o, r, i, keys[i]);
		if (i == CASE_RECEIVED_AT)
			*received = cJSON_GetStringValue(v);
		else if (i == CASE_CRITERIA)
			*criteria = v;
	}
	return o;
}

/*
 * The updates of a case that has any, oldest first; a case never
 * updated, as almost every case in a listing, asks nothing more.
 */
static int
updates_json(struct mash *m, int64_t id, int updated, cJSON *o)
{
	struct db_row *r;
	cJSON *a, *u, *p;

	if (!updated)
		return MASH_OK;
	r = db_query(m, "SELECT id, at, actor, received_at, fields, "
	    "children, previous FROM case_updates WHERE case_id = ? "
	    "ORDER BY id", "i", id);
	a = cJSON_AddArrayToObject(o, "updates");
	while (db_next(r)) {
		u = cJSON_CreateObject();
		db_row_json(r, u);
		cJSON_ReplaceItemInObject(u, "fields", json_array_col(r, 4));
		if ((p = cJSON_Parse(db_col_text(r, 6))) != NULL)
			cJSON_ReplaceItemInObject(u, "previous", p);
		cJSON_AddItemToArray(a, u);
	}
	return db_end(r);
}

/*
 * The whole case of a row of CASE_COLUMNS (store.h), its statement
 * left on that row: a queue reads its cases' rows in one statement and
 * builds each as it comes, not each again by its id.
 */
int
db_case_of_row(struct mash *m, struct db_row *r, cJSON **out,
    struct case_seen *seen)
{
	const cJSON *criteria;
	const char *received;
	struct me me;
	cJSON *o;
	int rc, updated;

	o = case_row(r, &received, &criteria);
	updated = !db_col_null(r, CASE_UPDATED_AT);
	me_set(&me, db_col_int(r, 0), received);
	if ((rc = children_json(m, &me, cJSON_AddArrayToObject(o,
	    "children"))) != MASH_OK || (rc = updates_json(m, me.id, updated,
	    o)) != MASH_OK) {
		cJSON_Delete(o);
		o = NULL;
	}
	if (seen != NULL && o != NULL) {
		seen->contacts_12m = me.contacts_12m;
		seen->criteria = criteria;
	}
	*out = o;
	return rc;
}

int
mash_case_json(struct mash *m, int64_t id, cJSON **out)
{
	struct db_row *r;
	int rc;

	*out = NULL;
	r = db_query(m, "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?",
	    "i", id);
	if (!db_next(r))
		return db_none(r, "no such case %lld", (long long)id);
	rc = db_case_of_row(m, r, out, NULL);
	if ((rc = mash_worse(rc, db_end(r))) != MASH_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return rc;
}
