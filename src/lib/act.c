/*
 * act.c: what the workflow programs share: act on each case named, in
 * a transaction of its own, then print the case as it now stands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

struct act {
	struct mash	*m;
	int		(*fn)(struct mash *, int64_t, void *);
	void		*arg;
	struct mash_out	*out;
	int64_t		 id;	/* the case acted on now */
};

static int
act_tx(struct mash *m, void *p)
{
	struct act *a = p;

	return a->fn(m, a->id, a->arg);
}

static int
one(int64_t id, void *p)
{
	struct act *a = p;
	cJSON *c;
	int rc;

	a->id = id;
	if ((rc = mash_tx(a->m, MASH_TX_WRITE, act_tx, a)) != MASH_OK)
		return rc;
	if (a->out == NULL)
		return MASH_OK;
	if ((rc = mash_case_json(a->m, id, &c)) != MASH_OK)
		return rc;
	rc = mash_out_row(a->out, c);
	cJSON_Delete(c);
	return rc;
}

int
mash_act(struct mash *m, int argc, char **argv,
    int (*fn)(struct mash *, int64_t, void *), void *arg,
    const struct mash_cli *cli)
{
	struct act a;
	int rc, rc2;

	a.m = m;
	a.fn = fn;
	a.arg = arg;
	a.out = mash_out_new(cli->format, cli->raw, mash_case_cols);
	rc = mash_each_id(argc, argv, one, &a);
	rc2 = mash_out_end(a.out);
	return mash_worse(rc, rc2);
}

struct queue {
	enum mash_queue	 q;
	const char	*state;
	int		 mine;
};

static int
queue(struct mash *m, cJSON **rows, void *p)
{
	struct queue *q = p;

	return mash_case_queue(m, q->q, q->state, q->mine, rows);
}

int
mash_show_queue(struct mash *m, enum mash_queue q, const char *state,
    int mine, const struct mash_cli *cli, const struct mash_col *cols)
{
	struct queue a = { q, state, mine };

	/* a write transaction: the listing's audit row goes with it */
	return mash_list(m, cli, cols ? cols : mash_case_cols, MASH_TX_WRITE,
	    queue, &a);
}

/* a list inside a record, as a table of its own */
static int
section(const cJSON *c, const char *key, const struct mash_col *cols,
    int raw)
{
	struct mash_out *out;
	const cJSON *e;
	int rc = MASH_OK;

	if (cJSON_GetArraySize(cJSON_GetObjectItem(c, key)) == 0)
		return MASH_OK;
	printf("\n%s:\n", key);
	out = mash_out_new(MASH_FORMAT_TABLE, raw, cols);
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(c, key))
		if ((rc = mash_out_row(out, e)) != MASH_OK)
			break;
	return rc ? (mash_out_end(out), rc) : mash_out_end(out);
}

/* the case's own fields; its texts follow, each under its name */
static const struct mash_col case_fields[] = {
	{ "state", NULL, 0 }, { "rag", NULL, 0 }, { "source", NULL, 0 },
	{ "reference", NULL, 0 }, { "received_at", NULL, MASH_COL_TIME },
	{ "referrer", NULL, 0 }, { "referrer_contact", NULL, 0 },
	{ "report_type", NULL, 0 }, { "risk", NULL, 0 },
	{ "consent", NULL, 0 }, { "categories", NULL, 0 },
	{ "criteria", NULL, 0 }, { "screening_due", NULL, MASH_COL_TIME },
	{ "assigned_to", NULL, 0 }, { "accepted_at", NULL, MASH_COL_TIME },
	{ "decision_due", NULL, MASH_COL_TIME },
	{ "updated_at", NULL, MASH_COL_TIME }, { "supersedes", NULL, 0 },
	{ "closed_at", NULL, MASH_COL_TIME }, { "need_code", NULL, 0 },
	{ NULL, NULL, 0 }
};

/* a child's fields, under a heading with its ids and name */
static const struct mash_col child_fields[] = {
	{ "dob", NULL, 0 }, { "expected_dob", NULL, 0 },
	{ "gender", NULL, 0 }, { "ethnicity", NULL, 0 },
	{ "disabilities", NULL, 0 }, { "nhs_number", NULL, 0 },
	{ "upn", NULL, 0 }, { "school", NULL, 0 }, { "address", NULL, 0 },
	{ "postcode", NULL, 0 }, { "previous_cases", NULL, 0 },
	{ "contacts_12m", NULL, 0 }, { "possible_matches", NULL, 0 },
	{ "history", NULL, 0 }, { NULL, NULL, 0 }
};

static const struct mash_col request_fields[] = {
	{ "asked_at", NULL, MASH_COL_TIME }, { "asked_by", NULL, 0 },
	{ "due_at", NULL, MASH_COL_TIME }, { "question", NULL, 0 },
	{ "answered_at", NULL, MASH_COL_TIME }, { "answered_by", NULL, 0 },
	{ "answer", NULL, 0 }, { NULL, NULL, 0 }
};

static const struct mash_col update_cols[] = {
	{ "id", NULL, 0 }, { "at", NULL, MASH_COL_TIME },
	{ "actor", NULL, 0 }, { "received_at", NULL, MASH_COL_TIME },
	{ "fields", NULL, 0 }, { "children", NULL, 0 }, { NULL, NULL, 0 }
};

static const char *
text_of(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return s ? s : "";
}

static long long
id_of(const cJSON *o, const char *key)
{
	return (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(o, key));
}

/* a child's other cases in words: "case 3 (new); case 1 (closed: nfa)" */
static char *
history(const cJSON *kid)
{
	const cJSON *h;
	char *buf, *s = mash_xstrdup("");
	const char *o;

	cJSON_ArrayForEach(h, cJSON_GetObjectItem(kid, "history")) {
		o = text_of(h, "outcome");
		if (asprintf(&buf, "%s%scase %lld (%s%s%s%s%s)", s,
		    *s ? "; " : "", id_of(h, "case_id"), text_of(h, "state"),
		    *o ? ": " : "", o, *text_of(h, "outcome_agency") ? " " :
		    "", text_of(h, "outcome_agency")) < 0)
			mash_die(MASH_ESOFTWARE, "out of memory");
		free(s);
		s = buf;
	}
	return s;
}

/*
 * Each child: a heading with the child's id on the case (the CHILD of
 * mash-screen --same-child CHILD=PERSON), its person id and name, then
 * its fields, every one whole.
 */
static int
children(const cJSON *c)
{
	const cJSON *kid, *first;
	cJSON *k;
	char *name, *h;
	int rc = MASH_OK;

	if (cJSON_GetArraySize(cJSON_GetObjectItem(c, "children")) == 0)
		return MASH_OK;
	printf("\nchildren:\n");
	first = cJSON_GetObjectItem(c, "children")->child;
	cJSON_ArrayForEach(kid, cJSON_GetObjectItem(c, "children")) {
		if (asprintf(&name, "%s%s%s", text_of(kid, "given_name"),
		    *text_of(kid, "given_name") && *text_of(kid,
		    "family_name") ? " " : "", text_of(kid, "family_name")) < 0)
			mash_die(MASH_ESOFTWARE, "out of memory");
		mash_sanitise(name);
		printf("%s  child %lld (person %lld): %s\n", kid == first ?
		    "" : "\n", id_of(kid, "id"), id_of(kid, "person_id"),
		    name);
		free(name);
		k = cJSON_Duplicate(kid, 1);
		if (cJSON_GetObjectItem(k, "history") != NULL) {
			cJSON_ReplaceItemInObject(k, "history",
			    cJSON_CreateString(h = history(kid)));
			free(h);
		}
		rc = mash_out_fields(k, child_fields, 4);
		cJSON_Delete(k);
		if (rc != MASH_OK)
			break;
	}
	return rc;
}

/* each request: its id, agency and state, then its fields whole */
static int
requests(const cJSON *c)
{
	const cJSON *r, *first;
	char *head;
	int rc = MASH_OK;

	if (cJSON_GetArraySize(cJSON_GetObjectItem(c, "requests")) == 0)
		return MASH_OK;
	printf("\nrequests:\n");
	first = cJSON_GetObjectItem(c, "requests")->child;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(c, "requests")) {
		if (asprintf(&head, "request %lld (%s): %s", id_of(r, "id"),
		    text_of(r, "agency"), text_of(r, "state")) < 0)
			mash_die(MASH_ESOFTWARE, "out of memory");
		mash_sanitise(head);
		printf("%s  %s\n", r == first ? "" : "\n", head);
		free(head);
		if ((rc = mash_out_fields(r, request_fields, 4)) != MASH_OK)
			break;
	}
	return rc;
}

/* the record's text, each piece whole under its name */
static int
texts(const cJSON *c)
{
	static const char *const keys[] = {
		"concern", "screening_note", "share_basis", "summary",
		"recommendation", "recommendation_agency", "outcome",
		"outcome_agency", "outcome_reason", NULL
	};
	size_t i;
	int rc = MASH_OK;

	for (i = 0; keys[i] != NULL && rc == MASH_OK; i++)
		rc = mash_out_text(keys[i], cJSON_GetStringValue(
		    cJSON_GetObjectItem(c, keys[i])));
	return rc;
}

/*
 * A record for people: a heading naming the case, its fields, each
 * child, its texts, updates, requests and events; nothing is cut but
 * the events' details.
 */
static int
record_table(const cJSON *c, int raw, int after)
{
	int rc;

	printf("%scase %lld\n", after ? "\n" : "", id_of(c, "id"));
	if ((rc = mash_out_fields(c, case_fields, 2)) == MASH_OK &&
	    (rc = children(c)) == MASH_OK && (rc = texts(c)) == MASH_OK &&
	    (rc = section(c, "updates", update_cols, raw)) == MASH_OK &&
	    (rc = requests(c)) == MASH_OK)
		rc = section(c, "events", mash_event_cols, raw);
	return rc;
}

int
mash_record_print(const cJSON *c, enum mash_format f, int raw)
{
	/* records printed before by this process: one CSV header for all */
	static int shown;
	struct mash_out *out;
	int rc;

	f = mash_format_resolve(f);
	if (f == MASH_FORMAT_TABLE)
		return record_table(c, raw, shown++);
	out = mash_out_new(f, raw, mash_case_cols);
	if (f == MASH_FORMAT_CSV && shown)
		mash_out_continue(out);
	shown++;
	rc = mash_out_row(out, c);
	return rc ? (mash_out_end(out), rc) : mash_out_end(out);
}
