#!/bin/sh
# the layers of the source: only the query layer's engine files speak
# to SQLite and to PostgreSQL, the programs see no store internals, and the files that
# open a store and change its settings do not call each other
. "$(dirname "$0")/lib.sh"

lib=$MASH_SRC/src/lib
plan 10

# defined FILE: the functions a file defines for other files to call
defined() {
	awk '/^static/ { s = 1; next }
	    /^[a-z_][a-z0-9_]*\(/ { if (!s) { sub(/\(.*/, ""); print } }
	    { s = 0 }' "$1"
}

# calls FILE FROM...: the functions of the files FROM that FILE calls
calls() {
	_f=$1
	shift
	for _d in "$@"; do
		for _n in $(defined "$_d"); do
			grep -q "[^a-z0-9_]$_n(" "$_f" && printf ' %s' "$_n"
		done
	done
}

grep -l sqlite3 "$lib"/*.c "$lib"/*.h "$MASH_SRC"/src/*.c >"$out" 2>"$err"
echo "$lib/db-sqlite.c" >"$T/want"
check_same "only db-sqlite.c speaks to SQLite" "$T/want" "$out"

grep -l '<libpq\|[^a-z]PQ[a-z][a-zA-Z]*(' "$lib"/*.c "$lib"/*.h "$MASH_SRC"/src/*.c >"$out" 2>"$err"
echo "$lib/db-pg.c" >"$T/want"
check_same "only db-pg.c speaks to PostgreSQL" "$T/want" "$out"

grep -l '^#include "\(store\|db\)\.h"' "$MASH_SRC"/src/*.c >"$out"
check "no program includes store.h or db.h" test ! -s "$out"

check "the check of what a file calls finds db_query in store.c" \
    test -n "$(calls "$lib/store.c" "$lib/db.c")"

bad=$(calls "$lib/store.c" "$lib/store-admin.c")
check "store.c calls nothing of store-admin.c:$bad" test -z "$bad"

# store-schema.c, which store.c and store-admin.c call: the query
# layer, and the library below the store
others=
for f in "$lib"/store*.c; do
	[ "$f" = "$lib/store-schema.c" ] || others="$others $f"
done
# shellcheck disable=SC2086
bad=$(calls "$lib/store-schema.c" $others)
check "store-schema.c calls no other store file:$bad" test -z "$bad"

# a transaction is begun and ended in store.c, through mash_tx
grep -l '\(mash\|db\|tx\)_\(begin\|begin_read\|commit\|rollback\)(' \
    "$lib"/*.c "$MASH_SRC"/src/*.c | grep -v '/db\(-sqlite\|-pg\)\?\.c$' >"$out"
echo "$lib/store.c" >"$T/want"
check_same "only store.c begins or ends a transaction" "$T/want" "$out"

# the programs and their glue choose it; a store function runs inside
grep -l '\(mash_tx\|db_begin\)(' "$lib"/store*.c >"$out"
check_same "no store file but store.c calls mash_tx or db_begin" \
    "$T/want" "$out"

# the store returns rows; the output layer prints them
bad=
for f in "$lib"/store*.c; do
	for n in $(calls "$f" "$lib/output.c"); do
		bad="$bad ${f##*/}:$n"
	done
done
check "no store file calls the output layer:$bad" test -z "$bad"

# the library does not lean on the programs' glue
grep -l '^#include "cli\.h"' "$lib"/store*.c "$lib"/db-sqlite.c >"$out"
check "no store file includes cli.h" test ! -s "$out"

done_testing
