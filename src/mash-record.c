/* mash-record: the MASH record of a case */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "[-d db] [-o format] case...\n"
    "[-d db] [-o format] case... --summary text|- --recommend outcome "
    "[--agency agency]\n"
    "[-d db] [-o format] --list [--state state] [--mine]\n"
    "[-d db] [-o format] --person person\n"
    "\n"
    "--summary text|-\twrite the record: the summary, - from standard "
    "input; on a terminal without it, an editor opens\n"
    "--recommend outcome\tthe outcome recommended\n"
    "--agency agency\tthe agency of a single-agency recommendation\n"
    "--list\tlist the caseload: the open cases\n"
    "--state state\twith --list: the cases in this state\n"
    "--mine\twith --list: only the cases assigned to you\n"
    "--person person\tevery record about this person, for a subject "
    "access request";

enum {
	OPT_SUMMARY = MASH_OPT_FIRST, OPT_RECOMMEND, OPT_AGENCY, OPT_LIST,
	OPT_STATE, OPT_MINE, OPT_PERSON
};

static const struct option longopts[] = {
	MASH_CLI_LONG,
	{ "summary", required_argument, NULL, OPT_SUMMARY },
	{ "recommend", required_argument, NULL, OPT_RECOMMEND },
	{ "agency", required_argument, NULL, OPT_AGENCY },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "mine", no_argument, NULL, OPT_MINE },
	{ "person", required_argument, NULL, OPT_PERSON },
	{ NULL, 0, NULL, 0 }
};

static const char template[] =
    "\n# Write the summary of the MASH record above.  Lines starting\n"
    "# with '#' are left out; an empty summary records nothing.\n";

static struct {
	const char	*summary, *recommend, *agency, *state, *person;
	int		 list, mine;
} o;
static struct mash_cli cli;
static char *text;
static char edited[64];		/* the editor's file, kept if refused */
static char **checked;		/* the cases that may take the summary */
static int nchecked;

static int
write_record(struct mash *m, int64_t id, void *arg)
{
	(void)arg;
	return mash_case_record(m, id, o.summary, o.recommend, o.agency);
}

/* the summary from an editor, without its comment lines */
static int
edit_summary(void)
{
	char *p, *q;
	int rc;

	if ((rc = mash_editor(template, edited, sizeof(edited), &text)) == 0) {
		for (p = q = text; *p != '\0'; ) {
			size_t n = strcspn(p, "\n");
			if (*p != '#') {
				memmove(q, p, n);
				q += n;
				if (p[n] == '\n')
					*q++ = '\n';
			}
			p += n + (p[n] == '\n');
		}
		while (q > text && (q[-1] == '\n' || q[-1] == ' '))
			q--;
		*q = '\0';
		o.summary = text;
	}
	return rc;
}

/*
 * Would writing the record of this case be refused?  Asked of every
 * case before the editor opens, so that no one types a summary only to
 * be told the case has an open request (mash-record(1)).  The ids go
 * to mash_act afterwards: standard input can be read only once.
 */
static int
check_tx(struct mash *m, void *p)
{
	return mash_case_record_check(m, *(int64_t *)p, o.recommend,
	    o.agency);
}

static int
check(int64_t id, void *arg)
{
	struct mash *m = arg;
	char buf[24];
	int rc;

	if ((rc = mash_tx(m, MASH_TX_READ, check_tx, &id)) != MASH_OK)
		return rc;
	snprintf(buf, sizeof(buf), "%lld", (long long)id);
	checked = mash_xrealloc(checked, (nchecked + 1) * sizeof(*checked));
	checked[nchecked++] = mash_xstrdup(buf);
	return MASH_OK;
}

/* check every case, then the editor, then write: the summary typed */
static int
edit_and_write(struct mash *m, int argc, char **argv)
{
	int rc;

	if ((rc = mash_each_id(argc, argv, check, m)) != MASH_OK)
		return rc;
	if ((rc = edit_summary()) != MASH_OK)
		return rc;
	if (*o.summary == '\0') {
		/* nothing typed: nothing to keep, as git commit does */
		mash_user_unlink(edited);
		edited[0] = '\0';
		return mash_err(MASH_EUSAGE, "the summary is empty: no record "
		    "is written");
	}
	return mash_act(m, nchecked, checked, write_record, NULL, &cli);
}

struct view {
	int64_t	 id;		/* a case, or 0 for every case of: */
	int64_t	 person;
	cJSON	*json;
};

/* a view and its audit row, in one write transaction */
static int
view_tx(struct mash *m, void *p)
{
	struct view *v = p;

	return v->id != 0 ? mash_case_view(m, v->id, &v->json) :
	    mash_person_records(m, v->person, &v->json);
}

static int
show(int64_t id, void *arg)
{
	struct mash *m = arg;
	struct view v = { id, 0, NULL };
	cJSON *c;
	int rc;

	rc = mash_tx(m, MASH_TX_WRITE, view_tx, &v);
	c = v.json;
	if (rc != MASH_OK) {
		cJSON_Delete(c);
		return rc;
	}
	rc = mash_record_print(c, cli.format, cli.raw);
	cJSON_Delete(c);
	return rc;
}

/*
 * Every case about a person, for a subject access request: audited and
 * committed before a record is printed (mash-record(1), SUBJECT ACCESS)
 */
static int
person(struct mash *m)
{
	const cJSON *r;
	struct view v = { 0, 0, NULL };
	cJSON *recs;
	int64_t p;
	int rc;

	if (mash_parse_id(o.person, &p) != 0)
		return mash_err(MASH_EUSAGE, "--person '%s' is not a person "
		    "id", o.person);
	v.person = p;
	rc = mash_tx(m, MASH_TX_WRITE, view_tx, &v);
	recs = v.json;
	if (rc == MASH_OK)
		cJSON_ArrayForEach(r, recs)
			if ((rc = mash_record_print(r, cli.format, cli.raw)))
				break;
	cJSON_Delete(recs);
	return rc;
}

int
main(int argc, char **argv)
{
	struct mash *m;
	int ch, rc, rc2, writing, editing;

	mash_cli_init(&cli, argv[0], usage);
	while ((ch = getopt_long(argc, argv, MASH_CLI_SHORT, longopts, NULL))
	    != -1) {
		if (mash_cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_SUMMARY:
			if (strcmp(optarg, "-") == 0)
				text = mash_stdin_text("--summary");
			o.summary = text ? text : optarg;
			break;
		case OPT_RECOMMEND: o.recommend = optarg; break;
		case OPT_AGENCY: o.agency = optarg; break;
		case OPT_LIST: o.list = 1; break;
		case OPT_STATE: o.state = optarg; break;
		case OPT_MINE: o.mine = 1; break;
		case OPT_PERSON: o.person = optarg; break;
		default: mash_usage(&cli, MASH_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	writing = o.summary || o.recommend || o.agency;
	if ((o.person && (o.list || argc > 0 || writing)) ||
	    (o.list && (argc > 0 || writing)) ||
	    (!o.list && !o.person && argc == 0) ||
	    ((o.state || o.mine) && !o.list))
		mash_usage(&cli, MASH_EUSAGE);
	for (ch = 0; ch < argc; ch++)
		if (strcmp(argv[ch], "-") == 0 && text != NULL)
			mash_die(MASH_EUSAGE, "case ids and --summary cannot "
			    "both come from standard input");
	editing = writing && o.summary == NULL && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO);
	if ((rc = mash_open(&m, mash_db_path(cli.db))) == MASH_OK) {
		if (o.person)
			rc = person(m);
		else if (o.list)
			rc = mash_show_queue(m, MASH_QUEUE_CASELOAD, o.state,
			    o.mine, &cli, NULL);
		else if (editing)
			rc = edit_and_write(m, argc, argv);
		else if (writing)
			rc = mash_act(m, argc, argv, write_record, NULL, &cli);
		else
			rc = mash_each_id(argc, argv, show, m);
	}
	mash_close(m);
	if (edited[0] != '\0' && rc == MASH_OK)
		mash_user_unlink(edited);
	else if (edited[0] != '\0')
		mash_warn("your summary is kept in '%s'", edited);
	for (ch = 0; ch < nchecked; ch++)
		free(checked[ch]);
	free(checked);
	free(text);
	rc2 = mash_close_stdout();
	return mash_worse(rc, rc2);
}
