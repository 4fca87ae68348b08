#!/bin/sh
# the audit trail rewritten with the sqlite3 shell, as anyone with the
# store file can: each tampering is found by mash-audit verify, which
# names the row (mash-audit(1), mash(7))
. "$(dirname "$0")/lib.sh"

plan 40

MASH_NOW=2026-11-20T10:00:00Z
export MASH_NOW
RECHAIN=$MASH_SRC/tests/bench/rechain.py

new_store >/dev/null 2>&1
mash-admin user add dpo --role auditor >/dev/null
case_in closed
as head mash-record "$cid" -o json >/dev/null
a0=$(as dpo mash-audit anchor)
case_in mash
as head mash-record "$cid" -o json >/dev/null
a1=$(as dpo mash-audit anchor)
as sw mash-record "$cid" -o json >/dev/null
as head mash-record 1 -o json >/dev/null
a2=$(as dpo mash-audit anchor)
as head mash-record "$cid" -o json >/dev/null
as head mash-record 1 -o json >/dev/null
last=$(audit_count)
r0=${a0%%:*} r1=${a1%%:*} r2=${a2%%:*}
check "the history: anchors before row 15, and after it" \
    [ "$r0" -lt 15 -a "$r1" -gt 15 -a "$r2" -gt "$r1" -a \
    "$last" -gt $((r2 + 1)) ]
expect 0 "untouched, the chain holds with every anchor" \
    env MASH_USER=dpo mash-audit verify --anchor "$a0" --anchor "$a1" \
    --anchor "$a2" -o json
check "every row, 3 anchors" [ "$(val .rows)/$(val .anchors)" = "$last/3" ]

sqlite3 "$MASH_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
cp "$MASH_DB" "$T/pristine.db"
# fresh: the untouched store again
fresh() { rm -f "$MASH_DB-wal" "$MASH_DB-shm"; cp "$T/pristine.db" "$MASH_DB"; }
# verify_names ROW WORDS DESC [ANCHOR...]: verify exits 1, naming ROW
verify_names() {
	_row=$1 _words=$2 _desc=$3
	shift 3
	expect 1 "$_desc: verify exits 1" env MASH_USER=dpo mash-audit verify \
	    "$@" -o json
	check "$_desc: row $_row named" [ "$(val .row)/$(val .status)" = \
	    "$_row/broken" ]
	check "$_desc: says row $_row $_words" has "row $_row $_words" "$out"
}
view_id() { sql "SELECT id FROM audit WHERE action = 'view' AND id > $1
    ORDER BY id LIMIT 1"; }

# --- the triggers hold against a plain UPDATE -------------------------------
fresh
run sqlite3 "$MASH_DB" "UPDATE audit SET actor = 'sw2' WHERE id = 8"
check "an UPDATE of a chained row is refused by the trigger" [ "$rc" != 0 ]
check "by the trigger's message" has 'audit rows cannot be changed' "$err"

# --- an actor rewritten -------------------------------------------------
fresh
sqlite3 "$MASH_DB" "DROP TRIGGER audit_no_update;
    UPDATE audit SET actor = 'sw2' WHERE id = 8"
verify_names 8 "breaks the chain: its hash does not match" \
    "an actor rewritten"
expect 1 "mash-admin check fails on it" mash-admin check -o json
check "check: audit-chain names row 8" jqtrue -s 'map(select(.check ==
    "audit-chain"))[0] | .status == "fail" and (.detail | test("row 8 "))' \
    "$out"

# --- a view row deleted -------------------------------------------------
fresh
v=$(view_id 13)
sqlite3 "$MASH_DB" "DROP TRIGGER audit_no_delete;
    DELETE FROM audit WHERE id = $v"
verify_names $((v + 1)) "breaks the chain: it does not follow row $((v - 1))" \
    "view row $v deleted"

# --- a row inserted in the middle, its own hash computed ----------------
fresh
sqlite3 "$MASH_DB" "DROP TRIGGER audit_no_update;
    DROP TRIGGER audit_no_replace;
    UPDATE audit SET id = -id WHERE id >= 10;
    UPDATE audit SET id = 1 - id WHERE id < 0;
    INSERT INTO audit (id, at, actor, action, case_id, details)
      VALUES (10, '2026-11-20T10:00:00Z', 'head', 'view', 1, '{}')"
run python3 "$RECHAIN" rechain "$MASH_DB" 10 10
check "the forged row 10 has a hash of the encoding" [ "$rc" = 0 ]
verify_names 11 "breaks the chain: its hash does not match" \
    "a row inserted at 10"

# --- the last rows truncated: only an anchor can tell -------------------
fresh
sqlite3 "$MASH_DB" "DROP TRIGGER audit_no_delete;
    DELETE FROM audit WHERE id > $((r2 - 2))"
expect 0 "truncated, the shorter chain still holds alone" \
    env MASH_USER=dpo mash-audit verify -o json
verify_names "$r2" "is missing" "the last rows truncated, with anchor $r2" \
    --anchor "$a2"
check "the message says the anchor is no longer in the chain" \
    has "anchor $r2:.*is no longer in the chain.*ends at row $((r2 - 2))" \
    "$out"

# --- triggers dropped and recreated around a change ---------------------
fresh
sql "SELECT sql FROM sqlite_schema WHERE type = 'trigger'" >"$T/trig.before"
{ echo 'BEGIN;'
  sql "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_schema
      WHERE type = 'trigger' AND tbl_name = 'audit'"
  echo "UPDATE audit SET details = json_set(details, '\$.outcome', 'cpat')
      WHERE action = 'decide';"
  sql "SELECT sql || ';' FROM sqlite_schema WHERE type = 'trigger'
      AND tbl_name = 'audit'"
  echo 'COMMIT;'; } >"$T/tamper.sql"
sqlite3 -bail "$MASH_DB" <"$T/tamper.sql"
sql "SELECT sql FROM sqlite_schema WHERE type = 'trigger'" >"$T/trig.after"
check_same "the triggers are back as they were" "$T/trig.before" \
    "$T/trig.after"
d=$(sql "SELECT id FROM audit WHERE action = 'decide'")
verify_names "$d" "breaks the chain: its hash does not match" \
    "a decision's outcome changed under dropped triggers"

# --- the whole chain recomputed after a change: an earlier anchor -------
fresh
sqlite3 "$MASH_DB" "DROP TRIGGER audit_no_update;
    UPDATE audit SET actor = 'sw2' WHERE id = 15"
run python3 "$RECHAIN" rechain "$MASH_DB" 15
check "the attacker computed the chain again from row 15" [ "$rc" = 0 ]
expect 0 "re-chained, the chain holds alone" \
    env MASH_USER=dpo mash-audit verify -o json
expect 0 "and another tool agrees" python3 "$RECHAIN" check "$MASH_DB"
expect 0 "an anchor before the change still holds" \
    env MASH_USER=dpo mash-audit verify --anchor "$a0" -o json
verify_names "$r1" "does not match anchor $r1:" \
    "re-chained from 15, anchor $r1" --anchor "$a0" --anchor "$a1"
check "the message says the trail was rewritten" has 'was rewritten' "$out"
verify_names "$r2" "does not match anchor $r2:" \
    "re-chained from 15, anchor $r2" --anchor "$a2"

# an anchor that names no row of the store's history
fresh
expect 1 "an anchor past the end of the trail" env MASH_USER=dpo \
    mash-audit verify --anchor "99:${a2#*:}" -o json
check "it is named" [ "$(val .row)" = 99 ]
check "as missing" has 'row 99 is missing' "$out"

done_testing
