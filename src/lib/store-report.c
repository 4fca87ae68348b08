/*
 * store-report.c: the hub's management information (mash-report(1)):
 * counts and proportions per month or ISO week, of the cases received
 * in each period, with no personal data.
 *
 * Every measure is of one cohort, the cases whose received_at falls in
 * the period (in local time), so that each figure of a row describes
 * the same cases.  Three statements read them: the cases, their
 * children and their requests.  The sums are made here, in one pass,
 * not by GROUP BY, which would sort every row of a year; each reading
 * is of an index alone, in its own order, not a search a row, so that
 * a year of a million cases is read in a fraction of a second.  The
 * definitions are those of
 * mash-report(1), DEFINITIONS.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define PERIODS_MAX	600	/* fifty years by month, eleven by week */
#define NRAG		3

/*
 * The cases of the range, and those of the twelve months before it that
 * a child's contact may repeat (repeat_contacts), in the order of
 * receipt.  cases_received holds every column read here.  PostgreSQL
 * has no strftime: YEAR_BEFORE is the same instant.
 */
#define CASES_COLS \
	"SELECT id, received_at, source, rag, screening_due, accepted_at, " \
	"decision_due, closed_at, outcome FROM cases "
#define CASES_SQL CASES_COLS \
	"WHERE received_at > strftime('%Y-%m-%dT%H:%M:%SZ', ?1, " \
	"'-12 months') AND received_at < ?2 ORDER BY received_at, id"
#define CASES_SQL_PG CASES_COLS \
	"WHERE received_at > " YEAR_BEFORE("?1") " AND received_at < ?2 " \
	"ORDER BY received_at, id"

/*
 * Their children: along children_case from a case's id on, at most
 * CHILDREN_MAX of them a seek (so that a seek never reads to the
 * table's end), and a case alone.  children_case holds the person.
 */
#define CHILDREN_SQL \
	"SELECT case_id, person_id FROM children WHERE case_id >= ?1 " \
	"ORDER BY case_id LIMIT ?2"
#define CHILDREN_MAX	1024
#define CHILDREN_OF_SQL \
	"SELECT person_id FROM children WHERE case_id = ?1"

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
	int32_t		 since;			/* start, seconds from base */
	long		 contacts, cases, repeat, referrals, closed_children;
	long		*sources;		/* by index of the source names */
	long		 rag[NRAG + 1];		/* the last: not rated */
	long		 outcome[NOUTCOME + 1];	/* the last: still open */
	struct ratio	 screened, decided[NRAG];
	struct durations decide[NRAG];
	struct ratio	*agency;
};

/*
 * The case being read.  One of the twelve months before the range has
 * no period: its children are only earlier contacts.
 */
struct current {
	int32_t		 at;		/* receipt, in seconds from base */
	uint32_t	 seq;		/* its place in the order of receipt */
	int		 period;	/* its index, or -1 */
	int		 source;	/* the index of its name, or -1 */
	int		 closed, referral;
};

/* a child's contact, for repeat_contacts */
struct contact {
	int64_t		 person;
	int32_t		 at;		/* its case's */
	uint32_t	 seq;
};

/* the children of the cases, read beside them along children_case */
struct cursor {
	struct db_row	*q;		/* along children_case, or NULL */
	int		 row;		/* 1 while it has a row */
	int		 moved;		/* it has been moved to a case */
	int64_t		 last;		/* the case it was moved to last */
	int		 rows;		/* read since its seek */
	int64_t		*run;		/* the persons of the case at hand */
	size_t		 nrun, caprun;
};

/* the last code looked up, and its index: a year's cases have few */
struct memo {
	char		 last[16];
	int		 index;
	int		 set;
};

struct report {
	const char	*by;			/* "week" or "month" */
	struct period	*p;
	size_t		 np;
	size_t		 hint;			/* the last row's period */
	char		 end[MASH_TIME_LEN];	/* UTC, exclusive */
	char		 now[MASH_TIME_LEN];
	size_t		 nsources;
	struct memo	 source, rag, outcome;
	char		**agencies;
	size_t		 nagencies;
	char		*referral;		/* ",cpat," */
	int		 referrals[NOUTCOME];	/* an outcome in it */
	struct contact	*kids;			/* the contacts read */
	size_t		 nkids, capkids;
	uint32_t	 nread;			/* the cases read */
	int64_t		 base;			/* a year before the range */
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

/*
 * The period an instant of the range falls in: the last start before.
 * Rows come mostly in order: the last row's period is tried first.
 */
static struct period *
period_of(struct report *r, const char *at)
{
	size_t lo = r->hint, hi = r->np, mid;

	if (strcmp(r->p[lo].start, at) <= 0 && (lo + 1 == r->np ||
	    strcmp(r->p[lo + 1].start, at) > 0))
		return &r->p[lo];
	lo = 0;
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (strcmp(r->p[mid].start, at) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	r->hint = lo;
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
	free(r->kids);
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
	char *v, key[24];
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
	for (i = 0; i < NOUTCOME; i++) {
		snprintf(key, sizeof(key), ",%s,", outcomes[i]);
		r->referrals[i] = strstr(r->referral, key) != NULL;
	}
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

static int
digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/*
 * A time of the store in seconds, and, unless NULL, the same instant
 * twelve months earlier as SQLite's '-12 months' gives it (from 29
 * February, 1 March).  Every writer formats a real instant with
 * mash_time_utc: in seconds, times compare as their text does.
 */
static int64_t
stamp(const char *at, int64_t *year_before)
{
	int y = digits(at, 4), mo = digits(at + 5, 2), d = digits(at + 8, 2);
	int64_t s = digits(at + 11, 2) * 3600 + digits(at + 14, 2) * 60 +
	    digits(at + 17, 2);

	if (year_before != NULL)
		*year_before = mash_civil_days(y - 1, mo, d) * 86400 + s;
	return mash_civil_days(y, mo, d) * 86400 + s;
}

/* index_of, remembering the last code; a source's by its name */
static int
lookup(struct memo *mm, const char *const *list, const char *s,
    const char *(*name)(const char *))
{
	if (s == NULL)
		return -1;
	if (strlen(s) >= sizeof(mm->last))	/* no code of the store */
		return index_of(list, name ? name(s) : s);
	if (!mm->set || strcmp(s, mm->last) != 0) {
		snprintf(mm->last, sizeof(mm->last), "%s", s);
		mm->index = index_of(list, name ? name(s) : s);
		mm->set = 1;
	}
	return mm->index;
}

static int
is_referral(struct report *r, const char *outcome, int o)
{
	char key[24];

	if (o >= 0)
		return r->referrals[o];
	snprintf(key, sizeof(key), ",%s,", outcome);
	return strstr(r->referral, key) != NULL;
}

/* a case of the range: its own measures, and what its children need */
static void
add_case(struct report *r, struct current *c, struct db_row *st)
{
	const char *accepted = db_col_text(st, 5), *closed = db_col_text(st, 7);
	const char *outcome = db_col_text(st, 8);
	int g = lookup(&r->rag, rags, db_col_text(st, 3), NULL);
	int o = lookup(&r->outcome, outcomes, outcome, NULL);
	struct period *p = &r->p[c->period];

	c->source = lookup(&r->source, mash_codes(MASH_CODE_SOURCE),
	    db_col_text(st, 2), mash_source_name);
	c->closed = outcome != NULL;
	c->referral = outcome != NULL && is_referral(r, outcome, o);
	p->cases++;
	r->cases++;
	p->rag[g < 0 ? NRAG : g]++;
	p->outcome[o < 0 ? NOUTCOME : o]++;
	/* screening ends in acceptance, or in a decline that closes it */
	ratio_add(&p->screened, accepted ? accepted : closed,
	    db_col_text(st, 4), r->now);
	if (accepted == NULL || g < 0)
		return;
	ratio_add(&p->decided[g], closed, db_col_text(st, 6), r->now);
	if (closed != NULL)
		durations_add(&p->decide[g], seconds(db_col_text(st, 1), closed));
}

/* a child of the case being read: a contact, counted if in the range */
static void
add_child(struct report *r, const struct current *c, int64_t person)
{
	struct period *p;

	if (r->nkids == r->capkids) {
		r->capkids = r->capkids ? 2 * r->capkids : 1024;
		r->kids = mash_xrealloc(r->kids, r->capkids *
		    sizeof(*r->kids));
	}
	r->kids[r->nkids].person = person;
	r->kids[r->nkids].at = c->at;
	r->kids[r->nkids++].seq = c->seq;
	if (c->period < 0)
		return;
	p = &r->p[c->period];
	p->contacts++;
	r->contacts++;
	if (c->source >= 0)
		p->sources[c->source]++;
	if (!c->closed)
		return;
	p->closed_children++;
	if (c->referral)
		p->referrals++;
}

/* the children of a case whose id the cursor has passed */
static int
children_alone(struct mash *m, struct report *r, const struct current *c,
    int64_t id)
{
	struct db_row *q;

	q = db_query(m, CHILDREN_OF_SQL, "i", id);
	while (db_next(q))
		add_child(r, c, db_col_int(q, 0));
	return db_end(q);
}

/* the cursor's next row: 1, or 0 at the end of what its seek reads */
static int
step(struct cursor *k)
{
	if ((k->row = db_next(k->q)) != 0)
		k->rows++;
	return k->row;
}

/* the cursor moved to a case: its children and those after it */
static int
seek(struct mash *m, struct cursor *k, int64_t id)
{
	int rc;

	if (k->q != NULL && (rc = db_end(k->q)) != MASH_OK) {
		k->q = NULL;
		return rc;
	}
	k->q = db_query(m, CHILDREN_SQL, "ii", id, (int64_t)CHILDREN_MAX);
	k->moved = 1;
	k->rows = 0;
	step(k);
	return MASH_OK;
}

/*
 * The persons of case id, from the cursor on, in k->run: 1 if the seek
 * ran out, its CHILDREN_MAX rows read, before they were known to end
 */
static int
run_of(struct cursor *k, int64_t id)
{
	k->nrun = 0;
	while (k->row && db_col_int(k->q, 0) < id)
		step(k);
	while (k->row && db_col_int(k->q, 0) == id) {
		if (k->nrun == k->caprun)
			k->run = mash_xrealloc(k->run, (k->caprun = k->caprun ?
			    2 * k->caprun : 16) * sizeof(*k->run));
		k->run[k->nrun++] = db_col_int(k->q, 1);
		step(k);
	}
	return !k->row && k->rows == CHILDREN_MAX;
}

/*
 * The children of the case being read.  Ids mostly follow receipt, so
 * the cursor moves on along children_case from one case to the next,
 * one pass of each index, not a search a case.  A case far ahead of it
 * moves it there with a search, not a walk; one behind it (received
 * before a case entered earlier) is read alone.  A seek reads at most
 * CHILDREN_MAX rows: where they run out the cursor seeks again, from
 * the case whose children may go on past them (read alone if they are
 * more than a seek reads).
 */
#define ID_GAP	16

static int
read_children(struct mash *m, struct report *r, struct cursor *k,
    const struct current *c, int64_t id)
{
	size_t i;
	int rc;

	if (k->moved && id < k->last)
		return children_alone(m, r, c, id);
	if ((!k->moved || (uint64_t)id - (uint64_t)k->last > ID_GAP) &&
	    (rc = seek(m, k, id)) != MASH_OK)
		return rc;
	k->last = id;
	if (run_of(k, id)) {
		if ((rc = seek(m, k, id)) != MASH_OK)
			return rc;
		if (run_of(k, id))
			return children_alone(m, r, c, id);
	}
	for (i = 0; i < k->nrun; i++)
		add_child(r, c, k->run[i]);
	return MASH_OK;
}

/* the period an instant of the range falls in, by its seconds */
static struct period *
period_at(struct report *r, int32_t at)
{
	size_t lo = 0, hi = r->np, mid;

	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (r->p[mid].since <= at)
			lo = mid;
		else
			hi = mid;
	}
	return &r->p[lo];
}

/* a case read, in the range or the year before it, and its children */
static int
read_case(struct mash *m, struct report *r, struct cursor *k,
    struct db_row *st)
{
	const char *at = db_col_text(st, 1);
	struct current c;

	memset(&c, 0, sizeof(c));
	c.at = (int32_t)(stamp(at, NULL) - r->base);
	c.seq = r->nread++;
	c.period = -1;
	c.source = -1;
	if (c.at >= r->p[0].since) {
		c.period = (int)(period_at(r, c.at) - r->p);
		add_case(r, &c, st);
	}
	return read_children(m, r, k, &c, db_col_int(st, 0));
}

static int
read_cases(struct mash *m, struct report *r)
{
	struct cursor k;
	struct db_row *st;
	size_t i;
	int rc = MASH_OK, end, cur = MASH_OK;

	/* a range is at most fifty years: its seconds from base fit */
	r->base = stamp(r->p[0].start, NULL) - 400 * 86400;
	for (i = 0; i < r->np; i++)
		r->p[i].since = (int32_t)(stamp(r->p[i].start, NULL) -
		    r->base);
	memset(&k, 0, sizeof(k));
	st = db_stream(m, DB_SQL(m, CASES_SQL, CASES_SQL_PG), "tt",
	    r->p[0].start, r->end);
	while (rc == MASH_OK && db_next(st))
		rc = read_case(m, r, &k, st);
	end = db_end(st);
	/* the cursor's failure, if any, is told when it ends */
	if (k.q != NULL)
		cur = db_end(k.q);
	free(k.run);
	return rc != MASH_OK ? rc : end != MASH_OK ? end : cur;
}

/* the lowest person id of the contacts, and how far the others go */
static uint64_t
span_of(const struct contact *v, size_t n, int64_t *min)
{
	int64_t max = INT64_MIN;
	size_t i;

	*min = INT64_MAX;
	for (i = 0; i < n; i++) {
		*min = v[i].person < *min ? v[i].person : *min;
		max = v[i].person > max ? v[i].person : max;
	}
	return n ? (uint64_t)max - (uint64_t)*min : 0;
}

/* by person, keeping each one's contacts in order: a radix sort */
static void
by_person(struct contact *v, size_t n)
{
	struct contact *tmp, *from = v, *to, *t;
	size_t count[2048], i, sum, c;
	int64_t min;
	uint64_t d, span = span_of(v, n, &min);
	int shift;

	to = tmp = mash_xmalloc((n ? n : 1) * sizeof(*tmp));
	for (shift = 0; shift < 64 && span >> shift != 0; shift += 11) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++) {
			d = (uint64_t)from[i].person - (uint64_t)min;
			count[d >> shift & 2047]++;
		}
		for (sum = 0, i = 0; i < 2048; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++) {
			d = (uint64_t)from[i].person - (uint64_t)min;
			to[count[d >> shift & 2047]++] = from[i];
		}
		t = from;
		from = to;
		to = t;
	}
	if (from != v)
		memcpy(v, from, n * sizeof(*v));
	free(tmp);
}

/*
 * Most children have no other contact in the range or the year before
 * it: those whose person is seen once are left out before the sort,
 * found with two bits a person id, when the ids are not too spread.
 */
static void
only_again(struct report *r)
{
	unsigned char *once, *twice;
	int64_t min;
	uint64_t b, span = span_of(r->kids, r->nkids, &min) + 1;
	size_t i, n = 0;

	if (r->nkids == 0 || span == 0 || span / 64 > r->nkids)
		return;
	once = zalloc(span / 8 + 1);
	twice = zalloc(span / 8 + 1);
	for (i = 0; i < r->nkids; i++) {
		b = (uint64_t)r->kids[i].person - (uint64_t)min;
		if (once[b / 8] & 1 << b % 8)
			twice[b / 8] |= 1 << b % 8;
		once[b / 8] |= 1 << b % 8;
	}
	for (i = 0; i < r->nkids; i++) {
		b = (uint64_t)r->kids[i].person - (uint64_t)min;
		if (twice[b / 8] & 1 << b % 8)
			r->kids[n++] = r->kids[i];
	}
	r->nkids = n;
	free(once);
	free(twice);
}

/*
 * Whether an earlier contact, at "before", falls in the twelve months
 * before a contact at "at": after the same instant a year earlier, 365
 * or 366 days, which only the date tells.
 */
static int
within_year(const struct report *r, int64_t before, int32_t at)
{
	char text[MASH_TIME_LEN];
	int64_t year_before;

	if (before > at - 365 * 86400)
		return 1;
	if (before <= at - 366 * 86400)
		return 0;
	mash_time_utc(r->base + at, text);
	stamp(text, &year_before);
	return before + r->base > year_before;
}

/*
 * repeat_contacts: the contacts of the range whose child's person has
 * another case received in the twelve months before, after the same
 * instant a year earlier and before this case, or at the same instant
 * with a lower id: before it in the order of receipt, in which they
 * were read.  Sorted by person, keeping that order, a person's contacts
 * follow each other, and of the earlier ones the latest of another
 * case is the one to compare.
 */
#define NONE	INT64_MIN

static void
count_repeats(struct report *r)
{
	struct contact *v;
	int64_t last_at = NONE, before = NONE;
	uint32_t last = 0;
	size_t i;
	int first;

	only_again(r);
	by_person(v = r->kids, r->nkids);
	for (i = 0; i < r->nkids; i++) {
		first = i == 0 || v[i].person != v[i - 1].person;
		if (first || v[i].seq != last) {	/* another case */
			before = first ? NONE : last_at;
			last = v[i].seq;
			last_at = v[i].at;
		}
		if (v[i].at >= r->p[0].since && before != NONE &&
		    within_year(r, before, v[i].at))
			period_at(r, v[i].at)->repeat++;
	}
}

static int
read_requests(struct mash *m, struct report *r)
{
	struct period *p;
	struct db_row *st;
	size_t i;
	int a;

	for (i = 0; i < r->np; i++)
		r->p[i].agency = zalloc((r->nagencies + 1) *
		    sizeof(struct ratio));
	st = db_stream(m, REQUESTS_SQL, "tt", r->p[0].start, r->end);
	while (db_next(st)) {
		p = period_of(r, db_col_text(st, 0));
		a = index_of((const char *const *)r->agencies, db_col_text(st, 1));
		if (a >= 0)
			ratio_add(&p->agency[a], db_col_text(st, 4),
			    db_col_text(st, 3), r->now);
	}
	return db_end(st);
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

/* the figures of the report's periods */
static int
gather(struct mash *m, struct report *r)
{
	int rc;

	if ((rc = setup(m, r)) != MASH_OK ||
	    (rc = read_cases(m, r)) != MASH_OK ||
	    (rc = read_requests(m, r)) != MASH_OK)
		return rc;
	count_repeats(r);
	return MASH_OK;
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
	r.by = q->by == MASH_BY_WEEK ? "week" : "month";
	if ((rc = periods(&r, q, mash_clock(m))) == MASH_OK &&
	    (rc = gather(m, &r)) == MASH_OK)
		*rows = rows_json(&r);
	report_free(&r);
	return rc;
}

/* a figure summed over the rows */
static int64_t
total(const cJSON *rows, const char *key)
{
	const cJSON *row;
	int64_t n = 0;

	cJSON_ArrayForEach(row, rows)
		n += (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(row,
		    key));
	return n;
}

/*
 * Who ran a report, over what, and how much it counted: no case is
 * named, as none is shown (mash-report(1), AUDIT).
 */
int
mash_report_audit(struct mash *m, const struct mash_report *q,
    const cJSON *rows)
{
	int n = cJSON_GetArraySize(rows);

	return db_audit(m, "report", 0, "from", cJSON_GetStringValue(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 0), "from")), "to",
	    cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(rows,
	    n - 1), "to")), "by", q->by == MASH_BY_WEEK ? "week" : "month",
	    "#periods", (int64_t)n, "#cases", total(rows, "cases"),
	    "#contacts", total(rows, "contacts"), NULL);
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
