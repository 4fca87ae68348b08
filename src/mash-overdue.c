/* mash-overdue: what is past its deadline, for people and for cron */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "[-d db] [-o format] [--raw] [--names] [--new] [--within duration] "
    "[--kind kind] [--rag rag] [--agency agency] [--assigned login]\n"
    "\n"
    "--names\tadd the names and dates of birth of the children\n"
    "--new\tonly what the last recorded run did not list\n"
    "--within duration\talso what falls due within the duration "
    "(90m, 4h, 6wh, 3wd)\n"
    "--kind kind\tonly screening, request or decision items\n"
    "--rag rag\tonly the cases of this RAG rating\n"
    "--agency agency\tonly the requests to this agency\n"
    "--assigned login\tonly the cases assigned to this user";

enum {
	OPT_WITHIN = MASH_OPT_FIRST, OPT_KIND, OPT_RAG, OPT_AGENCY,
	OPT_ASSIGNED, OPT_NAMES, OPT_EXPLAIN, OPT_NEW
};

static const struct option longopts[] = {
	MASH_CLI_LONG,
	{ "within", required_argument, NULL, OPT_WITHIN },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "rag", required_argument, NULL, OPT_RAG },
	{ "agency", required_argument, NULL, OPT_AGENCY },
	{ "assigned", required_argument, NULL, OPT_ASSIGNED },
	{ "names", no_argument, NULL, OPT_NAMES },
	{ "new", no_argument, NULL, OPT_NEW },
	/* not in the usage: for tests that the queries use their indexes */
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ NULL, 0, NULL, 0 }
};

#define ITEM_COLS \
	{ "kind", NULL, 0 }, { "case_id", NULL, 0 }, \
	{ "request_id", NULL, 0 }, { "rag", NULL, 0 }, \
	{ "due_at", NULL, MASH_COL_TIME }, { "overdue_by", NULL, MASH_COL_LATE }, \
	{ "assigned_to", NULL, 0 }, { "agency", NULL, 0 }

static const struct mash_col item_cols[] = {
	ITEM_COLS, { NULL, NULL, 0 }
};
/* --names: one row per child in CSV and tables */
static const struct mash_col name_cols[] = {
	ITEM_COLS,
	{ "given_name", NULL, MASH_COL_CHILD },
	{ "family_name", NULL, MASH_COL_CHILD },
	{ "dob", NULL, MASH_COL_CHILD },
	{ NULL, NULL, 0 }
};
static const struct mash_col plan_cols[] = {
	{ "query", NULL, 0 }, { "detail", NULL, 0 }, { NULL, NULL, 0 }
};

static struct mash_cli cli;
static struct mash_overdue q;
static int explain;

/* a bad value is misuse, found before the store is opened */
static void
option(int ch, const char *arg)
{
	switch (ch) {
	case OPT_WITHIN:
		if (mash_duration_parse(arg, &q.within) != 0)
			mash_die(MASH_EUSAGE, "--within '%s' is not a duration "
			    "(90m, 4h, 6wh, 3wd)", arg);
		q.has_within = 1;
		break;
	case OPT_KIND:
		if ((q.kind = mash_overdue_kind(arg)) == NULL)
			mash_die(MASH_EUSAGE, "--kind '%s' is not a kind "
			    "(screening, request, decision)", arg);
		break;
	case OPT_RAG:
		if ((q.rag = mash_code_find(MASH_CODE_RAG, arg)) == NULL)
			mash_die(MASH_EUSAGE, "--rag '%s' %s", arg,
			    mash_check_code(MASH_CODE_RAG, arg));
		break;
	case OPT_AGENCY:
		q.agency = arg;
		break;
	case OPT_ASSIGNED:
		q.assigned = arg;
		break;
	case OPT_NAMES:
		q.names = 1;
		break;
	case OPT_NEW:
		q.only_new = 1;
		break;
	case OPT_EXPLAIN:
		explain = 1;
		break;
	}
}

static int
list(struct mash *m, cJSON **rows, void *arg)
{
	(void)arg;
	return explain ? mash_overdue_explain(m, rows) :
	    mash_overdue_list(m, &q, rows);
}

int
main(int argc, char **argv)
{
	struct mash *m;
	int ch, rc, rc2;

	mash_cli_init(&cli, argv[0], usage);
	while ((ch = getopt_long(argc, argv, MASH_CLI_SHORT, longopts, NULL))
	    != -1)
		if (!mash_cli_option(&cli, ch, optarg))
			option(ch, optarg);
	if (optind != argc)
		mash_usage(&cli, MASH_EUSAGE);
	if ((rc = mash_open(&m, mash_db_path(cli.db))) == MASH_OK) {
		/* a write transaction: the run is recorded with what it read */
		rc = mash_list(m, &cli, explain ? plan_cols : q.names ?
		    name_cols : item_cols, explain ? MASH_TX_READ :
		    MASH_TX_WRITE, list, NULL);
	}
	mash_close(m);
	rc2 = mash_close_stdout();
	return rc2 ? rc2 : rc;
}
