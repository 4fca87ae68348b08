/*
 * act.c: what the workflow programs share: act on each case named, in
 * a transaction of its own, then print the case as it now stands.
 */
#include <unistd.h>

#include "mash.h"

struct act {
	struct mash	*m;
	int		(*fn)(struct mash *, int64_t, void *);
	void		*arg;
	struct mash_out	*out;
};

static int
one(int64_t id, void *p)
{
	struct act *a = p;
	cJSON *c;
	int rc;

	if ((rc = mash_begin(a->m)) != MASH_OK)
		return rc;
	if ((rc = a->fn(a->m, id, a->arg)) != MASH_OK) {
		mash_rollback(a->m);
		return rc;
	}
	if ((rc = mash_commit(a->m)) != MASH_OK)
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

int
mash_show_queue(struct mash *m, enum mash_queue q, const char *state,
    int mine, const struct mash_cli *cli, const struct mash_col *cols)
{
	struct mash_out *out;
	int rc, rc2;

	out = mash_out_new(cli->format, cli->raw, cols ? cols : mash_case_cols);
	rc = mash_case_queue(m, q, state, mine, out);
	rc2 = mash_out_end(out);
	return mash_worse(rc, rc2);
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

static const struct mash_col child_cols[] = {
	{ "id", "child_id", 0 }, { "person_id", NULL, 0 },
	{ "given_name", NULL, 0 }, { "family_name", NULL, 0 },
	{ "dob", NULL, 0 }, { "gender", NULL, 0 },
	{ "nhs_number", NULL, 0 }, { "upn", NULL, 0 },
	{ "school", NULL, 0 }, { "address", NULL, 0 },
	{ "postcode", NULL, 0 }, { NULL, NULL, 0 }
};

/* the record's text, each piece whole under its name */
static int
texts(const cJSON *c)
{
	static const char *const keys[] = {
		"concern", "summary", "recommendation",
		"recommendation_agency", "outcome", "outcome_agency", NULL
	};
	size_t i;
	int rc = MASH_OK;

	for (i = 0; keys[i] != NULL && rc == MASH_OK; i++)
		rc = mash_out_text(keys[i], cJSON_GetStringValue(
		    cJSON_GetObjectItem(c, keys[i])));
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
	out = mash_out_new(f, raw, mash_case_cols);
	if (f == MASH_FORMAT_CSV && shown)
		mash_out_continue(out);
	/* tables of several records: each under its own heading */
	if (f == MASH_FORMAT_TABLE)
		printf("%scase %.0f\n\n", shown ? "\n" : "",
		    cJSON_GetNumberValue(cJSON_GetObjectItem(c, "id")));
	shown++;
	rc = mash_out_row(out, c);
	rc = rc ? (mash_out_end(out), rc) : mash_out_end(out);
	if (rc != MASH_OK || f != MASH_FORMAT_TABLE)
		return rc;
	if ((rc = section(c, "children", child_cols, raw)) == MASH_OK)
		rc = texts(c);
	if (rc == MASH_OK)
		rc = section(c, "requests", mash_request_cols, raw);
	if (rc == MASH_OK)
		rc = section(c, "events", mash_event_cols, raw);
	return rc;
}
