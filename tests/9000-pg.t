#!/bin/sh
# What a PostgreSQL store does that a file does not (mash(7),
# DEPLOYMENT): the server says who is acting and the overrides are
# refused; a missing database is 66, a server that is down or a lock
# held past the timeout 75, a revoked privilege 73; init makes a store
# only in an empty database; the audit trail cannot be changed, even
# by the tables' owner; a killed import leaves all or nothing; eight
# writers at once lose nothing; no message shows a password.  Run by
# make check-pg, which starts the server (tests/pg/check.sh).
. "$(dirname "$0")/lib.sh"

if [ -z "${MASH_PG:-}" ]; then
	echo "1..0 # SKIP needs a PostgreSQL server: make check-pg starts one"
	exit 0
fi
plan 47

MASH_NOW=2026-11-26T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 &&
    mash-admin user add aud --role auditor >/dev/null 2>&1 ||
    echo "Bail out! cannot make a store"
real=$MASH_BIN
# the checks below connect as head without run.sh, which makes a role
# on first use: made here, so that no other test file need run first
pg_admin -c 'CREATE ROLE head LOGIN IN ROLE mash' >/dev/null 2>&1

# psql_as ROLE SQL: run SQL on the store as ROLE, its status kept
psql_as() {
	run "$MASH_PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -U "$1" \
	    -d "$MASH_DB" -c "$2"
}

# who is acting
expect 77 "MASH_USER is refused on PostgreSQL" \
    env MASH_USER=head PGUSER=admin "$real/mash-admin" user list
has "never on a PostgreSQL store" "$err" && pass "and the message says why" ||
    fail "and the message says why"
expect 77 "so is MASH_NOW" \
    env MASH_NOW=2026-01-01T00:00:00Z PGUSER=admin "$real/mash-admin" \
    user list
expect 0 "the server's user is the one acting" \
    env -u MASH_USER -u MASH_NOW PGUSER=head "$real/mash-admin" user list \
    -o json
expect 77 "and is refused what that user may not do" \
    env -u MASH_USER -u MASH_NOW PGUSER=head "$real/mash-admin" user add x \
    --role head
pg_admin -c 'CREATE ROLE stranger LOGIN IN ROLE mash' >/dev/null 2>&1
expect 77 "a role the store does not know is refused" \
    env -u MASH_USER -u MASH_NOW PGUSER=stranger "$real/mash-screen" -o json
has "user 'stranger' is not registered" "$err" &&
    pass "by its name" || fail "by its name"

# the exit statuses of a server
base=${MASH_DB%%\?*}
expect 66 "a database that does not exist is 66" \
    env -u MASH_USER -u MASH_NOW PGUSER=admin "$real/mash-admin" \
    -d "${base}_none?host=$MASH_PG" user list
expect 75 "a server that is down is 75" \
    env -u MASH_USER -u MASH_NOW PGUSER=admin "$real/mash-admin" \
    -d "postgresql:///x?host=$T/no-server" user list
expect 73 "init into a database that holds a store is refused: 73" \
    mash-admin init
check "and the store is untouched" test "$(sql 'SELECT count(*) FROM users')" = 7

expect 64 "a backup of a PostgreSQL store is pg_dump's to make: 64" \
    mash-admin backup "$T/copy.db"
has "pg_dump" "$err" && test ! -e "$T/copy.db" &&
    pass "it says so, and writes no file" ||
    fail "it says so, and writes no file"

# a password never shows
expect 66 "a URI with a password, to a missing database" \
    env -u MASH_USER -u MASH_NOW PGUSER=admin "$real/mash-admin" \
    -d "postgresql://admin:Sesame42@/nodb?host=$MASH_PG&password=Open99" \
    user list
if hasnt Sesame42 "$err" && hasnt Open99 "$err" && has '\*\*\*' "$err"; then
	pass "neither of its passwords is in the message"
else fail "neither of its passwords is in the message"; fi

# a lock held past the timeout
"$MASH_PGBIN/psql" -X -q -U mashtest -d "$MASH_DB" -c \
    'SELECT pg_advisory_lock(1835102056), pg_sleep(20)' >/dev/null 2>&1 &
holder=$!
sleep 1
start=$(date +%s)
expect 75 "a write while another holds the store's lock is 75" \
    env PGOPTIONS='-c lock_timeout=2s' mash-refer --source police \
    --ref LOCK/1 --concern Waiting --child 'Lorna Lockwait'
took=$(($(date +%s) - start))
check "after the timeout, not at once ($took s)" test "$took" -ge 2
has "is busy: try again" "$err" && pass "saying it is busy" ||
    fail "saying it is busy"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
expect 0 "once it is let go, the write goes through" \
    mash-refer --source police --ref LOCK/1 --concern Waiting \
    --child 'Lorna Lockwait'

# a revoked privilege
psql_as mashtest 'REVOKE INSERT ON cases FROM mash' 
expect 73 "a write the server's grants refuse is 73" \
    as head mash-refer --source police --ref REV/1 --concern Revoked \
    --child 'Rory Revoked'
psql_as mashtest 'GRANT INSERT ON cases TO mash' 

# an audit row is sent without waiting for it (db_send): its failure
# still fails the command, and nothing of the command is kept
psql_as mashtest 'REVOKE INSERT ON audit FROM mash'
expect 73 "a write whose audit row the server refuses is 73" \
    as head mash-refer --source police --ref REV/2 --concern Revoked \
    --child 'Rhea Revoked'
check "and its case was not kept" \
    test "$(sql "SELECT count(*) FROM cases WHERE reference = 'REV/2'")" = 0
printf '%s\n' 'reference,source,child_given_name,child_family_name,concern' \
    'REV/3,police,Ria,Revoked,One' 'REV/4,police,Rex,Revoked,Two' \
    >"$T/rev.csv"
expect 73 "so is an import's, told with the next row's statement" \
    as head mash-refer --csv "$T/rev.csv"
has "permission denied for table audit" "$err" &&
    pass "the message names the audit table" ||
    fail "the message names the audit table"
check "and none of its rows was kept" \
    test "$(sql "SELECT count(*) FROM cases WHERE reference LIKE 'REV/%'")" = 0
psql_as mashtest 'GRANT INSERT ON audit TO mash'
expect 0 "granted again, the chain is whole" as aud mash-audit verify

# the import waits for the server three times a row, not nine, for a
# child the store does not know (one it may be costs more): for the
# reference, the same child, and the possible matches.  The rows it
# writes go down the pipeline with the next of those (their ids are
# counted on from the largest, read once a transaction), the chain's
# last row is read once a transaction too, and one query finds both
# kinds of possible match (mash(7), DEPLOYMENT)
if command -v strace >/dev/null 2>&1 &&
    strace -o /dev/null true 2>/dev/null; then
	awk 'BEGIN { print "reference,source,child_given_name," \
	    "child_family_name,child_dob,postcode,concern";
	for (i = 1; i <= 200; i++)
		printf "RT/%d,police,Tam,Trip%d,%d-%02d-%02d,LS%d %dAB,Seen\n",
		    i, i, 2000 + i % 20, i % 12 + 1, i % 28 + 1, i % 99 + 1,
		    int(i / 99) }' \
	    >"$T/rt.csv"
	expect 0 "an import of 200 rows, under strace" \
	    env -u MASH_USER -u MASH_NOW PGUSER=admin strace -f -c \
	    -o "$T/rt.strace" -e trace=poll,ppoll "$real/mash-refer" \
	    --csv "$T/rt.csv"
	waits=$(awk '$NF ~ /^p?poll$/ { n += $4 } END { print n + 0 }' \
	    "$T/rt.strace")
	check "waits for the server: 3 a row at most ($waits for 200)" \
	    test "$waits" -le 640 -a "$waits" -ge 200
else
	skip "strace cannot trace here"
	skip "strace cannot trace here"
fi

# the audit trail is only ever added to
# refused: the command failed, saying why
refused() { test "$rc" != 0 && has "$1" "$err"; }
psql_as head 'UPDATE audit SET actor = actor'
check "a hub user may not UPDATE the audit trail" refused 'permission denied'
psql_as head 'DELETE FROM audit'
check "nor DELETE from it" refused 'permission denied'
psql_as admin 'UPDATE audit SET actor = actor WHERE id = 1'
check "the tables' owner cannot UPDATE it" refused 'cannot be changed'
psql_as admin 'DELETE FROM audit WHERE id = 1'
check "nor DELETE from it" refused 'cannot be deleted'
psql_as admin 'TRUNCATE audit CASCADE'
check "nor TRUNCATE it" refused 'cannot be truncated' 

# a DBA who turns the triggers off and rewrites a row is found out
psql_as mashtest "ALTER TABLE audit DISABLE TRIGGER audit_no_update;
    UPDATE audit SET actor = 'sw2' WHERE id = 3;
    ALTER TABLE audit ENABLE TRIGGER audit_no_update"
check "the tables' superuser can rewrite a row with the triggers off" \
    test "$rc" = 0
expect 1 "mash-audit verify finds the rewritten row" as aud mash-audit \
    verify -o json
check "and names it" test "$(val .row)/$(val .status)" = 3/broken
psql_as mashtest "ALTER TABLE audit DISABLE TRIGGER audit_no_update;
    UPDATE audit SET actor = 'admin' WHERE id = 3;
    ALTER TABLE audit ENABLE TRIGGER audit_no_update"
expect 0 "put back, the chain is whole again" as aud mash-audit verify

# the check of a PostgreSQL store
mash-overdue -o json >/dev/null 2>&1	# the check wants a recent run
expect 0 "mash-admin check passes on a PostgreSQL store" \
    mash-admin check -o json
check "its deployment is the audit table's triggers" jqtrue \
    'select(.check == "deployment") | .status == "ok" and
    (.detail | test("refuses changes"))' "$out"
psql_as mashtest 'ALTER TABLE audit DISABLE TRIGGER audit_no_delete'
expect 1 "with one of them disabled, check finds a problem" \
    mash-admin check -o json
check "and says which" jqtrue 'select(.check == "deployment") |
    .status == "fail" and (.detail | test("disabled"))' "$out"
psql_as mashtest 'ALTER TABLE audit ENABLE TRIGGER audit_no_delete'

# the overdue check's plans are PostgreSQL's own
expect 0 "mash-overdue --explain shows PostgreSQL's plans" \
    mash-overdue --explain -o json
check "of both its queries" jqtrue -s 'map(.query) | unique ==
    ["children", "items"]' "$out"

# a killed import: all or nothing
awk 'BEGIN { print "reference,source,child_given_name,child_family_name," \
    "concern"; for (i = 1; i <= 20000; i++)
	printf "KILL/%d,police,Kid,Killtest%d,Concern %d\n", i, i, i }' \
    >"$T/kill.csv"
before=$(sql "SELECT count(*) FROM cases")
mash-refer --csv "$T/kill.csv" >/dev/null 2>&1 &
imp=$!
sleep 1
kill -9 "$imp" 2>/dev/null
wait "$imp" 2>/dev/null
sleep 1
n=$(($(sql "SELECT count(*) FROM cases") - before))
check "a killed import left all its rows or none ($n)" \
    test "$n" = 0 -o "$n" = 20000

# eight writers at once
i=1
while [ "$i" -le 8 ]; do
	(
		j=1
		while [ "$j" -le 10 ]; do
			as head mash-refer --source police --ref "W/$i/$j" \
			    --concern Busy --child "Wren Writer$i" \
			    >/dev/null 2>>"$T/w.err" || echo "W/$i/$j" >>"$T/lost"
			j=$((j + 1))
		done
	) &
	i=$((i + 1))
done
wait
check "eight writers at once: none was refused" test ! -s "$T/lost"
check "and all 80 of their cases are there" \
    test "$(sql "SELECT count(*) FROM cases WHERE reference LIKE 'W/%'")" = 80
expect 0 "and the audit chain is whole" as aud mash-audit verify
done_testing
