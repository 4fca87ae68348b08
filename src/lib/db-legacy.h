/*
 * db-legacy.h: for now, the statement calls of the store files not yet
 * on the query layer of db.h; it goes when the last of them does.
 */
#ifndef DB_LEGACY_H
#define DB_LEGACY_H

#include <sqlite3.h>

struct mash_out;

sqlite3		*db_handle(struct mash *);
sqlite3_stmt	*db_prep(struct mash *, const char *);
int		 db_bind(struct mash *, sqlite3_stmt *, const char *, ...);
int		 db_step(struct mash *, sqlite3_stmt *);
int		 db_one(struct mash *, sqlite3_stmt *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
int		 db_fail(struct mash *, int, const char *);
int		 db_status(int);
const char	*db_text(sqlite3_stmt *, int);
cJSON		*db_json_col(sqlite3_stmt *, int);
void		 db_stmt_json(sqlite3_stmt *, cJSON *);
int		 db_list(struct mash *, sqlite3_stmt *, struct mash_out *);
#define db_row_json(x, o) _Generic((x), sqlite3_stmt *: db_stmt_json, \
	default: db_row_json)(x, o)

#endif
