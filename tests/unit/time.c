/* time.c unit tests: the input forms of mash(7), Times, in Europe/London */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libmash.h"
#include "tap.h"

/* an input as stored UTC text, or NULL if refused */
static const char *
utc(const char *in)
{
	static char buf[MASH_TIME_LEN];
	mash_time t;

	if (mash_time_parse(in, &t) == -1)
		return NULL;
	mash_time_utc(t, buf);
	return buf;
}

static const char *
date(const char *in)
{
	static char buf[MASH_DATE_LEN];

	return mash_date_parse(in, buf) == -1 ? NULL : buf;
}

static const struct {
	const char	*in, *want;
} good[] = {
	/* ISO with a zone */
	{ "2026-01-15T10:00:00Z", "2026-01-15T10:00:00Z" },
	{ "2026-01-15T10:00Z", "2026-01-15T10:00:00Z" },
	{ "2026-01-15 10:00:07Z", "2026-01-15T10:00:07Z" },
	{ "2026-06-15T10:00:00+01:00", "2026-06-15T09:00:00Z" },
	{ "2026-06-15T10:00-05:00", "2026-06-15T15:00:00Z" },
	{ "2026-06-15T10:00+0130", "2026-06-15T08:30:00Z" },
	{ "2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00Z" },
	{ "2016-02-29T12:00Z", "2016-02-29T12:00:00Z" },
	/* ISO local: GMT in winter, BST in summer */
	{ "2026-01-15T10:00", "2026-01-15T10:00:00Z" },
	{ "2026-06-15 10:00", "2026-06-15T09:00:00Z" },
	{ "2026-06-15T10:00:30", "2026-06-15T09:00:30Z" },
	/* dates are local midnight */
	{ "2026-01-15", "2026-01-15T00:00:00Z" },
	{ "2026-06-15", "2026-06-14T23:00:00Z" },
	{ "15/06/2026", "2026-06-14T23:00:00Z" },
	/* day first, never month first */
	{ "01/02/2026", "2026-02-01T00:00:00Z" },
	{ "12/01/2026 09:05", "2026-01-12T09:05:00Z" },
	{ "15/06/2026 14:30", "2026-06-15T13:30:00Z" },
	{ "15/06/2026 14:30:15", "2026-06-15T13:30:15Z" },
	/* as spreadsheets export them, without leading zeros */
	{ "1/2/2016", "2016-02-01T00:00:00Z" },
	{ "3/4/2026 9:15", "2026-04-03T08:15:00Z" },
	{ "03/04/2026 9:15", "2026-04-03T08:15:00Z" },
	{ "3/04/2026 09:15:30", "2026-04-03T08:15:30Z" },
	/* the clock changes: the skipped hour reads on GMT, the repeated
	 * hour is its first, BST, occurrence */
	{ "2026-03-29 00:59", "2026-03-29T00:59:00Z" },
	{ "2026-03-29 01:30", "2026-03-29T01:30:00Z" },
	{ "2026-03-29 02:00", "2026-03-29T01:00:00Z" },
	{ "2026-10-25 00:59", "2026-10-24T23:59:00Z" },
	{ "2026-10-25 01:30", "2026-10-25T00:30:00Z" },
	{ "25/10/2026 02:00", "2026-10-25T02:00:00Z" },
};

static const char *const bad[] = {
	"", "2026", "2026-01", "31/02/2016", "29/02/2015", "2015-02-29",
	"2016-13-01", "2016-00-10", "2016-01-00", "2016-04-31", "00/01/2016",
	"02/13/2016", "2016-01-01T24:00", "2016-01-01T10:60",
	"2016-01-01T10:00:60", "2016-01-01T10", "2016-01-01T10:00Zjunk",
	"2016-01-01T10:00 ", " 2016-01-01", "2016-01-01 ", "2016-01-01x",
	"2016-1-01", "2016/01/01", "01-02-2016", "001/02/2016",
	"1/2/16", "/2/2016", "1//2016", "3/4/2026 9:5", "3/4/2026 123:15",
	"15/06/2026T10:00", "15/06/2026 10:00Z", "15/06/2026 10:00+01:00",
	"2026-06-15T10:00+1:00", "2026-06-15T10:00+01", "2026-06-15T10:00+24:00",
	"2026-06-15T10:00+01:60", "2026-06-15T10:00z", "2026-06-15t10:00",
	"2026-06-15T10:00:00.5Z", "0215-06-15", "+2026-06-15",
};

static void
test_parse(void)
{
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		is(utc(good[i].in), good[i].want, good[i].in);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(utc(bad[i]) == NULL, "refused '%s'", bad[i]);
	ok(mash_time_parse(NULL, &(mash_time){ 0 }) == -1, "NULL refused");
}

static void
test_date(void)
{
	is(date("2026-06-15"), "2026-06-15", "date ISO");
	is(date("15/06/2026"), "2026-06-15", "date day first");
	is(date("01/02/2026"), "2026-02-01", "date 01/02 is 1 February");
	is(date("29/02/2016"), "2016-02-29", "date leap day");
	is(date("29/02/2100"), NULL, "date 2100 is not leap");
	is(date("29/02/2000"), "2000-02-29", "date 2000 is leap");
	is(date("31/04/2026"), NULL, "date 31 April refused");
	is(date("2026-06-15T10:00"), NULL, "date with a time refused");
	is(date("2026-06-15 "), NULL, "date with a space refused");
	is(date(""), NULL, "empty date refused");
}

static void
test_format(void)
{
	char buf[32], d[MASH_DATE_LEN];
	mash_time t;

	mash_time_utc(0, buf);
	is(buf, "1970-01-01T00:00:00Z", "epoch");
	mash_time_parse("2026-06-15T09:00:00Z", &t);
	mash_time_local(t, buf, sizeof(buf));
	is(buf, "2026-06-15 10:00", "local in summer");
	mash_time_parse("2026-01-15T09:00:00Z", &t);
	mash_time_local(t, buf, sizeof(buf));
	is(buf, "2026-01-15 09:00", "local in winter");
	mash_time_parse("2026-06-14T23:30:00Z", &t);
	mash_time_localdate(t, d);
	is(d, "2026-06-15", "local date after midnight BST");
	mash_time_parse("2026-01-14T23:30:00Z", &t);
	mash_time_localdate(t, d);
	is(d, "2026-01-14", "local date before midnight GMT");
	mash_time_local(t, buf, 8);
	is(buf, "2026-01", "local truncated to the buffer");
}

static void
test_civil(void)
{
	struct tm tm;
	int64_t day;
	time_t t;
	int wrong = 0;

	/* every day from 1900 to 2100 against glibc's timegm */
	for (day = -25567; day <= 47482; day++) {
		t = (time_t)(day * 86400);
		gmtime_r(&t, &tm);
		if (mash_civil_days(tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday) != day)
			wrong++;
	}
	ok(wrong == 0, "mash_civil_days agrees with gmtime 1900-2100");
	ok(mash_civil_days(2026, 1, 32) == mash_civil_days(2026, 2, 1),
	    "mash_civil_days runs on past the month");
}

static void
test_now(void)
{
	mash_time t, before;

	setenv("MASH_NOW", "24/12/2026 10:00", 1);
	ok(mash_now(&t) == 0 && t == 1798106400, "MASH_NOW day first local");
	setenv("MASH_NOW", "2026-06-15T10:00:00+01:00", 1);
	ok(mash_now(&t) == 0 && t == 1781514000, "MASH_NOW with offset");
	setenv("MASH_NOW", "tomorrow", 1);
	ok(mash_now(&t) == -1, "MASH_NOW unparsable is -1");
	setenv("MASH_NOW", "", 1);
	before = (mash_time)time(NULL);
	ok(mash_now(&t) == 0 && t >= before && t <= before + 5,
	    "MASH_NOW empty is the clock");
	unsetenv("MASH_NOW");
	before = (mash_time)time(NULL);
	ok(mash_now(&t) == 0 && t >= before && t <= before + 5,
	    "MASH_NOW unset is the clock");
}

/* the edges of the years: never a zero date, always -1 and "?" */
static void
test_range(void)
{
	mash_time first = mash_civil_days(1900, 1, 1) * 86400;
	mash_time end = mash_civil_days(10000, 1, 1) * 86400;
	char buf[32], d[MASH_DATE_LEN];

	ok(mash_time_in_range(first) && mash_time_in_range(end - 1),
	    "1900-01-01T00:00:00Z and 9999-12-31T23:59:59Z are in range");
	ok(!mash_time_in_range(first - 1) && !mash_time_in_range(end),
	    "a second either side is not");
	ok(mash_time_utc(end - 1, buf) == 0, "the last second is written");
	is(buf, "9999-12-31T23:59:59Z", "  as itself");
	ok(mash_time_utc(end, buf) == -1, "10000-01-01 is not written");
	is(buf, "?", "  but as '?', never 0000-00-00");
	ok(mash_time_utc(first - 1, buf) == -1, "1899-12-31T23:59:59Z is not");
	is(buf, "?", "  '?' too");
	ok(mash_time_local(end, buf, sizeof(buf)) == -1 &&
	    strcmp(buf, "?") == 0, "local time of 10000-01-01 is '?'");
	ok(mash_time_localdate(end, d) == -1 && strcmp(d, "?") == 0,
	    "local date of 10000-01-01 is '?'");
	ok(mash_time_parse("9999-12-31T23:59:59-00:01", &(mash_time){ 0 }) ==
	    -1, "an offset past 9999 is refused on input");
}

static void
test_zone(void)
{
	char buf[32];
	mash_time t;

	ok(mash_zone_check("Europe/London") == 0, "Europe/London is a zone");
	ok(mash_zone_check("America/Argentina/Buenos_Aires") == 0,
	    "a zone of three parts");
	ok(mash_zone_check("UTC") == 0, "UTC is a zone");
	ok(mash_zone_check("Etc/GMT+5") == 0, "Etc/GMT+5 is a zone");
	ok(mash_zone_check("Not/AZone") == -1, "Not/AZone is refused");
	ok(mash_zone_check("") == -1, "an empty zone is refused");
	ok(mash_zone_check(NULL) == -1, "no zone is refused");
	ok(mash_zone_check("Europe/../Europe/London") == -1, "'..' refused");
	ok(mash_zone_check("/usr/share/zoneinfo/UTC") == -1,
	    "an absolute path is refused");
	ok(mash_zone_check("Europe/London/") == -1, "a final '/' refused");
	ok(mash_zone_check("Europe//London") == -1, "'//' refused");
	ok(mash_zone_check("europe/london") == -1, "lower case refused");
	ok(mash_zone_check("posix/Europe/London") == -1, "posix/ refused");
	ok(mash_zone_check("right/UTC") == -1, "right/ refused");
	ok(mash_zone_check("Europe") == -1, "a directory is refused");
	ok(mash_zone_check("GMT0BST,M3.5.0/1,M10.5.0") == -1,
	    "a POSIX TZ string is refused");
	ok(mash_zone_check("Europe/London x") == -1, "a space refused");
	ok(mash_zone_set("Not/AZone") == -1, "setting Not/AZone fails");
	ok(mash_zone_set("America/New_York") == 0, "New York set");
	mash_time_parse("2026-06-15T14:00:00Z", &t);
	mash_time_local(t, buf, sizeof(buf));
	is(buf, "2026-06-15 10:00", "  local time is New York's");
	ok(mash_time_parse("2026-06-15 10:00", &t) == 0 && t == 1781532000,
	    "  local input is New York's");
	setenv("TZ", "Asia/Tokyo", 1);
	setenv("TZDIR", "/nonexistent", 1);
	tzset();
	ok(mash_zone_set("Europe/London") == 0, "London set over TZ, TZDIR");
	mash_time_local(t, buf, sizeof(buf));
	is(buf, "2026-06-15 15:00", "  local time is London's");
	unsetenv("TZDIR");
}

static void
test_now_range(void)
{
	mash_time t;

	setenv("MASH_NOW", "9999-12-31T23:59:59Z", 1);
	ok(mash_now(&t) == 0, "MASH_NOW at the last second is taken");
	setenv("MASH_NOW", "10000-01-01T00:00:00Z", 1);
	ok(mash_now(&t) == -1, "MASH_NOW in the year 10000 is refused");
	mash_zone_set("Pacific/Kiritimati");
	setenv("MASH_NOW", "9999-12-31T23:00:00Z", 1);
	ok(mash_now(&t) == -1, "MASH_NOW that is 10000 in local time refused");
	mash_zone_set("Europe/London");
	ok(mash_now(&t) == 0, "  and taken where it is still 9999");
	unsetenv("MASH_NOW");
}

int
main(void)
{
	setenv("TZ", "Europe/London", 1);
	tzset();
	mash_setprogname("time");
	test_parse();
	test_date();
	test_format();
	test_civil();
	test_now();
	test_range();
	test_zone();
	test_now_range();
	return done_testing();
}
