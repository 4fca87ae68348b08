#!/bin/sh
# an older store is upgraded on first use: all of it, once, audited,
# and its children still matched as before
. "$(dirname "$0")/lib.sh"

plan 22

MASH_NOW=2026-11-20T12:00:00Z	# three hours after the v1 store's overdue run
MASH_DB=$T/v1.db
export MASH_NOW MASH_DB

# load: a fresh copy of the version 1 store (tests/data/store-v1.sql)
load() {
	rm -f "$MASH_DB" "$MASH_DB-wal" "$MASH_DB-shm"
	sqlite3 -batch "$MASH_DB" <"$MASH_SRC/tests/data/store-v1.sql" \
	    >/dev/null && chmod 660 "$MASH_DB"
}
indexes() {
	sql "SELECT s.name || ':' || group_concat(i.name, ',') FROM
	    sqlite_schema s, pragma_index_info(s.name) i
	    WHERE s.type = 'index' AND s.tbl_name IN ('children', 'audit')
	    GROUP BY s.name ORDER BY s.name"
}
cases() { sqlite3 -batch "$MASH_DB" "SELECT * FROM cases ORDER BY id;
	SELECT * FROM children ORDER BY id; SELECT * FROM persons ORDER BY id;
	SELECT * FROM possible_matches ORDER BY 1, 2"; }

check "the version 1 store loads" load
check "it is at version 1" [ "$(sql 'PRAGMA user_version')" = 1 ]
cases >"$T/before"
audit_before=$(audit_count)

# an unregistered user's command still upgrades, then is refused
expect 77 "an unregistered user is refused" \
    env MASH_USER=nobody mash-admin user list
check "the store is at version 2" [ "$(sql 'PRAGMA user_version')" = 2 ]
check "the upgrade is one audit row" \
    [ "$(audit_count)" = $((audit_before + 1)) ]
check "the audit row says from what to what, and who" \
    [ "$(sql "SELECT actor || ' ' || details FROM audit
	WHERE action = 'upgrade'")" = 'nobody {"from":1,"to":2}' ]
check "the audit row has no case" \
    [ "$(sql "SELECT count(*) FROM audit WHERE action = 'upgrade'
	AND case_id IS NULL")" = 1 ]
cases >"$T/after"
check_same "cases, children, persons and matches are as they were" \
    "$T/before" "$T/after"
indexes >"$T/idx"
check "close names by date of birth: an index that holds the person" \
    has '^children_dob_name:dob,name_key,person_id$' "$T/idx"
check "the same name and postcode: an index that holds the person" \
    has '^children_name_postcode:name_key,postcode,person_id$' "$T/idx"
check "the index of every audit row's action is gone" \
    hasnt '^audit_action:' "$T/idx"
check "the last overdue run has its own index" \
    has '^audit_runs:id$' "$T/idx"
expect 0 "mash-admin check passes on the upgraded store" \
    env MASH_USER=admin mash-admin check -o json
check "check: schema version 2, integrity and keys ok" jqtrue -s \
    'map(select(.status == "ok")) | length == 4' "$out"

expect 0 "a second command does not upgrade again" \
    env MASH_USER=admin mash-admin user list
check "still one upgrade audited" \
    [ "$(sql "SELECT count(*) FROM audit WHERE action = 'upgrade'")" = 1 ]

# matching through the new indexes finds the children of version 1
expect 0 "a contact about Ava Moss again" env MASH_USER=admin \
    mash-refer -o json --source police --ref PN/9 --concern again \
    --child 'Ava Moss' --dob 2016-03-02 --postcode 'LS6 2AB'
check "she is the same person as before" \
    [ "$(val '.children[0].person_id')" = 1 ]
check "with her earlier case" \
    [ "$(val '.children[0].previous_cases | join(",")')" = 1 ]
check "and Ava Mos, of the same date of birth, as a possible match" \
    [ "$(val '.children[0].possible_matches | join(",")')" = 2 ]

# a store newer than the program is left alone
load
sqlite3 "$MASH_DB" 'PRAGMA user_version = 3'
expect 78 "a newer store: 78" env MASH_USER=admin mash-admin user list
check "and it is not touched" \
    [ "$(sql 'PRAGMA user_version')/$(audit_count)" = "3/$audit_before" ]

done_testing
