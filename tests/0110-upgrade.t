#!/bin/sh
# an older store is upgraded on first use: all of it, once, audited,
# and its children still matched as before
. "$(dirname "$0")/lib.sh"

plan 56

MASH_NOW=2026-11-20T12:00:00Z	# three hours after the v1 store's overdue run
MASH_DB=$T/v1.db
export MASH_NOW MASH_DB

# load: a fresh copy of the version 1 store (tests/data/store-v1.sql)
load() {
	rm -f "$MASH_DB" "$MASH_DB-wal" "$MASH_DB-shm"
	sqlite3 -batch -bail "$MASH_DB" \
	    <"$MASH_SRC/tests/data/store-v1.sql" >/dev/null &&
	    chmod 600 "$MASH_DB"
}
# schema DB: every table, index and trigger as SQLite keeps it
schema() {
	sqlite3 -batch "$1" "SELECT type, name, tbl_name, sql FROM sqlite_schema
	    ORDER BY type, name"
}
indexes() {
	sql "SELECT s.name || ':' || group_concat(i.name, ',') FROM
	    sqlite_schema s, pragma_index_info(s.name) i
	    WHERE s.type = 'index' AND s.tbl_name IN ('children', 'audit')
	    GROUP BY s.name ORDER BY s.name"
}
# the columns of version 1: version 3 adds updated_at and supersedes,
# version 5 need_code, and the children's ethnicity, disabilities and
# expected_dob; version 6 (retention) the hold and the erasure; version
# 7 writes the name keys anew, compared on their own below
cases() { sqlite3 -batch "$MASH_DB" "SELECT $(sql "SELECT group_concat(name)
	FROM pragma_table_info('cases') WHERE name NOT IN ('updated_at',
	'supersedes', 'need_code', 'held_at', 'held_by', 'held_reason',
	'erased_at')") FROM cases ORDER BY id;
	
	SELECT $(sql "SELECT group_concat(name) FROM
	pragma_table_info('children') WHERE name NOT IN ('ethnicity',
	'disabilities', 'expected_dob', 'name_key')") FROM children ORDER BY id; SELECT * FROM persons ORDER BY id;
	SELECT * FROM possible_matches ORDER BY 1, 2"; }

check "the version 1 store loads" load
check "it is at version 1" [ "$(sql 'PRAGMA user_version')" = 1 ]
cases >"$T/before"
audit_before=$(audit_count)

# an unregistered user's command still upgrades, then is refused
expect 77 "an unregistered user is refused" \
    env MASH_USER=nobody mash-admin user list
check "the store is at version 8" [ "$(sql 'PRAGMA user_version')" = 8 ]
check "the upgrade is one audit row" \
    [ "$(audit_count)" = $((audit_before + 1)) ]
check "the audit row says from what to what, and who" \
    [ "$(sql "SELECT actor || ' ' || details FROM audit
	WHERE action = 'upgrade'")" = \
	'nobody {"from":1,"to":8,"chained":6,"moved_text":0}' ]
check "the audit row has no case" \
    [ "$(sql "SELECT count(*) FROM audit WHERE action = 'upgrade'
	AND case_id IS NULL")" = 1 ]
cases >"$T/after"
check_same "cases, children, persons and matches are as they were" \
    "$T/before" "$T/after"
check "each name key is the whole name without spaces or '|'" \
    [ "$(sql "SELECT group_concat(name_key, ',') FROM children
	ORDER BY id")" = avamoss,avamos,benmoss ]
indexes >"$T/idx"
check "close names by date of birth: an index that holds the person" \
    has '^children_dob_name:dob,name_key,person_id$' "$T/idx"
check "the same name and postcode: an index that holds the person" \
    has '^children_name_postcode:name_key,postcode,person_id$' "$T/idx"
check "the index of every audit row's action is gone" \
    hasnt '^audit_action:' "$T/idx"
check "the last overdue run has its own index" \
    has '^audit_runs:id$' "$T/idx"
check "a case's children: an index that holds the person (mash-report)" \
    has '^children_case:case_id,person_id$' "$T/idx"
(MASH_DB=$T/fresh.db MASH_USER=admin mash-admin init)
check "a new store has no upgrade in its audit" [ "$(MASH_DB=$T/fresh.db \
    sql "SELECT count(*) FROM audit WHERE action = 'upgrade'")" = 0 ]
schema "$T/fresh.db" >"$T/schema.fresh"
schema "$MASH_DB" >"$T/schema.upgraded"
check_same "the upgraded schema is a new store's, partial indexes and all" \
    "$T/schema.fresh" "$T/schema.upgraded"
expect 0 "mash-admin check passes on the upgraded store" \
    env MASH_USER=admin mash-admin check -o json
check "check: schema version 8, integrity, keys, numbers, chain, deployment ok" \
    jqtrue -s 'map(select(.status == "ok")) | length == 7' "$out"
check "check: the audit chain of the upgraded store holds" jqtrue -s \
    'map(select(.check == "audit-chain" and .status == "ok")) | length == 1' \
    "$out"

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

# the person of the earliest child of that name and date of birth, and
# never one whose NHS number disagrees
refer() {
	env MASH_USER=admin mash-refer -o json --source police \
	    --concern c --child 'Cara Lee' --dob 2015-07-07 "$@"
}
person() { val '.children[0].person_id'; }
run refer --ref C/1 --nhs-number 9434765919
p1=$(person)
run refer --ref C/2 --nhs-number 4010232137
p2=$(person)
check "two NHS numbers that disagree are two persons" \
    [ -n "$p1" ] && [ -n "$p2" ] && [ "$p1" != "$p2" ]
run refer --ref C/3
check "without an NHS number, between two numbered: a new person" \
    [ -n "$(person)" ] && [ "$(person)" != "$p1" ] && [ "$(person)" != "$p2" ]
check "and a possible match of both" \
    [ "$(val '.children[0].possible_matches | join(",")')" = "$p1,$p2" ]
run refer --ref C/4 --nhs-number 4010232137
check "with an NHS number: that child's person" [ "$(person)" = "$p2" ]

# two programs meet an old store: the one that waits finds it upgraded
load
sed -n '/^ \* version 2/,/^\/\*$/p' "$MASH_SRC/src/lib/schema.sql.h" |
    sed -n 's/^"\(.*\)",\{0,1\}$/\1/p' >"$T/v2.sql"
check "the version 2 statements are read from the source" \
    has 'CREATE INDEX audit_runs' "$T/v2.sql"
{ echo 'BEGIN IMMEDIATE;'; cat "$T/v2.sql"; echo 'PRAGMA user_version = 2;'
  echo '.shell sleep 2'; echo 'COMMIT;'; } |
    sqlite3 -batch -bail "$MASH_DB" >"$T/holder.out" 2>&1 &
holder=$!
sleep 1
expect 0 "a command that waited for another's upgrade succeeds" \
    env MASH_USER=admin mash-admin user list
wait "$holder"
check "the other's upgrade committed" [ $? -eq 0 ]
check "and the waiting command upgraded only from version 2 to 8" \
    [ "$(sql "SELECT group_concat(details) FROM audit
	WHERE action = 'upgrade'")" = \
	'{"from":2,"to":8,"chained":6,"moved_text":0}' ]

# a store newer than the program is left alone
check "the version 1 store loads again" load
check "it is set to a version from the future" \
    sqlite3 "$MASH_DB" 'PRAGMA user_version = 99'
expect 78 "a newer store: 78" env MASH_USER=admin mash-admin user list
check "and it is not touched" \
    [ "$(sql 'PRAGMA user_version')/$(audit_count)" = "99/$audit_before" ]

# a version 2 store with free text in its audit details: every kind
# that version 4 moves out (tests/data/store-v2.sql)
MASH_DB=$T/v2.db
rm -f "$MASH_DB"
sqlite3 -batch -bail "$MASH_DB" <"$MASH_SRC/tests/data/store-v2.sql" \
    >/dev/null && chmod 600 "$MASH_DB"
check "the version 2 store is at version 2, without a chain" \
    [ "$(sql 'PRAGMA user_version')" = 2 ]
sql "SELECT id, details FROM audit ORDER BY id" >"$T/v2.before"
check "its details hold free text: a note, reasons, an answer" \
    has 'Father arrested 2024 for assault' "$T/v2.before"
frees="note reason basis summary question answer text name"
expect 0 "the first command upgrades it" env MASH_USER=admin \
    mash-admin user list
check "to version 8" [ "$(sql 'PRAGMA user_version')" = 8 ]
check "the upgrade says what it did: 26 rows chained, 13 texts moved" \
    [ "$(sql "SELECT details FROM audit WHERE action = 'upgrade'")" = \
	'{"from":2,"to":8,"chained":26,"moved_text":13}' ]
check "no audit row holds a key of free text any more" \
    [ "$(sql "SELECT count(*) FROM audit, json_each(details)
	WHERE key IN ('note','reason','basis','summary','question','answer',
	'text','name')")" = 0 ]
sql "SELECT details FROM audit" >"$T/v2.after"
for s in 'Father arrested' 'Hub closure day' 'private fostering' \
    'knife' 'grandmother' 'Elm Street' 'on leave' 'at risk from' \
    'Ava herself' 'has left the home' 'outweighs consent' 'her teacher'; do
	hasnt "$s" "$T/v2.after" || break
done
check "none of the free text is left in the trail" hasnt "$s" "$T/v2.after"
check "the answer's row names the field instead" \
    [ "$(sql "SELECT details FROM audit WHERE id = 17")" = \
	'{"request_id":1,"agency":"police","fields":["answer"]}' ]
check "a key that was null is dropped, not named" \
    [ "$(sql "SELECT details FROM audit WHERE id = 13")" = \
	'{"rag":"green","from_rag":null,"criteria":null}' ]
check "the text is kept beside the trail, by row and field" \
    [ "$(sql "SELECT text FROM event_text WHERE audit_id = 17
	AND field = 'answer'")" = 'Father arrested 2024 for assault' ]
check "every text moved: 13 of them" \
    [ "$(sql "SELECT count(*) FROM event_text")" = 13 ]
check "the rows' other keys are as they were" [ "$(sql "SELECT details
    FROM audit WHERE id = 23")" = '{"from_rag":"red","rag":"amber",'\
'"decision_due":"2026-11-23T17:00:00Z","fields":["reason"]}' ]
expect 0 "mash-audit verify: the whole chain holds" \
    env MASH_USER=admin mash-audit verify -o json
check "all 27 rows" [ "$(val .rows)/$(val .status)" = 27/ok ]
expect 0 "another tool agrees with every hash" \
    python3 "$MASH_SRC/tests/bench/rechain.py" check "$MASH_DB"
expect 0 "the record still shows the return's reason in its events" \
    env MASH_USER=head mash-record 1 -o json
check "from beside the trail" [ "$(val '.events[] |
    select(.action == "return") | .details.reason')" = \
    'Say what Ava herself said' ]
# it has open cases and no overdue run: check warns of that, exit 1
expect 1 "mash-admin check on it" env MASH_USER=admin mash-admin check -o json
check "check: its audit chain holds" jqtrue -s 'map(select(.check ==
    "audit-chain" and .status == "ok")) | length == 1' "$out"

done_testing
