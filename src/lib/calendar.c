/* calendar.c: durations, office hours, working time and bank holidays */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libmash.h"

/* Days are counted as days since 1970-01-01, like mash_civil_days. */

static int
ymd(int y, int m, int d)
{
	return y * 10000 + m * 100 + d;
}

/* the yyyymmdd of a day; gmtime_r because a day number has no zone */
static int
day_ymd(int64_t day)
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return 0;
	return ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* 0 is Sunday, as in struct tm; 1970-01-01 was a Thursday */
static int
weekday(int64_t day)
{
	return (int)((day % 7 + 11) % 7);
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int
working(const struct mash_calendar *cal, int64_t day)
{
	int date, wd = weekday(day);

	if (wd == 0 || wd == 6)
		return 0;
	if (cal == NULL || cal->nholidays == 0 || cal->holidays == NULL)
		return 1;
	date = day_ymd(day);
	return bsearch(&date, cal->holidays, cal->nholidays, sizeof(int),
	    cmp_int) == NULL;
}

int
mash_is_working_day(const struct mash_calendar *cal, int y, int m, int d)
{
	int64_t day;

	if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	day = mash_civil_days(y, m, d);
	if (day_ymd(day) != ymd(y, m, d))	/* 31 April and the like */
		return 0;
	return working(cal, day);
}

/* the local day an instant falls on */
static int
local_day(mash_time t, int64_t *day)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return -1;
	*day = mash_civil_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return 0;
}

/* the instant of a local time of day, in minutes, on a day */
static int
day_at(int64_t day, int minutes, mash_time *t)
{
	int date = day_ymd(day);

	return mash_time_mklocal(date / 10000, date / 100 % 100, date % 100,
	    minutes / 60, minutes % 60, 0, t);
}

static int
calendar_ok(const struct mash_calendar *cal)
{
	return cal != NULL && cal->open >= 0 && cal->open < cal->close &&
	    cal->close <= 24 * 60 &&
	    (cal->nholidays == 0 || cal->holidays != NULL);
}

/* the close of the nth working day after the local day of start */
static int
work_days(const struct mash_calendar *cal, mash_time start, long n,
    mash_time *end)
{
	int64_t day;

	if (local_day(start, &day) == -1)
		return -1;
	while (n > 0)
		if (working(cal, ++day))
			n--;
	return day_at(day, cal->close, end);
}

/*
 * Spend secs of office time from t on.  Each working day's office is
 * measured in real seconds between its local opening and close, and
 * a count that runs out at close ends there, not next morning.
 */
static int
work_hours(const struct mash_calendar *cal, mash_time t, long secs,
    mash_time *end)
{
	mash_time open, close;
	int64_t day;

	if (local_day(t, &day) == -1)
		return -1;
	for (;; day++) {
		if (!working(cal, day))
			continue;
		if (day_at(day, cal->open, &open) == -1 ||
		    day_at(day, cal->close, &close) == -1)
			return -1;
		if (t < open)
			t = open;
		if (t >= close)
			continue;
		if (secs <= close - t) {
			*end = t + secs;
			return 0;
		}
		secs -= close - t;
	}
}

static int
deadline(const struct mash_calendar *cal, mash_time start,
    const struct mash_duration *dur, mash_time *end)
{
	if (dur == NULL || dur->n < 1 || dur->n > MASH_DURATION_MAX)
		return -1;
	switch (dur->unit) {
	case MASH_MINUTES:
		*end = start + dur->n * 60;
		return 0;
	case MASH_HOURS:
		*end = start + dur->n * 3600;
		return 0;
	case MASH_WORK_HOURS:
		if (!calendar_ok(cal))
			return -1;
		return work_hours(cal, start, dur->n * 3600, end);
	case MASH_WORK_DAYS:
		if (!calendar_ok(cal))
			return -1;
		return work_days(cal, start, dur->n, end);
	}
	return -1;
}

/* an end past the years would be stored as no date at all: mash(7) */
int
mash_deadline(const struct mash_calendar *cal, mash_time start,
    const struct mash_duration *dur, mash_time *end)
{
	mash_time e;
	int rc;

	if (!mash_time_in_range(start))
		return MASH_DEADLINE_RANGE;
	if ((rc = deadline(cal, start, dur, &e)) != 0)
		return rc;
	if (!mash_time_in_range(e))
		return MASH_DEADLINE_RANGE;
	*end = e;
	return 0;
}

/*
 * A zero duration is refused: a deadline at its own start is far more
 * likely a typing slip than a timescale anyone means.
 */
int
mash_duration_parse(const char *s, struct mash_duration *dur)
{
	static const struct {
		const char	*suffix;
		enum mash_unit	 unit;
	} units[] = {
		{ "m", MASH_MINUTES },
		{ "h", MASH_HOURS },
		{ "wh", MASH_WORK_HOURS },
		{ "wd", MASH_WORK_DAYS },
	};
	const char *p;
	long n = 0;
	size_t i;

	if (s == NULL)
		return -1;
	for (p = s; *p >= '0' && *p <= '9'; p++)
		if ((n = n * 10 + (*p - '0')) > MASH_DURATION_MAX)
			return -1;
	if (p == s || n < 1)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(p, units[i].suffix) == 0) {
			dur->n = n;
			dur->unit = units[i].unit;
			return 0;
		}
	return -1;
}

static int
two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "HH:MM", 00:00 to 23:59, into minutes after midnight */
static const char *
clock_minutes(const char *s, int *min)
{
	int h, m;

	if ((h = two_digits(s)) < 0 || h > 23 || s[2] != ':' ||
	    (m = two_digits(s + 3)) < 0 || m > 59)
		return NULL;
	*min = h * 60 + m;
	return s + 5;
}

int
mash_office_hours_parse(const char *s, struct mash_calendar *cal)
{
	const char *p;
	int open, close;

	if (s == NULL || (p = clock_minutes(s, &open)) == NULL ||
	    *p != '-' || (p = clock_minutes(p + 1, &close)) == NULL ||
	    *p != '\0' || open >= close)
		return -1;
	cal->open = open;
	cal->close = close;
	return 0;
}

/*
 * Bank holidays of England and Wales.  The standing rules come from the
 * Banking and Financial Dealings Act 1971 and the proclamations that
 * repeat each year; the table holds the days proclaimed otherwise.
 */
static const struct {
	int		 from;	/* the day a rule gives, or 0 for an extra day */
	int		 to;
	const char	*name;	/* for an extra day; a moved one keeps its own */
} exceptions[] = {
	{ 20200504, 20200508, NULL },	/* VE Day 75th anniversary */
	{ 20220530, 20220602, NULL },	/* Platinum Jubilee weekend */
	{ 0, 20220603, "Platinum Jubilee bank holiday" },
	{ 0, 20220919, "State Funeral of Queen Elizabeth II" },
	{ 0, 20230508, "Bank holiday for the coronation of King Charles III" },
};

struct bh {
	int		 date;
	const char	*name;
};

/* Easter Sunday of the Gregorian calendar (the anonymous algorithm) */
static int64_t
easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100;
	int h, l, m;

	h = (19 * a + b - b / 4 - (b - (b + 8) / 25 + 1) / 3 + 15) % 30;
	l = (32 + 2 * (b % 4) + 2 * (c / 4) - h - c % 4) % 7;
	m = (a + 11 * h + 22 * l) / 451;
	return mash_civil_days(y, (h + l - 7 * m + 114) / 31,
	    (h + l - 7 * m + 114) % 31 + 1);
}

static int
first_monday(int y, int m)
{
	return 1 + (8 - weekday(mash_civil_days(y, m, 1))) % 7;
}

static int
last_monday(int y, int m, int last)
{
	return last - (weekday(mash_civil_days(y, m, last)) + 6) % 7;
}

/* Christmas and Boxing Day, and their substitutes after a weekend */
static size_t
christmas(int y, struct bh *b)
{
	static const char xmas[] = "Christmas Day", boxing[] = "Boxing Day";
	static const char xsub[] = "Christmas Day (substitute day)";
	static const char bsub[] = "Boxing Day (substitute day)";

	switch (weekday(mash_civil_days(y, 12, 25))) {
	case 5:
		b[0] = (struct bh){ ymd(y, 12, 25), xmas };
		b[1] = (struct bh){ ymd(y, 12, 28), bsub };
		break;
	case 6:
		b[0] = (struct bh){ ymd(y, 12, 27), xsub };
		b[1] = (struct bh){ ymd(y, 12, 28), bsub };
		break;
	case 0:
		b[0] = (struct bh){ ymd(y, 12, 26), boxing };
		b[1] = (struct bh){ ymd(y, 12, 27), xsub };
		break;
	default:
		b[0] = (struct bh){ ymd(y, 12, 25), xmas };
		b[1] = (struct bh){ ymd(y, 12, 26), boxing };
		break;
	}
	return 2;
}

/* the standing rules; a New Year's substitute keeps the plain name */
static size_t
standing(int y, struct bh *b)
{
	int64_t e = easter(y);
	int wd = weekday(mash_civil_days(y, 1, 1));
	size_t n = 0;

	b[n++] = (struct bh){ ymd(y, 1, wd == 6 ? 3 : wd == 0 ? 2 : 1),
	    "New Year's Day" };
	b[n++] = (struct bh){ day_ymd(e - 2), "Good Friday" };
	b[n++] = (struct bh){ day_ymd(e + 1), "Easter Monday" };
	b[n++] = (struct bh){ ymd(y, 5, first_monday(y, 5)),
	    "Early May bank holiday" };
	b[n++] = (struct bh){ ymd(y, 5, last_monday(y, 5, 31)),
	    "Spring bank holiday" };
	b[n++] = (struct bh){ ymd(y, 8, last_monday(y, 8, 31)),
	    "Summer bank holiday" };
	return n + christmas(y, b + n);
}

static int
cmp_bh(const void *a, const void *b)
{
	return cmp_int(&((const struct bh *)a)->date,
	    &((const struct bh *)b)->date);
}

size_t
mash_bank_holidays(int y, struct mash_holiday *out, size_t max)
{
	struct bh b[16];
	size_t n, i, j;

	if (y < 1 || y > 9999)
		return 0;
	n = standing(y, b);
	for (i = 0; i < sizeof(exceptions) / sizeof(exceptions[0]); i++) {
		if (exceptions[i].to / 10000 != y)
			continue;
		if (exceptions[i].from == 0)
			b[n++] = (struct bh){ exceptions[i].to,
			    exceptions[i].name };
		else
			for (j = 0; j < n; j++)
				if (b[j].date == exceptions[i].from)
					b[j].date = exceptions[i].to;
	}
	qsort(b, n, sizeof(b[0]), cmp_bh);
	for (i = 0; i < n && i < max; i++) {
		snprintf(out[i].date, sizeof(out[i].date), "%04u-%02u-%02u",
		    (unsigned)b[i].date / 10000 % 10000,
		    (unsigned)b[i].date / 100 % 100, (unsigned)b[i].date % 100);
		snprintf(out[i].name, sizeof(out[i].name), "%s", b[i].name);
	}
	return i;
}
