/*
 * fuzz-time.c: the time and duration parsers of time.c and calendar.c,
 * and mash_deadline over what they parse.  Each line of the input is
 * tried as an instant, a date, a duration and office hours.  Checked
 * besides crashes: what parses prints back to the same value; a date is
 * the local date of its own midnight; a deadline is after its start, a
 * clock deadline exactly n units after it, a working-days deadline at
 * the close of the nth working day, and a working-hours deadline n
 * hours of office time after it, counted here day by day.
 */
#include "fuzz.h"

#define MAXVALS	4

static struct mash_calendar cal;
static int holidays[16 * 40];

/* the bank holidays of 2000 to 2039, as the store seeds them */
static void
calendar(void)
{
	struct mash_holiday h[16];
	size_t i, n;
	int y;

	if (cal.holidays != NULL)
		return;
	for (y = 2000; y < 2040; y++) {
		n = mash_bank_holidays(y, h, 16);
		for (i = 0; i < n; i++)
			holidays[cal.nholidays++] = atoi(h[i].date) * 10000 +
			    atoi(h[i].date + 5) * 100 + atoi(h[i].date + 8);
	}
	for (i = 1; i < cal.nholidays; i++)
		fuzz_assert(holidays[i - 1] < holidays[i]);
	cal.holidays = holidays;
}

static void
local(mash_time t, struct tm *tm)
{
	time_t tt = (time_t)t;

	fuzz_assert(localtime_r(&tt, tm) != NULL);
}

/* days since 1970 of a local date, and back */
static int64_t
day_of(mash_time t)
{
	struct tm tm;

	local(t, &tm);
	return mash_civil_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void
ymd(int64_t day, int *y, int *m, int *d)
{
	time_t tt = (time_t)(day * 86400);
	struct tm tm;

	fuzz_assert(gmtime_r(&tt, &tm) != NULL);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

/* the instant of a local time of day, in minutes, on a day */
static mash_time
at(int64_t day, int minutes)
{
	mash_time t;
	int y, m, d;

	ymd(day, &y, &m, &d);
	fuzz_assert(mash_time_mklocal(y, m, d, minutes / 60, minutes % 60, 0,
	    &t) == 0);
	return t;
}

static int
working(const struct mash_calendar *c, int64_t day)
{
	int y, m, d;

	ymd(day, &y, &m, &d);
	return mash_is_working_day(c, y, m, d);
}

static void
instant(const char *s, mash_time *out, size_t *n)
{
	char buf[MASH_TIME_LEN], loc[32];
	mash_time t, t2, back;

	if (mash_time_parse(s, &t) != 0)
		return;
	fuzz_assert(mash_time_utc(t, buf) == 0);
	fuzz_assert(mash_time_parse(buf, &t2) == 0);
	fuzz_assert(t2 == t);
	/*
	 * A table's local minute reads back, the repeated hour as its
	 * first, unless the zone takes it out of the years taken: then
	 * it is "?", never a zero date.
	 */
	if (mash_time_local(t, loc, sizeof(loc)) != 0) {
		fuzz_assert(strcmp(loc, "?") == 0);
		return;
	}
	fuzz_assert(mash_time_parse(loc, &t2) == 0);
	back = t - t2;
	fuzz_assert((back >= 0 && back < 60) || (back >= 3600 &&
	    back < 3660));
	if (*n < MAXVALS)
		out[(*n)++] = t;
}

static void
date(const char *s)
{
	char d[MASH_DATE_LEN], d2[MASH_DATE_LEN];
	mash_time t;

	if (mash_date_parse(s, d) != 0)
		return;
	fuzz_assert(strlen(d) == 10 && d[4] == '-' && d[7] == '-');
	fuzz_assert(mash_date_parse(d, d2) == 0 && strcmp(d, d2) == 0);
	fuzz_assert(mash_time_parse(s, &t) == 0);
	mash_time_localdate(t, d2);
	fuzz_assert(strcmp(d, d2) == 0);
}

static void
duration(const char *s, struct mash_duration *out, size_t *n)
{
	static const char *const suffix[] = { "m", "h", "wh", "wd" };
	struct mash_duration dur, dur2;
	char buf[32];

	if (mash_duration_parse(s, &dur) != 0)
		return;
	fuzz_assert(dur.n >= 1 && dur.n <= MASH_DURATION_MAX);
	fuzz_assert(dur.unit >= MASH_MINUTES && dur.unit <= MASH_WORK_DAYS);
	snprintf(buf, sizeof(buf), "%ld%s", dur.n, suffix[dur.unit]);
	fuzz_assert(mash_duration_parse(buf, &dur2) == 0);
	fuzz_assert(dur2.n == dur.n && dur2.unit == dur.unit);
	if (*n < MAXVALS)
		out[(*n)++] = dur;
}

static void
office(const char *s, struct mash_calendar *c)
{
	struct mash_calendar c2;
	char buf[32];

	if (mash_office_hours_parse(s, &c2) != 0)
		return;
	fuzz_assert(c2.open >= 0 && c2.open < c2.close && c2.close < 24 * 60);
	snprintf(buf, sizeof(buf), "%02d:%02d-%02d:%02d", c2.open / 60,
	    c2.open % 60, c2.close / 60, c2.close % 60);
	fuzz_assert(mash_office_hours_parse(buf, c) == 0);
	fuzz_assert(c->open == c2.open && c->close == c2.close);
}

/* the close of the nth working day after the start's own day */
static void
work_days(const struct mash_calendar *c, mash_time start, long n,
    mash_time end)
{
	int64_t day, last = day_of(end);
	long count = 0;

	fuzz_assert(working(c, last));
	fuzz_assert(end == at(last, c->close));
	for (day = day_of(start) + 1; day <= last; day++)
		count += working(c, day);
	fuzz_assert(count == n);
}

/* the office time between start and end, window by window */
static void
work_hours(const struct mash_calendar *c, mash_time start, long n,
    mash_time end)
{
	mash_time o, cl, lo, hi;
	int64_t day, last = day_of(end);
	long secs = 0;

	fuzz_assert(working(c, last));
	fuzz_assert(end > at(last, c->open) && end <= at(last, c->close));
	for (day = day_of(start); day <= last; day++) {
		if (!working(c, day))
			continue;
		o = at(day, c->open);
		cl = at(day, c->close);
		lo = start > o ? start : o;
		hi = end < cl ? end : cl;
		if (hi > lo)
			secs += (long)(hi - lo);
	}
	fuzz_assert(secs == n * 3600);
}

static void
deadline(const struct mash_calendar *c, mash_time start,
    const struct mash_duration *dur)
{
	mash_time end = 0;
	int rc;

	/* an end past the years is refused, and nothing written */
	if ((rc = mash_deadline(c, start, dur, &end)) == MASH_DEADLINE_RANGE) {
		fuzz_assert(end == 0);
		return;
	}
	fuzz_assert(rc == 0 && mash_time_in_range(end));
	fuzz_assert(end > start);
	switch (dur->unit) {
	case MASH_MINUTES:
		fuzz_assert(end == start + dur->n * 60);
		break;
	case MASH_HOURS:
		fuzz_assert(end == start + dur->n * 3600);
		break;
	case MASH_WORK_DAYS:
		work_days(c, start, dur->n, end);
		break;
	case MASH_WORK_HOURS:
		work_hours(c, start, dur->n, end);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mash_duration durs[MAXVALS];
	struct mash_calendar c;
	mash_time starts[MAXVALS];
	char *s, *line, *p;
	size_t i, j, nstarts = 0, ndurs = 0;

	fuzz_tz();
	calendar();
	c = cal;
	c.open = 9 * 60;
	c.close = 17 * 60;
	s = fuzz_string(data, size);
	for (p = s; (line = strsep(&p, "\n")) != NULL; ) {
		instant(line, starts, &nstarts);
		date(line);
		duration(line, durs, &ndurs);
		office(line, &c);
	}
	free(s);
	if (nstarts == 0) {
		starts[nstarts++] = 1774630800;	/* Fri 2026-03-27 17:00 */
		starts[nstarts++] = 1792861200;	/* Sat 2026-10-24 18:00 BST */
	}
	for (i = 0; i < nstarts; i++)
		for (j = 0; j < ndurs; j++)
			deadline(&c, starts[i], &durs[j]);
	return 0;
}
