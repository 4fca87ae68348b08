/*
 * casework.c: the rules of mash(7) in one pure table: for each action,
 * the states it may start from, the state it leads to and the roles
 * that may take it.  The store asks here, inside the transaction that
 * acts, and words the refusals; validate.c takes its list of states.
 */
#include <string.h>

#include "libmash.h"

enum { NEW, SCREENED, MASH, RECORDED, CLOSED, NSTATES };

/* the states of mash(7), in the order a case goes through them */
const char *const mash_states[] = {
	[NEW] = "new",
	[SCREENED] = "screened",
	[MASH] = "mash",
	[RECORDED] = "recorded",
	[CLOSED] = "closed",
	[NSTATES] = NULL
};

/* what may be done from each, for a refusal */
static const char *const allows[NSTATES] = {
	[NEW] = "screen, accept with --rag, or decline",
	[SCREENED] = "screen again, accept, or decline",
	[MASH] = "send and answer requests, re-rate, or write the record",
	[RECORDED] = "decide the outcome or return the record",
	[CLOSED] = "nothing: a closed case is never reopened",
};

#define S(s)		(1 << (s))
#define S_SCREENING	(S(NEW) | S(SCREENED))
#define S_OPEN		(S_SCREENING | S(MASH) | S(RECORDED))
#define S_ANY		(S_OPEN | S(CLOSED))
#define STAYS		(-1)	/* the case stays where it is */
#define NO_CASE		0	/* done to no one case */

#define ADMIN		MASH_ROLE_ADMIN
#define SCREENER	MASH_ROLE_SCREENER
#define HEAD		MASH_ROLE_HEAD
#define SW		MASH_ROLE_SW
#define AGENCY		MASH_ROLE_AGENCY

/*
 * Who may: "anyone" holding one of the roles; a role in "screening"
 * while the case is new or screened; a role in "own" on a case of
 * their own: a social worker's assigned case, an agency officer's
 * request to their agency (MASH_MINE_ASSIGNED, MASH_MINE_ASKED).
 */
static const struct rule {
	const char	*what;		/* "... needs the role" */
	const char	*doing;		/* "... is not allowed" */
	int		 from;
	int		 to;
	int		 anyone, screening, own;
} rules[] = {
	[MASH_ACT_SCREEN] = { "screening", "screening",
	    S_SCREENING, SCREENED, SCREENER | HEAD, 0, 0 },
	[MASH_ACT_ACCEPT] = { "accepting a case", "accepting",
	    S_SCREENING, MASH, HEAD, 0, 0 },
	[MASH_ACT_DECLINE] = { "declining a case", "declining",
	    S_SCREENING, CLOSED, HEAD, 0, 0 },
	[MASH_ACT_RERATE] = { "re-rating a case", "re-rating",
	    S(MASH), STAYS, HEAD, 0, 0 },
	[MASH_ACT_SHARE] = { "recording a basis for sharing without consent",
	    "recording a basis for sharing", S_OPEN, STAYS, HEAD, 0, 0 },
	[MASH_ACT_MATCH] = { "confirming a match", "confirming a match",
	    S_OPEN, STAYS, SCREENER | HEAD, 0, 0 },
	[MASH_ACT_REQUEST] = { "sending a request", "sending a request",
	    S(MASH), STAYS, HEAD, 0, SW },
	[MASH_ACT_ANSWER] = { "answering a request", "answering a request",
	    S(MASH), STAYS, HEAD, 0, SW | AGENCY },
	[MASH_ACT_RECORD] = { "writing the record", "writing the record",
	    S(MASH), RECORDED, HEAD, 0, SW },
	[MASH_ACT_DECIDE] = { "deciding a case", "deciding",
	    S(RECORDED), CLOSED, HEAD, 0, 0 },
	[MASH_ACT_RETURN] = { "returning a record", "returning the record",
	    S(RECORDED), MASH, HEAD, 0, 0 },
	[MASH_ACT_CONSENT] = { "recording consent", "recording consent",
	    S_OPEN, STAYS, HEAD, SCREENER, SW },
	[MASH_ACT_WITHDRAW] = { "withdrawing a request",
	    "withdrawing a request", S(MASH), STAYS, HEAD, 0, SW },
	/* a referral's primary need, given after it closed */
	[MASH_ACT_NEED] = { "recording a primary need",
	    "recording a primary need", S(CLOSED), STAYS, HEAD, 0, 0 },
	/* the whole record; an agency officer sees only their request */
	[MASH_ACT_VIEW] = { "seeing a case", "seeing a case",
	    S_ANY, STAYS, HEAD, SCREENER, SW },
	[MASH_ACT_LIST] = { "listing cases", "listing cases",
	    NO_CASE, STAYS, HEAD | SCREENER | SW, 0, 0 },
	[MASH_ACT_NAMES] = { "listing children's names",
	    "listing children's names", NO_CASE, STAYS,
	    SCREENER | HEAD | SW, 0, 0 },
	[MASH_ACT_USER_ADD] = { "adding a user", "adding a user",
	    NO_CASE, STAYS, ADMIN, 0, 0 },
	[MASH_ACT_USER_SET] = { "changing a user", "changing a user",
	    NO_CASE, STAYS, ADMIN, 0, 0 },
	[MASH_ACT_USER_ENABLE] = { "enabling a user", "enabling a user",
	    NO_CASE, STAYS, ADMIN, 0, 0 },
	[MASH_ACT_USER_DISABLE] = { "disabling a user", "disabling a user",
	    NO_CASE, STAYS, ADMIN, 0, 0 },
};

/* the index of a state's name, or -1 */
static int
state_index(const char *state)
{
	int i;

	for (i = 0; state != NULL && i < NSTATES; i++)
		if (strcmp(mash_states[i], state) == 0)
			return i;
	return -1;
}

enum mash_may
mash_action_may(enum mash_action a, const char *state, int roles, int mine)
{
	const struct rule *r = &rules[a];
	int s = state_index(state);

	if (roles & r->anyone)
		return MASH_MAY;
	if ((roles & r->screening) && s >= 0 && (S(s) & S_SCREENING))
		return MASH_MAY;
	if ((roles & r->own & SW) && (mine & MASH_MINE_ASSIGNED))
		return MASH_MAY;
	if ((roles & r->own & AGENCY) && (mine & MASH_MINE_ASKED))
		return MASH_MAY;
	if (roles & r->own & SW)
		return MASH_MAY_NOT_ASSIGNED;
	if (roles & r->own & AGENCY)
		return MASH_MAY_NOT_ASKED;
	return MASH_MAY_NOT_ROLE;
}

int
mash_action_from(enum mash_action a, const char *state)
{
	int s = state_index(state);

	return s >= 0 && (rules[a].from & S(s)) != 0;
}

enum mash_may
mash_action_allowed(enum mash_action a, const char *state, int roles,
    int mine)
{
	enum mash_may may;

	if ((may = mash_action_may(a, state, roles, mine)) != MASH_MAY)
		return may;
	if (rules[a].from != NO_CASE && !mash_action_from(a, state))
		return MASH_MAY_NOT_STATE;
	return MASH_MAY;
}

const char *
mash_action_next(enum mash_action a)
{
	return rules[a].to == STAYS ? NULL : mash_states[rules[a].to];
}

/*
 * The roles a refusal names: those of the hub's own staff; an agency
 * officer is told of their agency instead, and a screener past
 * screening has no part in the case any more.
 */
int
mash_action_roles(enum mash_action a)
{
	return rules[a].anyone | (rules[a].own & ~AGENCY);
}

const char *
mash_action_what(enum mash_action a)
{
	return rules[a].what;
}

/* the states an action is allowed from, as "'new' or 'screened'" */
static void
from_states(int mask, char *buf, size_t n)
{
	size_t len = 0;
	int i, k = 0;

	buf[0] = '\0';
	for (i = 0; i < NSTATES; i++)
		if (mask & S(i))
			k++;
	for (i = 0; i < NSTATES; i++) {
		if (!(mask & S(i)))
			continue;
		k--;
		len += (size_t)snprintf(buf + len, len < n ? n - len : 0,
		    "%s'%s'", len == 0 ? "" : k == 0 ? " or " : ", ",
		    mash_states[i]);
		if (len >= n)
			return;
	}
}

int
mash_state_check(int64_t id, const char *state, enum mash_action a)
{
	char allowed[80];
	int s;

	if ((s = state_index(state)) < 0)
		return mash_err(MASH_ESOFTWARE, "case %lld has an unknown "
		    "state", (long long)id);
	if (mash_action_from(a, state))
		return MASH_OK;
	from_states(rules[a].from, allowed, sizeof(allowed));
	return mash_err(MASH_EDATA, "case %lld is '%s', not %s: %s is not "
	    "allowed; from '%s': %s", (long long)id, state, allowed,
	    rules[a].doing, state, allows[s]);
}

int
mash_user_keeps_admin(int64_t admins, int was, int now)
{
	return !(was & ADMIN) || (now & ADMIN) || admins > 1;
}
