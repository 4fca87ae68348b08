/* mash-request: information requests to partner agencies */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "[-d db] [-o format] case|- agency... [--due when] "
    "[--question text|-]\n"
    "[-d db] [-o format] --respond request [--text text|-] [--nil]\n"
    "[-d db] [-o format] --withdraw request --reason text\n"
    "[-d db] [-o format] [--agency agency] [--case case] [--all]\n"
    "\n"
    "--due when\tthe deadline: a time, or a duration from now "
    "(default: from the RAG rating)\n"
    "--question text|-\twhat is asked, - from standard input\n"
    "--respond request\tanswer this request\n"
    "--text text|-\tthe answer, - from standard input\n"
    "--nil\tthe agency holds no information\n"
    "--withdraw request\tclose this request without an answer\n"
    "--reason text\twhy it is withdrawn\n"
    "--agency agency\tlist only the requests to this agency\n"
    "--case case\tlist only the requests of this case\n"
    "--all\tlist answered and withdrawn requests too";

enum {
	OPT_DUE = MASH_OPT_FIRST, OPT_QUESTION, OPT_RESPOND, OPT_TEXT, OPT_NIL,
	OPT_WITHDRAW, OPT_REASON, OPT_AGENCY, OPT_CASE, OPT_ALL
};

static const struct option longopts[] = {
	MASH_CLI_LONG,
	{ "due", required_argument, NULL, OPT_DUE },
	{ "question", required_argument, NULL, OPT_QUESTION },
	{ "respond", required_argument, NULL, OPT_RESPOND },
	{ "text", required_argument, NULL, OPT_TEXT },
	{ "nil", no_argument, NULL, OPT_NIL },
	{ "withdraw", required_argument, NULL, OPT_WITHDRAW },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "agency", required_argument, NULL, OPT_AGENCY },
	{ "case", required_argument, NULL, OPT_CASE },
	{ "all", no_argument, NULL, OPT_ALL },
	{ NULL, 0, NULL, 0 }
};

static struct {
	const char	*due, *question, *respond, *text, *withdraw, *reason;
	const char	*agency, *case_;
	int		 nil, all;
} o;
static char *stdin_text;

/* "-" reads the text from standard input */
static const char *
text_arg(const char *opt, const char *arg)
{
	if (strcmp(arg, "-") != 0)
		return arg;
	if (stdin_text != NULL)
		mash_die(MASH_EUSAGE, "only one option may read standard input");
	return stdin_text = mash_stdin_text(opt);
}

static int
options(int ch, const char *arg)
{
	switch (ch) {
	case OPT_DUE: o.due = arg; break;
	case OPT_QUESTION: o.question = text_arg("--question", arg); break;
	case OPT_RESPOND: o.respond = arg; break;
	case OPT_TEXT: o.text = text_arg("--text", arg); break;
	case OPT_NIL: o.nil = 1; break;
	case OPT_WITHDRAW: o.withdraw = arg; break;
	case OPT_REASON: o.reason = arg; break;
	case OPT_AGENCY: o.agency = arg; break;
	case OPT_CASE: o.case_ = arg; break;
	case OPT_ALL: o.all = 1; break;
	default: return 0;
	}
	return 1;
}

struct ask {
	struct mash		*m;
	char		       **agencies;
	int			 n;
	struct mash_out		*out;
	int64_t			 id;	/* the case asked about now */
	cJSON			*rows;	/* its requests, once asked */
};

/* one case, one transaction: a request to each agency, or none at all */
static int
ask_tx(struct mash *m, void *p)
{
	struct ask *a = p;
	int64_t req;
	int i, rc = MASH_OK;

	for (i = 0; i < a->n && rc == MASH_OK; i++)
		rc = mash_request_add(m, a->id, a->agencies[i], o.due,
		    o.question, &req);
	return rc;
}

/* then its open requests: a listing, its audit row with it */
static int
asked_tx(struct mash *m, void *p)
{
	struct ask *a = p;

	return mash_request_list(m, NULL, a->id, 0, &a->rows);
}

static int
ask_one(int64_t id, void *p)
{
	struct ask *a = p;
	int rc;

	a->id = id;
	a->rows = NULL;
	if ((rc = mash_tx(a->m, MASH_TX_WRITE, ask_tx, a)) == MASH_OK &&
	    (rc = mash_tx(a->m, MASH_TX_WRITE, asked_tx, a)) == MASH_OK)
		rc = mash_out_rows(a->out, a->rows);
	cJSON_Delete(a->rows);
	return rc;
}

static int
ask(struct mash *m, int argc, char **argv, const struct mash_cli *cli)
{
	struct ask a;
	int i, j, rc, rc2;

	if (strcmp(argv[0], "-") == 0 && stdin_text != NULL)
		return mash_err(MASH_EUSAGE, "case ids and --question cannot "
		    "both come from standard input");
	for (i = 1; i < argc; i++)
		for (j = 1; j < i; j++)
			if (strcmp(argv[i], argv[j]) == 0)
				return mash_err(MASH_EUSAGE, "agency '%s' is "
				    "named twice", argv[i]);
	a.m = m;
	a.agencies = argv + 1;
	a.n = argc - 1;
	a.out = mash_out_new(cli->format, cli->raw, mash_request_cols);
	rc = mash_each_id(1, argv, ask_one, &a);
	rc2 = mash_out_end(a.out);
	return mash_worse(rc, rc2);
}

static int
close_tx(struct mash *m, void *p)
{
	int64_t req = *(int64_t *)p;

	return o.respond ? mash_request_answer(m, req, o.text, o.nil) :
	    mash_request_withdraw(m, req, o.reason);
}

static int
show(struct mash *m, cJSON **rows, void *req)
{
	return mash_request_show(m, *(int64_t *)req, rows);
}

/* answer or withdraw one request */
static int
close_request(struct mash *m, const char *arg, const struct mash_cli *cli)
{
	int64_t req;
	int rc;

	if (mash_parse_id(arg, &req) != 0)
		return mash_err(MASH_EUSAGE, "'%s' is not a request id", arg);
	if ((rc = mash_tx(m, MASH_TX_WRITE, close_tx, &req)) != MASH_OK)
		return rc;
	return mash_list(m, cli, mash_request_cols, MASH_TX_READ, show, &req);
}

static int
list_of(struct mash *m, cJSON **rows, void *id)
{
	return mash_request_list(m, o.agency, *(int64_t *)id, o.all, rows);
}

static int
list(struct mash *m, const struct mash_cli *cli)
{
	int64_t id = 0;

	if (o.case_ != NULL && mash_parse_id(o.case_, &id) != 0)
		return mash_err(MASH_EUSAGE, "'%s' is not a case id", o.case_);
	return mash_list(m, cli, mash_request_cols, MASH_TX_WRITE, list_of,
	    &id);
}

int
main(int argc, char **argv)
{
	struct mash_cli cli;
	struct mash *m;
	int ch, rc, rc2, asking, closing, listing;

	mash_cli_init(&cli, argv[0], usage);
	while ((ch = getopt_long(argc, argv, MASH_CLI_SHORT, longopts, NULL))
	    != -1)
		if (!mash_cli_option(&cli, ch, optarg) && !options(ch, optarg))
			mash_usage(&cli, MASH_EUSAGE);
	argc -= optind;
	argv += optind;
	asking = argc > 0;
	closing = (o.respond != NULL) + (o.withdraw != NULL);
	listing = o.agency || o.case_ || o.all;
	if (asking + (closing > 0) + listing > 1 || closing > 1 ||
	    (asking && argc < 2) || (!asking && (o.due || o.question)) ||
	    ((o.text || o.nil) && !o.respond) || (o.reason && !o.withdraw))
		mash_usage(&cli, MASH_EUSAGE);
	if ((rc = mash_open(&m, mash_db_path(cli.db))) == MASH_OK) {
		if (asking)
			rc = ask(m, argc, argv, &cli);
		else if (closing)
			rc = close_request(m, o.respond ? o.respond :
			    o.withdraw, &cli);
		else
			rc = list(m, &cli);
	}
	mash_close(m);
	free(stdin_text);
	rc2 = mash_close_stdout();
	return mash_worse(rc, rc2);
}
