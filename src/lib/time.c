/* time.c: instants in and out, in the input forms of mash(7) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libmash.h"

/*
 * Years outside this range are refused: no record in a hub needs them,
 * and it keeps a typo such as 0215 out and every date four digits.
 */
#define YEAR_MIN	MASH_YEAR_MIN
#define YEAR_MAX	MASH_YEAR_MAX

#ifndef MASH_ZONEINFO
#define MASH_ZONEINFO	"/usr/share/zoneinfo"
#endif

struct fields {
	int	 y, m, d;
	int	 hh, mm, ss;
	int	 zoned;		/* an offset was given, so not local time */
	long	 off;		/* seconds east of UTC */
};

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return days[m - 1] + (m == 2 && leap(y));
}

int64_t
mash_civil_days(int y, int m, int d)
{
	static const int before[] = {	/* days in the months before m */
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
	};
	int64_t past = (int64_t)y - 1;	/* whole years since 0001 */
	int64_t n;

	n = past * 365 + past / 4 - past / 100 + past / 400 +
	    before[m - 1] + (m > 2 && leap(y)) + d - 1;
	return n - 719162;		/* 0001-01-01 to 1970-01-01 */
}

/* a wall-clock reading as if it were UTC: local time's own epoch */
static int64_t
wall(int y, int m, int d, int hh, int mm, int ss)
{
	return mash_civil_days(y, m, d) * 86400 + (int64_t)hh * 3600 +
	    mm * 60 + ss;
}

/* the offset of local time from UTC at an instant, in seconds */
static int
local_offset(int64_t t, int64_t *off)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return -1;
	*off = wall(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec) - t;
	return 0;
}

/* whether local time at t is offset off from UTC */
static int
reads_back(int64_t t, int64_t off)
{
	int64_t o;

	return local_offset(t, &o) == 0 && o == off;
}

/*
 * Not mktime: glibc's answer for the repeated hour depends on the call
 * before.  The offsets a day either side of the reading are the only
 * two near it.  The larger gives the earlier instant, so try it first;
 * if neither reads back, the clock skipped the reading, so keep the
 * offset from before the change.
 */
int
mash_time_mklocal(int y, int m, int d, int hh, int mm, int ss, mash_time *t)
{
	int64_t u, before, after, hi, lo;

	if (y < 1 || m < 1 || m > 12)
		return -1;
	u = wall(y, m, d, hh, mm, ss);
	if (local_offset(u - 86400, &before) == -1 ||
	    local_offset(u + 86400, &after) == -1)
		return -1;
	/*
	 * the same offset a day either side, as on all but a few days a
	 * year: the reading is at that offset, as the tries below find
	 */
	if (before == after) {
		*t = u - before;
		return 0;
	}
	hi = before > after ? before : after;
	lo = before > after ? after : before;
	if (reads_back(u - hi, hi))
		*t = u - hi;
	else if (reads_back(u - lo, lo))
		*t = u - lo;
	else
		*t = u - before;
	return 0;
}

/* exactly n decimal digits */
static const char *
digits(const char *s, int n, int *v)
{
	*v = 0;
	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return NULL;
		*v = *v * 10 + (*s - '0');
	}
	return s;
}

/* one or two decimal digits: a day, month or hour as people write it */
static const char *
digits12(const char *s, int *v)
{
	const char *p;

	if ((p = digits(s, 1, v)) != NULL && *p >= '0' && *p <= '9')
		p = digits(s, 2, v);
	return p;
}

static const char *
expect(const char *s, char c)
{
	return s != NULL && *s == c ? s + 1 : NULL;
}

/* YYYY-MM-DD or D[D]/M[M]/YYYY; *iso says which */
static const char *
parse_date(const char *s, struct fields *f, int *iso)
{
	const char *p;

	*iso = strlen(s) >= 5 && s[4] == '-';
	if (*iso) {
		p = expect(digits(s, 4, &f->y), '-');
		p = p ? expect(digits(p, 2, &f->m), '-') : NULL;
		p = p ? digits(p, 2, &f->d) : NULL;
	} else {
		p = expect(digits12(s, &f->d), '/');
		p = p ? expect(digits12(p, &f->m), '/') : NULL;
		p = p ? digits(p, 4, &f->y) : NULL;
	}
	if (p == NULL || f->y < YEAR_MIN || f->y > YEAR_MAX ||
	    f->m < 1 || f->m > 12 || f->d < 1 || f->d > month_days(f->y, f->m))
		return NULL;
	return p;
}

/* H[H]:MM[:SS] */
static const char *
parse_clock(const char *s, struct fields *f)
{
	const char *p;

	p = expect(digits12(s, &f->hh), ':');
	p = p ? digits(p, 2, &f->mm) : NULL;
	f->ss = 0;
	if (p != NULL && *p == ':')
		p = digits(p + 1, 2, &f->ss);
	if (p == NULL || f->hh > 23 || f->mm > 59 || f->ss > 59)
		return NULL;
	return p;
}

/* Z, +HH:MM, -HH:MM, +HHMM or -HHMM */
static const char *
parse_zone(const char *s, struct fields *f)
{
	const char *p;
	int sign, h, m;

	f->zoned = 1;
	f->off = 0;
	if (*s == 'Z')
		return s + 1;
	if (*s != '+' && *s != '-')
		return NULL;
	sign = *s == '-' ? -1 : 1;
	if ((p = digits(s + 1, 2, &h)) == NULL)
		return NULL;
	if (*p == ':')
		p++;
	if ((p = digits(p, 2, &m)) == NULL || h > 23 || m > 59)
		return NULL;
	f->off = sign * (h * 3600L + m * 60L);
	return p;
}

static int
parse(const char *s, struct fields *f)
{
	const char *p;
	int iso;

	memset(f, 0, sizeof(*f));
	if ((p = parse_date(s, f, &iso)) == NULL)
		return -1;
	if (*p == '\0')
		return 0;
	/* only ISO dates may carry a 'T' or a zone: mash(7) */
	if (*p != ' ' && !(iso && *p == 'T'))
		return -1;
	if ((p = parse_clock(p + 1, f)) == NULL)
		return -1;
	if (iso && *p != '\0' && (p = parse_zone(p, f)) == NULL)
		return -1;
	return *p == '\0' ? 0 : -1;
}

/*
 * An offset or the zone can move a reading across the edge of the
 * years taken; stored as UTC, such an instant would not read back.
 */
int
mash_time_in_range(mash_time t)
{
	return t >= mash_civil_days(YEAR_MIN, 1, 1) * 86400 &&
	    t < mash_civil_days(YEAR_MAX + 1, 1, 1) * 86400;
}

int
mash_time_parse(const char *s, mash_time *t)
{
	struct fields f;
	mash_time u;

	if (s == NULL || parse(s, &f) == -1)
		return -1;
	if (f.zoned)
		u = wall(f.y, f.m, f.d, f.hh, f.mm, f.ss) - f.off;
	else if (mash_time_mklocal(f.y, f.m, f.d, f.hh, f.mm, f.ss, &u) == -1)
		return -1;
	if (!mash_time_in_range(u))
		return -1;
	*t = u;
	return 0;
}

int
mash_date_parse(const char *s, char out[MASH_DATE_LEN])
{
	struct fields f;
	const char *p;
	int iso;

	memset(&f, 0, sizeof(f));
	if (s == NULL || (p = parse_date(s, &f, &iso)) == NULL || *p != '\0')
		return -1;
	snprintf(out, MASH_DATE_LEN, "%04u-%02u-%02u", (unsigned)f.y % 10000,
	    (unsigned)f.m % 100, (unsigned)f.d % 100);
	return 0;
}

int
mash_now(mash_time *t)
{
	char d[MASH_DATE_LEN];
	const char *s;

	s = secure_getenv("MASH_NOW");
	if (s == NULL || *s == '\0') {
		*t = (mash_time)time(NULL);
		if (mash_time_localdate(*t, d) == -1) {
			mash_warn("the system clock is outside the years %d "
			    "to %d", YEAR_MIN, YEAR_MAX);
			return -1;
		}
		return 0;
	}
	if (mash_time_parse(s, t) == -1) {
		mash_warn("MASH_NOW '%s' is not a date or time in the years "
		    "%d to %d", s, YEAR_MIN, YEAR_MAX);
		return -1;
	}
	/* tables and "today" read it in local time too */
	if (mash_time_localdate(*t, d) == -1) {
		mash_warn("MASH_NOW '%s' is outside the years %d to %d in "
		    "the hub's time zone", s, YEAR_MIN, YEAR_MAX);
		return -1;
	}
	return 0;
}

/*
 * A zone name as the tz database spells them (Europe/London, UTC,
 * America/Argentina/Buenos_Aires): parts that start with a capital,
 * of letters, digits, '_', '-' and '+'.  So no "..", no absolute
 * path, and none of the lower-case posix/ and right/ trees (right/
 * counts leap seconds, which no deadline should).
 */
static int
zone_name(const char *z)
{
	const char *p;

	if (z == NULL || strlen(z) == 0 || strlen(z) > 64)
		return 0;
	for (p = z; *p != '\0'; p++) {
		if ((p == z || p[-1] == '/') && !(*p >= 'A' && *p <= 'Z'))
			return 0;
		if (!(*p >= 'A' && *p <= 'Z') && !(*p >= 'a' && *p <= 'z') &&
		    !(*p >= '0' && *p <= '9') && *p != '_' && *p != '-' &&
		    *p != '+' && *p != '/')
			return 0;
	}
	return p[-1] != '/';
}

/*
 * glibc takes a TZ it cannot find for UTC, silently: a zone is only a
 * name whose file in the zoneinfo directory is a compiled zone (TZif).
 */
int
mash_zone_check(const char *z)
{
	char path[sizeof(MASH_ZONEINFO) + 80], magic[4];
	struct stat sb;
	ssize_t n;
	int fd;

	if (!zone_name(z))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", MASH_ZONEINFO, z);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return -1;
	n = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ?
	    read(fd, magic, sizeof(magic)) : -1;
	close(fd);
	return n == 4 && memcmp(magic, "TZif", 4) == 0 ? 0 : -1;
}

int
mash_zone_set(const char *z)
{
	char tz[sizeof(MASH_ZONEINFO) + 80];

	if (mash_zone_check(z) == -1)
		return -1;
	/* the file itself: the caller's TZDIR changes nothing either */
	snprintf(tz, sizeof(tz), ":%s/%s", MASH_ZONEINFO, z);
	if (setenv("TZ", tz, 1) == -1)
		return -1;
	tzset();
	return 0;
}

/*
 * The fields of an instant, each reduced to its printed width: the
 * modulo changes nothing in range and lets the compiler see the width.
 */
struct parts {
	unsigned	 y, m, d, hh, mm, ss;
};

/* -1 if the reading of the instant is outside the years taken */
static int
parts(mash_time t, int local, struct parts *p)
{
	time_t tt = (time_t)t;
	struct tm tm;

	memset(p, 0, sizeof(*p));
	if ((local ? localtime_r(&tt, &tm) : gmtime_r(&tt, &tm)) == NULL ||
	    tm.tm_year < YEAR_MIN - 1900 || tm.tm_year > YEAR_MAX - 1900)
		return -1;
	p->y = (unsigned)(tm.tm_year + 1900) % 10000;
	p->m = (unsigned)(tm.tm_mon + 1) % 100;
	p->d = (unsigned)tm.tm_mday % 100;
	p->hh = (unsigned)tm.tm_hour % 100;
	p->mm = (unsigned)tm.tm_min % 100;
	p->ss = (unsigned)tm.tm_sec % 100;
	return 0;
}

/* n as exactly w decimal digits, zero-padded */
static void
put_digits(char *out, unsigned n, int w)
{
	while (w-- > 0) {
		out[w] = (char)('0' + n % 10);
		n /= 10;
	}
}

/* never a zero date: what is out of range is "?", and -1 */
int
mash_time_utc(mash_time t, char out[MASH_TIME_LEN])
{
	struct parts p;

	if (parts(t, 0, &p) == -1) {
		strcpy(out, "?");
		return -1;
	}
	/* by hand: every stored instant passes here, snprintf is slow */
	put_digits(out, p.y, 4);
	out[4] = '-';
	put_digits(out + 5, p.m, 2);
	out[7] = '-';
	put_digits(out + 8, p.d, 2);
	out[10] = 'T';
	put_digits(out + 11, p.hh, 2);
	out[13] = ':';
	put_digits(out + 14, p.mm, 2);
	out[16] = ':';
	put_digits(out + 17, p.ss, 2);
	out[19] = 'Z';
	out[20] = '\0';
	return 0;
}

int
mash_time_local(mash_time t, char *out, size_t len)
{
	struct parts p;

	if (parts(t, 1, &p) == -1) {
		snprintf(out, len, "?");
		return -1;
	}
	snprintf(out, len, "%04u-%02u-%02u %02u:%02u",
	    p.y, p.m, p.d, p.hh, p.mm);
	return 0;
}

int
mash_time_localdate(mash_time t, char out[MASH_DATE_LEN])
{
	struct parts p;

	if (parts(t, 1, &p) == -1) {
		strcpy(out, "?");
		return -1;
	}
	snprintf(out, MASH_DATE_LEN, "%04u-%02u-%02u", p.y, p.m, p.d);
	return 0;
}
