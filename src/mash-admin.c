/* mash-admin: the store, its users and its rules */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "[-d db] [-o format] init [--admin login] [--pg-group role]\n"
    "[-d db] [-o format] user add login --role role[,role] [--name name] "
    "[--agency agency]\n"
    "[-d db] [-o format] user set login [--role role[,role]] [--name name] "
    "[--agency agency]\n"
    "[-d db] [-o format] user list | user disable login | "
    "user enable login\n"
    "[-d db] [-o format] config [key [value]]\n"
    "[-d db] [-o format] holiday add date [name] | holiday rm date | "
    "holiday list\n"
    "[-d db] [-o format] criteria add code text | criteria list\n"
    "[-d db] [-o format] agency add code name | agency list\n"
    "[-d db] [-o format] check | backup file\n"
    "[-d db] [-o format] hold case --reason text | unhold case\n"
    "[-d db] [-o format] purge [--dry-run]\n"
    "\n"
    "--admin login\twith init: the first admin (default: you)\n"
    "--pg-group role\twith init on PostgreSQL: the programs' role "
    "(default: mash)\n"
    "--role role[,role]\tthe user's roles\n"
    "--name name\tthe user's full name\n"
    "--agency agency\tthe agency of a user with the role agency\n"
    "--reason text\twhy the case is put on hold\n"
    "--dry-run\twith purge: list what would be erased, erase nothing";

enum {
	OPT_ROLE = MASH_OPT_FIRST, OPT_NAME, OPT_AGENCY, OPT_ADMIN, OPT_REASON,
	OPT_DRY_RUN, OPT_PG_GROUP
};

static const struct option longopts[] = {
	MASH_CLI_LONG,
	{ "role", required_argument, NULL, OPT_ROLE },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "agency", required_argument, NULL, OPT_AGENCY },
	{ "admin", required_argument, NULL, OPT_ADMIN },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "pg-group", required_argument, NULL, OPT_PG_GROUP },
	{ NULL, 0, NULL, 0 }
};

static const struct mash_col user_cols[] = {
	{ "login", NULL, 0 }, { "name", NULL, 0 }, { "roles", NULL, 0 },
	{ "agency", NULL, 0 }, { "enabled", NULL, 0 },
	{ "created_at", NULL, MASH_COL_TIME }, { NULL, NULL, 0 }
};
static const struct mash_col config_cols[] = {
	{ "key", NULL, 0 }, { "value", NULL, 0 }, { "default", NULL, 0 },
	{ "about", NULL, MASH_COL_WIDE }, { NULL, NULL, 0 }
};
static const struct mash_col holiday_cols[] = {
	{ "date", NULL, 0 }, { "name", NULL, 0 }, { NULL, NULL, 0 }
};
static const struct mash_col code_cols[] = {
	{ "code", NULL, 0 }, { "text", NULL, 0 }, { NULL, NULL, 0 }
};
static const struct mash_col agency_cols[] = {
	{ "code", NULL, 0 }, { "name", NULL, 0 }, { NULL, NULL, 0 }
};
static const struct mash_col check_cols[] = {
	{ "check", NULL, 0 }, { "status", NULL, 0 }, { "detail", NULL, 0 },
	{ NULL, NULL, 0 }
};

static struct mash_cli cli;
static const char *role, *name, *agency, *admin, *reason, *pg_group;
static int dry_run;

/* what a command leaves to do once its transaction has ended */
static struct {
	const struct mash_col	*cols;		/* a listing's rows to print */
	cJSON			*rows;
	const char		*backup;	/* a backup's file to copy to */
	int			 purged;	/* a purge to scrub from the file */
} then;

/* a listing: one library call, its rows printed after the transaction */
static int
show(struct mash *m, const struct mash_col *cols,
    int (*fn)(struct mash *, cJSON **))
{
	then.cols = cols;
	return fn(m, &then.rows);
}

static int
args(int argc, int min, int max)
{
	if (argc < min || argc > max)
		mash_usage(&cli, MASH_EUSAGE);
	return 1;
}

static int
user(struct mash *m, int argc, char **argv)
{
	struct mash_user u = { argc >= 2 ? argv[1] : NULL, role, name, agency };

	if (argc >= 1 && strcmp(argv[0], "list") == 0 && args(argc, 1, 1))
		return show(m, user_cols, mash_user_list);
	if (argc >= 1 && strcmp(argv[0], "add") == 0 && args(argc, 2, 2)) {
		if (role == NULL)
			return mash_err(MASH_EUSAGE, "user add needs --role");
		return mash_user_add(m, &u);
	}
	if (argc >= 1 && strcmp(argv[0], "set") == 0 && args(argc, 2, 2)) {
		if (role == NULL && name == NULL && agency == NULL)
			return mash_err(MASH_EUSAGE, "user set needs --role, "
			    "--name or --agency");
		return mash_user_set(m, &u);
	}
	if (argc >= 1 && strcmp(argv[0], "disable") == 0 && args(argc, 2, 2))
		return mash_user_enable(m, argv[1], 0);
	if (argc >= 1 && strcmp(argv[0], "enable") == 0 && args(argc, 2, 2))
		return mash_user_enable(m, argv[1], 1);
	mash_usage(&cli, MASH_EUSAGE);
}

/* a setting changed says what it was and is, once it is committed */
static struct {
	const char	*key, *value;
	char		*was;
} setting;

static int
config_set(struct mash *m, const char *key, const char *value)
{
	setting.key = key;
	setting.value = value;
	setting.was = mash_setting(m, key);
	return mash_config_set(m, key, value);
}

static int
config(struct mash *m, int argc, char **argv)
{
	args(argc, 0, 2);
	if (argc == 2)
		return config_set(m, argv[0], argv[1]);
	then.cols = config_cols;
	return mash_config_show(m, argc ? argv[0] : NULL, &then.rows);
}

static int
holiday(struct mash *m, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "list") == 0 && args(argc, 1, 1))
		return show(m, holiday_cols, mash_holiday_list);
	if (argc >= 1 && strcmp(argv[0], "add") == 0 && args(argc, 2, 3))
		return mash_holiday_add(m, argv[1],
		    argc == 3 ? argv[2] : NULL);
	if (argc >= 1 && strcmp(argv[0], "rm") == 0 && args(argc, 2, 2))
		return mash_holiday_rm(m, argv[1]);
	mash_usage(&cli, MASH_EUSAGE);
}

static int
codes(struct mash *m, int argc, char **argv, int agencies)
{
	if (argc >= 1 && strcmp(argv[0], "list") == 0 && args(argc, 1, 1))
		return agencies ? show(m, agency_cols, mash_agency_list) :
		    show(m, code_cols, mash_criteria_list);
	if (argc >= 1 && strcmp(argv[0], "add") == 0 && args(argc, 3, 3))
		return agencies ? mash_agency_add(m, argv[1],
		    argv[2]) : mash_criteria_add(m, argv[1], argv[2]);
	mash_usage(&cli, MASH_EUSAGE);
}

/* a legal hold on a case, or its end (mash-admin(1), RETENTION) */
static int
hold(struct mash *m, const char *cmd, int argc, char **argv)
{
	int64_t id;

	args(argc, 1, 1);
	if (mash_parse_id(argv[0], &id) != 0)
		return mash_err(MASH_EUSAGE, "'%s' is not a case id", argv[0]);
	if (*cmd == 'h')
		return mash_case_hold(m, id, reason);
	return mash_case_unhold(m, id);
}

static int
purge(struct mash *m, int argc)
{
	args(argc, 0, 0);
	then.cols = mash_purge_cols;
	then.purged = !dry_run;
	return mash_purge(m, dry_run, &then.rows);
}

static int
backup(struct mash *m, const char *file)
{
	int rc;

	if ((rc = mash_backup(m, file)) == MASH_OK)
		then.backup = file;
	return rc;
}

#define TX_NONE	(-1)

/*
 * The subcommands that change the store, each run in one write
 * transaction with its audit row; check, which goes on past a damaged
 * page, in none; the others, and purge --dry-run, in one read
 * transaction
 */
static const struct {
	const char	*cmd;
	const char	*sub;	/* its first argument; NULL: any */
	int		 argc;	/* with sub NULL: how many arguments */
	int		 tx;	/* MASH_TX_WRITE or TX_NONE */
} changes[] = {
	{ "user", "add", 0, MASH_TX_WRITE },
	{ "user", "set", 0, MASH_TX_WRITE },
	{ "user", "enable", 0, MASH_TX_WRITE },
	{ "user", "disable", 0, MASH_TX_WRITE },
	{ "config", NULL, 2, MASH_TX_WRITE },
	{ "holiday", "add", 0, MASH_TX_WRITE },
	{ "holiday", "rm", 0, MASH_TX_WRITE },
	{ "criteria", "add", 0, MASH_TX_WRITE },
	{ "agency", "add", 0, MASH_TX_WRITE },
	{ "hold", NULL, 1, MASH_TX_WRITE }, { "unhold", NULL, 1, MASH_TX_WRITE },
	{ "backup", NULL, 1, MASH_TX_WRITE }, { "purge", NULL, 0, MASH_TX_WRITE },
	{ "check", NULL, 0, TX_NONE }
};

/* the transaction the command (argv[0]) with its arguments runs in */
static int
tx_of(int argc, char **argv)
{
	size_t i;

	for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		if (strcmp(argv[0], changes[i].cmd) != 0)
			continue;
		if (changes[i].sub == NULL ? changes[i].argc == argc - 1 :
		    argc >= 2 && strcmp(argv[1], changes[i].sub) == 0)
			return dry_run ? MASH_TX_READ : changes[i].tx;
	}
	return MASH_TX_READ;
}

struct command {
	int	  argc;
	char	**argv;
	int	  rc;	/* the command's own status */
};

static int	command(struct mash *, int, char **);

static int
command_tx(struct mash *m, void *p)
{
	struct command *c = p;

	return c->rc = command(m, c->argc, c->argv);
}

/*
 * The command in its transaction; then, once it has ended as the
 * command said (not after a failed commit), what it listed is printed,
 * and the backup copied or the purge scrubbed from the file.
 */
static int
run(struct mash *m, int argc, char **argv)
{
	struct command c = { argc, argv, MASH_OK };
	int rc, wr = MASH_OK, tx;

	if ((tx = tx_of(argc, argv)) == TX_NONE)
		rc = command_tx(m, &c);
	else
		rc = mash_tx(m, tx, command_tx, &c);
	if (rc == c.rc)
		wr = mash_print(&cli, then.cols, then.rows);
	cJSON_Delete(then.rows);
	if (rc == MASH_OK && then.purged)
		rc = mash_scrub(m);
	if (then.backup != NULL)
		rc = mash_backup_copy(m, then.backup, rc);
	if (rc == MASH_OK && setting.key != NULL)
		mash_warn("setting '%s' is now '%s' (it was '%s')",
		    setting.key, setting.value, setting.was);
	free(setting.was);
	return mash_worse(rc, wr);
}

static int
command(struct mash *m, int argc, char **argv)
{
	const char *cmd = argv[0];

	argc--, argv++;
	if (strcmp(cmd, "user") == 0)
		return user(m, argc, argv);
	if (strcmp(cmd, "config") == 0)
		return config(m, argc, argv);
	if (strcmp(cmd, "holiday") == 0)
		return holiday(m, argc, argv);
	if (strcmp(cmd, "criteria") == 0)
		return codes(m, argc, argv, 0);
	if (strcmp(cmd, "agency") == 0)
		return codes(m, argc, argv, 1);
	if (strcmp(cmd, "check") == 0 && args(argc, 0, 0))
		return show(m, check_cols, mash_check);
	if (strcmp(cmd, "backup") == 0 && args(argc, 1, 1))
		return backup(m, argv[0]);
	if (strcmp(cmd, "hold") == 0 || strcmp(cmd, "unhold") == 0)
		return hold(m, cmd, argc, argv);
	if (strcmp(cmd, "purge") == 0)
		return purge(m, argc);
	mash_usage(&cli, MASH_EUSAGE);
}

int
main(int argc, char **argv)
{
	struct mash *m;
	const char *path;
	int ch, rc, rc2;

	mash_cli_init(&cli, argv[0], usage);
	while ((ch = getopt_long(argc, argv, MASH_CLI_SHORT, longopts, NULL))
	    != -1) {
		if (mash_cli_option(&cli, ch, optarg))
			continue;
		if (ch == OPT_ROLE)
			role = optarg;
		else if (ch == OPT_NAME)
			name = optarg;
		else if (ch == OPT_AGENCY)
			agency = optarg;
		else if (ch == OPT_ADMIN)
			admin = optarg;
		else if (ch == OPT_REASON)
			reason = optarg;
		else if (ch == OPT_DRY_RUN)
			dry_run = 1;
		else if (ch == OPT_PG_GROUP)
			pg_group = optarg;
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		mash_usage(&cli, MASH_EUSAGE);
	path = mash_db_path(cli.db);
	if (strcmp(argv[0], "init") == 0) {
		args(argc, 1, 1);
		rc = mash_create(&m, path, admin, pg_group);
	} else if (admin != NULL || pg_group != NULL || (reason != NULL &&
	    strcmp(argv[0], "hold") != 0) || (dry_run &&
	    strcmp(argv[0], "purge") != 0))
		mash_usage(&cli, MASH_EUSAGE);
	else if ((rc = mash_open(&m, path)) == MASH_OK)
		rc = run(m, argc, argv);
	mash_close(m);
	rc2 = mash_close_stdout();
	return mash_worse(rc, rc2);
}
