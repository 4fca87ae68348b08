/*
 * casework.c: the rules of mash(7), every action from every state by
 * every kind of user, against a table written out here; the words of a
 * refusal; the last-admin rule
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libmash.h"
#include "tap.h"

#define ADMIN		MASH_ROLE_ADMIN
#define SCR		MASH_ROLE_SCREENER
#define HEAD		MASH_ROLE_HEAD
#define SW		MASH_ROLE_SW
#define AGENCY		MASH_ROLE_AGENCY
#define AUDITOR		MASH_ROLE_AUDITOR

#define NSTATES		5
#define NACTIONS	(MASH_ACT_USER_DISABLE + 1)

/* who acts: their roles, and how they stand to the case */
static const struct who {
	const char	*name;
	int		 roles, mine;
} whos[] = {
	{ "an admin", ADMIN, 0 },
	{ "a screener", SCR, 0 },
	{ "the Head", HEAD, 0 },
	{ "its social worker", SW, MASH_MINE_ASSIGNED },
	{ "another social worker", SW, 0 },
	{ "an officer of the agency asked", AGENCY, MASH_MINE_ASKED },
	{ "an officer of another agency", AGENCY, 0 },
	{ "an auditor", AUDITOR, 0 },
	{ "a screener and social worker, not its", SCR | SW, 0 },
	{ "an officer and social worker, neither", AGENCY | SW, 0 },
};
#define NWHOS	(sizeof(whos) / sizeof(whos[0]))

/*
 * For each action, what each of whos[] in turn gets from the states
 * new, screened, mash, recorded and closed: '.' allowed, 'r' not their
 * role, 'a' not assigned to them, 'k' not their agency asked, 's' not
 * from that state.  Then the state it leads to, and the roles that a
 * refusal names.
 */
static const struct want {
	enum mash_action a;
	const char	*grid;
	const char	*next;
	int		 roles;
} wants[] = {
	/*   admin scr   head  sw    sw2   asked other audit sc+sw ag+sw */
	{ MASH_ACT_SCREEN,
	    "rrrrr ..sss ..sss rrrrr rrrrr rrrrr rrrrr rrrrr ..sss rrrrr",
	    "screened", SCR | HEAD },
	{ MASH_ACT_ACCEPT,
	    "rrrrr rrrrr ..sss rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr",
	    "mash", HEAD },
	{ MASH_ACT_DECLINE,
	    "rrrrr rrrrr ..sss rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr",
	    "closed", HEAD },
	{ MASH_ACT_RERATE,
	    "rrrrr rrrrr ss.ss rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr",
	    NULL, HEAD },
	{ MASH_ACT_SHARE,
	    "rrrrr rrrrr ....s rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr",
	    NULL, HEAD },
	{ MASH_ACT_MATCH,
	    "rrrrr ....s ....s rrrrr rrrrr rrrrr rrrrr rrrrr ....s rrrrr",
	    NULL, SCR | HEAD },
	{ MASH_ACT_REQUEST,
	    "rrrrr rrrrr ss.ss ss.ss aaaaa rrrrr rrrrr rrrrr aaaaa aaaaa",
	    NULL, HEAD | SW },
	{ MASH_ACT_ANSWER,
	    "rrrrr rrrrr ss.ss ss.ss aaaaa ss.ss kkkkk rrrrr aaaaa aaaaa",
	    NULL, HEAD | SW },
	{ MASH_ACT_RECORD,
	    "rrrrr rrrrr ss.ss ss.ss aaaaa rrrrr rrrrr rrrrr aaaaa aaaaa",
	    "recorded", HEAD | SW },
	{ MASH_ACT_DECIDE,
	    "rrrrr rrrrr sss.s rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr",
	    "closed", HEAD },
	{ MASH_ACT_RETURN,
	    "rrrrr rrrrr sss.s rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr",
	    "mash", HEAD },
	{ MASH_ACT_CONSENT,
	    "rrrrr ..rrr ....s ....s aaaaa rrrrr rrrrr rrrrr ..aaa aaaaa",
	    NULL, HEAD | SW },
	{ MASH_ACT_WITHDRAW,
	    "rrrrr rrrrr ss.ss ss.ss aaaaa rrrrr rrrrr rrrrr aaaaa aaaaa",
	    NULL, HEAD | SW },
	{ MASH_ACT_NEED,
	    "rrrrr rrrrr ssss. rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr",
	    NULL, HEAD },
	{ MASH_ACT_VIEW,
	    "rrrrr ..rrr ..... ..... aaaaa rrrrr rrrrr rrrrr ..aaa aaaaa",
	    NULL, HEAD | SW },
	/* done to no one case: the state does not matter */
	{ MASH_ACT_LIST,
	    "rrrrr ..... ..... ..... ..... rrrrr rrrrr rrrrr ..... .....",
	    NULL, HEAD | SCR | SW },
	{ MASH_ACT_NAMES,
	    "rrrrr ..... ..... ..... ..... rrrrr rrrrr rrrrr ..... .....",
	    NULL, HEAD | SCR | SW },
	{ MASH_ACT_USER_ADD,
	    "..... rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr",
	    NULL, ADMIN },
	{ MASH_ACT_USER_SET,
	    "..... rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr",
	    NULL, ADMIN },
	{ MASH_ACT_USER_ENABLE,
	    "..... rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr",
	    NULL, ADMIN },
	{ MASH_ACT_USER_DISABLE,
	    "..... rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr rrrrr",
	    NULL, ADMIN },
};
#define NWANTS	(sizeof(wants) / sizeof(wants[0]))

static char
letter(enum mash_may may)
{
	switch (may) {
	case MASH_MAY:
		return '.';
	case MASH_MAY_NOT_ROLE:
		return 'r';
	case MASH_MAY_NOT_ASSIGNED:
		return 'a';
	case MASH_MAY_NOT_ASKED:
		return 'k';
	case MASH_MAY_NOT_STATE:
		return 's';
	}
	return '?';
}

static void
test_table(void)
{
	char got[8];
	size_t i, w;
	int s;

	ok(NWANTS == NACTIONS, "the table here has a row for every action");
	for (i = 0; i < NWANTS; i++) {
		const struct want *t = &wants[i];
		const char *what = mash_action_what(t->a);

		ok(t->a == (enum mash_action)i, "row %zu is action %zu", i, i);
		for (w = 0; w < NWHOS; w++) {
			char name[160];

			for (s = 0; s < NSTATES; s++)
				got[s] = letter(mash_action_allowed(t->a,
				    mash_states[s], whos[w].roles,
				    whos[w].mine));
			got[s] = '\0';
			snprintf(name, sizeof(name), "%s, by %s", what,
			    whos[w].name);
			if (!ok(strncmp(got, t->grid + 6 * w, 5) == 0,
			    "%s: %.5s", name, t->grid + 6 * w))
				printf("#   got %s\n", got);
		}
		is(mash_action_next(t->a), t->next, what);
		ok(mash_action_roles(t->a) == t->roles,
		    "%s: a refusal names the roles it should", what);
	}
}

/* what no case, or a state that is none, gives */
static void
test_no_state(void)
{
	ok(mash_action_allowed(MASH_ACT_LIST, NULL, HEAD, 0) == MASH_MAY,
	    "a listing needs no case");
	ok(mash_action_allowed(MASH_ACT_USER_ADD, NULL, ADMIN, 0) == MASH_MAY,
	    "adding a user needs no case");
	ok(mash_action_allowed(MASH_ACT_SCREEN, NULL, HEAD, 0) ==
	    MASH_MAY_NOT_STATE, "screening needs a case in a state");
	ok(mash_action_allowed(MASH_ACT_SCREEN, "open", HEAD, 0) ==
	    MASH_MAY_NOT_STATE, "a state that is none allows nothing");
	ok(mash_action_allowed(MASH_ACT_CONSENT, "New", SCR, 0) ==
	    MASH_MAY_NOT_ROLE, "states are matched exactly, as stored");
	ok(!mash_action_from(MASH_ACT_VIEW, NULL), "no state, no start");
	ok(mash_action_allowed(MASH_ACT_VIEW, "closed", 0, 0) ==
	    MASH_MAY_NOT_ROLE, "no role, no view");
}

static void
test_states(void)
{
	char all[80] = "";
	int i;

	for (i = 0; mash_states[i] != NULL; i++)
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s",
		    i ? " " : "", mash_states[i]);
	is(all, "new screened mash recorded closed",
	    "the five states, in order");
	ok(mash_code_find(MASH_CODE_STATE, "Recorded") == mash_states[3],
	    "validate.c's states are casework.c's");
	ok(mash_code_find(MASH_CODE_STATE, "open") == NULL,
	    "and no other");
}

/* the message mash_state_check prints, caught from standard error */
static int
state_check(int64_t id, const char *state, enum mash_action a, char *msg,
    size_t n)
{
	FILE *f = tmpfile();
	int fd, rc;
	size_t len;

	fflush(stderr);
	fd = dup(2);
	dup2(fileno(f), 2);
	rc = mash_state_check(id, state, a);
	fflush(stderr);
	dup2(fd, 2);
	close(fd);
	rewind(f);
	len = fread(msg, 1, n - 1, f);
	msg[len] = '\0';
	if (len > 0 && msg[len - 1] == '\n')
		msg[len - 1] = '\0';
	fclose(f);
	return rc;
}

static void
test_refusals(void)
{
	char msg[400];

	mash_setprogname("casework");
	ok(state_check(7, "mash", MASH_ACT_DECLINE, msg, sizeof(msg)) ==
	    MASH_EDATA, "declining from 'mash': 65");
	is(msg, "casework: case 7 is 'mash', not 'new' or 'screened': "
	    "declining is not allowed; from 'mash': send and answer "
	    "requests, re-rate, or write the record", "... and why");
	ok(state_check(8, "closed", MASH_ACT_CONSENT, msg, sizeof(msg)) ==
	    MASH_EDATA, "consent on a closed case: 65");
	is(msg, "casework: case 8 is 'closed', not 'new', 'screened', 'mash' "
	    "or 'recorded': recording consent is not allowed; from "
	    "'closed': nothing: a closed case is never reopened",
	    "... and why");
	ok(state_check(9, "open", MASH_ACT_SCREEN, msg, sizeof(msg)) ==
	    MASH_ESOFTWARE, "a state that is none: 70");
	is(msg, "casework: case 9 has an unknown state", "... and so said");
	ok(state_check(9, "screened", MASH_ACT_SCREEN, msg, sizeof(msg)) ==
	    MASH_OK && msg[0] == '\0', "screening again: 0, quietly");
	is(mash_action_what(MASH_ACT_SHARE), "recording a basis for sharing "
	    "without consent", "the words of a role refusal");
}

/* the hub keeps an enabled admin (mash-admin(1)) */
static void
test_last_admin(void)
{
	static const struct {
		int64_t	 admins;
		int	 was, now, keeps;
		const char *what;
	} t[] = {
		{ 1, ADMIN, HEAD, 0, "the last admin loses the role" },
		{ 1, ADMIN, 0, 0, "the last admin is disabled" },
		{ 1, ADMIN | HEAD, HEAD, 0, "the last admin keeps only head" },
		{ 1, ADMIN | HEAD, 0, 0, "the last admin, head too, disabled" },
		{ 1, ADMIN, ADMIN | HEAD, 1, "the last admin gains a role" },
		{ 1, ADMIN, ADMIN, 1, "the last admin renamed" },
		{ 2, ADMIN, HEAD, 1, "one of two admins loses the role" },
		{ 2, ADMIN, 0, 1, "one of two admins is disabled" },
		{ 1, HEAD, 0, 1, "another user is disabled" },
		{ 1, HEAD, SW, 1, "another user's roles change" },
		{ 1, 0, ADMIN, 1, "a disabled admin is enabled" },
		{ 1, 0, 0, 1, "a disabled admin loses the role" },
		{ 1, HEAD, ADMIN, 1, "a user is made an admin" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ok(mash_user_keeps_admin(t[i].admins, t[i].was, t[i].now) ==
		    t[i].keeps, "%s: %s", t[i].what,
		    t[i].keeps ? "allowed" : "refused");
}

int
main(void)
{
	test_table();
	test_no_state();
	test_states();
	test_refusals();
	test_last_admin();
	return done_testing();
}
