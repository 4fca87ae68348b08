/*
 * db-engine.h: what an engine gives the query layer (db.h).  db.c
 * holds what both engines share and sends each call to the store's
 * engine: db-sqlite.c for a file, db-pg.c for a PostgreSQL database.
 * Only the three db*.c files include this.
 */
#ifndef DB_ENGINE_H
#define DB_ENGINE_H

#include <stdarg.h>

#include "store.h"

struct db_ops;

/* what a query is run for */
enum db_how {
	DB_ROWS,		/* its rows */
	DB_ONE,			/* its rows, all read before the call returns */
	DB_INSERT,		/* the id of the row it made */
	DB_LATER		/* nothing: db_send's */
};

/* every engine's query starts with this */
struct db_row {
	const struct db_ops *ops;
};

struct db_ops {
	/* the query of a text, its parameters bound, run as how says */
	struct db_row	*(*query)(struct mash *, const char *, const char *,
			    va_list, enum db_how);
	/* the same, for a big read: its rows a batch at a time (db.h) */
	struct db_row	*(*stream)(struct mash *, const char *, const char *,
			    va_list);
	int		 (*next)(struct db_row *);
	int		 (*end)(struct db_row *);
	/* of the last statement stepped: rows changed, the id it made */
	int64_t		 (*changes)(struct mash *);
	int64_t		 (*inserted)(struct mash *, struct db_row *);
	int		 (*cols)(struct db_row *);
	const char	*(*col_name)(struct db_row *, int);
	const char	*(*col_text)(struct db_row *, int);
	size_t		 (*col_len)(struct db_row *, int);
	int64_t		 (*col_int)(struct db_row *, int);
	int		 (*col_null)(struct db_row *, int);
	cJSON		*(*col_json)(struct db_row *, int);

	int		 (*open)(struct mash *, const char *, int);
	int		 (*setup)(struct mash *);
	void		 (*close)(struct mash *);
	int		 (*bulk)(struct mash *);
	int		 (*begin)(struct mash *, int);
	int		 (*commit)(struct mash *);
	void		 (*rollback)(struct mash *);
	int		 (*script)(struct mash *, const char *, const char *);
	int		 (*version)(struct mash *, int *, int *);
	int		 (*version_set)(struct mash *, int, int);
	int		 (*check_file)(struct mash *, char *, size_t);
	int64_t		 (*check_refs)(struct mash *, char *, size_t);
	int		 (*secure_delete)(struct mash *);
	int		 (*scrub)(struct mash *);
	int		 (*copy)(struct mash *, const char *);
	const char	*(*error)(struct mash *);
	int		 (*grant)(struct mash *, const char *);
};

extern const struct db_ops db_sqlite, db_postgres;

/* db-pg.c: SQLite's "?" and "?N" as "$N", a copy to free; *n: how many */
char	*db_pg_placeholders(const char *, int, int *);

#endif
