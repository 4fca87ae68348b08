/*
 * store-admin.c: the store's own house-keeping: users, settings, the
 * holiday calendar, criteria, agencies, checks and backups.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

enum setting_kind {
	DURATION, HOURS, WHOLE, ZONE, LA_CODE, LABEL, OUTCOME_LIST, YEARS, AGE,
	LOGIN
};

static const struct setting {
	const char		*key;
	const char		*value;
	enum setting_kind	 kind;
	const char		*about;
} settings[] = {
	{ "screening.due", "1wd", DURATION, "receipt to accept or decline" },
	{ "rag.red.decision", "4h", DURATION, "acceptance to decision, red" },
	{ "rag.amber.decision", "1wd", DURATION,
	    "acceptance to decision, amber" },
	{ "rag.green.decision", "3wd", DURATION,
	    "acceptance to decision, green" },
	{ "rag.red.request", "2h", DURATION, "information request, red" },
	{ "rag.amber.request", "6wh", DURATION, "information request, amber" },
	{ "rag.green.request", "2wd", DURATION, "information request, green" },
	{ "office.hours", "09:00-17:00", HOURS,
	    "working hours, Monday to Friday, local time" },
	{ "hub.timezone", "Europe/London", ZONE,
	    "local time: deadlines, office hours, tables, input" },
	/* the returns (mash-return(1)); no LA code until one is set */
	{ "hub.la-code", "", LA_CODE,
	    "the local authority's three-digit DfE code, for returns" },
	{ "hub.team", "MASH", LABEL, "the Allocated Team of Annex A" },
	{ "return.referral-outcomes", "cpat", OUTCOME_LIST,
	    "outcomes that make a contact a referral" },
	{ "return.nfa-outcomes", "nfa", OUTCOME_LIST,
	    "referral outcomes that are no further action" },
	{ "retention.years", "6", YEARS,
	    "years a closed case is kept before a purge erases it" },
	{ "retention.until-age", "25", AGE,
	    "nor erased before each child of the case is this age" },
	{ "overdue.account", "", LOGIN,
	    "the login cron runs mash-overdue as; empty: any" },
};
#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

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

	for (i = 0; i < NSETTINGS; i++)
		if ((rc = db_exec(m, "INSERT INTO settings (key, value) "
		    "VALUES (?, ?)", "tt", settings[i].key, settings[i].value))
		    != MASH_OK)
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
	if ((rc = db_exec(m, "INSERT INTO users (login, roles, created_at) "
	    "VALUES (?, 'admin', ?)", "tT", admin, m->now)) != MASH_OK)
		return rc;
	return db_audit(m, "init", 0, "admin", admin, NULL);
}

int
mash_agency_known(struct mash *m, const char *code)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prep(m, "SELECT 1 FROM agencies WHERE code = ?")) == NULL)
		return 0;
	db_bind(m, st, "t", code);
	rc = db_step(m, st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW;
}

const char *
mash_agency_find(struct mash *m, const char *s, char *buf)
{
	if (mash_code_fold(s, buf, MASH_CODE_MAX) == NULL ||
	    !mash_agency_known(m, buf))
		return NULL;
	return buf;
}

/* the codes a statement gives, as a refusal lists them: "csc, police" */
static void
codes_text(struct mash *m, const char *sql, char *buf, size_t size)
{
	sqlite3_stmt *st;
	size_t n = 0;

	buf[0] = '\0';
	if ((st = db_prep(m, sql)) == NULL)
		return;
	while (n < size && db_step(m, st) == SQLITE_ROW)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
		    db_text(st, 0) ? db_text(st, 0) : "");
	sqlite3_reset(st);
}

/*
 * A code of the hub's own lists that is not in it, refused with the
 * codes that are (mash(7), CODES): "--agency 'x' is not a known agency
 * (csc, police, ...)"; opt may be NULL
 */
int
db_code_unknown(struct mash *m, enum db_codelist list, const char *opt,
    const char *given)
{
	static const char *const sql[] = {
		[DB_AGENCIES] = "SELECT code FROM agencies ORDER BY code",
		[DB_CRITERIA] = "SELECT code FROM criteria ORDER BY code"
	};
	char known[1024];

	codes_text(m, sql[list], known, sizeof(known));
	return mash_err(MASH_EDATA, "%s%s'%s' is not a known %s (%s)",
	    opt ? opt : "", opt ? " " : "", given,
	    list == DB_AGENCIES ? "agency" : "criterion", known);
}

int
mash_user_add(struct mash *m, const char *login, const char *roles,
    const char *name, const char *agency)
{
	const char *why, *given = agency;
	char ab[MASH_CODE_MAX], rb[128];
	cJSON *d;
	int mask, rc;

	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, "adding a user")) != 0)
		return rc;
	if ((why = mash_check_login(login)) != NULL)
		return mash_err(MASH_EDATA, "login '%s' %s", login, why);
	if (mash_code_fold(roles, rb, sizeof(rb)) != NULL)
		roles = rb;
	if ((mask = mash_roles_parse(roles)) < 0)
		return mash_err(MASH_EDATA, "--role '%s' is not a list of "
		    "roles (%s)", roles, mash_codes_text(MASH_CODE_ROLE));
	if (name != NULL && (why = mash_check_name(name)))
		return mash_err(MASH_EDATA, "--name %s", why);
	if ((mask & MASH_ROLE_AGENCY) && agency == NULL)
		return mash_err(MASH_EDATA, "role 'agency' needs --agency");
	if (agency != NULL && (agency = mash_agency_find(m, agency, ab)) ==
	    NULL)
		return db_code_unknown(m, DB_AGENCIES, "--agency", given);
	rc = db_exec(m, "INSERT INTO users (login, name, roles, agency, "
	    "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
	    "ttttT", login, name, roles, agency, m->now);
	if (rc != MASH_OK)
		return rc;
	if (sqlite3_changes(m->db) == 0)
		return mash_err(MASH_EDATA, "user '%s' already exists", login);
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "login", login);
	cJSON_AddStringToObject(d, "roles", roles);
	if (agency)
		cJSON_AddStringToObject(d, "agency", agency);
	rc = mash_audit(m, "user-add", 0, d);
	cJSON_Delete(d);
	return rc;
}

/* the number of enabled admins: never none, or nobody can mend it */
static int
admins(struct mash *m, int64_t *n)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prep(m, "SELECT count(*) FROM users WHERE enabled = 1 "
	    "AND ',' || roles || ',' LIKE '%,admin,%'")) == NULL)
		return MASH_ESOFTWARE;
	rc = db_step(m, st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? MASH_OK : db_status(rc);
}

/*
 * After a change to one user: there was such a user, and an enabled
 * admin is left, or nobody could mend the store (the change is rolled
 * back with its transaction)
 */
static int
user_changed(struct mash *m, const char *login, const char *keep)
{
	int64_t n;
	int rc;

	if (sqlite3_changes(m->db) == 0)
		return mash_err(MASH_ENOINPUT, "no such user '%s'", login);
	if ((rc = admins(m, &n)) != MASH_OK)
		return rc;
	if (n == 0)
		return mash_err(MASH_EDATA, "user '%s' is the last admin: %s",
		    login, keep);
	return MASH_OK;
}

int
mash_user_enable(struct mash *m, const char *login, int enable)
{
	int rc;

	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, enable ?
	    "enabling a user" : "disabling a user")) != 0)
		return rc;
	if ((rc = db_exec(m, "UPDATE users SET enabled = ? WHERE login = ?",
	    "it", (int64_t)enable, login)) != MASH_OK)
		return rc;
	if ((rc = user_changed(m, login, "not disabling them")) != MASH_OK)
		return rc;
	return db_audit(m, enable ? "user-enable" : "user-disable", 0,
	    "login", login, NULL);
}

/* a user with the role agency has an agency, whatever set last */
static int
agency_users(struct mash *m, const char *login)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prep(m, "SELECT 1 FROM users WHERE login = ? AND "
	    "agency IS NULL AND ',' || roles || ',' LIKE '%,agency,%'")) ==
	    NULL)
		return MASH_ESOFTWARE;
	db_bind(m, st, "t", login);
	rc = db_step(m, st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return mash_err(MASH_EDATA, "role 'agency' needs --agency");
	return rc == SQLITE_DONE ? MASH_OK : db_status(rc);
}

/* the fields of user set that were given, for the audit row */
static cJSON *
changed_fields(const char *roles, const char *name, const char *agency)
{
	cJSON *a = cJSON_CreateArray();

	if (roles != NULL)
		cJSON_AddItemToArray(a, cJSON_CreateString("roles"));
	if (name != NULL)
		cJSON_AddItemToArray(a, cJSON_CreateString("name"));
	if (agency != NULL)
		cJSON_AddItemToArray(a, cJSON_CreateString("agency"));
	return a;
}

/* a user's roles, name or agency; the last admin keeps the role */
int
mash_user_set(struct mash *m, const char *login, const char *roles,
    const char *name, const char *agency)
{
	const char *why, *given = agency;
	char ab[MASH_CODE_MAX], rb[128];
	cJSON *d;
	int rc;

	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, "changing a user")))
		return rc;
	if (roles != NULL && mash_code_fold(roles, rb, sizeof(rb)) != NULL)
		roles = rb;
	if (roles != NULL && mash_roles_parse(roles) < 0)
		return mash_err(MASH_EDATA, "--role '%s' is not a list of "
		    "roles (%s)", roles, mash_codes_text(MASH_CODE_ROLE));
	if (name != NULL && (why = mash_check_name(name)))
		return mash_err(MASH_EDATA, "--name %s", why);
	if (agency != NULL && (agency = mash_agency_find(m, agency, ab)) ==
	    NULL)
		return db_code_unknown(m, DB_AGENCIES, "--agency", given);
	if ((rc = db_exec(m, "UPDATE users SET roles = coalesce(?1, roles), "
	    "name = coalesce(?2, name), agency = coalesce(?3, agency) "
	    "WHERE login = ?4", "tttt", roles, name, agency, login)))
		return rc;
	if ((rc = user_changed(m, login, "they keep the role 'admin'")))
		return rc;
	if ((rc = agency_users(m, login)) != MASH_OK)
		return rc;
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "login", login);
	cJSON_AddItemToObject(d, "changed", changed_fields(roles, name,
	    agency));
	if (roles != NULL)
		cJSON_AddStringToObject(d, "roles", roles);
	rc = mash_audit(m, "user-set", 0, d);
	cJSON_Delete(d);
	return rc;
}


/* every row of a fixed query, to the output */
static int
table(struct mash *m, const char *sql, struct mash_out *out)
{
	sqlite3_stmt *st;

	if ((st = db_prep(m, sql)) == NULL)
		return MASH_ESOFTWARE;
	return db_list(m, st, out);
}

int
mash_user_list(struct mash *m, struct mash_out *out)
{
	return table(m, "SELECT login, name, roles, agency, "
	    "enabled, created_at FROM users ORDER BY login", out);
}

static const struct setting *
find_setting(const char *key)
{
	size_t i;

	for (i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].key, key) == 0)
			return &settings[i];
	return NULL;
}

char *
mash_setting(struct mash *m, const char *key)
{
	const struct setting *s;
	sqlite3_stmt *st;
	char *v = NULL;

	if ((s = find_setting(key)) == NULL)
		return NULL;
	if ((st = db_prep(m, "SELECT value FROM settings WHERE key = ?")))
	{
		db_bind(m, st, "t", key);
		if (db_step(m, st) == SQLITE_ROW)
			v = mash_xstrdup(db_text(st, 0));
		sqlite3_reset(st);
	}
	return v ? v : mash_xstrdup(s->value);
}

int
mash_setting_has(struct mash *m, const char *key, const char *code)
{
	char *v, *p, *tok;
	int has = 0;

	if ((v = mash_setting(m, key)) == NULL)
		return 0;
	for (p = v; !has && (tok = strsep(&p, ",")) != NULL; )
		has = strcmp(tok, code) == 0;
	free(v);
	return has;
}

/*
 * Local time is the hub's, whatever the caller's TZ (mash(7)): read
 * before the clock starts, since MASH_NOW may be local time.  Before
 * the store is checked or made, it may have no settings table: that is
 * the default zone, and the checks that follow say what is wrong.
 */
int
db_zone(struct mash *m)
{
	const struct setting *s = find_setting("hub.timezone");
	sqlite3_stmt *st;
	char *zone = NULL;
	int rc;

	rc = sqlite3_prepare_v2(m->db, "SELECT value FROM settings "
	    "WHERE key = 'hub.timezone'", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		if ((rc = sqlite3_step(st)) == SQLITE_ROW && db_text(st, 0))
			zone = mash_xstrdup(db_text(st, 0));
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_fail(m, rc, "cannot read the store");
	} else if ((rc & 0xff) != SQLITE_ERROR)
		return db_fail(m, rc, "cannot read the store");
	if (mash_zone_set(zone ? zone : s->value) != 0)
		rc = mash_err(MASH_ECONFIG, "setting 'hub.timezone': '%s' is "
		    "not a time zone installed here", zone ? zone : s->value);
	else
		rc = MASH_OK;
	free(zone);
	return rc;
}

int
mash_setting_whole(const char *v, int lo, int hi)
{
	long n = 0;

	if (v == NULL || *v == '\0' || strlen(v) > 3 ||
	    strspn(v, "0123456789") != strlen(v))
		return -1;
	n = strtol(v, NULL, 10);
	return n < lo || n > hi ? -1 : (int)n;
}

int
mash_config_show(struct mash *m, const char *key, struct mash_out *out)
{
	cJSON *o;
	char *v;
	size_t i;
	int rc = MASH_OK;

	if (key != NULL && find_setting(key) == NULL)
		return mash_err(MASH_EDATA, "no such setting '%s'", key);
	for (i = 0; i < NSETTINGS && rc == MASH_OK; i++) {
		if (key != NULL && strcmp(key, settings[i].key) != 0)
			continue;
		v = mash_setting(m, settings[i].key);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "key", settings[i].key);
		cJSON_AddStringToObject(o, "value", v);
		cJSON_AddStringToObject(o, "default", settings[i].value);
		cJSON_AddStringToObject(o, "about", settings[i].about);
		rc = mash_out_row(out, o);
		cJSON_Delete(o);
		free(v);
	}
	return rc;
}

/* "cpat,early-help": outcome codes, each once */
static int
outcome_list_ok(const char *v)
{
	char *copy, *p, *tok;
	const char *seen[8];
	size_t n = 0, i;
	int ok = *v != '\0';

	copy = mash_xstrdup(v);
	for (p = copy; ok && (tok = strsep(&p, ",")) != NULL; ) {
		ok = mash_code_find(MASH_CODE_OUTCOME, tok) != NULL &&
		    strcmp(mash_code_find(MASH_CODE_OUTCOME, tok), tok) == 0;
		for (i = 0; ok && i < n; i++)
			ok = strcmp(seen[i], tok) != 0;
		if (ok && n < sizeof(seen) / sizeof(seen[0]))
			seen[n++] = tok;
	}
	free(copy);
	return ok;
}

/* the settings of the returns (mash-return(1)) */
static int
return_setting_ok(enum setting_kind kind, const char *v)
{
	switch (kind) {
	case LA_CODE:
		return strlen(v) == 3 && strspn(v, "0123456789") == 3;
	case LABEL:
		return *v != '\0' && mash_check_name(v) == NULL;
	case OUTCOME_LIST:
		return outcome_list_ok(v);
	default:
		return 1;
	}
}

static const char *
kind_said(enum setting_kind kind)
{
	static char said[160];

	switch (kind) {
	case DURATION:
		return "a duration (90m, 4h, 6wh, 3wd)";
	case HOURS:
		return "office hours (HH:MM-HH:MM)";
	case ZONE:
		return "a time zone of the tz database (Area/City)";
	case LA_CODE:
		return "a local authority code (three digits)";
	case LABEL:
		return "a name on one line";
	case OUTCOME_LIST:
		snprintf(said, sizeof(said), "a list of outcomes, with commas "
		    "(%s)", mash_codes_text(MASH_CODE_OUTCOME));
		return said;
	case LOGIN:
		return "a login name, or empty";
	default:
		return "a value this setting takes";
	}
}

int
mash_config_set(struct mash *m, const char *key, const char *value)
{
	const struct setting *s;
	struct mash_duration d;
	struct mash_calendar c;
	int rc;

	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, "changing a setting")))
		return rc;
	if ((s = find_setting(key)) == NULL)
		return mash_err(MASH_EDATA, "no such setting '%s'", key);
	if ((s->kind == DURATION && mash_duration_parse(value, &d) != 0) ||
	    (s->kind == HOURS && mash_office_hours_parse(value, &c) != 0) ||
	    (s->kind == ZONE && mash_zone_check(value) != 0) ||
	    (s->kind == LOGIN && *value != '\0' &&
	    mash_check_login(value) != NULL) ||
	    !return_setting_ok(s->kind, value))
		return mash_err(MASH_ECONFIG, "setting '%s': '%s' is not %s",
		    key, value, kind_said(s->kind));
	if ((s->kind == YEARS || s->kind == AGE) &&
	    mash_setting_whole(value, s->kind == YEARS ? 1 : 0, 120) < 0)
		return mash_err(MASH_ECONFIG, "setting '%s': '%s' is not a "
		    "whole number of years from %d to 120", key, value,
		    s->kind == YEARS ? 1 : 0);
	if ((rc = db_exec(m, "INSERT INTO settings (key, value) VALUES (?, ?)"
	    " ON CONFLICT (key) DO UPDATE SET value = excluded.value", "tt",
	    key, value)) != MASH_OK)
		return rc;
	m->ndurations = 0;
	return db_audit(m, "config", 0, "key", key, "value", value, NULL);
}

int
mash_holiday_add(struct mash *m, const char *date, const char *name)
{
	char d[MASH_DATE_LEN];
	const char *why;
	int rc;

	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, "editing holidays")))
		return rc;
	if (mash_date_parse(date, d) != 0)
		return mash_err(MASH_EDATA, "'%s' is not a date", date);
	if (name != NULL && (why = mash_check_name(name)))
		return mash_err(MASH_EDATA, "holiday name %s", why);
	if ((rc = db_exec(m, "INSERT INTO holidays (date, name) VALUES (?, ?)"
	    " ON CONFLICT (date) DO UPDATE SET name = excluded.name", "tt", d,
	    name ? name : "")) != MASH_OK)
		return rc;
	return db_audit(m, "holiday-add", 0, "date", d, "~name", name, NULL);
}

int
mash_holiday_rm(struct mash *m, const char *date)
{
	char d[MASH_DATE_LEN];
	int rc;

	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, "editing holidays")))
		return rc;
	if (mash_date_parse(date, d) != 0)
		return mash_err(MASH_EDATA, "'%s' is not a date", date);
	if ((rc = db_exec(m, "DELETE FROM holidays WHERE date = ?", "t", d)))
		return rc;
	if (sqlite3_changes(m->db) == 0)
		return mash_err(MASH_ENOINPUT, "no holiday on '%s'", d);
	return db_audit(m, "holiday-rm", 0, "date", d, NULL);
}

int
mash_holiday_list(struct mash *m, struct mash_out *out)
{
	return table(m, "SELECT date, name FROM holidays ORDER BY date", out);
}

/* a new code of the hub's own (a criterion, an agency) and its text */
static int
code_add(struct mash *m, const char *what, const char *sql,
    const char *action, const char *code, const char *text)
{
	const char *why;
	int rc;

	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, action)) != MASH_OK)
		return rc;
	if (mash_check_login(code) != NULL || strchr(code, '.') ||
	    strchr(code, '_'))
		return mash_err(MASH_EDATA, "%s '%s' is not a code "
		    "(lower case letters, digits and hyphens)", what, code);
	if ((why = mash_check_name(text)) != NULL)
		return mash_err(MASH_EDATA, "%s text %s", what, why);
	if ((rc = db_exec(m, sql, "tt", code, text)) != MASH_OK)
		return rc;
	if (sqlite3_changes(m->db) == 0)
		return mash_err(MASH_EDATA, "%s '%s' already exists", what,
		    code);
	return db_audit(m, action, 0, "code", code, "~text", text, NULL);
}

int
mash_criteria_add(struct mash *m, const char *code, const char *text)
{
	return code_add(m, "criterion", "INSERT INTO criteria (code, text) "
	    "VALUES (?, ?) ON CONFLICT DO NOTHING", "criteria-add", code,
	    text);
}

int
mash_criteria_list(struct mash *m, struct mash_out *out)
{
	return table(m, "SELECT code, text FROM criteria ORDER BY code", out);
}

int
mash_agency_add(struct mash *m, const char *code, const char *name)
{
	return code_add(m, "agency", "INSERT INTO agencies (code, name) "
	    "VALUES (?, ?) ON CONFLICT DO NOTHING", "agency-add", code, name);
}

int
mash_agency_list(struct mash *m, struct mash_out *out)
{
	return table(m, "SELECT code, name FROM agencies ORDER BY code", out);
}

static int
calendar_load(struct mash *m)
{
	sqlite3_stmt *st;
	char *hours;
	size_t n = 0, cap = 256;
	int rc;

	m->cal = mash_xmalloc(sizeof(*m->cal));
	memset(m->cal, 0, sizeof(*m->cal));
	hours = mash_setting(m, "office.hours");
	rc = mash_office_hours_parse(hours, m->cal);
	free(hours);
	if (rc != 0)
		return mash_err(MASH_ECONFIG, "setting 'office.hours' is bad");
	if ((st = db_prep(m, "SELECT CAST(replace(date, '-', '') AS INTEGER) "
	    "FROM holidays ORDER BY date")) == NULL)
		return MASH_ESOFTWARE;
	m->holidays = mash_xmalloc(cap * sizeof(int));
	while ((rc = db_step(m, st)) == SQLITE_ROW) {
		if (n == cap)
			m->holidays = mash_xrealloc(m->holidays,
			    (cap *= 2) * sizeof(int));
		m->holidays[n++] = sqlite3_column_int(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_status(rc);
	m->cal->holidays = m->holidays;
	m->cal->nholidays = n;
	return MASH_OK;
}

int
db_calendar(struct mash *m, const struct mash_calendar **cal)
{
	int rc;

	if (m->cal == NULL && (rc = calendar_load(m)) != MASH_OK) {
		free(m->cal);
		m->cal = NULL;
		return rc;
	}
	*cal = m->cal;
	return MASH_OK;
}

int
mash_deadline_from(struct mash *m, const char *key, mash_time start,
    mash_time *end)
{
	const struct mash_calendar *cal;
	char from[MASH_TIME_LEN];
	struct mash_duration d;
	size_t i;
	char *v;
	int rc;

	/* an import asks for one setting per case: read each once */
	for (i = 0; i < m->ndurations; i++)
		if (strcmp(m->durations[i].key, key) == 0)
			break;
	if (i < m->ndurations)
		d = m->durations[i].d;
	else {
		if ((v = mash_setting(m, key)) == NULL)
			return mash_err(MASH_ESOFTWARE, "no setting '%s'", key);
		rc = mash_duration_parse(v, &d);
		free(v);
		if (rc != 0)
			return mash_err(MASH_ECONFIG, "setting '%s' is not a "
			    "duration", key);
		if (m->ndurations < sizeof(m->durations) /
		    sizeof(m->durations[0])) {
			snprintf(m->durations[m->ndurations].key,
			    sizeof(m->durations[0].key), "%s", key);
			m->durations[m->ndurations++].d = d;
		}
	}
	if ((rc = db_calendar(m, &cal)) != MASH_OK)
		return rc;
	if ((rc = mash_deadline(cal, start, &d, end)) ==
	    MASH_DEADLINE_RANGE) {
		mash_time_utc(start, from);
		return mash_err(MASH_EDATA, "the deadline '%s' from %s is "
		    "past the year %d: not recorded", key, from,
		    MASH_YEAR_MAX);
	}
	if (rc != 0)
		return mash_err(MASH_ECONFIG, "no deadline for setting '%s'",
		    key);
	return MASH_OK;
}

/* one check's finding, as a row; counts problems */
static int
finding(struct mash_out *out, const char *check, const char *status,
    const char *detail, int *problems)
{
	cJSON *o;
	int rc;

	if (strcmp(status, "ok") != 0 && strcmp(status, "info") != 0)
		(*problems)++;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "check", check);
	cJSON_AddStringToObject(o, "status", status);
	cJSON_AddStringToObject(o, "detail", detail);
	rc = mash_out_row(out, o);
	cJSON_Delete(o);
	return rc;
}

static int
check_integrity(struct mash *m, struct mash_out *out, int *problems)
{
	sqlite3_stmt *st;
	char detail[256] = "";
	int rc, bad = 0;

	if ((rc = sqlite3_prepare_v2(m->db, "PRAGMA integrity_check", -1, &st,
	    NULL)) != SQLITE_OK)
		return finding(out, "integrity", "fail", sqlite3_errstr(rc),
		    problems);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (strcmp(db_text(st, 0), "ok") != 0 && bad++ == 0)
			snprintf(detail, sizeof(detail), "%s", db_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return finding(out, "integrity", "fail", sqlite3_errstr(rc),
		    problems);
	return finding(out, "integrity", bad ? "fail" : "ok",
	    bad ? detail : "integrity_check ok", problems);
}

static int
check_foreign_keys(struct mash *m, struct mash_out *out, int *problems)
{
	sqlite3_stmt *st;
	char detail[128];
	int rc, n = 0;

	if ((rc = sqlite3_prepare_v2(m->db, "PRAGMA foreign_key_check", -1,
	    &st, NULL)) != SQLITE_OK)
		return finding(out, "foreign-keys", "fail", sqlite3_errstr(rc),
		    problems);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		n++;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return finding(out, "foreign-keys", "fail", sqlite3_errstr(rc),
		    problems);
	snprintf(detail, sizeof(detail), "%d broken reference%s", n,
	    n == 1 ? "" : "s");
	return finding(out, "foreign-keys", n ? "fail" : "ok", detail,
	    problems);
}

static int
check_schema(struct mash *m, struct mash_out *out, int *problems)
{
	char detail[64];
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(m->db, "PRAGMA user_version", -1, &st, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	snprintf(detail, sizeof(detail), "schema version %d", v);
	return finding(out, "schema", v == db_schema_version() ? "ok" : "fail",
	    detail, problems);
}

/* nothing can be overdue in a store with no open case */
static int
any_open(struct mash *m, int *open)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prep(m, "SELECT 1 FROM cases WHERE state IN "
	    "('new','screened','mash','recorded') LIMIT 1")) == NULL)
		return MASH_ESOFTWARE;
	rc = db_step(m, st);
	sqlite3_reset(st);
	*open = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MASH_OK : db_status(rc);
}

/*
 * A cron job that silently stopped is itself a risk to children.  Only
 * a run by the account overdue.account names counts: anyone's run by
 * hand says nothing of cron (mash-admin(1)).
 */
static int
check_overdue_run(struct mash *m, struct mash_out *out, int *problems)
{
	sqlite3_stmt *st;
	char detail[160], by[80] = "";
	const char *status = "warn";
	char *account;
	mash_time last;
	int rc, open;

	account = mash_setting(m, "overdue.account");
	if (*account != '\0')
		snprintf(by, sizeof(by), " by '%s'", account);
	if ((st = db_prep(m, "SELECT at FROM audit WHERE action = "
	    "'overdue-run' AND (?1 = '' OR actor = ?1) ORDER BY id DESC "
	    "LIMIT 1")) == NULL) {
		free(account);
		return MASH_ESOFTWARE;
	}
	db_bind(m, st, "t", account);
	rc = db_step(m, st);
	if (rc == SQLITE_ROW && db_text(st, 0) != NULL &&
	    mash_time_parse(db_text(st, 0), &last) == 0) {
		snprintf(detail, sizeof(detail), "last overdue check%s %s", by,
		    db_text(st, 0));
		/* a run dated ahead would look fresh for ever */
		if (last > m->now) {
			status = "fail";
			strcat(detail, ": in the future of this check");
		} else if (m->now - last <= 24 * 3600)
			status = "ok";
		else
			strcat(detail, ": none in the last day");
		sqlite3_reset(st);
	} else {
		sqlite3_reset(st);
		snprintf(detail, sizeof(detail), "no overdue check%s has run",
		    by);
		if ((rc = any_open(m, &open)) != MASH_OK) {
			free(account);
			return rc;
		}
		if (!open) {
			status = "ok";
			strcat(detail, "; no case is open");
		}
	}
	if (*account == '\0')
		strcat(detail, " (setting 'overdue.account' is empty: a run by "
		    "anyone counts)");
	free(account);
	return finding(out, "overdue-run", status, detail, problems);
}

/*
 * One person whose children carry two NHS numbers is two children with
 * one history: matching no longer makes one, but a store may hold one
 * made before it was refused.  Reads every numbered child, as the
 * whole-store checks above read everything.
 */
static int
check_nhs_numbers(struct mash *m, struct mash_out *out, int *problems)
{
	sqlite3_stmt *st;
	char detail[128];
	int64_t n;
	int rc;

	if ((st = db_prep(m, "/* whole store */ SELECT count(*) FROM "
	    "(SELECT person_id FROM children WHERE nhs_number IS NOT NULL "
	    "GROUP BY person_id HAVING min(nhs_number) <> max(nhs_number))"))
	    == NULL)
		return MASH_ESOFTWARE;
	if ((rc = db_step(m, st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return finding(out, "nhs-numbers", "fail", sqlite3_errstr(rc),
		    problems);
	}
	n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	snprintf(detail, sizeof(detail), "%lld person%s with children of "
	    "different NHS numbers", (long long)n, n == 1 ? "" : "s");
	return finding(out, "nhs-numbers", n ? "fail" : "ok", detail,
	    problems);
}

static int
check_deployment(struct mash *m, struct mash_out *out, int *problems)
{
	const char *why;
	char buf[160];
	int bad;

	if ((why = mash_deployment(m->path, buf, sizeof(buf), &bad)) == NULL)
		return finding(out, "deployment", "ok", mash_priv_setgid() ?
		    "a hub: set-group-id, the store shared with its group" :
		    "one user: the store is its owner's alone", problems);
	return finding(out, "deployment", bad ? "fail" : "warn", why,
	    problems);
}

/* the whole trail recomputed: mash-audit verify without anchors */
static int
check_audit_chain(struct mash *m, struct mash_out *out, int *problems)
{
	struct mash_verdict v;
	char detail[sizeof(v.detail)];
	int rc;

	/* a trail that cannot be read is a finding, as a damaged page is */
	if ((rc = db_audit_verify(m, NULL, 0, &v)) != MASH_OK &&
	    rc != MASH_FOUND)
		return finding(out, "audit-chain", "fail", "cannot read the "
		    "audit trail", problems);
	if (rc == MASH_OK)
		snprintf(detail, sizeof(detail), "%lld rows chained, the last "
		    "%lld:%s", (long long)v.rows, (long long)v.last_id,
		    v.last_hash);
	return finding(out, "audit-chain", rc == MASH_OK ? "ok" : "fail",
	    rc == MASH_OK ? detail : v.detail, problems);
}

int
mash_check(struct mash *m, struct mash_out *out)
{
	int problems = 0, rc;

	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, "checking the store")))
		return rc;
	if ((rc = check_schema(m, out, &problems)) != MASH_OK ||
	    (rc = check_integrity(m, out, &problems)) != MASH_OK ||
	    (rc = check_foreign_keys(m, out, &problems)) != MASH_OK ||
	    (rc = check_nhs_numbers(m, out, &problems)) != MASH_OK ||
	    (rc = check_audit_chain(m, out, &problems)) != MASH_OK ||
	    (rc = check_overdue_run(m, out, &problems)) != MASH_OK ||
	    (rc = check_deployment(m, out, &problems)) != MASH_OK)
		return rc;
	return problems ? MASH_FOUND : MASH_OK;
}

/* the copy, written with the user's own rights (mash(7)) */
static int
copy_store(struct mash *m, const char *file)
{
	sqlite3_backup *b;
	sqlite3 *dst;
	int rc;

	mash_user_begin();
	if ((rc = sqlite3_open_v2(file, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW, NULL)) == SQLITE_OK) {
		/* all pages in one step: a consistent snapshot */
		if ((b = sqlite3_backup_init(dst, "main", m->db, "main"))) {
			rc = sqlite3_backup_step(b, -1);
			sqlite3_backup_finish(b);
		} else
			rc = sqlite3_errcode(dst);
		if (rc == SQLITE_DONE)
			rc = sqlite3_exec(dst, "PRAGMA journal_mode = WAL",
			    NULL, NULL, NULL);
	}
	sqlite3_close(dst);
	mash_user_end();
	return rc;
}

/*
 * The backup is audited, and the row committed, before a page is
 * copied: a copy of the store never escapes the trail.
 */
int
mash_backup(struct mash *m, const char *file)
{
	int fd, rc;

	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, "a backup")) != MASH_OK)
		return rc;
	if ((fd = mash_user_create(file)) == -1)
		return mash_err(MASH_ECANTCREAT, "cannot create backup '%s':",
		    file);
	close(fd);
	if ((rc = mash_begin(m)) == MASH_OK &&
	    (rc = db_audit(m, "backup", 0, "file", file, NULL)) == MASH_OK)
		rc = mash_commit(m);
	if (rc != MASH_OK) {
		mash_user_unlink(file);
		return rc;
	}
	if ((rc = copy_store(m, file)) != SQLITE_OK) {
		mash_user_unlink(file);
		return mash_err(db_status(rc) ? db_status(rc) : MASH_EIO,
		    "backup to '%s' failed: %s", file, sqlite3_errstr(rc));
	}
	return MASH_OK;
}
