/*
 * store-admin.c: the store's own house-keeping: users, settings, the
 * holiday calendar, criteria, agencies, checks and backups.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

static int
agency_known(struct mash *m, const char *code)
{
	int64_t known;

	return db_int(m, &known, "SELECT 1 FROM agencies WHERE code = ?",
	    "t", code) == MASH_OK && known;
}

const char *
mash_agency_find(struct mash *m, const char *s, char *buf)
{
	if (mash_code_fold(s, buf, MASH_CODE_MAX) == NULL ||
	    !agency_known(m, buf))
		return NULL;
	return buf;
}

/* the codes a statement gives, as a refusal lists them: "csc, police" */
static void
codes_text(struct mash *m, const char *sql, char *buf, size_t size)
{
	struct db_row *r;
	size_t n = 0;

	buf[0] = '\0';
	r = db_query(m, sql, "");
	while (db_next(r))
		if (n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s%s",
			    n ? ", " : "", db_col_text(r, 0) ?
			    db_col_text(r, 0) : "");
	db_end(r);
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
mash_user_add(struct mash *m, const struct mash_user *u)
{
	const char *login = u->login, *roles = u->roles, *name = u->name;
	const char *agency = u->agency;
	const char *why, *given = agency;
	char ab[MASH_CODE_MAX], rb[128];
	int64_t added;
	cJSON *d;
	int mask, rc;

	if ((rc = db_need(m, MASH_ACT_USER_ADD)) != MASH_OK)
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
	if ((rc = db_change(m, &added, "INSERT INTO users (login, name, roles, "
	    "agency, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
	    "ttttT", login, name, roles, agency, m->now)) != MASH_OK)
		return rc;
	if (added == 0)
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

/*
 * Before a change to a user (roles NULL, enabled -1: unchanged): there
 * is such a user, and the hub keeps an enabled admin, or nobody could
 * mend the store: casework.c's rule, on their roles before and after.
 */
static int
keeps_admin(struct mash *m, const char *login, const char *roles,
    int enabled, const char *keep)
{
	struct db_row *r;
	int64_t n;
	int rc, had, was_on;

	r = db_query(m, "SELECT roles, enabled FROM users WHERE login = ?",
	    "t", login);
	if (!db_next(r))
		return db_none(r, "no such user '%s'", login);
	if ((had = mash_roles_parse(db_col_text(r, 0))) < 0)
		had = 0;
	was_on = db_col_int(r, 1) != 0;
	if ((rc = db_end(r)) != MASH_OK ||
	    (rc = db_int(m, &n, "SELECT count(*) FROM users WHERE "
	    "enabled = 1 AND ',' || roles || ',' LIKE '%,admin,%'", "")) !=
	    MASH_OK)
		return rc;
	if (enabled < 0)
		enabled = was_on;
	if (!mash_user_keeps_admin(n, was_on ? had : 0, !enabled ? 0 :
	    roles != NULL ? mash_roles_parse(roles) : had))
		return mash_err(MASH_EDATA, "user '%s' is the last admin: %s",
		    login, keep);
	return MASH_OK;
}

int
mash_user_enable(struct mash *m, const char *login, int enable)
{
	int rc;

	if ((rc = db_need(m, enable ? MASH_ACT_USER_ENABLE :
	    MASH_ACT_USER_DISABLE)) != MASH_OK ||
	    (rc = keeps_admin(m, login, NULL, enable, "not disabling them")) ||
	    (rc = db_exec(m, "UPDATE users SET enabled = ? WHERE login = ?",
	    "it", (int64_t)enable, login)) != MASH_OK)
		return rc;
	return db_audit(m, enable ? "user-enable" : "user-disable", 0,
	    "login", login, NULL);
}

/* a user with the role agency has an agency, whatever set last */
static int
agency_users(struct mash *m, const char *login)
{
	int64_t none;
	int rc;

	if ((rc = db_int(m, &none, "SELECT 1 FROM users WHERE login = ? AND "
	    "agency IS NULL AND ',' || roles || ',' LIKE '%,agency,%'", "t",
	    login)) != MASH_OK)
		return rc;
	return none ? mash_err(MASH_EDATA, "role 'agency' needs --agency") :
	    MASH_OK;
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
mash_user_set(struct mash *m, const struct mash_user *u)
{
	const char *login = u->login, *roles = u->roles, *name = u->name;
	const char *agency = u->agency;
	const char *why, *given = agency;
	char ab[MASH_CODE_MAX], rb[128];
	cJSON *d;
	int rc;

	if ((rc = db_need(m, MASH_ACT_USER_SET)) != MASH_OK)
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
	if ((rc = keeps_admin(m, login, roles, -1, "they keep the role "
	    "'admin'")) != MASH_OK)
		return rc;
	if ((rc = db_exec(m, "UPDATE users SET roles = coalesce(?1, roles), "
	    "name = coalesce(?2, name), agency = coalesce(?3, agency) "
	    "WHERE login = ?4", "tttt", roles, name, agency, login)))
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

/* every row of a fixed query, an object each */
static int
table(struct mash *m, const char *sql, cJSON **rows)
{
	struct db_row *r;
	cJSON *o;
	int rc;

	*rows = cJSON_CreateArray();
	r = db_query(m, sql, "");
	while (db_next(r)) {
		o = cJSON_CreateObject();
		db_row_json(r, o);
		cJSON_AddItemToArray(*rows, o);
	}
	if ((rc = db_end(r)) != MASH_OK) {
		cJSON_Delete(*rows);
		*rows = NULL;
	}
	return rc;
}

int
mash_user_list(struct mash *m, cJSON **rows)
{
	cJSON *o, *e;
	int rc;

	if ((rc = table(m, "SELECT login, name, roles, agency, enabled, "
	    "created_at FROM users ORDER BY login", rows)) != MASH_OK)
		return rc;
	/* kept as 0 or 1, a flag is a JSON boolean */
	cJSON_ArrayForEach(o, *rows)
		if ((e = cJSON_GetObjectItemCaseSensitive(o, "enabled")))
			cJSON_ReplaceItemInObjectCaseSensitive(o, "enabled",
			    cJSON_CreateBool(e->valueint));
	return MASH_OK;
}

char *
mash_setting(struct mash *m, const char *key)
{
	const struct setting *s;
	char *v;

	if ((s = db_setting_find(key)) == NULL)
		return NULL;
	db_str(m, &v, "SELECT value FROM settings WHERE key = ?", "t", key);
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
mash_config_show(struct mash *m, const char *key, cJSON **rows)
{
	cJSON *o;
	char *v;
	size_t i;

	*rows = NULL;
	if (key != NULL && db_setting_find(key) == NULL)
		return mash_err(MASH_EDATA, "no such setting '%s'", key);
	*rows = cJSON_CreateArray();
	for (i = 0; i < db_nsettings; i++) {
		if (key != NULL && strcmp(key, db_settings[i].key) != 0)
			continue;
		v = mash_setting(m, db_settings[i].key);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "key", db_settings[i].key);
		cJSON_AddStringToObject(o, "value", v);
		cJSON_AddStringToObject(o, "default", db_settings[i].value);
		cJSON_AddStringToObject(o, "about", db_settings[i].about);
		cJSON_AddItemToArray(*rows, o);
		free(v);
	}
	return MASH_OK;
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
	case SETTING_LA_CODE:
		return strlen(v) == 3 && strspn(v, "0123456789") == 3;
	case SETTING_LABEL:
		return *v != '\0' && mash_check_name(v) == NULL;
	case SETTING_OUTCOME_LIST:
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
	case SETTING_DURATION:
		return "a duration (90m, 4h, 6wh, 3wd)";
	case SETTING_HOURS:
		return "office hours (HH:MM-HH:MM)";
	case SETTING_ZONE:
		return "a time zone of the tz database (Area/City)";
	case SETTING_LA_CODE:
		return "a local authority code (three digits)";
	case SETTING_LABEL:
		return "a name on one line";
	case SETTING_OUTCOME_LIST:
		snprintf(said, sizeof(said), "a list of outcomes, with commas "
		    "(%s)", mash_codes_text(MASH_CODE_OUTCOME));
		return said;
	case SETTING_LOGIN:
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
	if ((s = db_setting_find(key)) == NULL)
		return mash_err(MASH_EDATA, "no such setting '%s'", key);
	if ((s->kind == SETTING_DURATION &&
	    mash_duration_parse(value, &d) != 0) ||
	    (s->kind == SETTING_HOURS &&
	    mash_office_hours_parse(value, &c) != 0) ||
	    (s->kind == SETTING_ZONE && mash_zone_check(value) != 0) ||
	    (s->kind == SETTING_LOGIN && *value != '\0' &&
	    mash_check_login(value) != NULL) ||
	    !return_setting_ok(s->kind, value))
		return mash_err(MASH_ECONFIG, "setting '%s': '%s' is not %s",
		    key, value, kind_said(s->kind));
	if ((s->kind == SETTING_YEARS || s->kind == SETTING_AGE) &&
	    mash_setting_whole(value, s->kind == SETTING_YEARS ? 1 : 0,
	    120) < 0)
		return mash_err(MASH_ECONFIG, "setting '%s': '%s' is not a "
		    "whole number of years from %d to 120", key, value,
		    s->kind == SETTING_YEARS ? 1 : 0);
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
	int64_t n;
	int rc;

	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, "editing holidays")))
		return rc;
	if (mash_date_parse(date, d) != 0)
		return mash_err(MASH_EDATA, "'%s' is not a date", date);
	if ((rc = db_change(m, &n, "DELETE FROM holidays WHERE date = ?", "t",
	    d)))
		return rc;
	if (n == 0)
		return mash_err(MASH_ENOINPUT, "no holiday on '%s'", d);
	return db_audit(m, "holiday-rm", 0, "date", d, NULL);
}

int
mash_holiday_list(struct mash *m, cJSON **rows)
{
	return table(m, "SELECT date, name FROM holidays ORDER BY date", rows);
}

/* a new code of the hub's own (a criterion, an agency) and its text */
static int
code_add(struct mash *m, const char *what, const char *sql,
    const char *action, const char *code, const char *text)
{
	const char *why;
	int64_t n;
	int rc;

	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, action)) != MASH_OK)
		return rc;
	if (mash_check_login(code) != NULL || strchr(code, '.') ||
	    strchr(code, '_'))
		return mash_err(MASH_EDATA, "%s '%s' is not a code "
		    "(lower case letters, digits and hyphens)", what, code);
	if ((why = mash_check_name(text)) != NULL)
		return mash_err(MASH_EDATA, "%s text %s", what, why);
	if ((rc = db_change(m, &n, sql, "tt", code, text)) != MASH_OK)
		return rc;
	if (n == 0)
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
mash_criteria_list(struct mash *m, cJSON **rows)
{
	return table(m, "SELECT code, text FROM criteria ORDER BY code", rows);
}

int
mash_agency_add(struct mash *m, const char *code, const char *name)
{
	return code_add(m, "agency", "INSERT INTO agencies (code, name) "
	    "VALUES (?, ?) ON CONFLICT DO NOTHING", "agency-add", code, name);
}

int
mash_agency_list(struct mash *m, cJSON **rows)
{
	return table(m, "SELECT code, name FROM agencies ORDER BY code", rows);
}

static int
calendar_load(struct mash *m)
{
	struct db_row *r;
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
	m->holidays = mash_xmalloc(cap * sizeof(int));
	r = db_query(m, "SELECT CAST(replace(date, '-', '') AS INTEGER) "
	    "FROM holidays ORDER BY date", "");
	while (db_next(r)) {
		if (n == cap)
			m->holidays = mash_xrealloc(m->holidays,
			    (cap *= 2) * sizeof(int));
		m->holidays[n++] = (int)db_col_int(r, 0);
	}
	if ((rc = db_end(r)) != MASH_OK)
		return rc;
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
finding(cJSON *out, const char *check, const char *status,
    const char *detail, int *problems)
{
	cJSON *o;

	if (strcmp(status, "ok") != 0 && strcmp(status, "info") != 0)
		(*problems)++;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "check", check);
	cJSON_AddStringToObject(o, "status", status);
	cJSON_AddStringToObject(o, "detail", detail);
	cJSON_AddItemToArray(out, o);
	return MASH_OK;
}

static int
check_integrity(struct mash *m, cJSON *out, int *problems)
{
	char detail[256];
	int bad;

	bad = db_check_file(m, detail, sizeof(detail));
	return finding(out, "integrity", bad ? "fail" : "ok", detail,
	    problems);
}

static int
check_foreign_keys(struct mash *m, cJSON *out, int *problems)
{
	char detail[128];
	int64_t n;

	if ((n = db_check_refs(m, detail, sizeof(detail))) < 0)
		return finding(out, "foreign-keys", "fail", detail, problems);
	snprintf(detail, sizeof(detail), "%lld broken reference%s",
	    (long long)n, n == 1 ? "" : "s");
	return finding(out, "foreign-keys", n ? "fail" : "ok", detail,
	    problems);
}

static int
check_schema(struct mash *m, cJSON *out, int *problems)
{
	char detail[64];
	int v, app;

	if (db_version(m, &v, &app) != MASH_OK)
		v = -1;
	snprintf(detail, sizeof(detail), "schema version %d", v);
	return finding(out, "schema", v == db_schema_version() ? "ok" : "fail",
	    detail, problems);
}

/*
 * A cron job that silently stopped is itself a risk to children.  Only
 * a run by the account overdue.account names counts: anyone's run by
 * hand says nothing of cron (mash-admin(1)).
 */
static int
check_overdue_run(struct mash *m, cJSON *out, int *problems)
{
	char detail[160], by[80] = "";
	const char *status = "warn";
	char *account, *at;
	mash_time last;
	int64_t open;
	int rc;

	account = mash_setting(m, "overdue.account");
	if (*account != '\0')
		snprintf(by, sizeof(by), " by '%s'", account);
	/* a trail that cannot be read is the audit-chain check's finding */
	(void)db_str(m, &at, "SELECT at FROM audit WHERE action = "
	    "'overdue-run' AND (?1 = '' OR actor = ?1) ORDER BY id DESC "
	    "LIMIT 1", "t", account);
	if (at != NULL && mash_time_parse(at, &last) == 0) {
		snprintf(detail, sizeof(detail), "last overdue check%s %s", by,
		    at);
		/* a run dated ahead would look fresh for ever */
		if (last > m->now) {
			status = "fail";
			strcat(detail, ": in the future of this check");
		} else if (m->now - last <= 24 * 3600)
			status = "ok";
		else
			strcat(detail, ": none in the last day");
	} else {
		snprintf(detail, sizeof(detail), "no overdue check%s has run",
		    by);
		/* nothing can be overdue in a store with no open case */
		if ((rc = db_int(m, &open, "SELECT 1 FROM cases WHERE state IN "
		    "('new','screened','mash','recorded') LIMIT 1", "")) !=
		    MASH_OK) {
			free(account);
			free(at);
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
	free(at);
	return finding(out, "overdue-run", status, detail, problems);
}

/*
 * One person whose children carry two NHS numbers is two children with
 * one history: matching no longer makes one, but a store may hold one
 * made before it was refused.  Reads every numbered child, as the
 * whole-store checks above read everything.
 */
static int
check_nhs_numbers(struct mash *m, cJSON *out, int *problems)
{
	char detail[128];
	int64_t n;

	if (db_int(m, &n, "/* whole store */ SELECT count(*) FROM "
	    "(SELECT person_id FROM children WHERE nhs_number IS NOT NULL "
	    "GROUP BY person_id HAVING min(nhs_number) <> max(nhs_number)) "
	    "AS p",
	    "") != MASH_OK)
		return finding(out, "nhs-numbers", "fail", db_error(m),
		    problems);
	snprintf(detail, sizeof(detail), "%lld person%s with children of "
	    "different NHS numbers", (long long)n, n == 1 ? "" : "s");
	return finding(out, "nhs-numbers", n ? "fail" : "ok", detail,
	    problems);
}

/*
 * On PostgreSQL the server's roles and grants decide who reaches the
 * tables; what the store itself must keep is the audit table's three
 * triggers, enabled, which refuse a change even to the tables' owner
 * (mash(7), DEPLOYMENT)
 */
static int
check_pg_deployment(struct mash *m, cJSON *out, int *problems)
{
	int64_t n;
	int rc;

	if ((rc = db_int(m, &n, "SELECT count(*) FROM pg_trigger WHERE "
	    "tgrelid = 'audit'::regclass AND tgenabled <> 'D' AND tgname IN "
	    "('audit_no_update', 'audit_no_delete', 'audit_no_truncate')",
	    "")) != MASH_OK)
		return rc;
	return finding(out, "deployment", n == 3 ? "ok" : "fail", n == 3 ?
	    "PostgreSQL: the audit table refuses changes" : "PostgreSQL: "
	    "a trigger that keeps the audit table insert-only is missing "
	    "or disabled", problems);
}

static int
check_deployment(struct mash *m, cJSON *out, int *problems)
{
	const char *why;
	char buf[160];
	int bad;

	if (db_pg(m))
		return check_pg_deployment(m, out, problems);
	if ((why = mash_deployment(m->path, buf, sizeof(buf), &bad)) == NULL)
		return finding(out, "deployment", "ok", mash_priv_setgid() ?
		    "a hub: set-group-id, the store shared with its group" :
		    "one user: the store is its owner's alone", problems);
	return finding(out, "deployment", bad ? "fail" : "warn", why,
	    problems);
}

/* the whole trail recomputed: mash-audit verify without anchors */
static int
check_audit_chain(struct mash *m, cJSON *out, int *problems)
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
mash_check(struct mash *m, cJSON **rows)
{
	cJSON *out;
	int problems = 0, rc;

	*rows = NULL;
	if ((rc = mash_need_role(m, MASH_ROLE_ADMIN, "checking the store")))
		return rc;
	/* the findings so far are given back even when a check fails */
	*rows = out = cJSON_CreateArray();
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
	if (db_pg(m))
		return mash_err(MASH_EUSAGE, "store '%s' is a PostgreSQL "
		    "database: back it up with pg_dump (mash-admin(1))",
		    m->path);
	if ((fd = mash_user_create(file)) == -1)
		return mash_err(MASH_ECANTCREAT, "cannot create backup '%s':",
		    file);
	close(fd);
	if ((rc = db_audit(m, "backup", 0, "file", file, NULL)) != MASH_OK)
		mash_user_unlink(file);
	return rc;
}

int
mash_backup_copy(struct mash *m, const char *file, int rc)
{
	/* the copy, written with the user's own rights (mash(7)) */
	if (rc == MASH_OK) {
		mash_user_begin();
		rc = db_copy(m, file);
		mash_user_end();
	}
	if (rc != MASH_OK)
		mash_user_unlink(file);
	return rc;
}
