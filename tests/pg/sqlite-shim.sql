-- tests/pg/sqlite-shim.sql: the few SQLite functions the test files'
-- own reads of a store use, for make check-pg.  new_store (tests/lib.sh)
-- installs them in each new PostgreSQL store, in the schema sqlite_shim,
-- and only lib.sh's sql() puts that schema on its search path: the
-- programs set search_path = public themselves (db-pg.c), so none of
-- them can come to depend on these.  Each does what SQLite's function
-- of the name does for the values the tests give it.
CREATE SCHEMA sqlite_shim AUTHORIZATION mashtest;
SET search_path = sqlite_shim;

-- group_concat(X [, SEP]): the values that are not NULL as text, in the
-- order the rows come, SEP (a comma) between them; NULL for none
CREATE FUNCTION gc_step(s text, x anyelement, sep text) RETURNS text
    LANGUAGE sql IMMUTABLE AS
    $$ SELECT CASE WHEN x IS NULL THEN s WHEN s IS NULL THEN x::text
       ELSE s || sep || x::text END $$;
CREATE FUNCTION gc_step(s text, x anyelement) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT sqlite_shim.gc_step(s, x, ',') $$;
CREATE AGGREGATE group_concat(anyelement) (SFUNC = gc_step, STYPE = text);
CREATE AGGREGATE group_concat(anyelement, text) (SFUNC = gc_step,
    STYPE = text);

-- json_group_array(X): a compact JSON array of the values, null for a
-- NULL, [] for no rows
CREATE FUNCTION jga_step(s text, x anyelement) RETURNS text
    LANGUAGE sql IMMUTABLE AS
    $$ SELECT CASE WHEN s = '' THEN '' ELSE s || ',' END ||
       coalesce(to_json(x)::text, 'null') $$;
CREATE FUNCTION jga_final(s text) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT '[' || s || ']' $$;
CREATE AGGREGATE json_group_array(anyelement) (SFUNC = jga_step,
    STYPE = text, FINALFUNC = jga_final, INITCOND = '');

-- ifnull(A, B): coalesce
CREATE FUNCTION ifnull(a anycompatible, b anycompatible)
    RETURNS anycompatible LANGUAGE sql IMMUTABLE AS
    $$ SELECT coalesce(a, b) $$;

-- hex(X): the bytes of the text in UTF-8 (or of a bytea), upper-case
-- hex, '' for NULL
CREATE FUNCTION hex(x text) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT coalesce(upper(encode(convert_to(x, 'UTF8'), 'hex')), '') $$;
CREATE FUNCTION hex(x bytea) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT coalesce(upper(encode(x, 'hex')), '') $$;

-- quote(X): an SQL literal: 'text' with quotes doubled, a number as it
-- is, NULL
CREATE FUNCTION quote(x text) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT coalesce('''' || replace(x, '''', '''''') || '''', 'NULL') $$;
CREATE FUNCTION quote(x bigint) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT coalesce(x::text, 'NULL') $$;

-- json_path('$.a.b[0]'): the path as #> takes it, {a,b,0}
CREATE FUNCTION json_path(p text) RETURNS text[] LANGUAGE sql IMMUTABLE AS
    $$ SELECT coalesce(array_agg(coalesce(m[1], m[2]) ORDER BY n), '{}')
       FROM regexp_matches(substr(p, 2), '\.([^.[]+)|\[([0-9]+)\]', 'g')
       WITH ORDINALITY AS r(m, n) $$;

-- json_sql(V): a JSON value as SQLite gives it to SQL: a string without
-- its quotes, true and false as 1 and 0, null as NULL, a number, array
-- or object as its JSON text (as stored: the store's JSON is compact)
CREATE FUNCTION json_sql(v json) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT CASE json_typeof(v) WHEN 'string' THEN v #>> '{}'
       WHEN 'boolean' THEN CASE WHEN v::text = 'true' THEN '1' ELSE '0' END
       WHEN 'null' THEN NULL ELSE v::text END $$;

-- json_extract(J, PATH): the value at PATH, NULL for a missing one
CREATE FUNCTION json_extract(j text, p text) RETURNS text
    LANGUAGE sql IMMUTABLE AS
    $$ SELECT sqlite_shim.json_sql(j::json #> sqlite_shim.json_path(p)) $$;

-- json_each(J [, PATH]): a row for each element of the array (key its
-- index from 0) or member of the object at PATH, value as json_sql
CREATE FUNCTION json_each(j text, p text DEFAULT '$')
    RETURNS TABLE (key text, value text) LANGUAGE sql IMMUTABLE AS
    $$ SELECT (n - 1)::text, sqlite_shim.json_sql(e)
       FROM (SELECT j::json #> sqlite_shim.json_path(p)) AS s(v),
           json_array_elements(CASE WHEN json_typeof(v) = 'array'
           THEN v ELSE '[]' END) WITH ORDINALITY AS a(e, n)
       UNION ALL
       SELECT k, sqlite_shim.json_sql(e)
       FROM (SELECT j::json #> sqlite_shim.json_path(p)) AS s(v),
           pg_catalog.json_each(CASE WHEN json_typeof(v) = 'object'
           THEN v ELSE '{}' END) AS o(k, e) $$;

-- json_array_length(J [, PATH]): of JSON kept as text
CREATE FUNCTION json_array_length(j text) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$ SELECT json_array_length(j::json) $$;
CREATE FUNCTION json_array_length(j text, p text) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS
    $$ SELECT json_array_length(j::json #> sqlite_shim.json_path(p)) $$;

-- sqlite_master and sqlite_schema: the store's tables and indexes, by
-- type, name and tbl_name (without their SQL)
CREATE VIEW sqlite_master (type, name, tbl_name, sql) AS
    SELECT 'table'::text, tablename::text, tablename::text, NULL::text
    FROM pg_tables WHERE schemaname = 'public'
    UNION ALL
    SELECT 'index', indexname::text, tablename::text, NULL
    FROM pg_indexes WHERE schemaname = 'public';
CREATE VIEW sqlite_schema AS SELECT * FROM sqlite_master;
