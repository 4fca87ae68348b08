/* mash-audit: the audit trail, its chain, and who saw a child's cases */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "[-d db] [-o format] [--case case] [--person person [--access]] "
    "[--user login] [--action action] [--since when] [--until when]\n"
    "[-d db] [-o format] verify [--anchor id:hash]...\n"
    "[-d db] [-o format] anchor\n"
    "\n"
    "--case case\tonly the events of this case\n"
    "--person person\tonly the events of the cases about this person\n"
    "--access\twith --person: every view, listing and export of "
    "them\n"
    "--user login\tonly the events of this user\n"
    "--action action\tonly the events of this action (view, decide, ...)\n"
    "--since when\tonly the events at or after this time\n"
    "--until when\tonly the events at or before this time\n"
    "--anchor id:hash\twith verify: the trail up to row id must end in "
    "hash, as anchor printed it";

enum {
	OPT_CASE = MASH_OPT_FIRST, OPT_PERSON, OPT_ACCESS, OPT_USER,
	OPT_ACTION, OPT_SINCE, OPT_UNTIL, OPT_ANCHOR
};

static const struct option longopts[] = {
	MASH_CLI_LONG,
	{ "case", required_argument, NULL, OPT_CASE },
	{ "person", required_argument, NULL, OPT_PERSON },
	{ "access", no_argument, NULL, OPT_ACCESS },
	{ "user", required_argument, NULL, OPT_USER },
	{ "action", required_argument, NULL, OPT_ACTION },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "anchor", required_argument, NULL, OPT_ANCHOR },
	{ NULL, 0, NULL, 0 }
};

static const struct mash_col anchor_cols[] = {
	{ "anchor", NULL, 0 }, { "id", NULL, MASH_COL_WIDE },
	{ "hash", NULL, MASH_COL_WIDE }, { "at", NULL, MASH_COL_TIME },
	{ NULL, NULL, 0 }
};

static struct mash_cli cli;
static struct mash_audit_query q;
static struct mash_anchor *anchors;
static size_t nanchors;
static int filters;

/* a bad value is misuse, found before the store is opened */
static void
option(int ch, const char *arg)
{
	mash_time *t = ch == OPT_SINCE ? &q.since : &q.until;

	filters += ch != OPT_ANCHOR;
	switch (ch) {
	case OPT_CASE:
	case OPT_PERSON:
		if (mash_parse_id(arg, ch == OPT_CASE ? &q.case_id :
		    &q.person) != 0)
			mash_die(MASH_EUSAGE, "--%s '%s' is not an id",
			    ch == OPT_CASE ? "case" : "person", arg);
		break;
	case OPT_ACCESS:
		q.access = 1;
		break;
	case OPT_USER:
		q.user = arg;
		break;
	case OPT_ACTION:
		q.action = arg;
		break;
	case OPT_SINCE:
	case OPT_UNTIL:
		if (mash_time_parse(arg, t) != 0)
			mash_die(MASH_EUSAGE, "--%s '%s' is not a time",
			    ch == OPT_SINCE ? "since" : "until", arg);
		*(ch == OPT_SINCE ? &q.has_since : &q.has_until) = 1;
		break;
	case OPT_ANCHOR:
		anchors = mash_xrealloc(anchors, (nanchors + 1) *
		    sizeof(*anchors));
		if (mash_anchor_parse(arg, &anchors[nanchors++]) != 0)
			mash_die(MASH_EUSAGE, "--anchor '%s' is not ID:HASH "
			    "(as mash-audit anchor prints it)", arg);
		break;
	default:
		mash_usage(&cli, MASH_EUSAGE);
	}
}

/* the anchor alone on a line, unless a format was asked for */
static int
anchor(struct mash *m)
{
	char at[MASH_TIME_LEN], line[MASH_ANCHOR_LEN];
	struct mash_anchor a;
	struct mash_out *out;
	cJSON *o;
	int rc;

	if ((rc = mash_audit_anchor(m, &a, at)) != MASH_OK)
		return rc;
	snprintf(line, sizeof(line), "%lld:%s", (long long)a.id, a.hash);
	if (cli.format == MASH_FORMAT_DEFAULT) {
		puts(line);
		return MASH_OK;
	}
	out = mash_out_new(cli.format, cli.raw, anchor_cols);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "anchor", line);
	cJSON_AddNumberToObject(o, "id", (double)a.id);
	cJSON_AddStringToObject(o, "hash", a.hash);
	cJSON_AddStringToObject(o, "at", at);
	rc = mash_out_row(out, o);
	cJSON_Delete(o);
	return mash_worse(rc, mash_out_end(out));
}

static int
verify(struct mash *m, cJSON **rows, void *arg)
{
	(void)arg;
	return mash_audit_verify(m, anchors, nanchors, rows);
}

static int
event(void *out, const cJSON *row)
{
	return mash_out_row(out, row);
}

static int
list_tx(struct mash *m, void *out)
{
	return mash_audit_list(m, &q, event, out);
}

/* the trail may be long: its events are printed as they are read */
static int
list(struct mash *m)
{
	struct mash_out *out;
	int rc;

	out = mash_out_new(cli.format, cli.raw, q.access ? mash_access_cols :
	    mash_audit_cols);
	rc = mash_tx(m, MASH_TX_READ, list_tx, out);
	return mash_worse(rc, mash_out_end(out));
}

static int
run(struct mash *m, const char *cmd)
{
	if (cmd != NULL && strcmp(cmd, "anchor") == 0)
		return anchor(m);
	if (cmd != NULL)
		return mash_list(m, &cli, mash_verify_cols, MASH_TX_READ,
		    verify, NULL);
	return list(m);
}

int
main(int argc, char **argv)
{
	const char *cmd = NULL;
	struct mash *m = NULL;
	int ch, rc, rc2;

	mash_cli_init(&cli, argv[0], usage);
	while ((ch = getopt_long(argc, argv, MASH_CLI_SHORT, longopts, NULL))
	    != -1)
		if (!mash_cli_option(&cli, ch, optarg))
			option(ch, optarg);
	if (optind < argc)
		cmd = argv[optind++];
	if (optind != argc || (cmd != NULL && strcmp(cmd, "verify") != 0 &&
	    strcmp(cmd, "anchor") != 0) || (cmd != NULL && filters > 0) ||
	    (nanchors > 0 && (cmd == NULL || strcmp(cmd, "verify") != 0)) ||
	    (q.access && q.person == 0))
		mash_usage(&cli, MASH_EUSAGE);
	if ((rc = mash_open(&m, mash_db_path(cli.db))) == MASH_OK)
		rc = run(m, cmd);
	mash_close(m);
	free(anchors);
	rc2 = mash_close_stdout();
	return mash_worse(rc, rc2);
}
