/*
 * store-work.c: the hub's workflow in the store: screening, the Head's
 * decisions, requests to partner agencies, the record.  Each action
 * reads the case inside the caller's IMMEDIATE transaction, checks
 * there the roles and the state casework.c's table asks, changes it to
 * the state the table names and audits it, so that two people acting
 * on one case at once cannot both succeed.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

struct kase {
	int64_t		 id;
	char		 state[12];
	char		 rag[8];
	char		 assigned[64];
	char		 consent[16];
	int		 has_basis;
	mash_time	 accepted_at;
};

struct req {
	int64_t	 id;
	int64_t	 case_id;
	char	 agency[33];
	char	 state[12];
};

const struct mash_col mash_request_cols[] = {
	{ "id", NULL, 0 },
	{ "case_id", NULL, 0 },
	{ "agency", NULL, 0 },
	{ "state", NULL, 0 },
	{ "asked_at", NULL, MASH_COL_TIME | MASH_COL_EXTRA },
	{ "asked_by", NULL, MASH_COL_EXTRA },
	{ "due_at", NULL, MASH_COL_TIME },
	{ "question", NULL, 0 },
	{ "answered_at", NULL, MASH_COL_TIME | MASH_COL_EXTRA },
	{ "answered_by", NULL, MASH_COL_EXTRA },
	{ "answer", NULL, 0 },
	{ "case_outcome", NULL, MASH_COL_SPARSE | MASH_COL_WHOLE },
	{ NULL, NULL, 0 }
};

const struct mash_col mash_event_cols[] = {
	{ "at", NULL, MASH_COL_TIME },
	{ "actor", NULL, 0 },
	{ "action", NULL, 0 },
	{ "case_id", NULL, MASH_COL_WIDE },
	{ "details", NULL, 0 },
	{ NULL, NULL, 0 }
};

#define REQUEST_COLUMNS "id, case_id, agency, state, asked_at, asked_by, " \
	"due_at, question, answered_at, answered_by, answer"

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static int
load(struct mash *m, int64_t id, struct kase *k)
{
	struct db_row *r;

	r = db_query(m, "SELECT state, rag, assigned_to, consent, "
	    "share_basis IS NOT NULL, accepted_at FROM cases WHERE id = ?",
	    "i", id);
	if (!db_next(r))
		return db_none(r, "no such case %lld", (long long)id);
	k->id = id;
	copy(k->state, sizeof(k->state), db_col_text(r, 0));
	copy(k->rag, sizeof(k->rag), db_col_text(r, 1));
	copy(k->assigned, sizeof(k->assigned), db_col_text(r, 2));
	copy(k->consent, sizeof(k->consent), db_col_text(r, 3));
	k->has_basis = db_col_int(r, 4) != 0;
	k->accepted_at = 0;
	if (db_col_text(r, 5) != NULL)
		mash_time_parse(db_col_text(r, 5), &k->accepted_at);
	return db_end(r);
}

static int
case_exists(struct mash *m, int64_t id)
{
	struct kase k;

	return load(m, id, &k);
}

/* how the user stands to a case, and to a request's agency (or NULL) */
static int
mine(const struct mash *m, const char *assigned, const char *agency)
{
	int r = 0;

	if (assigned != NULL && strcmp(assigned, m->login) == 0)
		r |= MASH_MINE_ASSIGNED;
	if (agency != NULL && strcmp(agency, m->agency) == 0)
		r |= MASH_MINE_ASKED;
	return r;
}

/*
 * May the user take the action on this case (and request, or NULL)?
 * casework.c says; only the refusals are worded here.
 */
static int
may(struct mash *m, const struct kase *k, enum mash_action a,
    const struct req *r)
{
	switch (mash_action_may(a, k->state, m->roles, mine(m, k->assigned,
	    r ? r->agency : NULL))) {
	case MASH_MAY:
		return MASH_OK;
	case MASH_MAY_NOT_ASSIGNED:
		return mash_err(MASH_ENOPERM, "%s on case %lld needs its "
		    "assigned social worker or the role 'head': user '%s' is "
		    "not assigned to it", mash_action_what(a),
		    (long long)k->id, m->login);
	case MASH_MAY_NOT_ASKED:	/* only a request has an agency */
		return mash_err(MASH_ENOPERM, "answering request %lld needs "
		    "an officer of agency '%s': user '%s' is not one",
		    (long long)r->id, r->agency, m->login);
	default:
		return db_need(m, a);
	}
}

/*
 * A reason, a note, a summary, a question or an answer: required where
 * the caller says so; given empty, it is misuse, as a missing one is
 */
static int
text(const char *what, const char *v, int required)
{
	const char *why;

	if (v == NULL && !required)
		return MASH_OK;
	if (v == NULL || *v == '\0')
		return mash_err(MASH_EUSAGE, "%s is %s", what, v ? "empty" :
		    "needed");
	if ((why = mash_check_words(v, MASH_TEXT_MAX)) != NULL)
		return mash_err(MASH_EDATA, "%s %s", what, why);
	return MASH_OK;
}

static int
code(enum mash_codeset set, const char *what, const char *v,
    const char **out)
{
	if (v == NULL)
		return mash_err(MASH_EUSAGE, "%s is needed", what);
	if ((*out = mash_code_find(set, v)) == NULL)
		return mash_err(MASH_EDATA, "%s '%s' %s", what, v,
		    mash_check_code(set, v));
	return MASH_OK;
}

/*
 * An outcome, and the agency that only single-agency takes, which is
 * put in ab as stored
 */
static int
outcome(struct mash *m, const char *opt, const char *o, const char **agency,
    const char **out, char *ab)
{
	const char *given = *agency;
	int rc;

	if ((rc = code(MASH_CODE_OUTCOME, opt, o, out)) != MASH_OK)
		return rc;
	if (strcmp(*out, "single-agency") == 0 && given == NULL)
		return mash_err(MASH_EUSAGE, "outcome 'single-agency' needs "
		    "--agency");
	if (strcmp(*out, "single-agency") != 0 && given != NULL)
		return mash_err(MASH_EUSAGE, "--agency goes only with outcome "
		    "'single-agency'");
	if (given != NULL && (*agency = mash_agency_find(m, given, ab)) ==
	    NULL)
		return db_code_unknown(m, DB_AGENCIES, "--agency", given);
	return MASH_OK;
}

/* criteria "a,b": each in the store's list; into a JSON array */
static int
criteria(struct mash *m, const char *list, cJSON **out)
{
	char *copy_, *p, *tok;
	int64_t known;
	int rc = MASH_OK;

	*out = cJSON_CreateArray();
	copy_ = mash_xstrdup(list);
	for (p = copy_; rc == MASH_OK && (tok = strsep(&p, ",;")) != NULL; ) {
		tok += strspn(tok, " ");
		tok[strcspn(tok, " ")] = '\0';
		mash_code_fold(tok, tok, strlen(tok) + 1);
		if (*tok == '\0')
			continue;
		if ((rc = db_int(m, &known, "SELECT 1 FROM criteria WHERE "
		    "code = ?", "t", tok)) == MASH_OK && !known)
			rc = db_code_unknown(m, DB_CRITERIA, "--criteria", tok);
		if (rc == MASH_OK)
			cJSON_AddItemToArray(*out, cJSON_CreateString(tok));
	}
	free(copy_);
	if (rc != MASH_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return rc;
}

/* the screening itself, once role and state are checked */
static int
screen(struct mash *m, struct kase *k, const char *rag, const char *crit,
    const char *note, const char *reason)
{
	const char *r;
	cJSON *cj = NULL;
	int revision, rc;

	if ((rc = code(MASH_CODE_RAG, "--rag", rag, &r)) != MASH_OK ||
	    (rc = text("--note", note, 0)) != MASH_OK ||
	    (rc = text("--reason", reason, 0)) != MASH_OK)
		return rc;
	revision = strcmp(k->state, "screened") == 0;
	if (revision && strcmp(k->rag, r) != 0 && reason == NULL)
		return mash_err(MASH_EUSAGE, "case %lld is rated '%s': "
		    "changing it to '%s' needs --reason", (long long)k->id,
		    k->rag, r);
	if (crit != NULL && (rc = criteria(m, crit, &cj)) != MASH_OK)
		return rc;
	rc = db_exec(m, "UPDATE cases SET state = ?, rag = ?, "
	    "criteria = coalesce(?, criteria), "
	    "screening_note = coalesce(?, screening_note) WHERE id = ?",
	    "ttjti", mash_action_next(MASH_ACT_SCREEN), r, cj, note, k->id);
	cJSON_Delete(cj);
	if (rc == MASH_OK)
		rc = db_audit(m, revision ? "rescreen" : "screen", k->id,
		    "rag", r, "from_rag", revision ? k->rag : NULL,
		    "criteria", crit, "~note", note, "~reason", reason, NULL);
	copy(k->rag, sizeof(k->rag), r);
	copy(k->state, sizeof(k->state), mash_action_next(MASH_ACT_SCREEN));
	return rc;
}

int
mash_case_screen(struct mash *m, int64_t id, const struct mash_screening *s)
{
	struct kase k;
	int rc;

	if ((rc = db_need(m, MASH_ACT_SCREEN)) != MASH_OK ||
	    (rc = load(m, id, &k)) != MASH_OK ||
	    (rc = mash_state_check(id, k.state, MASH_ACT_SCREEN)) != MASH_OK)
		return rc;
	return screen(m, &k, s->rag, s->criteria, s->note, s->reason);
}

static int	rerate(struct mash *, int64_t, const char *, const char *);

int
mash_case_rate(struct mash *m, int64_t id, const struct mash_screening *s)
{
	struct kase k;
	int rc;

	if ((rc = load(m, id, &k)) != MASH_OK)
		return rc;
	/* a RAG on a case in the hub is the Head re-rating it */
	if (mash_action_from(MASH_ACT_RERATE, k.state) &&
	    s->criteria == NULL && s->note == NULL)
		return rerate(m, id, s->rag, s->reason);
	return mash_case_screen(m, id, s);
}

/* the user a case is assigned to: enabled, a social worker or Head */
static int
assignable(struct mash *m, const char *login)
{
	struct db_row *r;
	int enabled, roles;

	if (login == NULL)
		return mash_err(MASH_EUSAGE, "accepting needs --assign LOGIN");
	r = db_query(m, "SELECT roles, enabled FROM users WHERE login = ?",
	    "t", login);
	if (!db_next(r))
		return db_none(r, "no such user '%s'", login);
	roles = mash_roles_parse(db_col_text(r, 0));
	enabled = db_col_int(r, 1) != 0;
	db_end(r);
	if (!enabled)
		return mash_err(MASH_EDATA, "user '%s' is disabled", login);
	/* one who may write its record, once it is theirs */
	if (roles < 0 || mash_action_may(MASH_ACT_RECORD, NULL, roles,
	    MASH_MINE_ASSIGNED) != MASH_MAY)
		return mash_err(MASH_EDATA, "user '%s' is not a social worker",
		    login);
	return MASH_OK;
}

/* rag.RAG.KIND: the setting that times a clock */
static int
rag_deadline(struct mash *m, const char *rag, const char *kind,
    mash_time from, mash_time *due)
{
	char key[40];

	snprintf(key, sizeof(key), "rag.%s.%s", rag, kind);
	return mash_deadline_from(m, key, from, due);
}

int
mash_case_accept(struct mash *m, int64_t id, const char *assign)
{
	char dues[MASH_TIME_LEN];
	struct kase k;
	mash_time due;
	int rc;

	if ((rc = db_need(m, MASH_ACT_ACCEPT)) != MASH_OK ||
	    (rc = load(m, id, &k)) != MASH_OK ||
	    (rc = mash_state_check(id, k.state, MASH_ACT_ACCEPT)) != MASH_OK)
		return rc;
	if (strcmp(k.state, "new") == 0)
		return mash_err(MASH_EUSAGE, "case %lld is 'new': accept it "
		    "with --rag, or screen it first", (long long)id);
	if ((rc = assignable(m, assign)) != MASH_OK)
		return rc;
	/* the decision clock starts now, at acceptance */
	if ((rc = rag_deadline(m, k.rag, "decision", m->now, &due)) != MASH_OK)
		return rc;
	if ((rc = db_exec(m, "UPDATE cases SET state = ?, assigned_to = ?, "
	    "accepted_at = ?, decision_due = ? WHERE id = ?", "ttTTi",
	    mash_action_next(MASH_ACT_ACCEPT), assign, m->now, due, id)))
		return rc;
	mash_time_utc(due, dues);
	return db_audit(m, "accept", id, "assigned_to", assign, "rag", k.rag,
	    "decision_due", dues, NULL);
}

/* close a case with an outcome: declined, or decided */
static int
close_case(struct mash *m, const struct kase *k, enum mash_action a,
    const char *action, const char *o, const char *agency,
    const char *reason)
{
	char ab[MASH_CODE_MAX];
	const char *oc;
	int rc;

	if ((rc = outcome(m, "--outcome", o, &agency, &oc, ab)) != MASH_OK ||
	    (rc = text("--reason", reason, 1)) != MASH_OK)
		return rc;
	if ((rc = db_exec(m, "UPDATE cases SET state = ?, outcome = ?, "
	    "outcome_agency = ?, closed_at = ? WHERE id = ?", "tttTi",
	    mash_action_next(a), oc, agency, m->now, k->id)) != MASH_OK)
		return rc;
	return db_audit(m, action, k->id, "from_state", k->state, "outcome", oc,
	    "agency", agency, "~reason", reason, NULL);
}

int
mash_case_decline(struct mash *m, int64_t id, const char *o,
    const char *agency, const char *reason)
{
	struct kase k;
	int rc;

	if ((rc = db_need(m, MASH_ACT_DECLINE)) != MASH_OK ||
	    (rc = load(m, id, &k)) != MASH_OK ||
	    (rc = mash_state_check(id, k.state, MASH_ACT_DECLINE)) != MASH_OK)
		return rc;
	return close_case(m, &k, MASH_ACT_DECLINE, "decline", o, agency,
	    reason);
}

/*
 * The primary need goes with an outcome that makes a referral and is
 * not no further action (return.referral-outcomes, return.nfa-outcomes;
 * mash-return(1)), and with no other.
 */
static int
need_check(struct mash *m, const char *o, const char *need, const char **nc)
{
	const char *oc = mash_code_find(MASH_CODE_OUTCOME, o ? o : "");
	int wanted;

	*nc = NULL;
	if (oc == NULL)
		return MASH_OK;		/* close_case says why */
	wanted = mash_setting_has(m, "return.referral-outcomes", oc) &&
	    !mash_setting_has(m, "return.nfa-outcomes", oc);
	if (wanted && need == NULL)
		return mash_err(MASH_EUSAGE, "outcome '%s' is a referral: give "
		    "its primary need with --need (N0 to N9)", oc);
	if (!wanted && need != NULL)
		return mash_err(MASH_EUSAGE, "--need goes only with a referral "
		    "outcome, not '%s'", oc);
	return need ? code(MASH_CODE_NEED, "--need", need, nc) : MASH_OK;
}

int
mash_case_decide(struct mash *m, int64_t id, const struct mash_decision *d)
{
	const char *o = d->outcome, *agency = d->agency, *reason = d->reason;
	const char *need = d->need, *nc;
	struct kase k;
	int rc;

	if ((rc = db_need(m, MASH_ACT_DECIDE)) != MASH_OK ||
	    (rc = load(m, id, &k)) != MASH_OK ||
	    (rc = mash_state_check(id, k.state, MASH_ACT_DECIDE)) != MASH_OK ||
	    (rc = need_check(m, o, need, &nc)) != MASH_OK ||
	    (rc = close_case(m, &k, MASH_ACT_DECIDE, "decide", o, agency,
	    reason)) != MASH_OK)
		return rc;
	if (nc == NULL)
		return MASH_OK;
	if ((rc = db_exec(m, "UPDATE cases SET need_code = ? WHERE id = ?",
	    "ti", nc, id)) != MASH_OK)
		return rc;
	return db_audit(m, "need", id, "need_code", nc, NULL);
}

/*
 * The primary need of a referral already closed, given late: a case
 * declined to cpat, or decided before --need was asked for.  Only the
 * code changes; the case stays closed (mash-decide(1)).
 */
int
mash_case_need(struct mash *m, int64_t id, const char *need)
{
	const char *nc;
	struct kase k;
	int rc;

	if ((rc = db_need(m, MASH_ACT_NEED)) != MASH_OK ||
	    (rc = load(m, id, &k)) != MASH_OK ||
	    (rc = code(MASH_CODE_NEED, "--need", need, &nc)) != MASH_OK)
		return rc;
	if (!mash_action_from(MASH_ACT_NEED, k.state))
		return mash_err(MASH_EDATA, "case %lld is '%s', not 'closed': "
		    "give --need with its --outcome", (long long)id, k.state);
	if ((rc = db_exec(m, "UPDATE cases SET need_code = ? WHERE id = ?",
	    "ti", nc, id)) != MASH_OK)
		return rc;
	return db_audit(m, "need", id, "need_code", nc, NULL);
}

static int
rerate(struct mash *m, int64_t id, const char *rag,
    const char *reason)
{
	char dues[MASH_TIME_LEN];
	const char *r;
	struct kase k;
	mash_time due;
	int rc;

	if ((rc = db_need(m, MASH_ACT_RERATE)) != MASH_OK ||
	    (rc = load(m, id, &k)) != MASH_OK ||
	    (rc = mash_state_check(id, k.state, MASH_ACT_RERATE)) != MASH_OK ||
	    (rc = code(MASH_CODE_RAG, "--rag", rag, &r)) != MASH_OK ||
	    (rc = text("--reason", reason, 1)) != MASH_OK)
		return rc;
	/* from the time of acceptance, not now (mash-screen(1)) */
	if ((rc = rag_deadline(m, r, "decision", k.accepted_at, &due)))
		return rc;
	if ((rc = db_exec(m, "UPDATE cases SET rag = ?, decision_due = ? "
	    "WHERE id = ?", "tTi", r, due, id)) != MASH_OK)
		return rc;
	mash_time_utc(due, dues);
	return db_audit(m, "rerate", id, "from_rag", k.rag, "rag", r,
	    "decision_due", dues, "~reason", reason, NULL);
}

int
mash_case_share(struct mash *m, int64_t id, const char *reason)
{
	struct kase k;
	int rc;

	if ((rc = db_need(m, MASH_ACT_SHARE)) != MASH_OK ||
	    (rc = load(m, id, &k)) != MASH_OK ||
	    (rc = mash_state_check(id, k.state, MASH_ACT_SHARE)) != MASH_OK ||
	    (rc = text("--share-without-consent", reason, 1)) != MASH_OK)
		return rc;
	if ((rc = db_exec(m, "UPDATE cases SET share_basis = ? WHERE id = ?",
	    "ti", reason, id)) != MASH_OK)
		return rc;
	return db_audit(m, "share-without-consent", id, "consent", k.consent,
	    "~basis", reason, NULL);
}

int
mash_case_consent(struct mash *m, int64_t id, const char *consent,
    const char *reason)
{
	const char *c;
	struct kase k;
	int rc;

	if ((rc = load(m, id, &k)) != MASH_OK ||
	    (rc = may(m, &k, MASH_ACT_CONSENT, NULL)) != MASH_OK ||
	    (rc = mash_state_check(id, k.state, MASH_ACT_CONSENT)) != MASH_OK ||
	    (rc = code(MASH_CODE_CONSENT, "--consent", consent, &c)) ||
	    (rc = text("--reason", reason, 0)) != MASH_OK)
		return rc;
	if (strcmp(c, k.consent) == 0)
		return mash_err(MASH_EDATA, "case %lld: consent is already "
		    "'%s'", (long long)id, c);
	if ((rc = db_exec(m, "UPDATE cases SET consent = ? WHERE id = ?",
	    "ti", c, id)) != MASH_OK)
		return rc;
	return db_audit(m, "consent", id, "from_consent", k.consent,
	    "consent", c, "~reason", reason, NULL);
}

static int
child_person(struct mash *m, int64_t case_id, int64_t child, int64_t *person)
{
	int rc;

	if ((rc = db_int(m, person, "SELECT person_id FROM children "
	    "WHERE id = ? AND case_id = ?", "ii", child, case_id)) != MASH_OK)
		return rc;
	return *person != 0 ? MASH_OK : mash_err(MASH_ENOINPUT, "case %lld "
	    "has no child %lld", (long long)case_id, (long long)child);
}

static int
person_exists(struct mash *m, int64_t person)
{
	int64_t there;
	int rc;

	if ((rc = db_int(m, &there, "SELECT 1 FROM persons WHERE id = ? AND "
	    "merged_into IS NULL", "i", person)) != MASH_OK)
		return rc;
	return there ? MASH_OK : mash_err(MASH_ENOINPUT, "no such person "
	    "%lld", (long long)person);
}

/* two children with different NHS numbers are never one child */
static int
nhs_agree(struct mash *m, int64_t child, int64_t a, int64_t b)
{
	int differ, rc;

	if ((rc = db_nhs_differ(m, a, b, &differ)) != MASH_OK)
		return rc;
	if (differ)
		return mash_err(MASH_EDATA, "child %lld and person %lld have "
		    "different NHS numbers: they are not the same child",
		    (long long)child, (long long)b);
	return MASH_OK;
}

/* one person from two: every child of the old one joins the other */
static int
merge(struct mash *m, int64_t child, int64_t from, int64_t into)
{
	int rc;

	if ((rc = db_exec(m, "UPDATE children SET person_id = ? WHERE "
	    "person_id = ?", "ii", into, from)) != MASH_OK ||
	    (rc = db_exec(m, "UPDATE persons SET merged_into = ? WHERE id = ?",
	    "ii", into, from)) != MASH_OK)
		return rc;
	/* other children's matches with the old person now name the new */
	if ((rc = db_exec(m, "UPDATE possible_matches SET person_id = ?1 "
	    "WHERE person_id = ?2 AND NOT EXISTS (SELECT 1 FROM "
	    "possible_matches o WHERE o.child_id = possible_matches.child_id "
	    "AND o.person_id = ?1)", "ii", into, from)) ||
	    (rc = db_exec(m, "DELETE FROM possible_matches WHERE "
	    "person_id = ?", "i", from)))
		return rc;
	/* the person now has the numbers of both */
	if ((rc = db_withdraw_matches(m, into)) != MASH_OK)
		return rc;
	/* a possible match of a child with its own person is settled */
	if ((rc = db_exec(m, "UPDATE possible_matches SET status = 'same' "
	    "WHERE status = 'open' AND person_id = ?1 AND child_id IN "
	    "(SELECT id FROM children WHERE person_id = ?1)", "i", into)))
		return rc;
	return db_exec(m, "INSERT INTO possible_matches (child_id, person_id, "
	    "status) VALUES (?, ?, 'same') ON CONFLICT (child_id, person_id) "
	    "DO UPDATE SET status = 'same'", "ii", child, into);
}

int
mash_case_match(struct mash *m, int64_t id, int64_t child, int64_t person,
    int same)
{
	int64_t current;
	struct kase k;
	int rc;

	if ((rc = db_need(m, MASH_ACT_MATCH)) != MASH_OK ||
	    (rc = load(m, id, &k)) != MASH_OK ||
	    (rc = mash_state_check(id, k.state, MASH_ACT_MATCH)) != MASH_OK ||
	    (rc = child_person(m, id, child, &current)) != MASH_OK ||
	    (rc = person_exists(m, person)) != MASH_OK)
		return rc;
	if (current == person)
		return mash_err(MASH_EDATA, "child %lld is already person %lld",
		    (long long)child, (long long)person);
	if (same && (rc = nhs_agree(m, child, current, person)) != MASH_OK)
		return rc;
	if (same)
		rc = merge(m, child, current, person);
	else
		rc = db_exec(m, "INSERT INTO possible_matches (child_id, "
		    "person_id, status) VALUES (?, ?, 'not-same') ON CONFLICT "
		    "(child_id, person_id) DO UPDATE SET status = 'not-same'",
		    "ii", child, person);
	if (rc != MASH_OK)
		return rc;
	return db_audit(m, same ? "same-child" : "not-same", id,
	    "#child", child, "#person", person, NULL);
}

/*
 * A record is written only when no request is open; the refusal names
 * them, so that each can be answered or withdrawn:
 * "open requests 4 (police), 5 (health)"
 */
static int
no_open_requests(struct mash *m, int64_t id)
{
	struct db_row *r;
	char list[256];
	size_t len = 0;
	int n = 0, rc;

	r = db_query(m, "SELECT id, agency FROM requests WHERE case_id = ? "
	    "AND state = 'open' ORDER BY id", "i", id);
	while (db_next(r)) {
		if (len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len,
			    "%s%lld (%s)", n ? ", " : "",
			    (long long)db_col_int(r, 0),
			    db_col_text(r, 1) ? db_col_text(r, 1) : "");
		n++;
	}
	if ((rc = db_end(r)) != MASH_OK)
		return rc;
	if (n == 0)
		return MASH_OK;
	if (len >= sizeof(list))
		strcpy(list + sizeof(list) - 5, " ...");
	return mash_err(MASH_EDATA, "case %lld has open request%s %s: answer "
	    "or withdraw %s first (mash-request --respond or --withdraw)",
	    (long long)id, n == 1 ? "" : "s", list, n == 1 ? "it" : "them");
}

/*
 * What writing the record checks, in one place for writing it and for
 * asking before an editor opens (mash-record(1)); the summary only
 * when there is one to check.
 */
static int
record_ok(struct mash *m, int64_t id, const char *summary, int has_summary,
    const char *recommend, const char **agency, const char **oc, char *ab)
{
	struct kase k;
	int rc;

	if ((rc = load(m, id, &k)) != MASH_OK ||
	    (rc = may(m, &k, MASH_ACT_RECORD, NULL)) != MASH_OK ||
	    (rc = mash_state_check(id, k.state, MASH_ACT_RECORD)) != MASH_OK ||
	    (has_summary && (rc = text("--summary", summary, 1)) != MASH_OK) ||
	    (rc = outcome(m, "--recommend", recommend, agency, oc, ab)) ||
	    (rc = no_open_requests(m, id)) != MASH_OK)
		return rc;
	return MASH_OK;
}

int
mash_case_record_check(struct mash *m, int64_t id, const char *recommend,
    const char *agency)
{
	char ab[MASH_CODE_MAX];
	const char *oc;

	return record_ok(m, id, NULL, 0, recommend, &agency, &oc, ab);
}

int
mash_case_record(struct mash *m, int64_t id, const char *summary,
    const char *recommend, const char *agency)
{
	char ab[MASH_CODE_MAX];
	const char *oc;
	int rc;

	if ((rc = record_ok(m, id, summary, 1, recommend, &agency, &oc, ab)))
		return rc;
	if ((rc = db_exec(m, "UPDATE cases SET state = ?, summary = ?, "
	    "recommendation = ?, recommendation_agency = ? WHERE id = ?",
	    "tttti", mash_action_next(MASH_ACT_RECORD), summary, oc, agency,
	    id)) != MASH_OK)
		return rc;
	return db_audit(m, "record", id, "recommendation", oc, "agency", agency,
	    "~summary", summary, NULL);
}

int
mash_case_return(struct mash *m, int64_t id, const char *reason)
{
	struct kase k;
	int rc;

	if ((rc = db_need(m, MASH_ACT_RETURN)) != MASH_OK ||
	    (rc = load(m, id, &k)) != MASH_OK ||
	    (rc = mash_state_check(id, k.state, MASH_ACT_RETURN)) != MASH_OK ||
	    (rc = text("--reason", reason, 1)) != MASH_OK)
		return rc;
	if ((rc = db_exec(m, "UPDATE cases SET state = ? WHERE id = ?", "ti",
	    mash_action_next(MASH_ACT_RETURN), id)) != MASH_OK)
		return rc;
	return db_audit(m, "return", id, "~reason", reason, NULL);
}

/*
 * The latest --due, after now: a partner agency answers within days;
 * a year on is a slip of the year or of the unit (mash-request(1)).
 */
#define DUE_MAX_DAYS	366

/* --due: a time, or a duration from now; NULL: the RAG's default */
static int
request_due(struct mash *m, const struct kase *k, const char *due,
    mash_time *t)
{
	const struct mash_calendar *cal;
	struct mash_duration d;
	int rc;

	if (due == NULL)
		return rag_deadline(m, k->rag, "request", m->now, t);
	if (mash_duration_parse(due, &d) == 0) {
		if ((rc = db_calendar(m, &cal)) != MASH_OK)
			return rc;
		rc = mash_deadline(cal, m->now, &d, t);
		if (rc != 0 && rc != MASH_DEADLINE_RANGE)
			return mash_err(MASH_EDATA, "--due '%s' is not a time "
			    "or a duration", due);
	} else if (mash_time_parse(due, t) != 0)
		return mash_err(MASH_EDATA, "--due '%s' is not a time or a "
		    "duration", due);
	else
		rc = 0;
	if (rc == 0 && *t <= m->now)
		return mash_err(MASH_EDATA, "--due '%s' is in the past", due);
	if (rc != 0 || *t - m->now > DUE_MAX_DAYS * 86400)
		return mash_err(MASH_EDATA, "--due '%s' is more than %d days "
		    "from now: a request is due within a year", due,
		    DUE_MAX_DAYS);
	return MASH_OK;
}

static int
consent_ok(const struct kase *k)
{
	if (strcmp(k->consent, "given") == 0 || k->has_basis)
		return MASH_OK;
	return mash_err(MASH_ENOPERM, "case %lld: consent is '%s': the Head "
	    "must record a lawful basis for sharing without consent first "
	    "(mash-screen --share-without-consent)", (long long)k->id,
	    k->consent);
}

/* the open request of a case to an agency: its id, 0, or -1 */
static int64_t
open_request_to(struct mash *m, int64_t id, const char *agency)
{
	int64_t req;

	if (db_int(m, &req, "SELECT id FROM requests WHERE case_id = ? AND "
	    "agency = ? AND state = 'open'", "it", id, agency) != MASH_OK)
		return -1;
	return req;
}

int
mash_request_add(struct mash *m, int64_t id, const char *agency,
    const char *due, const char *question, int64_t *req)
{
	char dues[MASH_TIME_LEN], ab[MASH_CODE_MAX];
	const char *given = agency;
	struct kase k;
	mash_time t;
	int64_t old;
	int rc;

	if ((rc = load(m, id, &k)) != MASH_OK ||
	    (rc = may(m, &k, MASH_ACT_REQUEST, NULL)) != MASH_OK ||
	    (rc = mash_state_check(id, k.state, MASH_ACT_REQUEST)) != MASH_OK ||
	    (rc = consent_ok(&k)) != MASH_OK ||
	    (rc = text("--question", question, 0)) != MASH_OK)
		return rc;
	if (question != NULL && *question == '\0')
		question = NULL;
	if ((agency = mash_agency_find(m, given, ab)) == NULL)
		return db_code_unknown(m, DB_AGENCIES, NULL, given);
	if ((old = open_request_to(m, id, agency)) != 0)
		return old < 0 ? MASH_ESOFTWARE : mash_err(MASH_EDATA,
		    "case %lld already has open request %lld to '%s'",
		    (long long)id, (long long)old, agency);
	if ((rc = request_due(m, &k, due, &t)) != MASH_OK)
		return rc;
	if ((rc = db_insert(m, req, "INSERT INTO requests (case_id, agency, "
	    "asked_at, asked_by, due_at, question) VALUES (?, ?, ?, ?, ?, ?)",
	    "itTtTt", id, agency, m->now, m->login, t, question)) != MASH_OK)
		return rc;
	mash_time_utc(t, dues);
	return db_audit(m, "request", id, "#request_id", *req, "agency", agency,
	    "due_at", dues, "~question", question, NULL);
}

static int
load_request(struct mash *m, int64_t id, struct req *r)
{
	struct db_row *q;

	q = db_query(m, "SELECT case_id, agency, state FROM requests "
	    "WHERE id = ?", "i", id);
	if (!db_next(q))
		return db_none(q, "no such request %lld", (long long)id);
	r->id = id;
	r->case_id = db_col_int(q, 0);
	copy(r->agency, sizeof(r->agency), db_col_text(q, 1));
	copy(r->state, sizeof(r->state), db_col_text(q, 2));
	return db_end(q);
}

/* asked only of one who may answer or withdraw it: no one else learns it */
static int
request_open(const struct req *r)
{
	if (strcmp(r->state, "open") != 0)
		return mash_err(MASH_EDATA, "request %lld is '%s', not 'open'",
		    (long long)r->id, r->state);
	return MASH_OK;
}

int
mash_request_answer(struct mash *m, int64_t id, const char *answer, int nil)
{
	struct kase k;
	struct req r;
	int rc;

	if ((rc = load_request(m, id, &r)) != MASH_OK ||
	    (rc = load(m, r.case_id, &k)) != MASH_OK ||
	    (rc = may(m, &k, MASH_ACT_ANSWER, &r)) != MASH_OK ||
	    (rc = request_open(&r)) != MASH_OK ||
	    (rc = mash_state_check(k.id, k.state, MASH_ACT_ANSWER)))
		return rc;
	/* an answer, or that there is none to give */
	if (answer == NULL && !nil)
		return mash_err(MASH_EUSAGE, "--text or --nil is needed");
	if ((rc = text("--text", answer, 0)) != MASH_OK)
		return rc;
	if ((rc = db_exec(m, "UPDATE requests SET state = ?, answered_at = ?, "
	    "answered_by = ?, answer = ? WHERE id = ?", "tTtti",
	    nil ? "nil" : "answered", m->now, m->login, answer, id)) != MASH_OK)
		return rc;
	return db_audit(m, nil ? "answer-nil" : "answer", k.id,
	    "#request_id", id, "agency", r.agency, "~answer", answer, NULL);
}

int
mash_request_withdraw(struct mash *m, int64_t id, const char *reason)
{
	struct kase k;
	struct req r;
	int rc;

	if ((rc = load_request(m, id, &r)) != MASH_OK ||
	    (rc = load(m, r.case_id, &k)) != MASH_OK ||
	    (rc = may(m, &k, MASH_ACT_WITHDRAW, NULL)) != MASH_OK ||
	    (rc = request_open(&r)) != MASH_OK ||
	    (rc = mash_state_check(k.id, k.state, MASH_ACT_WITHDRAW)) ||
	    (rc = text("--reason", reason, 1)) != MASH_OK)
		return rc;
	if ((rc = db_exec(m, "UPDATE requests SET state = 'withdrawn', "
	    "answered_at = ?, answered_by = ?, withdraw_reason = ? "
	    "WHERE id = ?", "Ttti", m->now, m->login, reason, id)) != MASH_OK)
		return rc;
	return db_audit(m, "withdraw", k.id, "#request_id", id, "agency",
	    r.agency, "~reason", reason, NULL);
}

/* the rows of a query into a JSON array, each row an object */
static int
rows(struct db_row *r, cJSON *a)
{
	cJSON *o, *d;

	while (db_next(r)) {
		o = cJSON_CreateObject();
		db_row_json(r, o);
		/* audit details are JSON text: give them as JSON */
		if ((d = cJSON_GetObjectItemCaseSensitive(o, "details")) &&
		    cJSON_IsString(d))
			cJSON_ReplaceItemInObjectCaseSensitive(o, "details",
			    cJSON_Parse(d->valuestring));
		cJSON_AddItemToArray(a, o);
	}
	return db_end(r);
}

/* each child's earlier cases, with their outcomes */
static int
history(struct mash *m, int64_t id, cJSON *kids)
{
	const cJSON *c;
	int rc = MASH_OK;

	cJSON_ArrayForEach(c, kids)
		if ((rc = rows(db_query(m, "SELECT DISTINCT o.id AS case_id, "
		    "o.received_at, o.state, o.outcome, o.outcome_agency "
		    "FROM children h JOIN cases o ON o.id = h.case_id "
		    "WHERE h.person_id = ? AND o.id <> ? "
		    "ORDER BY o.received_at, o.id", "ii", (int64_t)
		    cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c,
		    "person_id")), id), cJSON_AddArrayToObject((cJSON *)c,
		    "history"))) != MASH_OK)
			return rc;
	return rc;
}

/*
 * Who may view a case (mash(7), ROLES): the Head; a screener while the
 * case is new or screened; its assigned social worker, as casework.c's
 * table has it.  mash-record CASE and every listing ask here, and
 * nowhere else.
 */
static int
sees_whole(const struct mash *m, const char *state, const char *assigned)
{
	return mash_action_may(MASH_ACT_VIEW, state, m->roles,
	    mine(m, assigned, NULL)) == MASH_MAY;
}

/* an officer of an agency (of this one, unless NULL) */
static int
officer_of(const struct mash *m, const char *agency)
{
	return (m->roles & MASH_ROLE_AGENCY) && m->agency[0] != '\0' &&
	    (agency == NULL || strcmp(agency, m->agency) == 0);
}

/*
 * An agency officer also sees the contact their agency is asked about
 * while the request is open, and of it only their agency's requests.
 */
int
mash_case_viewer(struct mash *m, int64_t id, const char *state,
    const char *assigned)
{
	int64_t req;

	if (sees_whole(m, state, assigned))
		return MASH_VIEW_ALL;
	if (!officer_of(m, NULL))
		return MASH_VIEW_NONE;
	if ((req = open_request_to(m, id, m->agency)) < 0)
		return -1;
	return req > 0 ? MASH_VIEW_AGENCY : MASH_VIEW_NONE;
}

/* a request: those of a case the user views whole, and their agency's */
static int
sees_request(const struct mash *m, const char *state, const char *assigned,
    const char *agency)
{
	return sees_whole(m, state, assigned) || officer_of(m, agency);
}

/* may the user see a whole record, and do they see all of it? */
static int
may_view(struct mash *m, int64_t id, int *agency_only)
{
	struct kase k;
	int rc, v;

	*agency_only = 0;
	if ((rc = load(m, id, &k)) != MASH_OK)
		return rc;
	if ((v = mash_case_viewer(m, id, k.state, k.assigned)) < 0)
		return MASH_ESOFTWARE;
	*agency_only = v == MASH_VIEW_AGENCY;
	if (v != MASH_VIEW_NONE)
		return MASH_OK;
	return mash_err(MASH_ENOPERM, "seeing case %lld needs the role "
	    "'head', the role 'screener' while it is in screening, its "
	    "assigned social worker, or an open request to your agency",
	    (long long)id);
}

static int
record_parts(struct mash *m, int64_t id, int agency_only, cJSON *o)
{
	struct db_row *r;
	int rc;

	if ((rc = rows(db_query(m, "SELECT " REQUEST_COLUMNS " FROM requests "
	    "WHERE case_id = ?1 AND (?2 IS NULL OR agency = ?2) ORDER BY id",
	    "it", id, agency_only ? m->agency : NULL),
	    cJSON_AddArrayToObject(o, "requests"))))
		return rc;
	if (agency_only)
		return MASH_OK;
	/* the reason of a decision or a decline is its event's text */
	r = db_query(m, "SELECT summary, closed_at, screening_note, "
	    "(SELECT t.text FROM audit a JOIN event_text t ON "
	    "t.audit_id = a.id AND t.field = 'reason' WHERE a.case_id = "
	    "cases.id AND a.action IN ('decide','decline') ORDER BY a.id "
	    "DESC LIMIT 1) AS outcome_reason FROM cases WHERE id = ?", "i", id);
	if (!db_next(r))
		return db_end(r);
	db_row_json(r, o);
	if ((rc = db_end(r)) != MASH_OK ||
	    (rc = history(m, id, cJSON_GetObjectItemCaseSensitive(o,
	    "children"))))
		return rc;
	/* the free text of each event is kept beside it (mash-audit(1)) */
	return rows(db_query(m, DB_SQL(m, "SELECT at, actor, action, case_id, "
	    "json_patch(details, (SELECT json_group_object(field, text) FROM "
	    "event_text WHERE audit_id = audit.id)) AS details FROM audit "
	    "WHERE case_id = ? ORDER BY id",
	    "SELECT at, actor, action, case_id, " PG_JSON_PATCH("details",
	    "(SELECT json_object_agg(field, text ORDER BY field) FROM "
	    "event_text WHERE audit_id = audit.id)") " AS details FROM audit "
	    "WHERE case_id = ? ORDER BY id"), "i", id),
	    cJSON_AddArrayToObject(o, "events"));
}

int
mash_case_view(struct mash *m, int64_t id, cJSON **out)
{
	int agency_only, rc;

	*out = NULL;
	if ((rc = may_view(m, id, &agency_only)) != MASH_OK ||
	    (rc = mash_case_json(m, id, out)) != MASH_OK)
		return rc;
	/* the view is logged before it is read, in the same transaction */
	if ((rc = db_audit(m, "view", id, NULL)) != MASH_OK ||
	    (rc = record_parts(m, id, agency_only, *out)) != MASH_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return rc;
}

/* a whole record, as its Head sees it, for an export (store-retention.c) */
int
db_case_whole(struct mash *m, int64_t id, cJSON **out)
{
	int rc;

	if ((rc = mash_case_json(m, id, out)) == MASH_OK &&
	    (rc = record_parts(m, id, 0, *out)) != MASH_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return rc;
}

/* repeat referral: three or more contacts in twelve months (mash(7)) */
static void
suggest(cJSON *c, const struct case_seen *seen)
{
	const cJSON *e;
	cJSON *s;
	int have = 0;

	cJSON_ArrayForEach(e, seen->criteria)
		have |= cJSON_IsString(e) &&
		    strcmp(e->valuestring, "repeat-referral") == 0;
	cJSON_AddNumberToObject(c, "contacts_12m", seen->contacts_12m);
	s = cJSON_AddArrayToObject(c, "suggested_criteria");
	if (seen->contacts_12m >= 3 && !have)
		cJSON_AddItemToArray(s, cJSON_CreateString("repeat-referral"));
}

/*
 * A case sent again with other content since it was last screened
 * (mash-import(5)) is marked "updated" in the screening queue until a
 * screening (mash-screen --rag) comes after the update in its events.
 */
static int
updated_mark(struct mash *m, struct db_row *r, cJSON *c)
{
	int64_t yes = 0;
	int rc;

	if (!db_col_null(r, CASE_UPDATED_AT) && (rc = db_int(m, &yes,
	    "SELECT coalesce(max(CASE WHEN action = "
	    "'update' THEN id END), 0) > coalesce(max(CASE WHEN "
	    "action IN ('screen','rescreen') THEN id END), 0) "
	    "FROM audit WHERE case_id = ?", "i", db_col_int(r, 0))) !=
	    MASH_OK)
		return rc;
	cJSON_AddBoolToObject(c, "updated", yes != 0);
	return MASH_OK;
}

int
mash_case_open_matches(struct mash *m, int64_t id, int64_t *n)
{
	return db_int(m, n, "SELECT count(*) FROM children c "
	    "JOIN possible_matches p ON p.child_id = c.id "
	    "WHERE c.case_id = ? AND p.status = 'open'", "i", id);
}

/* the cases a listing showed, in the order shown */
struct shown {
	int64_t	*v;
	size_t	 n, cap;
};

static void
shown_add(struct shown *l, int64_t id)
{
	if (l->n == l->cap)
		l->v = mash_xrealloc(l->v, (l->cap = l->cap ? 2 * l->cap : 64) *
		    sizeof(*l->v));
	l->v[l->n++] = id;
}

struct at {
	int64_t	 id;
	size_t	 pos;
};

static int
by_id(const void *a, const void *b)
{
	const struct at *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* each id once, where it was first shown: a sort, for long listings */
static size_t
first_each(int64_t *ids, size_t n)
{
	struct at *s;
	char *keep;
	size_t i, k = 0;

	if (n < 2)
		return n;
	s = mash_xmalloc(n * sizeof(*s));
	keep = mash_xmalloc(n);
	for (i = 0; i < n; i++) {
		s[i].id = ids[i];
		s[i].pos = i;
	}
	qsort(s, n, sizeof(*s), by_id);
	for (i = 0; i < n; i++)
		keep[s[i].pos] = i == 0 || s[i].id != s[i - 1].id;
	for (i = 0; i < n; i++)
		if (keep[i])
			ids[k++] = ids[i];
	free(s);
	free(keep);
	return k;
}

cJSON *
mash_list_details(const char *which, const int64_t *ids, size_t n)
{
	int64_t *u;
	cJSON *d, *a;
	size_t i;

	u = mash_xmalloc((n ? n : 1) * sizeof(*u));
	if (n > 0)
		memcpy(u, ids, n * sizeof(*u));
	n = first_each(u, n);
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "list", which);
	a = cJSON_AddArrayToObject(d, "cases");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber((double)u[i]));
	free(u);
	return d;
}

/* a listing is a view: one audit row naming the cases it showed */
static int
audit_list(struct mash *m, const char *which, const struct shown *l)
{
	cJSON *d;
	int rc;

	/* a listing that showed no case showed nothing to account for */
	if (l->n == 0)
		return MASH_OK;
	d = mash_list_details(which, l->v, l->n);
	rc = mash_audit(m, "list", 0, d);
	cJSON_Delete(d);
	return rc;
}

/* a listing's query, and the rows it gathers */
struct listing {
	enum mash_queue	 q;
	const char	*state;		/* a queue's */
	int		 mine;
	const char	*agency;	/* requests' */
	int64_t		 case_id;
	int		 all;
	cJSON		*rows;
};

/*
 * The queues, each through an index of its own: open cases are few,
 * closed ones many, and a queue must never read them all.  Each row
 * brings what the view rule asks of it.
 */
static const char *
queue_sql(struct mash *m, enum mash_queue q, const char *state, int mine)
{
	/* PostgreSQL's: the same, with no INDEXED BY and no IS NOT 'red' */
	if (q == MASH_QUEUE_SCREENING)
		/* red first: a red case waits for the Head, not the clock */
		return DB_SQL(m, "SELECT " CASE_COLUMNS " FROM cases "
		    "INDEXED BY cases_screening "
		    "WHERE state IN ('new','screened') "
		    "AND ?1 IS NULL AND ?2 IS NULL "
		    "ORDER BY rag IS NOT 'red', screening_due, id",
		    "SELECT " CASE_COLUMNS " FROM cases "
		    "WHERE state IN ('new','screened') "
		    "AND ?1 IS NULL AND ?2 IS NULL "
		    "ORDER BY rag IS DISTINCT FROM 'red', screening_due, id");
	/*
	 * the recorded cases alone, by state: through cases_decision, the
	 * cases still in the hub were read too, to be dropped
	 */
	if (q == MASH_QUEUE_DECISION)
		return DB_SQL(m, "SELECT " CASE_COLUMNS " FROM cases "
		    "INDEXED BY cases_state "
		    "WHERE state = 'recorded' AND ?1 IS NULL AND ?2 IS NULL "
		    "ORDER BY decision_due, id",
		    "SELECT " CASE_COLUMNS " FROM cases "
		    "WHERE state = 'recorded' AND ?1 IS NULL AND ?2 IS NULL "
		    "ORDER BY decision_due, id");
	if (mine)
		return DB_SQL(m, "SELECT " CASE_COLUMNS " FROM cases "
		    "INDEXED BY cases_assigned "
		    "WHERE assigned_to = ?2 AND (?1 IS NULL AND state <> "
		    "'closed' OR state = ?1) ORDER BY id",
		    "SELECT " CASE_COLUMNS " FROM cases "
		    "WHERE assigned_to = ?2 AND (?1 IS NULL AND state <> "
		    "'closed' OR state = ?1) ORDER BY id");
	if (state != NULL)
		return DB_SQL(m, "SELECT " CASE_COLUMNS " FROM cases "
		    "INDEXED BY cases_state "
		    "WHERE state = ?1 AND ?2 IS NULL ORDER BY id",
		    "SELECT " CASE_COLUMNS " FROM cases "
		    "WHERE state = ?1 AND ?2 IS NULL ORDER BY id");
	return DB_SQL(m, "SELECT " CASE_COLUMNS " FROM cases "
	    "INDEXED BY cases_state "
	    "WHERE state IN ('new','screened','mash','recorded') AND "
	    "?1 IS NULL AND ?2 IS NULL ORDER BY id",
	    "SELECT " CASE_COLUMNS " FROM cases "
	    "WHERE state IN ('new','screened','mash','recorded') AND "
	    "?1 IS NULL AND ?2 IS NULL ORDER BY id");
}

/*
 * A queue's cases, each built from its row as it comes and shown if the
 * user may view it: one statement reads them all, not each again by id.
 */
static int
queue_rows(struct mash *m, struct listing *a)
{
	static const char *const which[] = {
		[MASH_QUEUE_SCREENING] = "screening",
		[MASH_QUEUE_DECISION] = "decision",
		[MASH_QUEUE_CASELOAD] = "caseload"
	};
	struct shown l = { NULL, 0, 0 };
	struct case_seen seen;
	struct db_row *r;
	cJSON *c;
	int rc = MASH_OK, v;

	/* closed cases are most of a hub's: their list is read as a stream */
	r = (a->state != NULL && strcmp(a->state, "closed") == 0 ? db_stream :
	    db_query)(m, queue_sql(m, a->q, a->state, a->mine), "tt",
	    a->state, a->mine ? m->login : NULL);
	while (rc == MASH_OK && db_next(r)) {
		v = mash_case_viewer(m, db_col_int(r, 0),
		    db_col_text(r, CASE_STATE), db_col_text(r, CASE_ASSIGNED));
		if (v < 0) {
			rc = MASH_ESOFTWARE;
			break;
		}
		if (v == MASH_VIEW_NONE)
			continue;
		if ((rc = db_case_of_row(m, r, &c, &seen)) != MASH_OK)
			break;
		shown_add(&l, db_col_int(r, 0));
		if (a->q == MASH_QUEUE_SCREENING) {
			suggest(c, &seen);
			rc = updated_mark(m, r, c);
		}
		rc = mash_worse(rc, db_list_row(m, a->rows, c));
	}
	rc = mash_worse(rc, db_end(r));
	/* the audit row names them all, in the same transaction */
	if (rc == MASH_OK)
		rc = audit_list(m, which[a->q], &l);
	free(l.v);
	return rc;
}

/* the rows of a listing, or none when it failed: nothing of it shown */
static int
rows_given(int rc, cJSON *rows, cJSON **out)
{
	if (rc != MASH_OK) {
		cJSON_Delete(rows);
		rows = NULL;
	}
	*out = rows;
	return rc;
}

int
mash_case_queue(struct mash *m, enum mash_queue q, const char *state,
    int mine, cJSON **rows)
{
	struct listing a = { 0 };
	const char *given;
	int rc;

	*rows = NULL;
	if ((rc = db_need(m, MASH_ACT_LIST)) != MASH_OK)
		return rc;
	if (state != NULL && (given = state, state =
	    mash_code_find(MASH_CODE_STATE, given)) == NULL)
		return mash_err(MASH_EDATA, "--state '%s' %s", given,
		    mash_check_code(MASH_CODE_STATE, given));
	a.q = q;
	a.state = state;
	a.mine = mine;
	a.rows = cJSON_CreateArray();
	return rows_given(queue_rows(m, &a), a.rows, rows);
}

int
mash_request_show(struct mash *m, int64_t id, cJSON **rows)
{
	struct db_row *r;
	cJSON *o;

	*rows = NULL;
	r = db_query(m, "SELECT " REQUEST_COLUMNS " FROM requests "
	    "WHERE id = ?", "i", id);
	if (!db_next(r))
		return db_none(r, "no such request %lld", (long long)id);
	o = cJSON_CreateObject();
	db_row_json(r, o);
	db_end(r);
	*rows = cJSON_CreateArray();
	cJSON_AddItemToArray(*rows, o);
	return MASH_OK;
}

/*
 * A request as listed, then what the view rule asks: its case's state
 * and assignee.  Requests lead the join (CROSS JOIN keeps them first
 * in SQLite; its condition is in WHERE, as PostgreSQL asks), so each
 * listing still reads through its index of requests.  ?3, all, is
 * compared with 0: PostgreSQL takes no integer as a truth value.
 */
#define REQUEST_LISTED "SELECT r.id AS id, r.case_id AS case_id, " \
	"r.agency AS agency, r.state AS state, r.asked_at AS asked_at, " \
	"r.asked_by AS asked_by, r.due_at AS due_at, r.question AS question, " \
	"r.answered_at AS answered_at, r.answered_by AS answered_by, " \
	"r.answer AS answer, c.state AS case_state, " \
	"c.assigned_to AS case_assigned, c.outcome AS case_outcome " \
	"FROM requests AS r CROSS JOIN cases AS c WHERE c.id = r.case_id AND "
enum { LISTED_CASE = 1, LISTED_AGENCY = 2, LISTED_STATE = 11 };

/* requests of a case, of an agency, or open: each through its index */
static const char *
request_sql(const char *agency, int64_t case_id, int all)
{
	if (case_id != 0)
		return REQUEST_LISTED "r.case_id = ?2 AND "
		    "(?1 IS NULL OR r.agency = ?1) AND "
		    "(?3 <> 0 OR r.state = 'open') ORDER BY r.due_at, r.id";
	if (agency != NULL)
		return REQUEST_LISTED "r.agency = ?1 AND ?2 = 0 AND "
		    "(?3 <> 0 OR r.state = 'open') ORDER BY r.due_at, r.id";
	if (!all)
		return REQUEST_LISTED "r.state = 'open' AND ?1 IS NULL AND "
		    "?2 = 0 AND ?3 = 0 ORDER BY r.due_at, r.id";
	/* every request there ever was: a whole table, on asking */
	return REQUEST_LISTED "?1 IS NULL AND ?2 = 0 AND ?3 <> 0 "
	    "ORDER BY r.due_at, r.id";
}

/* the rows of the requests the user may see, and their cases */
static int
request_rows(struct mash *m, struct db_row *r, cJSON *rows, struct shown *l)
{
	cJSON *o;

	while (db_next(r)) {
		if (!sees_request(m, db_col_text(r, LISTED_STATE),
		    db_col_text(r, LISTED_STATE + 1),
		    db_col_text(r, LISTED_AGENCY)))
			continue;
		o = cJSON_CreateObject();
		db_row_json(r, o);
		/* the outcome, to those who may view the case */
		if (!sees_whole(m, db_col_text(r, LISTED_STATE),
		    db_col_text(r, LISTED_STATE + 1)))
			cJSON_ReplaceItemInObjectCaseSensitive(o,
			    "case_outcome", cJSON_CreateNull());
		cJSON_DeleteItemFromObjectCaseSensitive(o, "case_state");
		cJSON_DeleteItemFromObjectCaseSensitive(o, "case_assigned");
		cJSON_AddItemToArray(rows, o);
		shown_add(l, db_col_int(r, LISTED_CASE));
	}
	return db_end(r);
}

/* who may list which agency's requests; an agency officer, their own */
static int
request_agency(struct mash *m, const char **agency, char *ab)
{
	const char *given = *agency;
	int staff = m->roles & (MASH_ROLE_HEAD | MASH_ROLE_SW |
	    MASH_ROLE_SCREENER);

	if (!staff && !officer_of(m, NULL))
		return mash_need_role(m, MASH_ROLE_HEAD | MASH_ROLE_SW |
		    MASH_ROLE_AGENCY, "listing requests");
	/* a filter that names nothing is a mistake, not an empty list */
	if (given != NULL && (*agency = mash_agency_find(m, given, ab)) == NULL)
		return db_code_unknown(m, DB_AGENCIES, "--agency", given);
	if (!staff) {
		if (*agency != NULL && strcmp(*agency, m->agency) != 0)
			return mash_err(MASH_ENOPERM, "user '%s' may list only "
			    "the requests of agency '%s'", m->login,
			    m->agency);
		*agency = m->agency;
	}
	return MASH_OK;
}

/*
 * --case names a case, as mash-record CASE does, and is refused as it
 * is; but an agency officer may list their agency's requests of any.
 */
static int
request_case(struct mash *m, int64_t id)
{
	int agency_only;

	if (officer_of(m, NULL))
		return case_exists(m, id);
	return may_view(m, id, &agency_only);
}

static int
request_rows_of(struct mash *m, struct listing *a)
{
	struct shown l = { NULL, 0, 0 };
	int rc = MASH_OK;

	if (a->case_id != 0)
		rc = request_case(m, a->case_id);
	/* every request there ever was is read as a stream */
	if (rc == MASH_OK)
		rc = request_rows(m, (a->all && a->case_id == 0 ? db_stream :
		    db_query)(m, request_sql(a->agency, a->case_id, a->all),
		    "tii", a->agency, a->case_id, (int64_t)a->all), a->rows, &l);
	if (rc == MASH_OK)
		rc = audit_list(m, "requests", &l);
	free(l.v);
	return rc;
}

int
mash_request_list(struct mash *m, const char *agency, int64_t case_id,
    int all, cJSON **rows)
{
	struct listing a = { 0 };
	char ab[MASH_CODE_MAX];
	int rc;

	*rows = NULL;
	if ((rc = request_agency(m, &agency, ab)) != MASH_OK)
		return rc;
	a.agency = agency;
	a.case_id = case_id;
	a.all = all;
	a.rows = cJSON_CreateArray();
	return rows_given(request_rows_of(m, &a), a.rows, rows);
}
