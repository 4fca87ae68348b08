/* mash-refer: record contacts about children */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "[-d db] [-o format] --source source [--ref reference] --concern text|-\n"
    "    --child name [--dob date | --expected-dob date] [--gender g]\n"
    "    [--ethnicity code] [--disability code[,code]] [--nhs-number n]\n"
    "    [--upn upn] [--school s] [--address a] [--postcode p]\n"
    "    [--child name ...]\n"
    "    [--referrer name] [--referrer-contact c] [--consent c]\n"
    "    [--category c[,c]] [--received-at when] [--report-type t] [--risk r]\n"
    "[-d db] [-o format] --json\n"
    "[-d db] [-o format] --csv file [--source source] [--map mapfile]\n"
    "    [--reject rejfile] [--ignore-unknown] [--delimiter c] [--dry-run]\n"
    "\n"
    "--source source\twhere the contact came from: a name or census code\n"
    "--ref reference\tthe sender's own reference\n"
    "--concern text|-\twhat the worry is, - from standard input\n"
    "--child name\tstart a child: the options after it describe it\n"
    "--dob date\tthe child's date of birth\n"
    "--expected-dob date\tthe expected date of an unborn child\n"
    "--gender g\tthe child's gender\n"
    "--ethnicity code\tthe child's ethnicity, a DfE code\n"
    "--disability code[,code]\tthe child's disabilities, CIN codes\n"
    "--nhs-number n\tthe child's NHS number\n"
    "--upn upn\tthe child's unique pupil number\n"
    "--school s\tthe child's school\n"
    "--address a\tthe child's address\n"
    "--postcode p\tthe child's postcode\n"
    "--referrer name\twho made the contact\n"
    "--referrer-contact c\thow to reach them\n"
    "--consent c\tconsent to share information\n"
    "--category c[,c]\tthe categories of concern\n"
    "--received-at when\twhen the contact came in (default: now)\n"
    "--report-type t\tthe sender's kind of report\n"
    "--risk r\tthe sender's own grading of risk\n"
    "--json\tread referrals as JSON from standard input\n"
    "--csv file\timport a CSV file of referrals, - standard input "
    "(mash-import(5))\n"
    "--map mapfile\tmap the file's columns and values onto mash's\n"
    "--reject rejfile\timport the good rows, write the bad ones here\n"
    "--ignore-unknown\tignore columns mash does not know\n"
    "--delimiter c\tthe CSV delimiter: ',', ';' or 'tab' (default: "
    "found from the header)\n"
    "--dry-run\tcheck the file, import nothing";

enum {
	OPT_JSON = MASH_OPT_FIRST, OPT_CSV, OPT_MAP, OPT_REJECT, OPT_IGNORE,
	OPT_DRY, OPT_DELIM, OPT_FIELD
};

/* options that name a field: the field is the option's flag */
static const struct option longopts[] = {
	MASH_CLI_LONG,
	{ "json", no_argument, NULL, OPT_JSON },
	{ "csv", required_argument, NULL, OPT_CSV },
	{ "map", required_argument, NULL, OPT_MAP },
	{ "reject", required_argument, NULL, OPT_REJECT },
	{ "ignore-unknown", no_argument, NULL, OPT_IGNORE },
	{ "dry-run", no_argument, NULL, OPT_DRY },
	{ "delimiter", required_argument, NULL, OPT_DELIM },
	{ "source", required_argument, NULL, OPT_FIELD },
	{ "ref", required_argument, NULL, OPT_FIELD + 1 },
	{ "concern", required_argument, NULL, OPT_FIELD + 2 },
	{ "referrer", required_argument, NULL, OPT_FIELD + 3 },
	{ "referrer-contact", required_argument, NULL, OPT_FIELD + 4 },
	{ "consent", required_argument, NULL, OPT_FIELD + 5 },
	{ "category", required_argument, NULL, OPT_FIELD + 6 },
	{ "received-at", required_argument, NULL, OPT_FIELD + 7 },
	{ "report-type", required_argument, NULL, OPT_FIELD + 8 },
	{ "risk", required_argument, NULL, OPT_FIELD + 9 },
	{ "child", required_argument, NULL, OPT_FIELD + 10 },
	{ "dob", required_argument, NULL, OPT_FIELD + 11 },
	{ "gender", required_argument, NULL, OPT_FIELD + 12 },
	{ "nhs-number", required_argument, NULL, OPT_FIELD + 13 },
	{ "upn", required_argument, NULL, OPT_FIELD + 14 },
	{ "school", required_argument, NULL, OPT_FIELD + 15 },
	{ "address", required_argument, NULL, OPT_FIELD + 16 },
	{ "postcode", required_argument, NULL, OPT_FIELD + 17 },
	{ "ethnicity", required_argument, NULL, OPT_FIELD + 18 },
	{ "disability", required_argument, NULL, OPT_FIELD + 19 },
	{ "expected-dob", required_argument, NULL, OPT_FIELD + 20 },
	{ NULL, 0, NULL, 0 }
};

#define FIRST_CHILD_FIELD 10

static struct mash_cli cli;
static struct mash_import imp;
static int from_json, from_csv, nfields;
static char *concern_text;

/*
 * The field options, kept until the store is open: a time without an
 * offset, and the "today" a date of birth may not pass, are the hub's
 * local time (mash(7)), known only then.
 */
static struct kept {
	int		 i;
	const char	*v;
} *kept;
static int seen_child;

static const char *
option_name(int i)
{
	const struct option *o;

	for (o = longopts; o->val != OPT_FIELD + i; o++)
		;
	return o->name;
}

/* a field option: where it stands among the children is checked now */
static void
keep(int i, const char *v)
{
	if (i > FIRST_CHILD_FIELD && !seen_child)
		mash_die(MASH_EUSAGE, "--%s must follow the --child it "
		    "describes", option_name(i));
	seen_child |= i == FIRST_CHILD_FIELD;
	if (i == 2 && strcmp(v, "-") == 0) {
		v = concern_text = mash_stdin_text("--concern");
	}
	kept = mash_xrealloc(kept, (size_t)(nfields + 1) * sizeof(*kept));
	kept[nfields].i = i;
	kept[nfields++].v = v;
}

/* the kept fields, in order, each checked so the message names it */
static int
fields(struct mash_referral *r, mash_time now)
{
	const char *why, *opt;
	int k;

	for (k = 0; k < nfields; k++) {
		opt = option_name(kept[k].i);
		if (kept[k].i == FIRST_CHILD_FIELD)
			mash_referral_child(r);
		if ((why = mash_referral_set(r, mash_referral_alias(opt),
		    kept[k].v, now)) == NULL)
			continue;
		if (kept[k].i == 2)
			return mash_err(MASH_EDATA, "--concern %s", why);
		return mash_err(MASH_EDATA, "--%s: '%s' %s", opt, kept[k].v,
		    why);
	}
	return MASH_OK;
}

/* --delimiter: ',', ';' or a tab, typed as "tab" */
static int
delimiter(const char *v)
{
	if (strcmp(v, ",") == 0 || strcmp(v, ";") == 0 ||
	    strcmp(v, "\t") == 0)
		return *v;
	if (strcmp(v, "tab") == 0)
		return '\t';
	mash_die(MASH_EUSAGE, "--delimiter '%s' is not ',', ';' or 'tab'", v);
	return 0;
}

static int
from_options(struct mash *m, struct mash_referral *r)
{
	const char *why;

	if ((why = mash_referral_check(r)) != NULL)
		return mash_err(MASH_EUSAGE, "not recorded: %s", why);
	return mash_refer_one(m, r, cli.format, cli.raw);
}

int
main(int argc, char **argv)
{
	struct mash_referral r;
	struct mash *m = NULL;
	int ch, rc, rc2;

	mash_cli_init(&cli, argv[0], usage);
	mash_referral_init(&r);
	while ((ch = getopt_long(argc, argv, MASH_CLI_SHORT, longopts, NULL))
	    != -1) {
		if (mash_cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_JSON:
			from_json = 1;
			break;
		case OPT_CSV:
			from_csv = 1;
			imp.file = optarg;
			break;
		case OPT_MAP:
			imp.map = optarg;
			break;
		case OPT_REJECT:
			imp.reject = optarg;
			break;
		case OPT_IGNORE:
			imp.ignore_unknown = 1;
			break;
		case OPT_DRY:
			imp.dry_run = 1;
			break;
		case OPT_DELIM:
			imp.delimiter = delimiter(optarg);
			break;
		default:
			keep(ch - OPT_FIELD, optarg);
		}
	}
	if (optind != argc || from_json + from_csv > 1 ||
	    (from_json && nfields > 0))
		mash_usage(&cli, MASH_EUSAGE);
	if (!from_csv && (imp.map || imp.reject || imp.ignore_unknown ||
	    imp.dry_run || imp.delimiter))
		mash_usage(&cli, MASH_EUSAGE);
	if (from_csv && nfields > 0 && (nfields > 1 || kept[0].i != 0))
		mash_usage(&cli, MASH_EUSAGE);
	if ((rc = (from_csv ? mash_open_bulk : mash_open)(&m,
	    mash_db_path(cli.db))) == MASH_OK &&
	    (rc = fields(&r, mash_clock(m))) == MASH_OK) {
		if (from_json)
			rc = mash_refer_json(m, stdin, cli.format, cli.raw);
		else if (from_csv) {
			imp.source = r.source;
			rc = mash_import_csv(m, &imp);
		} else if (nfields == 0 && isatty(STDIN_FILENO) &&
		    isatty(STDOUT_FILENO))
			rc = mash_refer_edit(m, cli.format, cli.raw);
		else
			rc = from_options(m, &r);
	}
	mash_close(m);
	mash_referral_free(&r);
	free(kept);
	free(concern_text);
	rc2 = mash_close_stdout();
	return mash_worse(rc, rc2);
}
