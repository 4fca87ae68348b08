#!/bin/sh
# the PostgreSQL schema (src/lib/schema-pg.sql.h) is the SQLite schema a
# new store is made with, at the same version: the same tables, columns
# in the same order, NOT NULL, defaults and keys, the same foreign keys,
# and the same indexes on the same columns, each as unique and as partial
# as SQLite's; so that a version added to one is not forgotten in the
# other.  The checks themselves differ (GLOB is a regular expression
# there) and are compared by loading the schema into a server
# (make check-pg), not here.
. "$(dirname "$0")/lib.sh"

plan 4

MASH_DB=$T/mash.db
export MASH_DB
expect 0 "a new SQLite store" env MASH_USER=admin mash-admin init

# the header's text, its macros expanded
printf '#include "schema-pg.sql.h"\nSCHEMA_PG_VERSION\nschema_pg\n' \
    >"$T/pg.c"
expect 0 "schema-pg.sql.h goes through the preprocessor" \
    ${CC:-cc} -E -P -I"$MASH_SRC/src/lib" -o "$T/pg.i" "$T/pg.c"

# describe.py DB PG.I: each engine's tables, columns, keys and indexes,
# a line each, in one form; "sqlite" or "pg" says which is described
cat >"$T/describe.py" <<'PY'
import re, sqlite3, sys

def norm(s):
    s = re.sub(r'\s+', ' ', s.strip())
    s = re.sub(r'\s*([(),])\s*', r'\1', s)
    return s.replace('ifnull(', 'coalesce(')

def sqlite_side(path):
    db = sqlite3.connect(path)
    out = ['version %d' % db.execute('PRAGMA user_version').fetchone()[0]]
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_schema "
        "WHERE type = 'table' ORDER BY name")]
    for t in tables:
        for _, name, _, notnull, dflt, pk in db.execute(
                "SELECT * FROM pragma_table_info(?)", (t,)):
            out.append('column %s.%s%s%s%s' % (t, name,
                ' not null' if notnull or pk else '',
                ' default ' + dflt if dflt is not None else '',
                ' key' if pk else ''))
        for r in db.execute("SELECT \"from\", \"table\", \"to\" FROM "
                "pragma_foreign_key_list(?)", (t,)):
            out.append('reference %s.%s %s.%s' % (t, r[0], r[1], r[2]))
    for name, sql in db.execute("SELECT name, sql FROM sqlite_schema "
            "WHERE type = 'index' AND sql IS NOT NULL"):
        m = re.match(r'CREATE (UNIQUE )?INDEX (\w+) ON (\w+)\s*\((.*?)\)'
            r'\s*(?:WHERE (.*))?$', sql, re.S)
        out.append('index %s %s%s(%s)%s' % (m.group(2), 'unique ' if
            m.group(1) else '', m.group(3), norm(m.group(4)),
            ' where ' + norm(m.group(5)) if m.group(5) else ''))
    return out

def split_top(s):
    parts, depth, cur, q = [], 0, '', False
    for c in s:
        if c == "'":
            q = not q
        if not q and c == '(':
            depth += 1
        if not q and c == ')':
            depth -= 1
        if not q and c == ',' and depth == 0:
            parts.append(cur)
            cur = ''
        else:
            cur += c
    return parts + [cur]

def pg_side(path):
    text = open(path, encoding='utf-8').read()
    version = re.search(r'^\s*(\d+)\s*$', text, re.M).group(1)
    sql = ''.join(re.sub(r'\\(.)', r'\1', m) for m in
        re.findall(r'"((?:[^"\\]|\\.)*)"', text))
    sql = re.sub(r'\$\$.*?\$\$', '', sql, flags=re.S)
    out = ['version ' + version]
    for stmt in sql.split(';'):
        stmt = stmt.strip()
        m = re.match(r'CREATE TABLE (\w+)\s*\((.*)\)$', stmt, re.S)
        if m and m.group(1) != 'mash_meta':
            t, keys = m.group(1), []
            cols = []
            for part in split_top(m.group(2)):
                part = part.strip()
                k = re.match(r'PRIMARY KEY\s*\((.*)\)', part)
                if k:
                    keys += [c.strip() for c in k.group(1).split(',')]
                if re.match(r'(CHECK|PRIMARY KEY|UNIQUE)\b', part):
                    continue
                cols.append(part)
            for part in cols:
                name = part.split()[0]
                pk = 'PRIMARY KEY' in part or name in keys
                d = re.search(r"(?<!BY )DEFAULT ('[^']*'|\S+)", part)
                out.append('column %s.%s%s%s%s' % (t, name,
                    ' not null' if 'NOT NULL' in part or pk else '',
                    ' default ' + d.group(1) if d else '',
                    ' key' if pk else ''))
                r = re.search(r'REFERENCES (\w+)\((\w+)\)', part)
                if r:
                    out.append('reference %s.%s %s.%s' % (t, name,
                        r.group(1), r.group(2)))
        m = re.match(r'CREATE (UNIQUE )?INDEX (\w+) ON (\w+)\s*\((.*?)\)'
            r'\s*(?:WHERE (.*))?$', stmt, re.S)
        if m:
            out.append('index %s %s%s(%s)%s' % (m.group(2), 'unique ' if
                m.group(1) else '', m.group(3), norm(m.group(4)),
                ' where ' + norm(m.group(5)) if m.group(5) else ''))
    return out

lines = sqlite_side(sys.argv[2]) if sys.argv[1] == 'sqlite' else \
    pg_side(sys.argv[2])
print('\n'.join(sorted(lines)))
PY

describe() {
	python3 "$T/describe.py" sqlite "$MASH_DB" >"$T/sqlite" &&
	python3 "$T/describe.py" pg "$T/pg.i" >"$T/pg" &&
	[ "$(wc -l <"$T/sqlite")" -gt 100 ]
}
check "each schema described" describe
check_same "PostgreSQL's schema is SQLite's" "$T/sqlite" "$T/pg"
