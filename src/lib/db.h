/*
 * db.h: the query layer under the store (store*.c) and over its
 * engine.  A store function gives its statement's text and its
 * parameters; the engine prepares the statement once and keeps it,
 * binds every parameter, steps it, and reports a failure once, as the
 * exit status it maps to (mash(7), EXIT STATUS).  Nothing above this
 * header sees the engine: db.c sends each call to db-sqlite.c for an
 * SQLite file or to db-pg.c for a PostgreSQL database (db-engine.h).
 *
 * A statement is known by the address of its text, so the text is a
 * literal (or one of a table of literals), never one made on the fly.
 */
#ifndef DB_H
#define DB_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct mash;
struct db;		/* the engine's open store */
struct db_row;		/* a query being stepped, and its row at hand */

/*
 * The parameters, a letter each, in the order of the statement's:
 * 't' text (NULL binds NULL), 'i' an int64_t, 'n' NULL (no argument),
 * 'T' an instant (mash_time) as UTC text, 'j' a cJSON value as its
 * compact text (NULL binds NULL).
 */

/* run a statement; its rows, if any, are not read */
int		 db_exec(struct mash *, const char *, const char *, ...);
/*
 * db_exec of a statement whose outcome nothing waits for (an audit
 * row, a possible match).  In a transaction on PostgreSQL it is sent
 * and not waited for: its answer comes back with the next statement's,
 * one round trip for both, and its failure is reported by that next
 * statement, or by the commit, and fails the transaction all the same.
 * Elsewhere it is db_exec.
 */
int		 db_send(struct mash *, const char *, const char *, ...);
/* that, and the number of rows it changed */
int		 db_change(struct mash *, int64_t *, const char *,
		    const char *, ...);
/* an INSERT, and the id of the row it made */
int		 db_insert(struct mash *, int64_t *, const char *,
		    const char *, ...);
/* the first column of the first row, 0 for no row or NULL */
int		 db_int(struct mash *, int64_t *, const char *,
		    const char *, ...);
/* the same as text: a copy to free, NULL for no row or NULL */
int		 db_str(struct mash *, char **, const char *, const char *,
		    ...);

/*
 * A query's rows, one at a time while db_next gives 1; then db_end,
 * whatever happened, which gives MASH_OK or the status of a failure
 * already reported (to prepare, to bind, or to step):
 *
 *	r = db_query(m, "SELECT name FROM t WHERE id = ?", "i", id);
 *	while (db_next(r))
 *		use(db_col_text(r, 0));
 *	return db_end(r);
 *
 * A query that cannot be prepared or bound has no row.  One query of a
 * text steps at a time: another may run inside the loop, not itself.
 */
struct db_row	*db_query(struct mash *, const char *, const char *, ...);
int		 db_next(struct db_row *);
int		 db_end(struct db_row *);
/* db_end of a query that had to find a row: MASH_ENOINPUT, saying so */
int		 db_none(struct db_row *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/*
 * db_query for a big read, one whose rows may be most of a table (a
 * year's cases, the whole audit trail): the same contract, the same
 * letters.  On PostgreSQL, inside a transaction, its rows come through
 * a cursor a batch at a time, so that memory stays bounded however
 * many there are; that costs a round trip a batch and two more (the
 * cursor's declaration and its close), so a small read uses db_query.
 * On SQLite, and outside a transaction, it is db_query.
 */
struct db_row	*db_stream(struct mash *, const char *, const char *, ...);

/* the row at hand, until the next db_next or db_end */
int		 db_cols(struct db_row *);
const char	*db_col_name(struct db_row *, int);
/* NULL for NULL */
const char	*db_col_text(struct db_row *, int);
size_t		 db_col_len(struct db_row *, int);
int64_t		 db_col_int(struct db_row *, int);
int		 db_col_null(struct db_row *, int);
/* as JSON by its type: a number, a string or null */
cJSON		*db_col_json(struct db_row *, int);
/* every column added to a JSON object, by its name */
void		 db_row_json(struct db_row *, cJSON *);
/* add to an object under a column's name, the name not copied each time */
void		 db_json_add(cJSON *, const char *, cJSON *);

/*
 * The store as the engine keeps it.  db_open opens a path (1: a new,
 * empty file, made ready for the schema); db_setup sets up the
 * connection; db_close frees all, whatever db_open did.
 */
int		 db_open(struct mash *, const char *, int);
int		 db_setup(struct mash *);
void		 db_close(struct mash *);
/* a long transaction of many writes: more pages kept in memory */
int		 db_bulk(struct mash *);
/* 1: a write transaction, taken at once; 0: one that reads */
int		 db_begin(struct mash *, int);
int		 db_commit(struct mash *);
void		 db_rollback(struct mash *);
/* statements with no parameters, one after another; what: for errors */
int		 db_script(struct mash *, const char *, const char *);
/* the schema version and the application id written in the store */
int		 db_version(struct mash *, int *, int *);
int		 db_version_set(struct mash *, int, int);
/* the engine's check of its file: 1 and what is wrong, or 0 and "ok" */
int		 db_check_file(struct mash *, char *, size_t);
/* references that point at nothing: how many, or -1 and why */
int64_t		 db_check_refs(struct mash *, char *, size_t);
/* from now on, what a write frees is overwritten */
int		 db_secure_delete(struct mash *);
/* rewrite the file without the free space erased data was in */
int		 db_scrub(struct mash *);
/* a consistent copy of the store in a file that exists, empty */
int		 db_copy(struct mash *, const char *);
/*
 * 1 when the store is a PostgreSQL database, 0 for an SQLite file.
 * SQL is written once for both where it can be; where the engines
 * cannot share a statement, DB_SQL picks one of two literals (each
 * still a literal, so each is its own kept statement).
 */
int		 db_pg(struct mash *);
/* 1 when a store's name is a libpq URI (postgresql://...) */
int		 db_is_uri(const char *);
/* a URI to print: its password, if any, left out (a copy to free) */
char		*db_uri_safe(const char *);
/* PostgreSQL: what the programs need, granted to their group role */
int		 db_grant(struct mash *, const char *);
#define DB_SQL(m, lite, pg)	(db_pg(m) ? (pg) : (lite))
/* the last failure in the engine's words */
const char	*db_error(struct mash *);

#endif
