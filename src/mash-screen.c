/* mash-screen: the screening queue, and the Head's accept and decline */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "[-d db] [-o format]\n"
    "[-d db] [-o format] case... --rag rag [--criteria c[,c]] [--note text] "
    "[--reason text]\n"
    "[-d db] [-o format] case... --accept --assign login [--rag rag]\n"
    "    [--criteria c[,c]] [--note text] [--reason text] "
    "[--share-without-consent reason]\n"
    "[-d db] [-o format] case... --decline --outcome outcome "
    "[--agency agency] --reason text\n"
    "[-d db] [-o format] case... --share-without-consent reason\n"
    "[-d db] [-o format] case... --consent consent [--reason text]\n"
    "[-d db] [-o format] case... --same-child child=person | "
    "--not-same child=person\n"
    "\n"
    "--rag rag\tscreen the case with this RAG rating, or re-rate it\n"
    "--criteria c[,c]\tthe criteria it meets, from the hub's list\n"
    "--note text\ta note on the screening\n"
    "--reason text\twhy: to change a rating, decline, or record "
    "consent refused\n"
    "--accept\taccept the case into the MASH (the Head)\n"
    "--assign login\tthe social worker it is assigned to\n"
    "--decline\tclose it without the MASH (the Head)\n"
    "--outcome outcome\tthe outcome of a declined case\n"
    "--agency agency\tthe agency of a single-agency outcome\n"
    "--share-without-consent reason\tthe lawful basis for sharing "
    "without consent (the Head)\n"
    "--consent consent\tconsent obtained or refused since the contact\n"
    "--same-child child=person\tconfirm that a child of the case is "
    "that earlier person\n"
    "--not-same child=person\tdismiss that possible match";

enum {
	OPT_RAG = MASH_OPT_FIRST, OPT_CRITERIA, OPT_NOTE, OPT_REASON,
	OPT_ACCEPT, OPT_ASSIGN, OPT_DECLINE, OPT_OUTCOME, OPT_AGENCY,
	OPT_SHARE, OPT_SAME, OPT_NOT_SAME, OPT_CONSENT
};

static const struct option longopts[] = {
	MASH_CLI_LONG,
	{ "rag", required_argument, NULL, OPT_RAG },
	{ "criteria", required_argument, NULL, OPT_CRITERIA },
	{ "note", required_argument, NULL, OPT_NOTE },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "accept", no_argument, NULL, OPT_ACCEPT },
	{ "assign", required_argument, NULL, OPT_ASSIGN },
	{ "decline", no_argument, NULL, OPT_DECLINE },
	{ "outcome", required_argument, NULL, OPT_OUTCOME },
	{ "agency", required_argument, NULL, OPT_AGENCY },
	{ "share-without-consent", required_argument, NULL, OPT_SHARE },
	{ "same-child", required_argument, NULL, OPT_SAME },
	{ "not-same", required_argument, NULL, OPT_NOT_SAME },
	{ "consent", required_argument, NULL, OPT_CONSENT },
	{ NULL, 0, NULL, 0 }
};

/* the queue in CSV: a row a child, the case's columns first */
static const struct mash_col queue_cols[] = {
	{ "id", NULL, 0 }, { "state", NULL, 0 }, { "rag", NULL, 0 },
	{ "source", NULL, 0 }, { "reference", NULL, 0 },
	{ "received_at", NULL, MASH_COL_TIME },
	{ "screening_due", NULL, MASH_COL_TIME },
	{ "categories", NULL, 0 }, { "criteria", NULL, 0 },
	{ "contacts_12m", NULL, 0 }, { "suggested_criteria", "suggested", 0 },
	{ "updated", NULL, 0 }, { "id", "child_id", MASH_COL_CHILD },
	{ "given_name", NULL, MASH_COL_CHILD },
	{ "family_name", NULL, MASH_COL_CHILD },
	{ "possible_matches", NULL, MASH_COL_CHILD },
	{ NULL, NULL, 0 }
};

/*
 * The queue for people: what a screener needs first, the child's id
 * and the persons it may be for --same-child, then what fits.
 */
static const struct mash_col queue_table[] = {
	{ "id", NULL, 0 }, { "state", NULL, 0 }, { "rag", NULL, 0 },
	{ "screening_due", NULL, MASH_COL_TIME },
	{ "updated", NULL, MASH_COL_MARK | MASH_COL_SPARSE },
	{ "id", "child", MASH_COL_CHILD },
	{ "given_name family_name", "name", MASH_COL_CHILD },
	{ "possible_matches", "matches", MASH_COL_CHILD | MASH_COL_SPARSE },
	{ "suggested_criteria", "suggested", MASH_COL_SPARSE },
	{ "source", NULL, MASH_COL_EXTRA },
	{ "contacts_12m", NULL, MASH_COL_EXTRA },
	{ "received_at", NULL, MASH_COL_TIME | MASH_COL_EXTRA },
	{ "reference", NULL, MASH_COL_EXTRA },
	{ "categories", NULL, MASH_COL_EXTRA },
	{ "criteria", NULL, MASH_COL_EXTRA },
	{ NULL, NULL, 0 }
};

static struct {
	const char	*rag, *criteria, *note, *reason, *assign, *outcome;
	const char	*agency, *share, *match, *consent;
	int		 accept, decline, same;
} o;

/* "CHILD=PERSON" into two ids */
static int
pair(const char *spec, int64_t *child, int64_t *person)
{
	char buf[64], *eq;

	snprintf(buf, sizeof(buf), "%s", spec);
	if ((eq = strchr(buf, '=')) == NULL)
		return -1;
	*eq = '\0';
	return mash_parse_id(buf, child) == 0 &&
	    mash_parse_id(eq + 1, person) == 0 ? 0 : -1;
}

/*
 * Accepting leaves a possible match open (mash-screen(1), POSSIBLE
 * MATCHES), but says so: the child's history may be another's.
 */
static int
open_matches(struct mash *m, int64_t id)
{
	int64_t n;
	int rc;

	if ((rc = mash_case_open_matches(m, id, &n)) == MASH_OK && n > 0)
		mash_warn("case %lld has %lld open possible match%s: confirm "
		    "or dismiss %s with --same-child or --not-same "
		    "CHILD=PERSON", (long long)id, (long long)n,
		    n == 1 ? "" : "es", n == 1 ? "it" : "each");
	return rc;
}

/* one case: what the options ask, in the order the hub works */
static int
screen(struct mash *m, int64_t id, void *arg)
{
	struct mash_screening s = { o.rag, o.criteria, o.note, o.reason };
	int64_t child, person;
	int rc = MASH_OK;

	(void)arg;
	if (o.match != NULL && pair(o.match, &child, &person) != 0)
		return mash_err(MASH_EUSAGE, "'%s' is not CHILD=PERSON",
		    o.match);
	if (o.match != NULL)
		return mash_case_match(m, id, child, person, o.same);
	if (o.consent != NULL)
		return mash_case_consent(m, id, o.consent, o.reason);
	if (o.decline)
		return mash_case_decline(m, id, o.outcome, o.agency, o.reason);
	if (o.accept) {
		/* screened and accepted in one, criteria and note kept */
		if (o.rag != NULL && (rc = mash_case_screen(m, id,
		    &s)) != MASH_OK)
			return rc;
		if ((rc = mash_case_accept(m, id, o.assign)) ||
		    (rc = open_matches(m, id)))
			return rc;
	} else if (o.rag != NULL) {
		rc = mash_case_rate(m, id, &s);
		if (rc != MASH_OK)
			return rc;
	}
	if (o.share != NULL)
		rc = mash_case_share(m, id, o.share);
	return rc;
}

static int
options(int ch, const char *arg)
{
	switch (ch) {
	case OPT_RAG: o.rag = arg; break;
	case OPT_CRITERIA: o.criteria = arg; break;
	case OPT_NOTE: o.note = arg; break;
	case OPT_REASON: o.reason = arg; break;
	case OPT_ACCEPT: o.accept = 1; break;
	case OPT_ASSIGN: o.assign = arg; break;
	case OPT_DECLINE: o.decline = 1; break;
	case OPT_OUTCOME: o.outcome = arg; break;
	case OPT_AGENCY: o.agency = arg; break;
	case OPT_SHARE: o.share = arg; break;
	case OPT_SAME: o.match = arg; o.same = 1; break;
	case OPT_NOT_SAME: o.match = arg; o.same = 0; break;
	case OPT_CONSENT: o.consent = arg; break;
	default: return 0;
	}
	return 1;
}

/* options that belong together, and nothing that contradicts */
static int
consistent(int ncases)
{
	int actions = o.accept + o.decline + (o.match != NULL) +
	    (o.consent != NULL);

	if (ncases == 0)
		return actions == 0 && !o.rag && !o.share && !o.criteria &&
		    !o.note && !o.reason && !o.assign && !o.outcome &&
		    !o.agency;
	if (actions > 1 || ((o.match || o.consent) && (o.rag || o.share)))
		return 0;
	if ((o.assign && !o.accept) || (o.outcome && !o.decline) ||
	    (o.agency && !o.decline) || (o.decline && (o.rag || o.share)))
		return 0;
	if ((o.criteria || o.note) && !o.rag) {
		/* said, not left to the usage: --accept shows them too */
		mash_warn("--criteria and --note go only with --rag, "
		    "with --accept too");
		return 0;
	}
	return actions > 0 || o.rag || o.share;
}

int
main(int argc, char **argv)
{
	struct mash_cli cli;
	struct mash *m;
	int ch, rc, rc2;

	mash_cli_init(&cli, argv[0], usage);
	while ((ch = getopt_long(argc, argv, MASH_CLI_SHORT, longopts, NULL))
	    != -1)
		if (!mash_cli_option(&cli, ch, optarg) && !options(ch, optarg))
			mash_usage(&cli, MASH_EUSAGE);
	argc -= optind;
	argv += optind;
	if (!consistent(argc))
		mash_usage(&cli, MASH_EUSAGE);
	if ((rc = mash_open(&m, mash_db_path(cli.db))) == MASH_OK) {
		if (argc == 0)
			rc = mash_show_queue(m, MASH_QUEUE_SCREENING, NULL, 0,
			    &cli, mash_format_resolve(cli.format) ==
			    MASH_FORMAT_TABLE ? queue_table : queue_cols);
		else
			rc = mash_act(m, argc, argv, screen, NULL, &cli);
	}
	mash_close(m);
	rc2 = mash_close_stdout();
	return mash_worse(rc, rc2);
}
