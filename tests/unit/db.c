/*
 * db.c: the pure parts of the query layer: a store's name read as a
 * libpq URI, printed without its password, and SQLite's parameters
 * written as PostgreSQL's (mash(7), DEPLOYMENT)
 */
#include <stdlib.h>

#include "db-engine.h"
#include "tap.h"

static void
safe_is(const char *uri, const char *want, const char *name)
{
	char *got = db_uri_safe(uri);

	is(got, want, name);
	free(got);
}

static void
params_is(const char *sql, int insert, const char *want, int wantn,
    const char *name)
{
	char *got;
	int n;

	got = db_pg_placeholders(sql, insert, &n);
	is(got, want, name);
	ok(n == wantn, "%s: %d parameters (%d)", name, wantn, n);
	free(got);
}

int
main(void)
{
	ok(db_is_uri("postgresql:///mash?host=/run/postgresql"),
	    "postgresql:// is a URI");
	ok(db_is_uri("postgres://db.example/mash"), "postgres:// is one");
	ok(!db_is_uri("/var/lib/mash/mash.db"), "a path is not");
	ok(!db_is_uri("postgresql.db"), "nor a file named after it");
	ok(!db_is_uri("./postgresql://x"), "nor a path that holds one");

	safe_is("postgresql:///mash?host=/run/postgresql",
	    "postgresql:///mash?host=/run/postgresql",
	    "a URI without a password is as it was");
	safe_is("postgresql://ann:s3cret@db.example/mash",
	    "postgresql://ann:***@db.example/mash", "user:password@host");
	safe_is("postgresql://ann:@db/mash", "postgresql://ann:***@db/mash",
	    "an empty password");
	safe_is("postgresql://ann@db.example:5433/mash",
	    "postgresql://ann@db.example:5433/mash", "a port is no password");
	safe_is("postgresql://db.example:5433/mash",
	    "postgresql://db.example:5433/mash", "nor without a user");
	safe_is("postgresql:///mash?password=abc&sslmode=require",
	    "postgresql:///mash?password=***&sslmode=require",
	    "a password parameter");
	safe_is("postgresql:///mash?sslmode=require&password=abc",
	    "postgresql:///mash?sslmode=require&password=***",
	    "a password parameter last");
	safe_is("postgresql://a:b@h/mash?password=c&password=d",
	    "postgresql://a:***@h/mash?password=***&password=***",
	    "all of them at once");
	safe_is("postgresql://a:p@ss@h/mash", "postgresql://a:***@h/mash",
	    "an @ in the password");

	params_is("SELECT 1", 0, "SELECT 1", 0, "no parameters");
	params_is("SELECT ? + ?", 0, "SELECT $1 + $2", 2, "bare ones");
	params_is("SELECT ?2, ?1, ?2", 0, "SELECT $2, $1, $2", 2,
	    "numbered ones");
	params_is("SELECT ?3, ?", 0, "SELECT $3, $4", 4,
	    "a bare one after ?3 is ?4, as in SQLite");
	params_is("SELECT '?', \"a?\", ? -- why?\n", 0,
	    "SELECT '?', \"a?\", $1 -- why?\n", 1,
	    "not in text, a name or a comment");
	params_is("SELECT 'it''s ?', ?", 0, "SELECT 'it''s ?', $1", 1,
	    "a doubled quote stays in the text");
	params_is("INSERT INTO t (a) VALUES (?)", 1,
	    "INSERT INTO t (a) VALUES ($1) RETURNING id", 1,
	    "an insert says the id it made");
	params_is("SELECT ?12", 0, "SELECT $12", 12, "two digits");
	return done_testing();
}
