/*
 * casework.c: the case states of mash(7) and which action each allows,
 * pure; the store checks them inside the transaction that acts.
 */
#include <string.h>

#include "mash.h"

#define S_NEW		0x01
#define S_SCREENED	0x02
#define S_MASH		0x04
#define S_RECORDED	0x08
#define S_CLOSED	0x10
#define S_OPEN		(S_NEW | S_SCREENED | S_MASH | S_RECORDED)

static const struct {
	const char	*name;
	int		 bit;
	const char	*next;	/* what may be done from here */
} states[] = {
	{ "new", S_NEW, "screen, accept with --rag, or decline" },
	{ "screened", S_SCREENED, "screen again, accept, or decline" },
	{ "mash", S_MASH, "send and answer requests, re-rate, or write the "
	    "record" },
	{ "recorded", S_RECORDED, "decide the outcome or return the record" },
	{ "closed", S_CLOSED, "nothing: a closed case is never reopened" },
};

/* where each action may start; store-work.c makes the moves of mash(7) */
static const struct {
	enum mash_action	 action;
	const char		*name;
	int			 from;
} actions[] = {
	{ MASH_ACT_SCREEN, "screening", S_NEW | S_SCREENED },
	{ MASH_ACT_ACCEPT, "accepting", S_NEW | S_SCREENED },
	{ MASH_ACT_DECLINE, "declining", S_NEW | S_SCREENED },
	{ MASH_ACT_RERATE, "re-rating", S_MASH },
	{ MASH_ACT_SHARE, "recording a basis for sharing", S_OPEN },
	{ MASH_ACT_MATCH, "confirming a match", S_OPEN },
	{ MASH_ACT_REQUEST, "sending a request", S_MASH },
	{ MASH_ACT_ANSWER, "answering a request", S_MASH },
	{ MASH_ACT_RECORD, "writing the record", S_MASH },
	{ MASH_ACT_DECIDE, "deciding", S_RECORDED },
	{ MASH_ACT_RETURN, "returning the record", S_RECORDED },
	{ MASH_ACT_CONSENT, "recording consent", S_OPEN },
};

static int
state_bit(const char *state)
{
	size_t i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(states[i].name, state) == 0)
			return (int)i;
	return -1;
}

/* the states an action is allowed from, as "'new' or 'screened'" */
static void
from_states(int mask, char *buf, size_t n)
{
	size_t i, k = 0, len = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (mask & states[i].bit)
			k++;
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		if (!(mask & states[i].bit))
			continue;
		k--;
		len += (size_t)snprintf(buf + len, len < n ? n - len : 0,
		    "%s'%s'", len == 0 ? "" : k == 0 ? " or " : ", ",
		    states[i].name);
		if (len >= n)
			return;
	}
}

int
mash_state_check(int64_t id, const char *state, enum mash_action a)
{
	char allowed[80];
	int s;

	if ((s = state_bit(state)) < 0)
		return mash_err(MASH_ESOFTWARE, "case %lld has an unknown "
		    "state", (long long)id);
	if (actions[a].from & states[s].bit)
		return MASH_OK;
	from_states(actions[a].from, allowed, sizeof(allowed));
	return mash_err(MASH_EDATA, "case %lld is '%s', not %s: %s is not "
	    "allowed; from '%s': %s", (long long)id, state, allowed,
	    actions[a].name, state, states[s].next);
}
