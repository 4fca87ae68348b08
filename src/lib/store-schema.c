/*
 * store-schema.c: the store's schema (schema.sql.h), the upgrade from
 * one version to the next, and what a new store starts with: the
 * settings and their defaults, the agencies, the criteria and the
 * bank holidays.  It calls nothing of the store above the query
 * layer, so that opening a store and changing its settings both call
 * here, and not each other.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "schema.sql.h"
#include "schema-pg.sql.h"

_Static_assert(SCHEMA_PG_VERSION == SCHEMA_VERSION,
    "schema-pg.sql.h is the schema of the last version");

int
db_schema_version(void)
{
	return SCHEMA_VERSION;
}

int
db_schema_app(void)
{
	return APPLICATION_ID;
}

/*
 * Run the scripts from version v on, and write the version reached.  A
 * PostgreSQL store is made at the last version in one script: it has
 * no older versions to upgrade from.
 */
int
db_schema_upgrade(struct mash *m, int v)
{
	int rc;

	if (db_pg(m) && v == 0) {
		if ((rc = db_script(m, schema_pg, "cannot create the store"))
		    != MASH_OK)
			return rc;
		v = SCHEMA_VERSION;
	}
	for (; v < SCHEMA_VERSION; v++)
		if ((rc = db_script(m, schema[v],
		    "cannot upgrade the store")) != MASH_OK)
			return rc;
	return db_version_set(m, v, APPLICATION_ID);
}

/* the settings, their defaults and what each takes (mash-admin(1)) */
const struct setting db_settings[] = {
	{ "screening.due", "1wd", SETTING_DURATION,
	    "receipt to accept or decline" },
	{ "rag.red.decision", "4h", SETTING_DURATION,
	    "acceptance to decision, red" },
	{ "rag.amber.decision", "1wd", SETTING_DURATION,
	    "acceptance to decision, amber" },
	{ "rag.green.decision", "3wd", SETTING_DURATION,
	    "acceptance to decision, green" },
	{ "rag.red.request", "2h", SETTING_DURATION,
	    "information request, red" },
	{ "rag.amber.request", "6wh", SETTING_DURATION,
	    "information request, amber" },
	{ "rag.green.request", "2wd", SETTING_DURATION,
	    "information request, green" },
	{ "office.hours", "09:00-17:00", SETTING_HOURS,
	    "working hours, Monday to Friday, local time" },
	{ "hub.timezone", "Europe/London", SETTING_ZONE,
	    "local time: deadlines, office hours, tables, input" },
	/* the returns (mash-return(1)); no LA code until one is set */
	{ "hub.la-code", "", SETTING_LA_CODE,
	    "the local authority's three-digit DfE code, for returns" },
	{ "hub.team", "MASH", SETTING_LABEL, "the Allocated Team of Annex A" },
	{ "return.referral-outcomes", "cpat", SETTING_OUTCOME_LIST,
	    "outcomes that make a contact a referral" },
	{ "return.nfa-outcomes", "nfa", SETTING_OUTCOME_LIST,
	    "referral outcomes that are no further action" },
	{ "retention.years", "6", SETTING_YEARS,
	    "years a closed case is kept before a purge erases it" },
	{ "retention.until-age", "25", SETTING_AGE,
	    "nor erased before each child of the case is this age" },
	{ "overdue.account", "", SETTING_LOGIN,
	    "the login cron runs mash-overdue as; empty: any" },
};
const size_t db_nsettings = sizeof(db_settings) / sizeof(db_settings[0]);

static const struct {
	const char	*code;
	const char	*name;
} agencies[] = {
	{ "csc", "Children's social care" },
	{ "police", "Police" },
	{ "health", "Health" },
	{ "education", "Education" },
	{ "probation", "Probation" },
	{ "housing", "Housing" },
	{ "yos", "Youth offending service" },
};

static const struct {
	const char	*code;
	const char	*text;
} criteria[] = {
	{ "significant-harm",
	    "reasonable cause to suspect significant harm" },
	{ "complex-needs", "complex needs" },
	{ "additional-needs", "additional needs" },
	{ "repeat-referral", "three or more contacts in twelve months" },
	{ "open-case", "already open to social care" },
	{ "domestic-abuse", "domestic abuse" },
	{ "exploitation", "exploitation" },
	{ "missing", "missing" },
	{ "unborn", "unborn child" },
};

#define HOLIDAYS_FROM	2020
#define HOLIDAYS_YEARS	10	/* beyond this year, and at least to 2035 */

static int
seed_holidays(struct mash *m)
{
	struct mash_holiday h[16];
	char today[MASH_DATE_LEN];
	int y, last, rc;
	size_t i, n;

	mash_time_localdate(m->now, today);
	last = atoi(today) + HOLIDAYS_YEARS;
	if (last < 2035)
		last = 2035;
	for (y = HOLIDAYS_FROM; y <= last; y++) {
		n = mash_bank_holidays(y, h, sizeof(h) / sizeof(h[0]));
		for (i = 0; i < n; i++)
			if ((rc = db_exec(m, "INSERT INTO holidays (date, name)"
			    " VALUES (?, ?)", "tt", h[i].date, h[i].name)) !=
			    MASH_OK)
				return rc;
	}
	return MASH_OK;
}

int
db_seed(struct mash *m, const char *admin)
{
	size_t i;
	int rc;

	for (i = 0; i < db_nsettings; i++)
		if ((rc = db_exec(m, "INSERT INTO settings (key, value) "
		    "VALUES (?, ?)", "tt", db_settings[i].key,
		    db_settings[i].value)) != MASH_OK)
			return rc;
	for (i = 0; i < sizeof(agencies) / sizeof(agencies[0]); i++)
		if ((rc = db_exec(m, "INSERT INTO agencies (code, name) "
		    "VALUES (?, ?)", "tt", agencies[i].code, agencies[i].name))
		    != MASH_OK)
			return rc;
	for (i = 0; i < sizeof(criteria) / sizeof(criteria[0]); i++)
		if ((rc = db_exec(m, "INSERT INTO criteria (code, text) "
		    "VALUES (?, ?)", "tt", criteria[i].code, criteria[i].text))
		    != MASH_OK)
			return rc;
	if ((rc = seed_holidays(m)) != MASH_OK)
		return rc;
	return db_exec(m, "INSERT INTO users (login, roles, created_at) "
	    "VALUES (?, 'admin', ?)", "tT", admin, m->now);
}

const struct setting *
db_setting_find(const char *key)
{
	size_t i;

	for (i = 0; i < db_nsettings; i++)
		if (strcmp(db_settings[i].key, key) == 0)
			return &db_settings[i];
	return NULL;
}

/*
 * Local time is the hub's, whatever the caller's TZ (mash(7)): read
 * before the clock starts, since MASH_NOW may be local time.  A store
 * with no schema yet (read: 0) has the default zone.
 */
int
db_zone(struct mash *m, int read)
{
	const struct setting *s = db_setting_find("hub.timezone");
	char *zone = NULL;
	int rc;

	if (read && (rc = db_str(m, &zone, "SELECT value FROM settings "
	    "WHERE key = 'hub.timezone'", "")) != MASH_OK)
		return rc;
	if (mash_zone_set(zone ? zone : s->value) != 0)
		rc = mash_err(MASH_ECONFIG, "setting 'hub.timezone': '%s' is "
		    "not a time zone installed here", zone ? zone : s->value);
	else
		rc = MASH_OK;
	free(zone);
	return rc;
}
