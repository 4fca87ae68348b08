/* mash: the front end; "mash verb arg ..." runs mash-verb, as git does */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libmash.h"

/* each line is its program's .Nd, word for word: a test holds it there */
static const char *const verbs[][2] = {
	{ "admin", "the store, its users and its rules" },
	{ "refer", "record contacts about children" },
	{ "screen", "the screening queue, and the Head of MASH's accept and "
	    "decline" },
	{ "request", "information requests to partner agencies, and their "
	    "answers" },
	{ "record", "show and write the MASH record of a case" },
	{ "decide", "the Head of MASH's decision on a MASH record" },
	{ "overdue", "list what is past its deadline, for people and for cron" },
	{ "audit", "the audit trail, its hash chain, and who saw a child's "
	    "cases" },
	{ "report", "the hub's management information, month by month or week "
	    "by week" },
	{ "return", "the statutory returns: Ofsted's Annex A lists and the "
	    "Children in Need census" },
	{ NULL, NULL }
};

/* the other pages help shows: topic, page, section, what it is */
static const char *const topics[][4] = {
	{ "mash", "mash", "7", "the hub's work, states, roles, codes and "
	    "conventions" },
	{ "import", "mash-import", "5", "CSV files of referrals for "
	    "mash-refer" },
	{ NULL, NULL, NULL, NULL }
};

static const char usage[] =
    "usage: mash verb [arg ...]\n"
    "       mash help [verb | mash | import]\n"
    "       mash -h | --version\n";

static char dir[PATH_MAX];	/* where this program is, or "" */

static int
misuse(void)
{
	fputs(usage, stderr);
	return MASH_EUSAGE;
}

static int
unknown(const char *verb)
{
	return mash_err(MASH_EUSAGE, "'%s' is not a mash verb; see 'mash help'",
	    verb);
}

/* the status of an exec that failed, after a message */
static int
failed(const char *what)
{
	int rc = errno == ENOENT ? MASH_ENOINPUT :
	    errno == EACCES ? MASH_ENOPERM : MASH_ESOFTWARE;

	return mash_err(rc, "cannot run '%s':", what);
}

/*
 * man mash-verb(1), or a topic's page; else man -l of the installed
 * page, or of the tree's
 */
static int
help(const char *verb)
{
	char name[32], cmd[80], page[PATH_MAX + 64];
	const char *sec = "1";
	int i, t;

	for (i = 0; verbs[i][0] != NULL && strcmp(verbs[i][0], verb); i++)
		;
	for (t = 0; topics[t][0] != NULL && strcmp(topics[t][0], verb); t++)
		;
	if (verbs[i][0] == NULL && topics[t][0] == NULL)
		return mash_err(MASH_EUSAGE, "'%s' is not a mash verb or topic;"
		    " see 'mash help'", verb);
	if (verbs[i][0] == NULL) {
		snprintf(name, sizeof(name), "%s", topics[t][1]);
		sec = topics[t][2];
	} else
		snprintf(name, sizeof(name), "mash-%s", verb);
	snprintf(cmd, sizeof(cmd), "man -w %s %s >/dev/null 2>&1", sec, name);
	/* MASH_MANDIR is the Makefile's MANDIR */
	snprintf(page, sizeof(page), "%s/man%s/%s.%s", MASH_MANDIR, sec, name,
	    sec);
	if (access(page, R_OK) != 0)
		snprintf(page, sizeof(page), "%s/../man/%s.%s", dir, name, sec);
	if (system(cmd) == 0)
		execlp("man", "man", sec, name, (char *)NULL);
	else if (access(page, R_OK) == 0)
		execlp("man", "man", "-l", page, (char *)NULL);
	else
		return mash_err(MASH_ENOINPUT, "no manual for '%s'", name);
	return failed("man");
}

/* mash-verb beside this program first, then on PATH */
static int
run(const char *verb, char **argv)
{
	char name[NAME_MAX + 1], path[PATH_MAX + NAME_MAX + 2];

	if (*verb == '\0' || strchr(verb, '/') != NULL ||
	    snprintf(name, sizeof(name), "mash-%s", verb) >= (int)sizeof(name))
		return unknown(verb);
	argv[0] = name;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (*dir != '\0' && access(path, X_OK) == 0)
		execv(path, argv);
	else
		execvp(name, argv);
	if (errno == ENOENT)
		return unknown(verb);
	return failed(name);
}

int
main(int argc, char **argv)
{
	const char *a = argc > 1 ? argv[1] : "";
	ssize_t n;
	char *p;
	int i;

	mash_setprogname(argv[0]);
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n > 0 && n < (ssize_t)sizeof(dir) - 1 &&
	    (p = memrchr(dir, '/', n)) != NULL)
		*p = '\0';
	else
		*dir = '\0';
	if (argc < 2 || (strcmp(a, "help") == 0 && argc > 3))
		return misuse();
	if (strcmp(a, "--version") == 0) {
		printf("mash %s\n", MASH_VERSION);
		return mash_close_stdout();
	}
	if (strcmp(a, "help") == 0 && argc == 3)
		return help(argv[2]);
	if (strcmp(a, "help") != 0 && strcmp(a, "-h") != 0 &&
	    strcmp(a, "--help") != 0)
		return *a != '-' ? run(a, argv + 1) :
		    (mash_warn("unknown option '%s'", a), misuse());
	printf("%s\nEach verb runs the program mash-verb:\n\n", usage);
	for (i = 0; verbs[i][0] != NULL; i++)
		printf("   %-9s %s\n", verbs[i][0], verbs[i][1]);
	printf("\n'mash help verb' shows the manual of mash-verb; and\n\n");
	for (i = 0; topics[i][0] != NULL; i++)
		printf("  mash help %-7s %s(%s): %s\n", topics[i][0],
		    topics[i][1], topics[i][2], topics[i][3]);
	return mash_close_stdout();
}
