#!/bin/sh
# mash-audit: the trail, its filters, who may read it, verify and
# anchor, the encoding by other tools, and who saw a child's cases
. "$(dirname "$0")/lib.sh"

plan 76

MASH_NOW=2026-11-20T10:00:00Z
export MASH_NOW
RECHAIN=$MASH_SRC/tests/bench/rechain.py

# audit_file: $audit_db, a SQLite file with the store's audit table as
# it is now, for the tools that read one: the store itself, or under
# make check-pg a copy of the table (an empty field is a NULL case_id,
# which the chain encodes as the empty string all the same)
audit_file() {
	case $MASH_DB in
	postgresql://*)
		audit_db=$T/audit-copy.db
		rm -f "$audit_db"
		"$MASH_PGBIN/psql" -X -q -U mashtest -d "$MASH_DB" -c "\\copy
		    (SELECT id, at, actor, action, case_id, details, hash
		    FROM audit ORDER BY id) TO '$T/audit.csv' (FORMAT csv)" &&
		sqlite3 -batch "$audit_db" "CREATE TABLE audit (id INTEGER
		    PRIMARY KEY, at TEXT, actor TEXT, action TEXT,
		    case_id INTEGER, details TEXT, hash TEXT)" \
		    ".import --csv '$T/audit.csv' audit" ;;
	*)	audit_db=$MASH_DB ;;
	esac
}

# pg_rechain: rechain.py's rechain on a PostgreSQL store: hash the rows
# that have none, as mash-audit(1) encodes them, the triggers that keep
# rows unchanged set aside meanwhile
pg_rechain() {
	sql "ALTER TABLE audit DISABLE TRIGGER USER;
	DO \$\$ DECLARE r record; h text;
	    prev bytea := decode(repeat('00', 32), 'hex');
	    nul bytea := '\\x00';
	BEGIN
	    FOR r IN SELECT * FROM audit ORDER BY id LOOP
		h := r.hash;
		IF h IS NULL THEN
		    h := encode(sha256(prev ||
			convert_to(r.id::text, 'UTF8') || nul ||
			convert_to(r.at, 'UTF8') || nul ||
			convert_to(r.actor, 'UTF8') || nul ||
			convert_to(r.action, 'UTF8') || nul ||
			convert_to(coalesce(r.case_id::text, ''), 'UTF8') ||
			nul || convert_to(r.details, 'UTF8') || nul), 'hex');
		    UPDATE audit SET hash = h WHERE id = r.id;
		END IF;
		prev := decode(h, 'hex');
	    END LOOP;
	END \$\$;
	ALTER TABLE audit ENABLE TRIGGER USER"
}

new_store >/dev/null 2>&1
expect 0 "an auditor can be registered" \
    mash-admin user add dpo --role auditor --name 'Dee Poe'
expect 0 "the role list names auditor" mash-admin user list -o json
check "with its role" jqtrue -s 'map(select(.login == "dpo"))[0].roles ==
    "auditor"' "$out"

# --- roles --------------------------------------------------------------
case_in closed
c1=$cid
expect 0 "auditor: mash-audit" env MASH_USER=dpo mash-audit -o json
expect 0 "admin: mash-audit" mash-audit -o json
expect 77 "head: refused" env MASH_USER=head mash-audit -o json
check "naming the roles needed" has "'admin' or 'auditor'" "$err"
expect 77 "screener: verify refused" env MASH_USER=screener mash-audit verify
expect 77 "social worker: anchor refused" env MASH_USER=sw mash-audit anchor
expect 77 "the auditor has no casework: a record" \
    env MASH_USER=dpo mash-record "$c1" -o json
expect 77 "nor screening" env MASH_USER=dpo mash-screen -o json
expect 77 "nor deciding" env MASH_USER=dpo mash-decide -o json

# --- usage --------------------------------------------------------------
expect 64 "--access without --person" env MASH_USER=dpo mash-audit --access
expect 64 "filters with verify" env MASH_USER=dpo mash-audit verify --case 1
expect 64 "an anchor that is not ID:HASH" \
    env MASH_USER=dpo mash-audit verify --anchor 12:abc
check "is named" has "'12:abc'" "$err"
expect 64 "--anchor without verify" \
    env MASH_USER=dpo mash-audit --anchor "1:$(printf '%064d' 0)"
expect 64 "a bad --since" env MASH_USER=dpo mash-audit --since yesterday
expect 64 "an unknown command" env MASH_USER=dpo mash-audit rewrite

# --- free text stays out of the trail -----------------------------------
as head mash-screen "$c1" -o json >/dev/null 2>&1
case_in mash
c2=$cid
as sw mash-request "$c2" police --question 'Is there a knife in the house?' \
    -o json >/dev/null
as pc mash-request --respond 1 --text 'Father convicted of assault' \
    -o json >/dev/null
as head mash-decide "$c1" -o json >/dev/null 2>&1
expect 0 "the whole trail" env MASH_USER=dpo mash-audit -o json
check "JSON Lines" json_lines "$out"
check "no question, answer, summary or reason in any details" \
    jqtrue -s 'all(.details | has("question", "answer", "summary",
    "reason", "note") | not)' "$out"
for s in knife 'convicted of' 'Test summary' 'Test concern' Testchild; do
	hasnt "$s" "$out" || break
done
check "no free text, and no child's name, in the output" hasnt "$s" "$out"
check "the answer names its field" jqtrue -s 'map(select(.action ==
    "answer"))[0].details == {"request_id":1,"agency":"police",
    "fields":["answer"]}' "$out"
check "the decision names its reason" jqtrue -s 'map(select(.action ==
    "decide"))[0].details.fields == ["reason"]' "$out"
check "every row has a hash" jqtrue -s 'all(.hash | test("^[0-9a-f]{64}$"))' \
    "$out"
expect 0 "the record shows the answer's text in its events" \
    env MASH_USER=head mash-record "$c2" -o json
check "from beside the trail" [ "$(val '.events[] | select(.action ==
    "answer") | .details.answer')" = 'Father convicted of assault' ]

# --- filters ------------------------------------------------------------
all=$(audit_count)
expect 0 "--case" env MASH_USER=dpo mash-audit --case "$c2" -o json
check "only case $c2's events" jqtrue -s "length > 3 and
    all(.case_id == $c2)" "$out"
expect 0 "--user" env MASH_USER=dpo mash-audit --user pc -o json
check "only pc's: one answer" [ "$(jq -s -c 'map(.action)' "$out")" = \
    '["answer"]' ]
expect 0 "--action" env MASH_USER=dpo mash-audit --action user-add -o json
check "the six users added" [ "$(jq -s 'length' "$out")" = 6 ]
as head mash-record "$c1" -o json >/dev/null
as head mash-record "$c1" -o json >/dev/null
MASH_NOW=2026-11-21T09:00:00Z as head mash-record "$c2" -o json >/dev/null
expect 0 "--since" env MASH_USER=dpo mash-audit --since 2026-11-21 -o json
check "only the view of the next day" [ "$(jq -s -c 'map([.action,
    .case_id])' "$out")" = "[[\"view\",$c2]]" ]
expect 0 "--until" env MASH_USER=dpo mash-audit --until \
    '2026-11-20T10:00:00Z' -o json
check "all but it" [ "$(jq -s length "$out")" = $((all + 2)) ]
expect 0 "--case and --action, oldest first" env MASH_USER=dpo \
    mash-audit --case "$c1" --action view -o json
check "the two views of case $c1" [ "$(jq -s -c 'map(.action)' "$out")" = \
    '["view","view"]' ]
check "oldest first" jqtrue -s '.[0].id < .[1].id' "$out"
expect 0 "CSV" env MASH_USER=dpo mash-audit --case "$c1" -o csv
check "strict CSV with the event columns" csv_ok "$out"
check "whose header is the event's keys" [ "$(head -1 "$out")" = \
    "$(printf 'id,at,actor,action,case_id,details,hash\r')" ]

# --- verify and anchor --------------------------------------------------
expect 0 "verify: the chain holds" env MASH_USER=dpo mash-audit verify -o json
check "every row read" [ "$(val .rows)/$(val .status)/$(val .row)" = \
    "$(audit_count)/ok/null" ]
run env MASH_USER=dpo mash-audit anchor
a=$(cat "$out")
check "anchor: ID:HASH of the last row, alone on a line" [ "$a" = \
    "$(sql "SELECT id || ':' || hash FROM audit ORDER BY id DESC LIMIT 1")" ]
expect 0 "anchor -o json" env MASH_USER=dpo mash-audit anchor -o json
check "has the anchor, its id, hash and time" jqtrue ".anchor == \"$a\" and
    .id == ${a%%:*} and .at == \"2026-11-21T09:00:00Z\"" "$out"
expect 0 "reading the trail writes nothing to it" [ "$(audit_count)" = \
    "${a%%:*}" ]
as head mash-record "$c1" -o json >/dev/null
expect 0 "verify --anchor: the anchor holds after more rows" \
    env MASH_USER=dpo mash-audit verify --anchor "$a" -o json
check "one anchor matched" [ "$(val .anchors)" = 1 ]
expect 1 "an anchor of another hash: broken" env MASH_USER=dpo \
    mash-audit verify --anchor "${a%%:*}:$(printf '%064d' 0)" -o json
check "naming the anchor's row" [ "$(val .row)" = "${a%%:*}" ]
# no overdue run: check warns of it, and exits 1
expect 1 "mash-admin check" mash-admin check -o json
check "one audit-chain line, ok" jqtrue -s 'map(select(.check ==
    "audit-chain"))[0].status == "ok"' "$out"

# the encoding of mash-audit(1), recomputed by other tools
audit_file
expect 0 "python's hashlib agrees with every row" \
    python3 "$RECHAIN" check "$audit_db"
n=$(sql "SELECT id FROM audit WHERE action = 'answer'")
sed -n '/^sqlite3 mash.db "SELECT coalesce/,/sha256sum$/p' \
    "$MASH_SRC/man/mash-audit.1" | sed -e 's/\\e/\\/g' -e 's/\\-/-/g' \
    -e "s/a.id = 8/a.id = $n/" -e "s|mash.db|$audit_db|" >"$T/recipe.sh"
check "the man page's recipe is found" has sha256sum "$T/recipe.sh"
run sh "$T/recipe.sh"
check "the man page's recipe (sqlite3, xxd, sha256sum) gives row $n's hash" \
    [ "$(cut -d' ' -f1 "$out")" = \
    "$(sql "SELECT hash FROM audit WHERE id = $n")" ]

# --- the backup's row is committed before the copy ----------------------
# (a PostgreSQL store is backed up with pg_dump instead, mash-admin(1))
if sqlite_only 3 "backup file"; then
	expect 0 "a backup" mash-admin backup "$T/copy.db"
	check "its row is in the copy itself" [ "$(MASH_DB=$T/copy.db sql \
	    "SELECT action FROM audit ORDER BY id DESC LIMIT 1")" = backup ]
	expect 0 "the copy's chain holds" env MASH_DB="$T/copy.db" \
	    MASH_USER=dpo mash-audit verify -o json
fi

# --- who saw a child's cases --------------------------------------------
# Ava (two cases: $c3, and $c5 with her brother Sam) and Ben ($c4).
# Listings are crafted as the listing programs write them (one row, the
# cases it showed under "cases"), and chained as they would be
MASH_DB=$T/access.db
export MASH_DB
new_store >/dev/null 2>&1
mash-admin user add dpo --role auditor >/dev/null
refer() { as admin mash-refer -o json --source police --concern c "$@"; }
c3=$(refer --ref A/1 --child 'Ava Moss' --dob 2016-03-02 | jq .id)
c4=$(refer --ref B/1 --child 'Ben Lee' --dob 2015-01-09 | jq .id)
c5=$(refer --ref A/2 --child 'Ava Moss' --dob 2016-03-02 \
    --child 'Sam Moss' --dob 2018-04-04 | jq .id)
ava=$(sql "SELECT DISTINCT person_id FROM children WHERE case_id = $c3")
check "Ava is one person in both her cases" [ "$(sql "SELECT
    count(DISTINCT person_id) FROM children WHERE case_id IN ($c3, $c5)
    AND given_name = 'Ava'")" = 1 ]
as head mash-screen "$c3" --rag amber -o json >/dev/null
as head mash-record "$c3" -o json >/dev/null
as head mash-record "$c4" -o json >/dev/null
as screener mash-record "$c5" -o json >/dev/null
# (the ids given: the programs number the rows, not the engine)
n=$(sql "SELECT max(id) FROM audit")
sql "INSERT INTO audit (id, at, actor, action, case_id, details) VALUES
    ($((n + 1)), '2026-11-20T10:00:00Z', 'sw', 'list', NULL,
     '{\"list\":\"caseload\",\"cases\":[$c4,$c3]}'),
    ($((n + 2)), '2026-11-20T10:00:00Z', 'screener', 'list', NULL,
     '{\"list\":\"screening\",\"cases\":[$c4]}'),
    ($((n + 3)), '2026-11-20T10:00:00Z', 'head', 'list', NULL,
     '{\"list\":\"screening\",\"cases\":[$c3,$c4,$c5]}'),
    ($((n + 4)), '2026-11-20T10:00:00Z', 'dpo', 'export', $c5, '{}'),
    ($((n + 5)), '2026-11-20T10:00:00Z', 'dpo', 'export', $c4, '{}')"
if [ -n "${MASH_PG:-}" ]; then run pg_rechain
else run python3 "$RECHAIN" rechain "$MASH_DB"; fi
check "the crafted rows are chained" [ "$rc" = 0 ]
as sw mash-record "$c3" -o json >/dev/null 2>&1	# refused: not audited
expect 0 "the chain holds" env MASH_USER=dpo mash-audit verify -o json
expect 0 "--person --access" env MASH_USER=dpo mash-audit --person "$ava" \
    --access -o json
jq -c '[.actor, .action, .how, .cases]' "$out" >"$T/access"
cat >"$T/access.want" <<EOF
["head","view","view",[$c3]]
["screener","view","view",[$c5]]
["sw","list","caseload",[$c3]]
["head","list","screening",[$c3,$c5]]
["dpo","export","export",[$c5]]
EOF
check_same "exactly the views, listings and exports of Ava's cases" \
    "$T/access.want" "$T/access"
check "nothing about Ben's case" hasnt "\\b$c4\\b" "$T/access"
check "who and when: every row has its time" jqtrue -s 'all(.at ==
    "2026-11-20T10:00:00Z")' "$out"
expect 0 "--person without --access: the events of her cases" \
    env MASH_USER=dpo mash-audit --person "$ava" -o json
check "her cases only, every kind of event" jqtrue -s "all(.case_id ==
    $c3 or .case_id == $c5) and (map(.action) | index(\"screen\"))" "$out"
expect 0 "--access --user narrows it" env MASH_USER=dpo mash-audit \
    --person "$ava" --access --user head -o json
check "the Head's view and listing" [ "$(jq -s -c 'map(.how)' "$out")" = \
    '["view","screening"]' ]

# the listings as the programs themselves write them: the screening
# queue, and mash-overdue's run, which names the cases it listed
as head mash-screen -o json >/dev/null 2>&1
env MASH_NOW=2027-01-04T12:00:00Z MASH_USER=admin mash-overdue -o json \
    >/dev/null 2>&1
expect 0 "--access after listings made by the programs" \
    env MASH_USER=dpo mash-audit --person "$ava" --access -o json
jq -c '[.actor, .action, .how, .cases]' "$out" | tail -n 2 >"$T/access"
cat >"$T/access.want" <<EOF
["head","list","screening",[$c3,$c5]]
["admin","overdue-run","overdue",[$c3,$c5]]
EOF
check_same "the Head's queue and the overdue run, Ava's cases only" \
    "$T/access.want" "$T/access"
expect 0 "and the chain still holds" env MASH_USER=dpo mash-audit verify

done_testing
