/* mash-report: the hub's management information, month by month */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "[-d db] [-o format] [--raw] [--from date] [--to date] "
    "[--by month|week] [--plot file]\n"
    "\n"
    "--from date\tthe first day reported (default: twelve months ago)\n"
    "--to date\tthe last day reported (default: today)\n"
    "--by month|week\tone row a month (the default) or a week\n"
    "--plot file\talso draw the volumes and timeliness, as SVG or PNG "
    "by the file's suffix, with gnuplot";

enum { OPT_FROM = MASH_OPT_FIRST, OPT_TO, OPT_BY, OPT_PLOT };

static const struct option longopts[] = {
	MASH_CLI_LONG,
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "by", required_argument, NULL, OPT_BY },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ NULL, 0, NULL, 0 }
};

/* a table shows these, under these heads; CSV and JSON show every figure */
static const char *const narrow[][2] = {
	{ "period", "period" }, { "contacts", "contacts" },
	{ "cases", "cases" }, { "cases_red", "red" },
	{ "cases_amber", "amber" }, { "cases_green", "green" },
	{ "screened_pct", "screen%" }, { "decided_red_pct", "red%" },
	{ "decided_amber_pct", "amber%" }, { "decided_green_pct", "green%" },
	{ "median_decision_hours_red", "red_h" },
	{ "conversion_pct", "referral%" }, { "repeat_pct", "repeat%" },
};

static struct mash_cli cli;
static struct mash_report q;
static const char *plot;

static void
date_option(const char *name, const char *arg, char out[MASH_DATE_LEN])
{
	if (mash_date_parse(arg, out) != 0)
		mash_die(MASH_EUSAGE, "--%s '%s' is not a date (YYYY-MM-DD "
		    "or DD/MM/YYYY)", name, arg);
}

/* a bad value is misuse, found before the store is opened */
static void
option(int ch, const char *arg)
{
	switch (ch) {
	case OPT_FROM:
		date_option("from", arg, q.from);
		break;
	case OPT_TO:
		date_option("to", arg, q.to);
		break;
	case OPT_BY:
		if (strcmp(arg, "month") == 0)
			q.by = MASH_BY_MONTH;
		else if (strcmp(arg, "week") == 0)
			q.by = MASH_BY_WEEK;
		else
			mash_die(MASH_EUSAGE, "--by '%s' is not a period "
			    "(month, week)", arg);
		break;
	case OPT_PLOT:
		if (!mash_plot_kind_ok(arg))
			mash_die(MASH_EUSAGE, "--plot '%s': name an .svg or a "
			    ".png file", arg);
		plot = arg;
		break;
	default:
		mash_usage(&cli, MASH_EUSAGE);
	}
}

/* the columns of the flat rows, in their order; a table's few */
static struct mash_col *
columns(const cJSON *flat, int table)
{
	struct mash_col *cols;
	const cJSON *e;
	size_t n = 0, i;

	cols = mash_xmalloc((cJSON_GetArraySize(flat) + 1) * sizeof(*cols));
	cJSON_ArrayForEach(e, flat) {
		cols[n].key = e->string;
		cols[n].head = NULL;
		cols[n].flags = MASH_COL_WIDE;
		for (i = 0; i < sizeof(narrow) / sizeof(narrow[0]); i++)
			if (strcmp(narrow[i][0], e->string) == 0) {
				cols[n].head = table ? narrow[i][1] : NULL;
				cols[n].flags = 0;
			}
		n++;
	}
	cols[n].key = NULL;
	return cols;
}

/* JSON keeps the figures nested; CSV and tables have a column each */
static int
print(const cJSON *rows)
{
	enum mash_format f = mash_format_resolve(cli.format);
	struct mash_col *cols;
	struct mash_out *out;
	const cJSON *row;
	cJSON *flat, *first;
	int rc = MASH_OK;

	first = mash_report_flat(cJSON_GetArrayItem(rows, 0));
	cols = columns(first, f == MASH_FORMAT_TABLE);
	out = mash_out_new(f, cli.raw, cols);
	cJSON_ArrayForEach(row, rows) {
		flat = f == MASH_FORMAT_JSON ? NULL : mash_report_flat(row);
		rc = mash_out_row(out, flat ? flat : row);
		cJSON_Delete(flat);
		if (rc != MASH_OK)
			break;
	}
	rc = mash_worse(rc, mash_out_end(out));
	free(cols);
	cJSON_Delete(first);
	return rc;
}

static int
read_tx(struct mash *m, void *rows)
{
	return mash_report(m, &q, rows);
}

static int
audit_tx(struct mash *m, void *rows)
{
	return mash_report_audit(m, &q, *(cJSON **)rows);
}

int
main(int argc, char **argv)
{
	struct mash *m = NULL;
	cJSON *rows = NULL;
	int ch, rc, rc2;

	mash_cli_init(&cli, argv[0], usage);
	while ((ch = getopt_long(argc, argv, MASH_CLI_SHORT, longopts, NULL))
	    != -1)
		if (!mash_cli_option(&cli, ch, optarg))
			option(ch, optarg);
	if (optind != argc)
		mash_usage(&cli, MASH_EUSAGE);
	if (q.from[0] && q.to[0] && strcmp(q.from, q.to) > 0)
		mash_die(MASH_EUSAGE, "--from '%s' is after --to '%s'",
		    q.from, q.to);
	/* before any work: a missing helper is known at once */
	if (plot != NULL && (rc = mash_plot_ready(plot)) != MASH_OK)
		return rc;
	/*
	 * One moment of the store for every figure; then the run audited
	 * in a transaction of its own, so that a year's reading never
	 * holds the write lock.  Nothing is printed unless it is committed.
	 */
	if ((rc = mash_open(&m, mash_db_path(cli.db))) == MASH_OK &&
	    (rc = mash_tx(m, MASH_TX_READ, read_tx, &rows)) == MASH_OK &&
	    (rc = mash_tx(m, MASH_TX_WRITE, audit_tx, &rows)) == MASH_OK) {
		rc = print(rows);
		if (rc == MASH_OK && plot != NULL)
			rc = mash_plot(rows, plot);
	}
	cJSON_Delete(rows);
	mash_close(m);
	rc2 = mash_close_stdout();
	return mash_worse(rc, rc2);
}
