/* mash-decide: the Head's decision on a MASH record */
#include <stdlib.h>

#include "cli.h"

static const char usage[] =
    "[-d db] [-o format]\n"
    "[-d db] [-o format] case... --outcome outcome [--agency agency] "
    "[--need code] --reason text\n"
    "[-d db] [-o format] case... --return --reason text\n"
    "[-d db] [-o format] case... --need code\n"
    "\n"
    "--outcome outcome\tclose the case with this outcome\n"
    "--agency agency\tthe agency of a single-agency outcome\n"
    "--need code\tthe child's primary need, N0 to N9: with an outcome "
    "that is a referral, or alone on a closed case\n"
    "--reason text\twhy the case is decided so, or returned\n"
    "--return\treturn the record to the social worker";

enum {
	OPT_OUTCOME = MASH_OPT_FIRST, OPT_AGENCY, OPT_REASON, OPT_RETURN,
	OPT_NEED
};

static const struct option longopts[] = {
	MASH_CLI_LONG,
	{ "outcome", required_argument, NULL, OPT_OUTCOME },
	{ "agency", required_argument, NULL, OPT_AGENCY },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "return", no_argument, NULL, OPT_RETURN },
	{ "need", required_argument, NULL, OPT_NEED },
	{ NULL, 0, NULL, 0 }
};

static const struct mash_col queue_cols[] = {
	{ "id", NULL, 0 }, { "rag", NULL, 0 }, { "assigned_to", NULL, 0 },
	{ "decision_due", NULL, MASH_COL_TIME },
	{ "recommendation", NULL, 0 },
	{ "recommendation_agency", "agency", 0 }, { NULL, NULL, 0 }
};

static struct {
	const char	*outcome, *agency, *reason, *need;
	int		 ret;
} o;

static int
decide(struct mash *m, int64_t id, void *arg)
{
	struct mash_decision d = { o.outcome, o.agency, o.reason, o.need };

	(void)arg;
	if (o.ret)
		return mash_case_return(m, id, o.reason);
	if (o.outcome == NULL)
		return mash_case_need(m, id, o.need);
	return mash_case_decide(m, id, &d);
}

int
main(int argc, char **argv)
{
	struct mash_cli cli;
	struct mash *m;
	int ch, rc, rc2;

	mash_cli_init(&cli, argv[0], usage);
	while ((ch = getopt_long(argc, argv, MASH_CLI_SHORT, longopts, NULL))
	    != -1) {
		if (mash_cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_OUTCOME: o.outcome = optarg; break;
		case OPT_AGENCY: o.agency = optarg; break;
		case OPT_REASON: o.reason = optarg; break;
		case OPT_RETURN: o.ret = 1; break;
		case OPT_NEED: o.need = optarg; break;
		default: mash_usage(&cli, MASH_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	/* --need alone gives a closed case its primary need */
	if ((argc == 0 && (o.outcome || o.agency || o.reason || o.ret ||
	    o.need)) ||
	    (argc > 0 && o.ret == (o.outcome != NULL) &&
	    !(o.need && !o.ret && !o.agency && !o.reason)) ||
	    (o.ret && (o.agency || o.need)))
		mash_usage(&cli, MASH_EUSAGE);
	if ((rc = mash_open(&m, mash_db_path(cli.db))) == MASH_OK) {
		if (argc == 0)
			rc = mash_show_queue(m, MASH_QUEUE_DECISION, NULL, 0,
			    &cli, queue_cols);
		else
			rc = mash_act(m, argc, argv, decide, NULL, &cli);
	}
	mash_close(m);
	rc2 = mash_close_stdout();
	return mash_worse(rc, rc2);
}
