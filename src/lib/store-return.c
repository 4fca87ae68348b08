/*
 * store-return.c: the statutory returns (mash-return(1)): Ofsted's
 * Annex A lists 1 and 3, and the DfE Children in Need census.
 *
 * A contact is each child of each case, dated by the case's receipt; a
 * referral is each child of a case closed with an outcome of the
 * setting return.referral-outcomes, dated by that decision.  Dates are
 * the hub's local dates.  Each run reads and records itself in one
 * transaction, and nothing is handed back unless that record is
 * committed (mash(7), AUDIT).
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

const struct mash_col mash_annex1_cols[] = {
	{ "child", "Child Unique ID", 0 },
	{ "gender", "Gender", 0 },
	{ "ethnicity", "Ethnicity", 0 },
	{ "dob", "Date of Birth", 0 },
	{ "age", "Age of Child (Years)", 0 },
	{ "date", "Date of Contact", 0 },
	{ "source", "Contact Source", 0 },
	{ NULL, NULL, 0 }
};

const struct mash_col mash_annex3_cols[] = {
	{ "child", "Child Unique ID", 0 },
	{ "gender", "Gender", 0 },
	{ "ethnicity", "Ethnicity", 0 },
	{ "dob", "Date of Birth", 0 },
	{ "age", "Age of Child (Years)", 0 },
	{ "date", "Date of Referral", 0 },
	{ "source", "Referral Source", 0 },
	{ "nfa", "Referral NFA?", 0 },
	{ "referrals_12m", "Number of Referrals in Last 12 Months", 0 },
	{ "team", "Allocated Team", 0 },
	{ "worker", "Allocated Worker", 0 },
	{ NULL, NULL, 0 }
};

/* Annex A's labels, in the order of the code sets of validate.c */
static const char *const gender_labels[][2] = {
	{ "male", "a) Male" }, { "female", "b) Female" },
	{ "unknown", "c) Not stated/recorded" }, { "other", "d) Neither" },
};

static const char *const source_labels[][2] = {
	{ "1A", "a) 1A: Individual" }, { "1B", "b) 1B: Individual" },
	{ "1C", "c) 1C: Individual" }, { "1D", "d) 1D: Individual" },
	{ "2A", "e) 2A: Schools" }, { "2B", "f) 2B: Education services" },
	{ "3A", "g) 3A: Health services" }, { "3B", "h) 3B: Health services" },
	{ "3C", "i) 3C: Health services" }, { "3D", "j) 3D: Health services" },
	{ "3E", "k) 3E: Health services" }, { "3F", "l) 3F: Health services" },
	{ "4", "m) 4: Housing" }, { "5A", "n) 5A: LA services" },
	{ "5B", "o) 5B: LA services" }, { "5C", "p) 5C: LA services" },
	{ "5D", "p1) 5D: LA services" }, { "6", "q) 6: Police" },
	{ "7", "r) 7: Other legal agency" }, { "8", "s) 8: Other" },
	{ "9", "t) 9: Anonymous" }, { "10", "u) 10: Unknown" },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char *
label(const char *const (*table)[2], size_t n, const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < n; i++)
		if (strcmp(table[i][0], code) == 0)
			return table[i][1];
	return "";
}

/* "a) WBRI" to "t) NOBT": a letter for each code, in the DfE's order */
static void
ethnicity_label(const char *code, char *out, size_t n)
{
	const char *const *e = mash_codes(MASH_CODE_ETHNICITY);
	size_t i;

	for (i = 0; e[i] != NULL; i++)
		if (code != NULL && strcmp(e[i], code) == 0) {
			snprintf(out, n, "%c) %s", (int)('a' + i), e[i]);
			return;
		}
	snprintf(out, n, "%s", code ? code : "");
}

/* YYYY-MM-DD as DD/MM/YYYY; "" for none */
static void
uk_date(const char *iso, char out[MASH_DATE_LEN])
{
	if (iso == NULL || strlen(iso) != 10)
		out[0] = '\0';
	else
		snprintf(out, MASH_DATE_LEN, "%.2s/%.2s/%.4s", iso + 8, iso + 5,
		    iso);
}

/*
 * Whole years from a date of birth to a day, both YYYY-MM-DD: one more
 * on each birthday, and for 29 February on 1 March of a common year.
 * -1 when the day is before the birth.
 */
static int
age_on(const char *dob, const char *day)
{
	int age = atoi(day) - atoi(dob);

	if (strcmp(day + 5, dob + 5) < 0)
		age--;
	return age;
}

/* the local date of a stored instant, YYYY-MM-DD */
static void
local_day(const char *utc, char out[MASH_DATE_LEN])
{
	mash_time t;

	if (utc == NULL || mash_time_parse(utc, &t) != 0 ||
	    mash_time_localdate(t, out) != 0)
		out[0] = '\0';
}

/* the instant a local date starts, or (next) the next one does */
static int
day_start(const char *date, int next, char out[MASH_TIME_LEN])
{
	mash_time t;
	int y, m, d;

	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    mash_time_mklocal(y, m, d, next ? 24 : 0, 0, 0, &t) != 0)
		return mash_err(MASH_EUSAGE, "no local midnight on '%s'", date);
	mash_time_utc(t, out);
	return MASH_OK;
}

/* ",cpat,": a setting's list as LIKE '%,cpat,%' finds a member in it */
static char *
listed(struct mash *m, const char *key)
{
	char *v, *s;

	v = mash_setting(m, key);
	s = mash_xmalloc(strlen(v ? v : "") + 3);
	sprintf(s, ",%s,", v ? v : "");
	free(v);
	return s;
}

/* the cases a return showed, each once, for its audit row */
struct ids {
	int64_t	*v;
	size_t	 n, cap;
};

static void
ids_add(struct ids *l, int64_t id)
{
	if (l->n > 0 && l->v[l->n - 1] == id)
		return;
	if (l->n == l->cap)
		l->v = mash_xrealloc(l->v, (l->cap = l->cap ? 2 * l->cap : 64) *
		    sizeof(*l->v));
	l->v[l->n++] = id;
}

/* a day number as YYYY-MM-DD */
static void
day_text(int64_t day, char out[MASH_DATE_LEN])
{
	char s[MASH_TIME_LEN];

	/* noon, in UTC: the day's date whatever the zone */
	mash_time_utc(day * 86400 + 43200, s);
	snprintf(out, MASH_DATE_LEN, "%.10s", s);
}

/*
 * The six months up to today: from the day after the same date six
 * months back (the last day of a shorter month where there is none).
 */
static void
default_from(const char *to, char out[MASH_DATE_LEN])
{
	int64_t first, next;
	int y, m, d;

	sscanf(to, "%4d-%2d-%2d", &y, &m, &d);
	if ((m -= 6) < 1) {
		m += 12;
		y--;
	}
	first = mash_civil_days(y, m, 1);
	next = m == 12 ? mash_civil_days(y + 1, 1, 1) :
	    mash_civil_days(y, m + 1, 1);
	/* day d is first + d - 1: the day after it is first + d */
	day_text(first + (d < next - first ? d : next - first), out);
}

#define ANNEX_SQL(what, when, extra) \
	"SELECT k.person_id, k.gender, k.ethnicity, k.dob, c." when ", " \
	"c.source, c.id, c.outcome, u.name, c.assigned_to" extra " " \
	"FROM cases c JOIN children k ON k.case_id = c.id " \
	"LEFT JOIN users u ON u.login = c.assigned_to " \
	"WHERE c." when " >= ?1 AND c." when " < ?2" what " " \
	"ORDER BY c." when ", c.id, k.id"

/* the person's other referrals closed in the twelve months before */
#define EARLIER \
	", (SELECT count(DISTINCT p.id) FROM children h JOIN cases p " \
	"ON p.id = h.case_id WHERE h.person_id = k.person_id AND p.id <> c.id " \
	"AND ?3 LIKE ('%,' || p.outcome || ',%') AND p.closed_at > " \
	YEAR_BEFORE("c.closed_at") " AND " \
	"(p.closed_at < c.closed_at OR (p.closed_at = c.closed_at AND " \
	"p.id < c.id)))"

static const char list1_sql[] = ANNEX_SQL("", "received_at", ", 0");
static const char list3_sql[] = ANNEX_SQL(
    " AND ?3 LIKE ('%,' || c.outcome || ',%')", "closed_at", EARLIER);

/* one row of Annex A from a row of ANNEX_SQL */
static cJSON *
annex_row(struct mash *m, struct db_row *r, int list, const char *team)
{
	char day[MASH_DATE_LEN], uk[MASH_DATE_LEN], eth[16];
	const char *dob = db_col_text(r, 3), *worker;
	cJSON *o;
	int age;

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "child", (double)db_col_int(r, 0));
	cJSON_AddStringToObject(o, "gender", label(gender_labels,
	    NELEM(gender_labels), db_col_text(r, 1)));
	ethnicity_label(db_col_text(r, 2), eth, sizeof(eth));
	cJSON_AddStringToObject(o, "ethnicity", eth);
	uk_date(dob, uk);
	cJSON_AddStringToObject(o, "dob", uk);
	local_day(db_col_text(r, 4), day);
	if (dob != NULL && day[0] != '\0' && (age = age_on(dob, day)) >= 0)
		cJSON_AddNumberToObject(o, "age", age);
	else
		cJSON_AddStringToObject(o, "age", "");
	uk_date(day, uk);
	cJSON_AddStringToObject(o, "date", uk);
	cJSON_AddStringToObject(o, "source", label(source_labels,
	    NELEM(source_labels), db_col_text(r, 5)));
	if (list == 1)
		return o;
	cJSON_AddStringToObject(o, "nfa", mash_setting_has(m,
	    "return.nfa-outcomes", db_col_text(r, 7)) ? "a) Yes" : "b) No");
	cJSON_AddNumberToObject(o, "referrals_12m",
	    (double)db_col_int(r, 10));
	cJSON_AddStringToObject(o, "team", team);
	/* the worker's name; their login where no name is kept */
	worker = db_col_text(r, 8) ? db_col_text(r, 8) : db_col_text(r, 9);
	cJSON_AddStringToObject(o, "worker", worker ? worker : "");
	return o;
}

static int
annex_read(struct mash *m, int list, const char *start, const char *end,
    cJSON *rows, struct ids *cases)
{
	struct db_row *r;
	char *refs, *team;
	int rc;

	refs = listed(m, "return.referral-outcomes");
	team = mash_setting(m, "hub.team");
	r = db_stream(m, list == 1 ? list1_sql : list3_sql, list == 1 ? "tt" :
	    "ttt", start, end, refs);
	while (db_next(r)) {
		cJSON_AddItemToArray(rows, annex_row(m, r, list, team));
		ids_add(cases, db_col_int(r, 6));
	}
	rc = db_end(r);
	free(refs);
	free(team);
	return rc;
}

/* the audit row of a return: which, the counts, and the cases shown */
static int
record(struct mash *m, const char *which, struct ids *cases, cJSON *more)
{
	cJSON *d, *e;
	int rc;

	d = mash_list_details(which, cases->v, cases->n);
	while (more != NULL && (e = more->child) != NULL)
		cJSON_AddItemToObject(d, e->string,
		    cJSON_DetachItemViaPointer(more, e));
	rc = mash_audit(m, "statutory-return", 0, d);
	cJSON_Delete(d);
	cJSON_Delete(more);
	return rc;
}

struct annex {
	int	 list;
	char	 from[MASH_DATE_LEN], to[MASH_DATE_LEN];
	char	 start[MASH_TIME_LEN], end[MASH_TIME_LEN];
	cJSON	*rows;
};

/* a list read and its run audited, naming the cases, in one */
static int
annex_run(struct mash *m, struct annex *a)
{
	struct ids cases = { NULL, 0, 0 };
	char which[16];
	cJSON *more;
	int rc;

	snprintf(which, sizeof(which), "annex-a-%d", a->list);
	if ((rc = annex_read(m, a->list, a->start, a->end, a->rows,
	    &cases)) == MASH_OK) {
		more = cJSON_CreateObject();
		cJSON_AddStringToObject(more, "from", a->from);
		cJSON_AddStringToObject(more, "to", a->to);
		cJSON_AddNumberToObject(more, "rows",
		    cJSON_GetArraySize(a->rows));
		rc = record(m, which, &cases, more);
	}
	free(cases.v);
	return rc;
}

int
mash_return_annex(struct mash *m, const struct mash_annex *q, cJSON **out)
{
	char today[MASH_DATE_LEN];
	struct annex a;
	int rc;

	*out = NULL;
	if ((rc = mash_need_role(m, MASH_ROLE_HEAD | MASH_ROLE_ADMIN,
	    "a statutory return")) != MASH_OK)
		return rc;
	mash_time_localdate(m->now, today);
	a.list = q->list;
	snprintf(a.to, sizeof(a.to), "%s", q->to[0] ? q->to : today);
	if (q->from[0])
		snprintf(a.from, sizeof(a.from), "%s", q->from);
	else
		default_from(a.to, a.from);
	if (strcmp(a.from, a.to) > 0)
		return mash_err(MASH_EUSAGE, "--from '%s' is after --to '%s'",
		    a.from, a.to);
	if ((rc = day_start(a.from, 0, a.start)) != MASH_OK ||
	    (rc = day_start(a.to, 1, a.end)) != MASH_OK)
		return rc;
	a.rows = cJSON_CreateArray();
	if ((rc = annex_run(m, &a)) != MASH_OK) {
		cJSON_Delete(a.rows);
		return rc;
	}
	*out = a.rows;
	return MASH_OK;
}

/* the Children in Need census (mash-return(1), CIN) */

struct referral {
	int64_t	 case_id, child_id, person;
	char	 date[MASH_DATE_LEN];	/* CINreferralDate, local */
	char	 source[4];
	char	 need[4];		/* "" when none was given */
	int	 nfa;
};

struct census {
	int			 year;
	char			 from[16], ref[16];	/* YYYY-MM-DD */
	struct referral		*r;
	size_t			 n, cap;
	size_t			 children;
	int			 bad;	/* referrals refused, with why */
};

/* what is known of a person: from the latest of their records */
struct facts {
	char	 dob[MASH_DATE_LEN], expected[MASH_DATE_LEN];
	char	 upn[14], gender[8], ethnicity[5];
	cJSON	*disabilities;
};

#define CIN_SQL \
	"SELECT c.id, k.id, k.person_id, c.closed_at, c.source, c.outcome, " \
	"c.need_code FROM cases c JOIN children k ON k.case_id = c.id " \
	"WHERE c.closed_at >= ?1 AND c.closed_at < ?2 " \
	"AND ?3 LIKE ('%,' || c.outcome || ',%') " \
	"ORDER BY k.person_id, c.closed_at, c.id, k.id"

/* the latest value of a person's records that says something */
#define LATEST(col, known) "(SELECT " col " FROM children WHERE " \
	"person_id = ?1 AND " known " ORDER BY id DESC LIMIT 1)"
#define FACTS_SQL "SELECT " \
	LATEST("dob", "dob IS NOT NULL") ", " \
	LATEST("expected_dob", "expected_dob IS NOT NULL") ", " \
	LATEST("upn", "upn IS NOT NULL") ", " \
	LATEST("gender", "gender <> 'unknown'") ", " \
	LATEST("ethnicity", "ethnicity <> 'NOBT'") ", " \
	LATEST("disabilities", "disabilities <> '[]'")

static void
referral_add(struct mash *m, struct census *c, struct db_row *q)
{
	struct referral *r;

	/* a person twice in one case is one referral */
	if (c->n > 0 && c->r[c->n - 1].case_id == db_col_int(q, 0) &&
	    c->r[c->n - 1].person == db_col_int(q, 2))
		return;
	if (c->n == c->cap)
		c->r = mash_xrealloc(c->r, (c->cap = c->cap ? 2 * c->cap : 64) *
		    sizeof(*c->r));
	r = &c->r[c->n++];
	r->case_id = db_col_int(q, 0);
	r->child_id = db_col_int(q, 1);
	r->person = db_col_int(q, 2);
	local_day(db_col_text(q, 3), r->date);
	snprintf(r->source, sizeof(r->source), "%s", db_col_text(q, 4));
	r->nfa = mash_setting_has(m, "return.nfa-outcomes",
	    db_col_text(q, 5));
	snprintf(r->need, sizeof(r->need), "%s",
	    db_col_text(q, 6) ? db_col_text(q, 6) : "");
	if (c->n == 1 || c->r[c->n - 2].person != r->person)
		c->children++;
}

static int
cin_read(struct mash *m, struct census *c)
{
	char start[MASH_TIME_LEN], end[MASH_TIME_LEN], *refs;
	struct db_row *r;
	int rc;

	if ((rc = day_start(c->from, 0, start)) != MASH_OK ||
	    (rc = day_start(c->ref, 1, end)) != MASH_OK)
		return rc;
	refs = listed(m, "return.referral-outcomes");
	r = db_stream(m, CIN_SQL, "ttt", start, end, refs);
	while (db_next(r))
		referral_add(m, c, r);
	rc = db_end(r);
	free(refs);
	return rc;
}

static void
fact(struct db_row *r, int col, char *out, size_t n)
{
	snprintf(out, n, "%s", db_col_text(r, col) ? db_col_text(r, col) :
	    "");
}

static int
facts_read(struct mash *m, int64_t person, struct facts *f)
{
	struct db_row *r;

	memset(f, 0, sizeof(*f));
	r = db_query(m, FACTS_SQL, "i", person);
	if (db_next(r)) {
		fact(r, 0, f->dob, sizeof(f->dob));
		fact(r, 1, f->expected, sizeof(f->expected));
		fact(r, 2, f->upn, sizeof(f->upn));
		fact(r, 3, f->gender, sizeof(f->gender));
		fact(r, 4, f->ethnicity, sizeof(f->ethnicity));
		if (db_col_text(r, 5) != NULL)
			f->disabilities = cJSON_Parse(db_col_text(r, 5));
	}
	if (f->ethnicity[0] == '\0')
		snprintf(f->ethnicity, sizeof(f->ethnicity), "NOBT");
	return db_end(r);
}

/*
 * The date of birth the census is given: the date of birth, unless the
 * child was born after the reference date, when the expected date is
 * what held then (rule 8520); "" for none.
 */
static const char *
birth(const struct census *c, struct facts *f, int *expected)
{
	*expected = 0;
	if (f->dob[0] != '\0' && (strcmp(f->dob, c->ref) <= 0 ||
	    f->expected[0] == '\0'))
		return f->dob;
	*expected = f->expected[0] != '\0';
	return f->expected;
}

static int64_t
days_of(const char *date)
{
	return mash_civil_days(atoi(date), atoi(date + 5), atoi(date + 8));
}

/* refuse what the DfE's rules would: say which, and how to mend it */
static void
refuse(struct census *c, const struct referral *r, const char *why)
{
	mash_warn("case %lld child %lld (person %lld): %s", (long long)
	    r->case_id, (long long)r->child_id, (long long)r->person, why);
	c->bad++;
}

/* the person's referrals, r[0] to r[n - 1], against the rules */
static void
check_person(struct census *c, const struct referral *r, size_t n,
    struct facts *f)
{
	const char *b;
	size_t i;
	int expected;

	b = birth(c, f, &expected);
	if (*b == '\0')
		refuse(c, &r[n - 1], "no date of birth or expected date of "
		    "birth (rule 8525Q): record a contact that gives it, and "
		    "confirm the match (mash-screen CASE --same-child "
		    "CHILD=PERSON)");
	else if (!expected && strcmp(b, c->ref) > 0)
		refuse(c, &r[n - 1], "the date of birth is after the "
		    "reference date (rule 8520): is the date right?");
	for (i = 0; i < n; i++) {
		if (!r[i].nfa && r[i].need[0] == '\0')
			refuse(c, &r[i], "the referral has no primary need "
			    "(rule 8610): record it with mash-decide CASE "
			    "--need N0-N9");
		if (*b != '\0' && days_of(r[i].date) < days_of(b) - 280)
			refuse(c, &r[i], "the referral is more than 40 weeks "
			    "before the date of birth or expected date (rule "
			    "8606): is the date right?");
	}
}

/* text in an element: the five characters XML gives a meaning escaped */
static void
xml_text(FILE *x, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': fputs("&amp;", x); break;
		case '<': fputs("&lt;", x); break;
		case '>': fputs("&gt;", x); break;
		case '"': fputs("&quot;", x); break;
		case '\'': fputs("&apos;", x); break;
		default: fputc(*s, x);
		}
}

static void
xml_el(FILE *x, int depth, const char *name, const char *v)
{
	fprintf(x, "%*s<%s>", 2 * depth, "", name);
	xml_text(x, v);
	fprintf(x, "</%s>\n", name);
}

static void
xml_open(FILE *x, int depth, const char *name, int open)
{
	fprintf(x, "%*s<%s%s>\n", 2 * depth, "", open ? "" : "/", name);
}

static void
cin_header(FILE *x, const struct census *c, const char *la, int64_t serial,
    mash_time now)
{
	char v[MASH_TIME_LEN];

	xml_open(x, 1, "Header", 1);
	xml_open(x, 2, "CollectionDetails", 1);
	xml_el(x, 3, "Collection", "CIN");
	snprintf(v, sizeof(v), "%d", c->year);
	xml_el(x, 3, "Year", v);
	xml_el(x, 3, "ReferenceDate", c->ref);
	xml_open(x, 2, "CollectionDetails", 0);
	xml_open(x, 2, "Source", 1);
	xml_el(x, 3, "SourceLevel", "L");
	xml_el(x, 3, "LEA", la);
	xml_el(x, 3, "SoftwareCode", "mash");
	xml_el(x, 3, "Release", MASH_VERSION);
	snprintf(v, sizeof(v), "%03lld", (long long)serial);
	xml_el(x, 3, "SerialNo", v);
	mash_time_utc(now, v);
	xml_el(x, 3, "DateTime", v);
	xml_open(x, 2, "Source", 0);
	xml_open(x, 1, "Header", 0);
}

/* ChildIdentifiers and ChildCharacteristics, in the schema's order */
static void
cin_child(FILE *x, const struct census *c, int64_t person, struct facts *f)
{
	const cJSON *e;
	const char *b;
	char id[24];
	int expected;

	xml_open(x, 3, "ChildIdentifiers", 1);
	snprintf(id, sizeof(id), "%lld", (long long)person);
	xml_el(x, 4, "LAchildID", id);
	if (f->upn[0] != '\0')
		xml_el(x, 4, "UPN", f->upn);
	b = birth(c, f, &expected);
	xml_el(x, 4, expected ? "ExpectedPersonBirthDate" :
	    "PersonBirthDate", b);
	xml_el(x, 4, "Sex", strcmp(f->gender, "male") == 0 ? "M" :
	    strcmp(f->gender, "female") == 0 ? "F" : "U");
	xml_open(x, 3, "ChildIdentifiers", 0);
	xml_open(x, 3, "ChildCharacteristics", 1);
	xml_el(x, 4, "Ethnicity", f->ethnicity);
	xml_open(x, 4, "Disabilities", 1);
	if (cJSON_GetArraySize(f->disabilities) == 0)
		xml_el(x, 5, "Disability", "NONE");
	cJSON_ArrayForEach(e, f->disabilities)
		if (cJSON_IsString(e))
			xml_el(x, 5, "Disability", e->valuestring);
	xml_open(x, 4, "Disabilities", 0);
	xml_open(x, 3, "ChildCharacteristics", 0);
}

/* one CINdetails: an NFA referral closes on its own date (RC8) */
static void
cin_details(FILE *x, const struct referral *r)
{
	xml_open(x, 3, "CINdetails", 1);
	xml_el(x, 4, "CINreferralDate", r->date);
	xml_el(x, 4, "ReferralSource", r->source);
	if (!r->nfa)
		xml_el(x, 4, "PrimaryNeedCode", r->need);
	if (r->nfa) {
		xml_el(x, 4, "CINclosureDate", r->date);
		xml_el(x, 4, "ReasonForClosure", "RC8");
	}
	xml_el(x, 4, "ReferralNFA", r->nfa ? "1" : "0");
	xml_open(x, 3, "CINdetails", 0);
}

/* check every person, then write them: nothing is written if one fails */
static int
cin_children(struct mash *m, struct census *c, FILE *x)
{
	struct facts f;
	size_t i, j;
	int pass, rc;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c->n; i = j) {
			for (j = i; j < c->n && c->r[j].person ==
			    c->r[i].person; j++)
				;
			if ((rc = facts_read(m, c->r[i].person, &f)) !=
			    MASH_OK)
				return rc;
			if (pass == 0)
				check_person(c, &c->r[i], j - i, &f);
			else {
				xml_open(x, 2, "Child", 1);
				cin_child(x, c, c->r[i].person, &f);
				for (; i < j; i++)
					cin_details(x, &c->r[i]);
				xml_open(x, 2, "Child", 0);
			}
			cJSON_Delete(f.disabilities);
		}
		if (c->bad > 0)
			return mash_err(MASH_EDATA, "%d referral%s of census "
			    "year %d would fail the DfE's rules: no file "
			    "written", c->bad, c->bad == 1 ? "" : "s",
			    c->year);
	}
	return MASH_OK;
}

/* the serial number of this file: the id of the audit row of its run */
static int
cin_record(struct mash *m, struct census *c, int64_t *serial)
{
	struct ids cases = { NULL, 0, 0 };
	cJSON *more;
	size_t i;
	int rc;

	for (i = 0; i < c->n; i++)
		ids_add(&cases, c->r[i].case_id);
	/* mash_list_details gives each case once, in any order */
	more = cJSON_CreateObject();
	cJSON_AddNumberToObject(more, "year", c->year);
	cJSON_AddNumberToObject(more, "children", (double)c->children);
	cJSON_AddNumberToObject(more, "referrals", (double)c->n);
	rc = record(m, "cin", &cases, more);
	free(cases.v);
	*serial = m->audit_id;
	return rc;
}

static int
cin_write(struct mash *m, struct census *c, char **xml)
{
	char *la, *buf = NULL;
	size_t len = 0;
	int64_t serial;
	FILE *x;
	int rc;

	la = mash_setting(m, "hub.la-code");
	if (la == NULL || strlen(la) != 3) {
		free(la);
		return mash_err(MASH_ECONFIG, "setting 'hub.la-code' is not "
		    "set: mash-admin config hub.la-code NNN (the local "
		    "authority's DfE code)");
	}
	if ((x = open_memstream(&buf, &len)) == NULL)
		mash_die(MASH_ESOFTWARE, "out of memory");
	if ((rc = cin_record(m, c, &serial)) == MASH_OK) {
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n",
		    x);
		cin_header(x, c, la, serial, m->now);
		xml_open(x, 1, "Children", 1);
		rc = cin_children(m, c, x);
		xml_open(x, 1, "Children", 0);
		fputs("</Message>\n", x);
	}
	if (fclose(x) != 0)
		mash_die(MASH_ESOFTWARE, "out of memory");
	free(la);
	if (rc == MASH_OK)
		*xml = buf;
	else
		free(buf);
	return rc;
}


int
mash_return_cin(struct mash *m, int year, char **xml)
{
	struct census c;
	int rc;

	*xml = NULL;
	if ((rc = mash_need_role(m, MASH_ROLE_HEAD | MASH_ROLE_ADMIN,
	    "a statutory return")) != MASH_OK)
		return rc;
	memset(&c, 0, sizeof(c));
	c.year = year;
	snprintf(c.from, sizeof(c.from), "%04u-04-01",
	    (unsigned)(year - 1) % 10000u);
	snprintf(c.ref, sizeof(c.ref), "%04u-03-31", (unsigned)year % 10000u);
	/* the census read and written from one moment, its run audited */
	if ((rc = cin_read(m, &c)) == MASH_OK && c.n == 0)
		rc = mash_err(MASH_EDATA, "no referral is dated in census year "
		    "%d (%s to %s): the census needs one child at least",
		    c.year, c.from, c.ref);
	if (rc == MASH_OK)
		rc = cin_write(m, &c, xml);
	free(c.r);
	if (rc != MASH_OK) {
		free(*xml);
		*xml = NULL;
	}
	return rc;
}
