/*
 * calendar.c unit tests, in Europe/London.  usage: calendar [holidays.tsv]
 * (else $MASH_TESTDATA, a file or the directory holding it, else the
 * path from the top of the source tree)
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <time.h>

#include "libmash.h"
#include "tap.h"

#define TSV		"bank-holidays-england-and-wales.tsv"
#define FIRST_YEAR	2020
#define LAST_YEAR	2035

static int holidays[16 * (LAST_YEAR - FIRST_YEAR + 1)];
static struct mash_calendar cal;

/* the calendar of mash(7), TIMESCALES: 09:00-17:00 and the bank holidays */
static void
setup(void)
{
	struct mash_holiday h[16];
	size_t i, n;
	int y;

	mash_office_hours_parse("09:00-17:00", &cal);
	for (y = FIRST_YEAR; y <= LAST_YEAR; y++) {
		n = mash_bank_holidays(y, h, 16);
		for (i = 0; i < n; i++)
			holidays[cal.nholidays++] = atoi(h[i].date) * 10000 +
			    atoi(h[i].date + 5) * 100 + atoi(h[i].date + 8);
	}
	cal.holidays = holidays;
}

/* the deadline of a duration from a start, as UTC text, or NULL */
static const char *
deadline(const char *start, const char *dur)
{
	static char buf[MASH_TIME_LEN];
	struct mash_duration d;
	mash_time t, end;

	if (mash_time_parse(start, &t) == -1 ||
	    mash_duration_parse(dur, &d) == -1 ||
	    mash_deadline(&cal, t, &d, &end) == -1)
		return NULL;
	mash_time_utc(end, buf);
	return buf;
}

static const struct {
	const char	*start, *dur, *want, *name;
} cases[] = {
	{ "2026-01-16 15:00", "1wd", "2026-01-19T17:00:00Z",
	    "1wd from Fri 15:00 is Mon 17:00" },
	{ "2026-01-17 10:00", "1wd", "2026-01-19T17:00:00Z",
	    "1wd from Sat 10:00 is Mon 17:00" },
	{ "2026-01-19 07:00", "1wd", "2026-01-20T17:00:00Z",
	    "1wd from Mon before opening is Tue 17:00" },
	{ "2026-12-24 10:00", "1wd", "2026-12-29T17:00:00Z",
	    "1wd from Thu 24 Dec is Tue 29 Dec (25, 28 holidays)" },
	{ "2026-12-23 10:00", "3wd", "2026-12-30T17:00:00Z",
	    "3wd from Wed 23 Dec is Wed 30 Dec" },
	{ "2026-01-19 10:00", "3wd", "2026-01-22T17:00:00Z",
	    "3wd from Mon is Thu 17:00" },
	{ "2026-04-02 10:00", "1wd", "2026-04-07T16:00:00Z",
	    "1wd from Thu before Easter is Tue 17:00 BST" },
	{ "2026-04-02 16:00", "6wh", "2026-04-07T13:00:00Z",
	    "6wh from Thu 16:00 over Easter is Tue 14:00 BST" },
	{ "2026-04-06 10:00", "2wh", "2026-04-07T10:00:00Z",
	    "2wh from Easter Monday is Tue 11:00 BST" },
	{ "2026-01-16 16:00", "6wh", "2026-01-19T14:00:00Z",
	    "6wh from Fri 16:00 is Mon 14:00" },
	{ "2026-01-16 16:00", "1wh", "2026-01-16T17:00:00Z",
	    "1wh from Fri 16:00 ends at close, not Mon 09:00" },
	{ "2026-01-19 09:00", "8wh", "2026-01-19T17:00:00Z",
	    "8wh from opening ends at that day's close" },
	{ "2026-01-19 09:00", "9wh", "2026-01-20T10:00:00Z",
	    "9wh from Mon opening is Tue 10:00" },
	{ "2026-01-19 07:00", "2wh", "2026-01-19T11:00:00Z",
	    "2wh before opening counts from opening" },
	{ "2026-01-19 18:00", "2wh", "2026-01-20T11:00:00Z",
	    "2wh after close counts from the next opening" },
	{ "2026-01-19 17:00", "2wh", "2026-01-20T11:00:00Z",
	    "2wh at close counts from the next opening" },
	{ "2026-01-17 10:00", "1wh", "2026-01-19T10:00:00Z",
	    "1wh from Sat is Mon 10:00" },
	{ "2026-01-19 16:59:30", "1m", "2026-01-19T17:00:30Z",
	    "1m is a clock minute, past close" },
	{ "2026-01-19T10:00:00Z", "90m", "2026-01-19T11:30:00Z",
	    "90m adds clock minutes" },
	{ "2026-01-17T22:00:00Z", "4h", "2026-01-18T02:00:00Z",
	    "4h runs through the night and weekend" },
	{ "2026-03-29T00:30:00Z", "4h", "2026-03-29T04:30:00Z",
	    "4h across the March change is 4 real hours" },
	{ "2026-10-25T00:30:00Z", "2h", "2026-10-25T02:30:00Z",
	    "2h across the October change is 2 real hours" },
	{ "2026-03-27 14:00", "6wh", "2026-03-30T11:00:00Z",
	    "6wh from Fri 14:00 GMT is Mon 12:00 BST" },
	{ "2026-03-27 10:00", "1wd", "2026-03-30T16:00:00Z",
	    "1wd over the March change is Mon 17:00 BST" },
	{ "2026-10-23 10:00", "1wd", "2026-10-26T17:00:00Z",
	    "1wd from Fri 23 Oct is Mon 17:00 GMT" },
	{ "2026-10-23 14:00", "6wh", "2026-10-26T12:00:00Z",
	    "6wh from Fri 14:00 BST is Mon 12:00 GMT" },
	{ "2026-10-23T13:00:00Z", "6wh", "2026-10-26T12:00:00Z",
	    "6wh the same start given in UTC" },
	{ "2026-10-24 10:00", "1wh", "2026-10-26T10:00:00Z",
	    "1wh from the Saturday before the change is Mon 10:00 GMT" },
	{ "2022-05-27 10:00", "1wd", "2022-05-30T16:00:00Z",
	    "1wd from Fri 27 May 2022: 30 May moved, a working day" },
	{ "2022-06-01 10:00", "1wd", "2022-06-06T16:00:00Z",
	    "1wd over the Platinum Jubilee is Mon 6 June" },
	{ "2026-01-19 10:00", "10000wd", "2064-09-05T16:00:00Z",
	    "10000wd is Fri 2064-09-05 17:00 BST" },
};

static void
test_deadlines(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is(deadline(cases[i].start, cases[i].dur), cases[i].want,
		    cases[i].name);
}

static void
test_other_hours(void)
{
	struct mash_calendar saved = cal;
	struct mash_duration d = { 1, MASH_WORK_DAYS };
	mash_time t, end;

	mash_office_hours_parse("08:30-16:30", &cal);
	is(deadline("2026-01-16 15:00", "1wd"), "2026-01-19T16:30:00Z",
	    "1wd with 08:30-16:30 ends at 16:30");
	is(deadline("2026-01-16 08:00", "1wh"), "2026-01-16T09:30:00Z",
	    "1wh before 08:30 ends 09:30");
	cal.nholidays = 0;
	is(deadline("2026-12-24 10:00", "1wd"), "2026-12-25T16:30:00Z",
	    "no holidays: 25 Dec is a working day");
	cal.open = cal.close;
	mash_time_parse("2026-01-16 15:00", &t);
	ok(mash_deadline(&cal, t, &d, &end) == -1, "empty office refused");
	d.n = 0;
	cal = saved;
	ok(mash_deadline(&cal, t, &d, &end) == -1, "0wd refused");
	d.n = MASH_DURATION_MAX + 1;
	ok(mash_deadline(&cal, t, &d, &end) == -1, "too long refused");
	d = (struct mash_duration){ 4, MASH_HOURS };
	ok(mash_deadline(NULL, t, &d, &end) == 0 && end == t + 4 * 3600,
	    "clock hours need no calendar");
}

/* an end past 9999 is refused, not stored as a zero date */
static void
test_range(void)
{
	struct mash_duration d = { 1, MASH_WORK_DAYS };
	mash_time t, end = 0;

	mash_time_parse("9999-12-31T12:00:00Z", &t);
	ok(mash_deadline(&cal, t, &d, &end) == MASH_DEADLINE_RANGE &&
	    end == 0, "1wd from 9999-12-31 is past the years");
	d = (struct mash_duration){ 5, MASH_WORK_HOURS };
	ok(mash_deadline(&cal, t, &d, &end) == 0 &&
	    end == t + 5 * 3600, "5wh from Friday 9999-12-31 12:00 is 17:00");
	d = (struct mash_duration){ 6, MASH_WORK_HOURS };
	ok(mash_deadline(&cal, t, &d, &end) == MASH_DEADLINE_RANGE,
	    "6wh from it is past the years");
	d = (struct mash_duration){ 12, MASH_HOURS };
	ok(mash_deadline(&cal, t, &d, &end) == MASH_DEADLINE_RANGE,
	    "12h from 9999-12-31 12:00 too");
	d = (struct mash_duration){ 11, MASH_HOURS };
	ok(mash_deadline(&cal, t, &d, &end) == 0 && end == t + 11 * 3600,
	    "11h from 9999-12-31 12:00 is in range");
	d = (struct mash_duration){ 1, MASH_MINUTES };
	ok(mash_deadline(&cal, mash_civil_days(10000, 1, 1) * 86400, &d,
	    &end) == MASH_DEADLINE_RANGE, "a start past the years is refused");
	ok(mash_deadline(&cal, mash_civil_days(1900, 1, 1) * 86400 - 60, &d,
	    &end) == MASH_DEADLINE_RANGE, "a start before 1900 too");
}

static void
test_working_day(void)
{
	ok(mash_is_working_day(&cal, 2026, 12, 24), "Thu 24 Dec works");
	ok(!mash_is_working_day(&cal, 2026, 12, 25), "Christmas Day");
	ok(!mash_is_working_day(&cal, 2026, 12, 26), "Saturday");
	ok(!mash_is_working_day(&cal, 2026, 12, 27), "Sunday");
	ok(!mash_is_working_day(&cal, 2026, 12, 28), "Boxing Day substitute");
	ok(mash_is_working_day(&cal, 2026, 12, 29), "Tue 29 Dec works");
	ok(!mash_is_working_day(&cal, 2026, 4, 3), "Good Friday 2026");
	ok(!mash_is_working_day(&cal, 2026, 4, 6), "Easter Monday 2026");
	ok(!mash_is_working_day(&cal, 2026, 4, 31), "31 April is no day");
	ok(!mash_is_working_day(&cal, 2026, 13, 1), "month 13 is no day");
}

static void
test_duration_parse(void)
{
	static const char *const bad[] = {
		"0h", "0wd", "00m", "4x", "-1h", "+1h", "", "h", "wd", " 4h",
		"4h ", "4 h", "4H", "4.5h", "4hh", "4w", "4d", "4", "10001h",
		"99999999999999999999999h",
	};
	struct mash_duration d;
	size_t i;

	ok(mash_duration_parse("90m", &d) == 0 && d.n == 90 &&
	    d.unit == MASH_MINUTES, "90m");
	ok(mash_duration_parse("4h", &d) == 0 && d.n == 4 &&
	    d.unit == MASH_HOURS, "4h");
	ok(mash_duration_parse("6wh", &d) == 0 && d.n == 6 &&
	    d.unit == MASH_WORK_HOURS, "6wh");
	ok(mash_duration_parse("3wd", &d) == 0 && d.n == 3 &&
	    d.unit == MASH_WORK_DAYS, "3wd");
	ok(mash_duration_parse("10000wd", &d) == 0 && d.n == 10000,
	    "10000wd, the most");
	ok(mash_duration_parse("007h", &d) == 0 && d.n == 7,
	    "leading zeros are decimal");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(mash_duration_parse(bad[i], &d) == -1, "refused '%s'",
		    bad[i]);
}

static void
test_office_hours_parse(void)
{
	static const char *const bad[] = {
		"17:00-09:00", "09:00-09:00", "9:00-17:00", "09:00-24:00",
		"24:00-25:00", "09:60-17:00", "09:00 - 17:00", "09:00-17:00 ",
		"0900-1700", "", "09:00", "09:00-", "-09:00-17:00",
		"09.00-17.00", "09:00-17:0",
	};
	struct mash_calendar c = { 1, 2, NULL, 0 };
	size_t i;

	ok(mash_office_hours_parse("08:30-16:45", &c) == 0 &&
	    c.open == 510 && c.close == 1005, "08:30-16:45");
	ok(mash_office_hours_parse("00:00-23:59", &c) == 0 &&
	    c.open == 0 && c.close == 1439, "00:00-23:59");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(mash_office_hours_parse(bad[i], &c) == -1, "refused '%s'",
		    bad[i]);
	ok(c.open == 0 && c.close == 1439, "a refusal leaves the hours");
}

static const char *
tsv_path(int argc, char *argv[])
{
	static char buf[4096];
	const char *env = getenv("MASH_TESTDATA");
	struct stat st;

	if (argc > 1)
		return argv[1];
	if (env == NULL || *env == '\0')
		return "tests/data/" TSV;
	if (stat(env, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(buf, sizeof(buf), "%s/%s", env, TSV);
		return buf;
	}
	return env;
}

/* the reference list, line for line, comments aside */
static void
test_bank_holidays(const char *path)
{
	struct mash_holiday h[16];
	char line[256], want[256];
	size_t i = 0, n = 0, lines = 0, bad = 0;
	int y = FIRST_YEAR;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		ok(0, "open %s", path);
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '#')
			continue;
		while (i == n && y <= LAST_YEAR) {
			n = mash_bank_holidays(y++, h, 16);
			i = 0;
		}
		lines++;
		if (i == n) {
			bad++;
			continue;
		}
		snprintf(want, sizeof(want), "%s\t%s\n", h[i].date, h[i].name);
		i++;
		if (strcmp(line, want) != 0 && bad++ < 5)
			printf("# file: %s# made: %s", line, want);
	}
	fclose(fp);
	ok(bad == 0, "%zu lines of %s as computed", lines, path);
	ok(i == n && y == LAST_YEAR + 1, "and no computed day left over");
	ok(mash_bank_holidays(2026, h, 3) == 3 &&
	    strcmp(h[2].date, "2026-04-06") == 0, "max is respected");
}

int
main(int argc, char *argv[])
{
	setenv("TZ", "Europe/London", 1);
	tzset();
	setup();
	test_deadlines();
	test_other_hours();
	test_range();
	test_working_day();
	test_duration_parse();
	test_office_hours_parse();
	test_bank_holidays(tsv_path(argc, argv));
	return done_testing();
}
