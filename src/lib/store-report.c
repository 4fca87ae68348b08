/*
 * store-report.c: the hub's management information (mash-report(1)):
 * counts and proportions per month or ISO week, of the cases received
 * in each period, with no personal data.
 *
 * Every measure is of one cohort, the cases whose received_at falls in
 * the period (in local time), so that each figure of a row describes
 * the same cases.  Two statements read them: one row per child of each
 * case, and one per request.  Both are a range on cases.received_at;
 * the sums are made here, in one pass, not by GROUP BY, which would
 * sort every row of a year.  The definitions are those of
 * mash-report(1), DEFINITIONS.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define PERIODS_MAX	600	/* fifty years by month, eleven by week */
#define NRAG		3

/*
 * One row a child (a case without children, were there one, one row
 * with a NULL child).  "repeat": the child's person has another case
 * received in the twelve months before this one, as contacts_12m
 * counts them in mash-record(1).  "h.id <> k.id" is read from the
 * index: the child itself, most children's only row, costs no read
 * of the table.
 */
#define CHILDREN_SQL \
	"SELECT c.id, c.received_at, c.source, c.rag, c.state, " \
	"c.screening_due, c.accepted_at, c.decision_due, c.closed_at, " \
	"c.outcome, k.id, k.id IS NOT NULL AND EXISTS (" \
	"SELECT 1 FROM children h JOIN cases p ON p.id = h.case_id " \
	"WHERE h.person_id = k.person_id AND h.id <> k.id " \
	"AND h.case_id <> c.id " \
	"AND p.received_at > strftime('%Y-%m-%dT%H:%M:%SZ', c.received_at, " \
	"'-12 months') AND (p.received_at < c.received_at OR " \
	"(p.received_at = c.received_at AND p.id < c.id))) " \
	"FROM cases c LEFT JOIN children k ON k.case_id = c.id " \
	"WHERE c.received_at >= ?1 AND c.received_at < ?2"

/* a withdrawn request was never due: it is left out */
#define REQUESTS_SQL \
	"SELECT c.received_at, r.agency, r.state, r.due_at, r.answered_at " \
	"FROM cases c JOIN requests r ON r.case_id = c.id " \
	"WHERE c.received_at >= ?1 AND c.received_at < ?2 " \
	"AND r.state <> 'withdrawn'"

#define AGENCIES_SQL	"SELECT code FROM agencies ORDER BY code"

static const char *const rags[NRAG] = { "red", "amber", "green" };
static const char *const outcomes[] = {
	"cpat", "early-help", "caf", "single-agency", "nfa", NULL
};
#define NOUTCOME	5

/* met a deadline, missed it (or is open past it), or not due yet */
struct ratio {
	long	 in_time, late, pending;
};

struct durations {
	double	*v;
	size_t	 n, cap;
};

struct period {
	char		 key[12];		/* 2026-03, 2026-W11 */
	char		 from[MASH_DATE_LEN], to[MASH_DATE_LEN];
	char		 start[MASH_TIME_LEN];	/* UTC, inclusive */
	long		 contacts, cases, repeat, referrals, closed_children;
	long		*sources;		/* by index of the source names */
	long		 rag[NRAG + 1];		/* the last: not rated */
	long		 outcome[NOUTCOME + 1];	/* the last: still open */
	struct ratio	 screened, decided[NRAG];
	struct durations decide[NRAG];
	struct ratio	*agency;
};

struct report {
	struct period	*p;
	size_t		 np;
	char		 end[MASH_TIME_LEN];	/* UTC, exclusive */
	char		 now[MASH_TIME_LEN];
	size_t		 nsources;
	char		**agencies;
	size_t		 nagencies;
	char		*referral;		/* ",cpat," */
	long		 cases, contacts;
};

static void *
zalloc(size_t n)
{
	void *v = mash_xmalloc(n ? n : 1);

	memset(v, 0, n ? n : 1);
	return v;
}

static int
index_of(const char *const *list, const char *s)
{
	int i;

	for (i = 0; s != NULL && list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

/* the local midnight that starts a date; 0 or -1 */
static int
midnight(const char *date, mash_time *t)
{
	int y, m, d;

	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return -1;
	return mash_time_mklocal(y, m, d, 0, 0, 0, t);
}

static void
civil(int64_t days, int *y, int *m, int *d)
{
	char s[MASH_TIME_LEN];

	/* noon, in UTC: a day's date whatever the zone */
	mash_time_utc(days * 86400 + 43200, s);
	sscanf(s, "%4d-%2d-%2d", y, m, d);
}

static int64_t
day_number(const char *date)
{
	int y, m, d;

	sscanf(date, "%4d-%2d-%2d", &y, &m, &d);
	return mash_civil_days(y, m, d);
}

/* the first day of the period that holds a day: a month's, a Monday */
static int64_t
period_first(int64_t day, enum mash_period by)
{
	int y, m, d;

	if (by == MASH_BY_WEEK)
		return day - (day + 3) % 7;	/* 1970-01-05 was a Monday */
	civil(day, &y, &m, &d);
	return mash_civil_days(y, m, 1);
}

static int64_t
period_next(int64_t first, enum mash_period by)
{
	int y, m, d;

	if (by == MASH_BY_WEEK)
		return first + 7;
	civil(first, &y, &m, &d);
	return m == 12 ? mash_civil_days(y + 1, 1, 1) :
	    mash_civil_days(y, m + 1, 1);
}

/* 2026-03, or the ISO week 2026-W11: the year of its Thursday */
static void
period_key(int64_t first, enum mash_period by, char *key, size_t n)
{
	int y, m, d, ty, tm, td;

	civil(first, &y, &m, &d);
	if (by == MASH_BY_MONTH) {
		snprintf(key, n, "%04d-%02d", y, m);
		return;
	}
	civil(first + 3, &ty, &tm, &td);
	snprintf(key, n, "%04d-W%02d", ty,
	    (int)((first + 3 - mash_civil_days(ty, 1, 1)) / 7 + 1));
}

static void
day_text(int64_t day, char out[MASH_DATE_LEN])
{
	int y, m, d;

	civil(day, &y, &m, &d);
	snprintf(out, MASH_DATE_LEN, "%04d-%02d-%02d", y, m, d);
}

/*
 * The default range: twelve periods that end with the one holding the
 * last day (today unless --to); --from alone runs to today.
 */
static void
range(const struct mash_report *q, mash_time now, int64_t *from,
    int64_t *to)
{
	char today[MASH_DATE_LEN];
	int64_t first;
	int i;

	mash_time_localdate(now, today);
	*to = day_number(q->to[0] ? q->to : today);
	if (q->from[0]) {
		*from = day_number(q->from);
		return;
	}
	first = period_first(*to, q->by);
	for (i = 0; i < 11; i++)
		first = period_first(first - 1, q->by);
	*from = first;
}

static int
periods(struct report *r, const struct mash_report *q, mash_time now)
{
	int64_t from, to, day, next;
	struct period *p;
	mash_time t;

	range(q, now, &from, &to);
	if (from > to)
		return mash_err(MASH_EUSAGE, "--from '%s' is after --to '%s'",
		    q->from, q->to);
	for (day = from; day <= to; day = next) {
		next = period_next(period_first(day, q->by), q->by);
		if (r->np == PERIODS_MAX)
			return mash_err(MASH_EUSAGE, "more than %d periods: "
			    "ask for a shorter range", PERIODS_MAX);
		p = &r->p[r->np++];
		period_key(period_first(day, q->by), q->by, p->key,
		    sizeof(p->key));
		day_text(day, p->from);
		day_text((next <= to ? next : to + 1) - 1, p->to);
		if (midnight(p->from, &t) != 0)
			return mash_err(MASH_EUSAGE, "no local midnight on "
			    "'%s'", p->from);
		mash_time_utc(t, p->start);
	}
	day_text(to + 1, r->end);
	if (midnight(r->end, &t) != 0)
		return mash_err(MASH_EUSAGE, "no local midnight on '%s'",
		    r->end);
	mash_time_utc(t, r->end);
	return MASH_OK;
}

/* the period an instant of the range falls in: the last start before */
static struct period *
period_of(struct report *r, const char *at)
{
	size_t lo = 0, hi = r->np, mid;

	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (strcmp(r->p[mid].start, at) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	return &r->p[lo];
}

static void
report_free(struct report *r)
{
	size_t i, j;

	for (i = 0; i < r->np; i++) {
		free(r->p[i].sources);
		free(r->p[i].agency);
		for (j = 0; j < NRAG; j++)
			free(r->p[i].decide[j].v);
	}
	for (i = 0; i < r->nagencies; i++)
		free(r->agencies[i]);
	free(r->agencies);
	free(r->referral);
	free(r->p);
}

static int
load_agencies(struct mash *m, struct report *r)
{
	struct db_row *q;

	q = db_query(m, AGENCIES_SQL, "");
	while (db_next(q)) {
		r->agencies = mash_xrealloc(r->agencies, (r->nagencies + 2) *
		    sizeof(*r->agencies));
		r->agencies[r->nagencies++] = mash_xstrdup(db_col_text(q, 0));
		r->agencies[r->nagencies] = NULL;
	}
	return db_end(q);
}

/* what the report needs besides the periods: sources, agencies, setting */
static int
setup(struct mash *m, struct report *r)
{
	const char *const *src = mash_codes(MASH_CODE_SOURCE);
	char *v;
	size_t i;

	while (src[r->nsources] != NULL)
		r->nsources++;
	for (i = 0; i < r->np; i++)
		r->p[i].sources = zalloc(r->nsources * sizeof(long));
	/* return.referral-outcomes, as mash-return(1) counts referrals */
	v = mash_setting(m, "return.referral-outcomes");
	r->referral = mash_xmalloc(strlen(v ? v : "cpat") + 3);
	sprintf(r->referral, ",%s,", v ? v : "cpat");
	free(v);
	mash_time_utc(mash_clock(m), r->now);
	return load_agencies(m, r);
}

static void
ratio_add(struct ratio *x, const char *done, const char *due,
    const char *now)
{
	if (due == NULL)
		return;
	if (done != NULL && strcmp(done, due) <= 0)
		x->in_time++;
	else if (done != NULL || strcmp(due, now) <= 0)
		x->late++;	/* open: late from its deadline on (mash-overdue) */
	else
		x->pending++;
}

static void
durations_add(struct durations *d, double v)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = mash_xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	d->v[d->n++] = v;
}

static double
seconds(const char *a, const char *b)
{
	mash_time ta, tb;

	if (mash_time_parse(a, &ta) != 0 || mash_time_parse(b, &tb) != 0)
		return 0;
	return (double)(tb - ta);
}

/* the measures of a case, counted once, from the first row of it */
static void
add_case(struct report *r, struct period *p, struct db_row *q)
{
	const char *rag = db_col_text(q, 3), *accepted = db_col_text(q, 6);
	const char *closed = db_col_text(q, 8), *outcome = db_col_text(q, 9);
	int g = index_of(rags, rag), o = index_of(outcomes, outcome);

	p->cases++;
	r->cases++;
	p->rag[g < 0 ? NRAG : g]++;
	p->outcome[o < 0 ? NOUTCOME : o]++;
	/* screening ends in acceptance, or in a decline that closes it */
	ratio_add(&p->screened, accepted ? accepted : closed,
	    db_col_text(q, 5), r->now);
	if (accepted == NULL || g < 0)
		return;
	ratio_add(&p->decided[g], closed, db_col_text(q, 7), r->now);
	if (closed != NULL)
		durations_add(&p->decide[g], seconds(db_col_text(q, 1),
		    closed));
}

static void
add_child(struct report *r, struct period *p, struct db_row *q)
{
	const char *outcome = db_col_text(q, 9), *code = db_col_text(q, 2);
	char key[24];
	int s;

	if (db_col_null(q, 10))
		return;
	p->contacts++;
	r->contacts++;
	s = index_of(mash_codes(MASH_CODE_SOURCE), mash_source_name(code));
	if (s >= 0)
		p->sources[s]++;
	p->repeat += (long)db_col_int(q, 11);
	if (outcome == NULL)
		return;
	p->closed_children++;
	snprintf(key, sizeof(key), ",%s,", outcome);
	if (strstr(r->referral, key) != NULL)
		p->referrals++;
}

static int
read_children(struct mash *m, struct report *r)
{
	struct period *p;
	struct db_row *q;
	int64_t id, last = 0;

	q = db_query(m, CHILDREN_SQL, "tt", r->p[0].start, r->end);
	/* a case's children come together: one case, then the next */
	while (db_next(q)) {
		p = period_of(r, db_col_text(q, 1));
		if ((id = db_col_int(q, 0)) != last)
			add_case(r, p, q);
		last = id;
		add_child(r, p, q);
	}
	return db_end(q);
}

static int
read_requests(struct mash *m, struct report *r)
{
	struct period *p;
	struct db_row *q;
	size_t i;
	int a;

	for (i = 0; i < r->np; i++)
		r->p[i].agency = zalloc((r->nagencies + 1) *
		    sizeof(struct ratio));
	q = db_query(m, REQUESTS_SQL, "tt", r->p[0].start, r->end);
	while (db_next(q)) {
		p = period_of(r, db_col_text(q, 0));
		a = index_of((const char *const *)r->agencies,
		    db_col_text(q, 1));
		if (a >= 0)
			ratio_add(&p->agency[a], db_col_text(q, 4),
			    db_col_text(q, 3), r->now);
	}
	return db_end(q);
}

/* a percentage to one decimal place, or null when nothing counts */
static cJSON *
pct(long n, long d)
{
	if (d == 0)
		return cJSON_CreateNull();
	return cJSON_CreateNumber(round(1000.0 * (double)n / (double)d) /
	    10.0);
}

static cJSON *
ratio_json(const struct ratio *x)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "in_time", (double)x->in_time);
	cJSON_AddNumberToObject(o, "late", (double)x->late);
	cJSON_AddNumberToObject(o, "pending", (double)x->pending);
	cJSON_AddItemToObject(o, "pct", pct(x->in_time, x->in_time +
	    x->late));
	return o;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* the median in hours, to one decimal place, or null */
static cJSON *
median_json(struct durations *d)
{
	double v;

	if (d->n == 0)
		return cJSON_CreateNull();
	qsort(d->v, d->n, sizeof(*d->v), cmp_double);
	v = d->n % 2 ? d->v[d->n / 2] :
	    (d->v[d->n / 2 - 1] + d->v[d->n / 2]) / 2;
	return cJSON_CreateNumber(round(v / 360.0) / 10.0);
}

/* a code as a key: "early-help" is early_help */
static const char *
snake(const char *code, char key[40])
{
	char *s;

	snprintf(key, 40, "%s", code);
	for (s = key; *s != '\0'; s++)
		if (*s == '-')
			*s = '_';
	return key;
}

static void
add_count(cJSON *o, const char *code, long n)
{
	char key[40];

	cJSON_AddNumberToObject(o, snake(code, key), (double)n);
}

static void
add_volumes(struct report *r, struct period *p, cJSON *o)
{
	const char *const *src = mash_codes(MASH_CODE_SOURCE);
	cJSON *x;
	size_t i;

	cJSON_AddNumberToObject(o, "contacts", (double)p->contacts);
	cJSON_AddNumberToObject(o, "cases", (double)p->cases);
	x = cJSON_AddObjectToObject(o, "contacts_by_source");
	for (i = 0; i < r->nsources; i++)
		add_count(x, src[i], p->sources[i]);
	x = cJSON_AddObjectToObject(o, "cases_by_rag");
	for (i = 0; i < NRAG; i++)
		add_count(x, rags[i], p->rag[i]);
	add_count(x, "unrated", p->rag[NRAG]);
}

static void
add_timeliness(struct period *p, cJSON *o)
{
	cJSON *x, *y;
	size_t i;

	cJSON_AddItemToObject(o, "screened", ratio_json(&p->screened));
	x = cJSON_AddObjectToObject(o, "decided_by_rag");
	y = cJSON_CreateObject();
	for (i = 0; i < NRAG; i++) {
		cJSON_AddItemToObject(x, rags[i], ratio_json(&p->decided[i]));
		cJSON_AddItemToObject(y, rags[i], median_json(&p->decide[i]));
	}
	cJSON_AddItemToObject(o, "median_decision_hours_by_rag", y);
}

static void
add_outcomes(struct report *r, struct period *p, cJSON *o)
{
	char key[40];
	cJSON *x;
	size_t i;

	x = cJSON_AddObjectToObject(o, "outcomes");
	for (i = 0; i < NOUTCOME; i++)
		add_count(x, outcomes[i], p->outcome[i]);
	add_count(x, "open", p->outcome[NOUTCOME]);
	cJSON_AddNumberToObject(o, "referrals", (double)p->referrals);
	cJSON_AddNumberToObject(o, "closed_contacts",
	    (double)p->closed_children);
	cJSON_AddItemToObject(o, "conversion_pct", pct(p->referrals,
	    p->closed_children));
	cJSON_AddNumberToObject(o, "repeat_contacts", (double)p->repeat);
	cJSON_AddItemToObject(o, "repeat_pct", pct(p->repeat, p->contacts));
	x = cJSON_AddObjectToObject(o, "requests_by_agency");
	for (i = 0; i < r->nagencies; i++)
		cJSON_AddItemToObject(x, snake(r->agencies[i], key),
		    ratio_json(&p->agency[i]));
}

static cJSON *
rows_json(struct report *r)
{
	cJSON *rows, *o;
	size_t i;

	rows = cJSON_CreateArray();
	for (i = 0; i < r->np; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "period", r->p[i].key);
		cJSON_AddStringToObject(o, "from", r->p[i].from);
		cJSON_AddStringToObject(o, "to", r->p[i].to);
		add_volumes(r, &r->p[i], o);
		add_timeliness(&r->p[i], o);
		add_outcomes(r, &r->p[i], o);
		cJSON_AddItemToArray(rows, o);
	}
	return rows;
}

/* one moment of the store for every figure */
static int
gather(struct mash *m, struct report *r)
{
	int rc;

	if ((rc = mash_begin_read(m)) != MASH_OK)
		return rc;
	if ((rc = setup(m, r)) != MASH_OK ||
	    (rc = read_children(m, r)) != MASH_OK ||
	    (rc = read_requests(m, r)) != MASH_OK) {
		mash_rollback(m);
		return rc;
	}
	return mash_commit(m);
}

/*
 * Who ran a report, over what, and how much it counted: no case is
 * named, as none is shown (mash-report(1), AUDIT).  In a transaction
 * of its own after the reading, so that a year's reading never holds
 * the write lock; nothing is printed unless this row is committed.
 */
static int
record(struct mash *m, const struct report *r, const char *by)
{
	int rc;

	if ((rc = mash_begin(m)) != MASH_OK)
		return rc;
	if ((rc = db_audit(m, "report", 0, "from", r->p[0].from, "to",
	    r->p[r->np - 1].to, "by", by, "#periods", (int64_t)r->np,
	    "#cases", (int64_t)r->cases, "#contacts", (int64_t)r->contacts,
	    NULL)) != MASH_OK) {
		mash_rollback(m);
		return rc;
	}
	return mash_commit(m);
}

int
mash_report(struct mash *m, const struct mash_report *q, cJSON **rows)
{
	struct report r;
	int rc;

	*rows = NULL;
	if ((rc = mash_need_role(m, MASH_ROLE_HEAD | MASH_ROLE_ADMIN,
	    "a management report")) != MASH_OK)
		return rc;
	memset(&r, 0, sizeof(r));
	r.p = zalloc(PERIODS_MAX * sizeof(*r.p));
	if ((rc = periods(&r, q, mash_clock(m))) == MASH_OK &&
	    (rc = gather(m, &r)) == MASH_OK &&
	    (rc = record(m, &r, q->by == MASH_BY_WEEK ? "week" : "month")) ==
	    MASH_OK)
		*rows = rows_json(&r);
	report_free(&r);
	return rc;
}

/* "decided_by_rag" gives its members the prefix "decided" */
static void
flatten(cJSON *flat, const char *prefix, const cJSON *o)
{
	char key[128];
	const cJSON *e;
	const char *by;
	int n;

	cJSON_ArrayForEach(e, o) {
		n = (by = strstr(e->string, "_by_")) ? (int)(by - e->string) :
		    (int)strlen(e->string);
		snprintf(key, sizeof(key), "%s%s%.*s", prefix,
		    *prefix ? "_" : "", n, e->string);
		if (cJSON_IsObject(e))
			flatten(flat, key, e);
		else
			cJSON_AddItemToObject(flat, key,
			    cJSON_Duplicate(e, 1));
	}
}

cJSON *
mash_report_flat(const cJSON *row)
{
	cJSON *flat = cJSON_CreateObject();

	flatten(flat, "", row);
	return flat;
}
