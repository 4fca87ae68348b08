/*
 * priv.c: the one place where a set-group-id program uses its group.
 *
 * In a hub install (mash(7), DEPLOYMENT) every mash-VERB program is
 * set-group-id to the group that owns the store, and the hub's users
 * are not members of it: only the programs can open the store.  The
 * group is needed for that and for nothing else.  Every file a user
 * names is opened or created here with the user's own rights, the
 * group dropped around the one call, so that the group lends nothing
 * to a file the user could not reach; a program run for the user (the
 * editor) loses the group for good before it starts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libmash.h"

int
mash_priv_setgid(void)
{
	return getegid() != getgid();
}

/*
 * Act with the user's own group, or take the program's back.  Neither
 * can fail in a program whose saved group is its effective one; if it
 * did, going on would act with the wrong rights, so stop.
 */
static gid_t	saved = (gid_t)-1;

static void
user_rights(void)
{
	int e = errno;

	if (!mash_priv_setgid())
		return;
	saved = getegid();
	if (setegid(getgid()) == -1)
		mash_die(MASH_ESOFTWARE, "cannot drop the group:");
	errno = e;
}

static void
group_rights(void)
{
	int e = errno;

	if (saved == (gid_t)-1)
		return;
	if (setegid(saved) == -1)
		mash_die(MASH_ESOFTWARE, "cannot take the group back:");
	saved = (gid_t)-1;
	errno = e;
}

/*
 * Never a file of the hub's group, even one the user may open: the
 * store's -wal and -shm are in it, reachable by no path the user may
 * search but by /proc/self/fd of this very program.
 */
FILE *
mash_user_fopen(const char *path)
{
	gid_t hub = getegid();
	struct stat sb;
	FILE *fp;

	user_rights();
	fp = fopen(path, "re");
	group_rights();
	if (fp != NULL && mash_priv_setgid() && (fstat(fileno(fp), &sb) ==
	    -1 || sb.st_gid == hub)) {
		fclose(fp);
		errno = EACCES;
		return NULL;
	}
	return fp;
}

int
mash_user_create(const char *path)
{
	int fd;

	user_rights();
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	group_rights();
	return fd;
}

int
mash_user_mkstemp(char *tmpl)
{
	int fd;

	/* mkstemp makes the file 0600 */
	user_rights();
	fd = mkostemp(tmpl, O_CLOEXEC);
	group_rights();
	return fd;
}

int
mash_user_rename(const char *from, const char *to)
{
	int rc;

	user_rights();
	rc = rename(from, to);
	group_rights();
	return rc;
}

int
mash_user_unlink(const char *path)
{
	int rc;

	user_rights();
	rc = unlink(path);
	group_rights();
	return rc;
}

void
mash_user_begin(void)
{
	user_rights();
}

void
mash_user_end(void)
{
	group_rights();
}

/* in a child, before exec: the group is gone for good, saved one too */
int
mash_priv_drop(void)
{
	gid_t g = getgid();

	if (setresgid(g, g, g) == -1)
		return -1;
	return getegid() == g ? 0 : -1;
}

/* who besides the owner may write a file of this mode and group */
static const char *
writers(const struct stat *sb)
{
	/* in a hub the programs' group writes the store, no one else */
	int hub = mash_priv_setgid() && sb->st_gid == getegid();

	if (sb->st_mode & S_IWOTH)
		return "every user";
	if ((sb->st_mode & S_IWGRP) && !hub)
		return "its group";
	return NULL;
}

/*
 * The deployment, as mash-admin check reports it (mash(7)): a store or
 * a directory that someone other than its owner (and in a hub, the
 * programs' group) may write is a failure; a store other users may
 * read, opened by a program that is not set-group-id, a warning.
 * Returns NULL when all is well, else what is wrong, in buf.
 */
const char *
mash_deployment(const char *path, char *buf, size_t n, int *bad)
{
	char dir[4096], *slash;
	struct stat sb, db;
	const char *who;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else
		slash[slash == dir] = '\0';
	*bad = 1;
	if (stat(path, &sb) == -1 || stat(dir, &db) == -1)
		snprintf(buf, n, "cannot see the store's modes: %s",
		    strerror(errno));
	else if ((who = writers(&sb)) != NULL)
		snprintf(buf, n, "the store (mode %04o) is writable by %s",
		    (unsigned)(sb.st_mode & 07777), who);
	else if ((who = writers(&db)) != NULL)
		snprintf(buf, n, "the store's directory (mode %04o) is "
		    "writable by %s", (unsigned)(db.st_mode & 07777), who);
	else if (!mash_priv_setgid() && (sb.st_mode & (S_IRGRP | S_IROTH))) {
		*bad = 0;
		snprintf(buf, n, "the store (mode %04o) is readable by other "
		    "users, and this program is not set-group-id",
		    (unsigned)(sb.st_mode & 07777));
	} else
		return NULL;
	return buf;
}
