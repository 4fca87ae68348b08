/* mash-return: the statutory returns, Ofsted's Annex A and the CIN census */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "[-d db] [--raw] annex-a --list 1|3 [--from date] [--to date]\n"
    "[-d db] cin --year yyyy\n"
    "\n"
    "--list 1|3\tthe Annex A list: 1 the contacts, 3 the referrals\n"
    "--from date\tthe first day of the period (default: six months ago)\n"
    "--to date\tthe last day of the period (default: today)\n"
    "--year yyyy\tthe census year: 1 April yyyy-1 to 31 March yyyy";

enum { OPT_LIST = MASH_OPT_FIRST, OPT_FROM, OPT_TO, OPT_YEAR };

static const struct option longopts[] = {
	MASH_CLI_LONG,
	{ "list", required_argument, NULL, OPT_LIST },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "year", required_argument, NULL, OPT_YEAR },
	{ NULL, 0, NULL, 0 }
};

static struct mash_cli cli;
static struct mash_annex q;
static int year;

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
	case OPT_LIST:
		if (strcmp(arg, "1") != 0 && strcmp(arg, "3") != 0)
			mash_die(MASH_EUSAGE, "--list '%s' is not a list this "
			    "program makes (1: contacts, 3: referrals)", arg);
		q.list = atoi(arg);
		break;
	case OPT_FROM:
		date_option("from", arg, q.from);
		break;
	case OPT_TO:
		date_option("to", arg, q.to);
		break;
	case OPT_YEAR:
		if (strlen(arg) != 4 || strspn(arg, "0123456789") != 4 ||
		    atoi(arg) < 2000)
			mash_die(MASH_EUSAGE, "--year '%s' is not a census year "
			    "(YYYY, the year of its 31 March)", arg);
		year = atoi(arg);
		break;
	default:
		mash_usage(&cli, MASH_EUSAGE);
	}
}

/* a return is a view of the cases it names: audited with its reading */
static int
annex_tx(struct mash *m, void *rows)
{
	return mash_return_annex(m, &q, rows);
}

/* always CSV with its header row, whatever -o says (mash-return(1)) */
static int
annex(struct mash *m)
{
	struct mash_out *out;
	cJSON *rows = NULL;
	int rc;

	if ((rc = mash_tx(m, MASH_TX_WRITE, annex_tx, &rows)) != MASH_OK) {
		cJSON_Delete(rows);
		return rc;
	}
	out = mash_out_new(MASH_FORMAT_CSV, cli.raw, q.list == 1 ?
	    mash_annex1_cols : mash_annex3_cols);
	if ((rc = mash_out_header(out)) == MASH_OK)
		rc = mash_out_rows(out, rows);
	rc = mash_worse(rc, mash_out_end(out));
	cJSON_Delete(rows);
	return rc;
}

static int
cin_tx(struct mash *m, void *xml)
{
	return mash_return_cin(m, year, xml);
}

static int
cin(struct mash *m)
{
	char *xml = NULL;
	int rc;

	if ((rc = mash_tx(m, MASH_TX_WRITE, cin_tx, &xml)) == MASH_OK)
		fputs(xml, stdout);
	free(xml);
	return rc;
}

int
main(int argc, char **argv)
{
	struct mash *m = NULL;
	const char *verb;
	int ch, rc, rc2;

	mash_cli_init(&cli, argv[0], usage);
	while ((ch = getopt_long(argc, argv, MASH_CLI_SHORT, longopts, NULL))
	    != -1)
		if (!mash_cli_option(&cli, ch, optarg))
			option(ch, optarg);
	if (optind + 1 != argc)
		mash_usage(&cli, MASH_EUSAGE);
	verb = argv[optind];
	if (cli.format != MASH_FORMAT_DEFAULT &&
	    cli.format != MASH_FORMAT_CSV)
		mash_die(MASH_EUSAGE, "-o: a return has its own format (Annex "
		    "A: CSV; cin: XML)");
	if (strcmp(verb, "annex-a") == 0) {
		if (q.list == 0 || year != 0)
			mash_usage(&cli, MASH_EUSAGE);
		if (q.from[0] && q.to[0] && strcmp(q.from, q.to) > 0)
			mash_die(MASH_EUSAGE, "--from '%s' is after --to '%s'",
			    q.from, q.to);
	} else if (strcmp(verb, "cin") == 0) {
		if (year == 0 || q.list || q.from[0] || q.to[0] || cli.raw)
			mash_usage(&cli, MASH_EUSAGE);
	} else
		mash_usage(&cli, MASH_EUSAGE);
	if ((rc = mash_open(&m, mash_db_path(cli.db))) == MASH_OK)
		rc = verb[0] == 'a' ? annex(m) : cin(m);
	mash_close(m);
	rc2 = mash_close_stdout();
	return mash_worse(rc, rc2);
}
