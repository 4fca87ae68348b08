/*
 * store.h: what the store*.c files share and nothing else sees: the
 * open store, and helpers over prepared statements.
 */
#ifndef STORE_H
#define STORE_H

#include <sqlite3.h>

#include "mash.h"

#define MASH_STMT_CACHE	64

struct mash {
	sqlite3		*db;
	char		*path;
	char		 login[64];
	char		 agency[33];
	int		 roles;
	mash_time	 now;
	int		 in_tx;
	int		 own;		/* the user's own store: overrides obeyed */
	struct {
		const char	*sql;	/* identity, not content: literals */
		sqlite3_stmt	*stmt;
	} cache[MASH_STMT_CACHE];
	size_t		 ncache;
	FILE		*explain;	/* MASH_EXPLAIN: query plans */
	struct {			/* durations read from settings */
		char			 key[32];
		struct mash_duration	 d;
	} durations[8];
	size_t		 ndurations;
	struct mash_calendar *cal;	/* loaded on first use */
	int		*holidays;
};

/* a prepared statement for a literal, reset and cleared; NULL on error */
sqlite3_stmt	*db_prep(struct mash *, const char *);
/*
 * Bind by letters: 't' text (NULL binds NULL), 'i' int64, 'n' NULL
 * (no argument), 'T' an
 * instant as UTC text, 'j' a cJSON value as compact text.
 */
int		 db_bind(struct mash *, sqlite3_stmt *, const char *, ...);
/* step: SQLITE_ROW, SQLITE_DONE, or an error already reported */
int		 db_step(struct mash *, sqlite3_stmt *);
/*
 * Step to the one row a statement must find: 0 with the row at hand
 * (the caller resets), else the statement is reset and, when there was
 * no row, MASH_ENOINPUT after the message made of fmt: "no such case 4".
 */
int		 db_one(struct mash *, sqlite3_stmt *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
/* run a literal statement that returns no rows: exit status */
int		 db_exec(struct mash *, const char *, const char *, ...);
/* report a SQLite failure; returns the exit status it maps to */
int		 db_fail(struct mash *, int, const char *);
/* the exit status for a SQLite result code */
int		 db_status(int);
/* a column as text, or NULL */
const char	*db_text(sqlite3_stmt *, int);
/* add the columns of the current row to a JSON object, by their names */
void		 db_row_json(sqlite3_stmt *, cJSON *);
/* print every row of a statement through an output, then reset it */
int		 db_list(struct mash *, sqlite3_stmt *, struct mash_out *);
/* the ISO text of a column as a JSON string, or JSON null */
cJSON		*db_json_col(sqlite3_stmt *, int);
/* the calendar of the store (office hours and holidays) */
int		 db_calendar(struct mash *, const struct mash_calendar **);
/* the schema version this program writes */
int		 db_schema_version(void);
/* seed the settings, agencies, criteria and holidays of a new store */
int		 db_seed(struct mash *, const char *);
/*
 * store-admin.c: refuse a code not in one of the hub's own lists, after
 * the option (or NULL), naming the codes that are; returns MASH_EDATA
 */
enum db_codelist { DB_AGENCIES, DB_CRITERIA };
int		 db_code_unknown(struct mash *, enum db_codelist, const char *,
		    const char *);
/* make the hub's zone (hub.timezone) local time, before the clock starts */
int		 db_zone(struct mash *);
/* an audit row whose details are keys and values, ended by NULL */
int		 db_audit(struct mash *, const char *, int64_t, ...);
/*
 * store-audit.c: append a row to the chain (details as JSON text); a
 * free text of the row just written, kept beside it in event_text
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
/* store-work.c: a case's whole record, unaudited: the caller audits */
int		 db_case_whole(struct mash *, int64_t, cJSON **);
/* do children of persons a and b carry different NHS numbers? */
int		 db_nhs_differ(struct mash *, int64_t, int64_t, int *);
/* withdraw the open matches a person's numbers now rule out */
int		 db_withdraw_matches(struct mash *, int64_t);

#endif
