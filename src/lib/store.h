/*
 * store.h: what the store*.c files share and nothing else sees: the
 * open store, and the query layer (db.h) they reach the engine by.
 */
#ifndef STORE_H
#define STORE_H

#include "libmash.h"
#include "db.h"

struct mash {
	struct db	*db;		/* the engine's: db-sqlite.c, db-pg.c */
	const struct db_ops *ops;	/* which engine (db-engine.h) */
	char		*path;
	char		 login[64];
	char		 agency[33];
	int		 roles;
	mash_time	 now;
	int		 in_tx;
	int		 bulk;		/* opened by mash_open_bulk */
	int		 own;		/* the user's own store: overrides obeyed */
	int64_t		 audit_id;	/* the last audit row written */
	/*
	 * Kept while in_tx, whose lock makes this the only writer: the
	 * audit chain's end, and the next id of the tables of intake.
	 */
	struct {
		int		 known;
		int64_t		 id;
		unsigned char	 hash[32];
	} chain;
	struct {
		int		 known;
		int64_t		 next;
	} ids[3];			/* enum db_table */
	struct {			/* durations read from settings */
		char			 key[32];
		struct mash_duration	 d;
	} durations[8];
	size_t		 ndurations;
	struct mash_calendar *cal;	/* loaded on first use */
	int		*holidays;
	/* the child being matched, while its candidates are read */
	struct mash_name_probe *probe;
	struct {			/* a listing's, while it runs */
		int		(*fn)(void *, const cJSON *);
		void		*arg;
	} sink;
};

/* the tables whose ids intake gives (store-case.c) */
enum db_table { DB_CASES, DB_PERSONS, DB_CHILDREN };
/* store.c: forget what was kept of the transaction */
void		 db_tx_forget(struct mash *);
/*
 * store.c: a row of a listing, written to the listing's sink and freed
 * when it has one (mash_list_sink), else added to rows
 */
int		 db_list_row(struct mash *, cJSON *, cJSON *);

/* store-admin.c: the calendar of the store (office hours and holidays) */
int		 db_calendar(struct mash *, const struct mash_calendar **);

/* store-schema.c: the schema, and what a new store starts with */
enum setting_kind {
	SETTING_DURATION, SETTING_HOURS, SETTING_WHOLE, SETTING_ZONE,
	SETTING_LA_CODE, SETTING_LABEL, SETTING_OUTCOME_LIST, SETTING_YEARS,
	SETTING_AGE, SETTING_LOGIN
};
struct setting {
	const char		*key;
	const char		*value;	/* the default */
	enum setting_kind	 kind;
	const char		*about;
};
extern const struct setting db_settings[];
extern const size_t db_nsettings;
/* a setting of the table, or NULL */
const struct setting *db_setting_find(const char *);
/* the schema version this program writes, and a mash store's id */
int		 db_schema_version(void);
int		 db_schema_app(void);
/* run the upgrades from a version to this program's */
int		 db_schema_upgrade(struct mash *, int);
/* seed the settings, agencies, criteria, holidays and admin of a store */
int		 db_seed(struct mash *, const char *);
/*
 * store-admin.c: refuse a code not in one of the hub's own lists, after
 * the option (or NULL), naming the codes that are; returns MASH_EDATA
 */
enum db_codelist { DB_AGENCIES, DB_CRITERIA };
int		 db_code_unknown(struct mash *, enum db_codelist, const char *,
		    const char *);
/* make the hub's zone (hub.timezone) local time, before the clock starts */
int		 db_zone(struct mash *, int);

/*
 * store-audit.c: the audit trail.  A row whose details are keys and
 * values, ended by NULL
 */
int		 db_audit(struct mash *, const char *, int64_t, ...);
/* refuse unless the user holds a role casework.c gives the action */
int		 db_need(const struct mash *, enum mash_action);
/*
 * Append a row to the chain (details as JSON text); a free text of the
 * row just written, kept beside it in event_text
 */
int		 db_audit_insert(struct mash *, const char *, int64_t,
		    const char *);
int		 db_audit_text(struct mash *, const char *, const char *);
/* give every row without a hash its hash: the upgrade to version 4 */
int		 db_audit_chain_fill(struct mash *, int64_t *);
/* that, and the upgrade's audit row saying what it did */
int		 db_audit_upgrade(struct mash *, int, int);
/* what verify found: the first row that breaks the chain, or none */
struct mash_verdict {
	int64_t	 rows;			/* rows read */
	int64_t	 row;			/* the first broken row */
	int64_t	 last_id;		/* the last row that holds */
	char	 last_hash[MASH_HASH_LEN];
	int	 anchored;		/* anchors matched */
	char	 detail[200];
};
int		 db_audit_verify(struct mash *, const struct mash_anchor *,
		    size_t, struct mash_verdict *);
/* store-case.c: the columns of a case, in the order of mash(7) */
#define CASE_COLUMNS \
	"id, state, rag, source, reference, received_at, concern, " \
	"categories, consent, criteria, assigned_to, screening_due, " \
	"decision_due, outcome, outcome_agency, referrer, referrer_contact, " \
	"report_type, risk, accepted_at, share_basis, recommendation, " \
	"recommendation_agency, created_at, created_by, updated_at, supersedes, " \
	"need_code"
#define CASE_NCOLUMNS	28	/* case_keys (store-case.c) checks these */
#define CASE_STATE	1	/* their places the view rule reads */
#define CASE_SOURCE	3	/* those the case's shape makes more of */
#define CASE_RECEIVED_AT 5
#define CASE_CATEGORIES	7
#define CASE_CRITERIA	9
#define CASE_ASSIGNED	10
#define CASE_UPDATED_AT	25	/* and whether it was ever sent again */
/* what the screening queue weighs of a case, found as it is built */
struct case_seen {
	int		 contacts_12m;	/* the most of any of its children */
	const cJSON	*criteria;
};
/*
 * The case of a row of them, whole, the row's statement left open;
 * seen, when not NULL, what the queue weighs of it
 */
int		 db_case_of_row(struct mash *, struct db_row *, cJSON **,
		    struct case_seen *);
/* store-work.c: a case's whole record, unaudited: the caller audits */
int		 db_case_whole(struct mash *, int64_t, cJSON **);
/* do children of persons a and b carry different NHS numbers? */
int		 db_nhs_differ(struct mash *, int64_t, int64_t, int *);
/* withdraw the open matches a person's numbers now rule out */
int		 db_withdraw_matches(struct mash *, int64_t);

/*
 * SQL both engines share, as macros of the statements' text.
 *
 * YEAR_BEFORE(t): the instant twelve months before the time t (UTC
 * text, "YYYY-MM-DDTHH:MM:SSZ"): the same month and day a year earlier,
 * and 1 March for 29 February, as mash-report(1) has it (SQLite's
 * '-12 months'; PostgreSQL's interval would give 28 February).
 */
#define YEAR_BEFORE(t) "(substr(CAST(CAST(substr(" t ", 1, 4) AS INTEGER) " \
	"+ 9999 AS TEXT), 2) || CASE WHEN substr(" t ", 6, 5) = '02-29' " \
	"THEN '-03-01' ELSE substr(" t ", 5, 6) END || substr(" t ", 11))"
/*
 * PG_JSON_PATCH(target, patch): PostgreSQL's text of SQLite's
 * json_patch of two JSON objects held as text, byte for byte: the
 * target's members in their order, each the patch's value where the
 * patch has the key; then the patch's other members in its order; a
 * member whose patch value is null left out.  The values are copied as
 * written (the store's JSON is compact), never reformatted; an object
 * value is replaced whole, not merged, as no value patched here is one.
 */
#define PG_JSON_PATCH(t, p) "(SELECT '{' || coalesce(string_agg(" \
	"to_json(x.k)::text || ':' || x.v, ',' ORDER BY x.s, x.o), '') " \
	"|| '}' FROM (SELECT 0 AS s, t.o, t.k, coalesce(p.value, t.v)::text " \
	"AS v, p.value AS pv FROM json_each(CAST(" t " AS TEXT)::json) " \
	"WITH ORDINALITY AS t(k, v, o) LEFT JOIN json_each(CAST(" p \
	" AS TEXT)::json) AS p ON p.key = t.k UNION ALL SELECT 1, p.o, p.k, " \
	"p.v::text, p.v FROM json_each(CAST(" p " AS TEXT)::json) WITH " \
	"ORDINALITY AS p(k, v, o) WHERE p.k NOT IN (SELECT key FROM " \
	"json_each(CAST(" t " AS TEXT)::json))) AS x " \
	"WHERE x.pv IS NULL OR json_typeof(x.pv) <> 'null')"

#endif
