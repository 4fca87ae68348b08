#!/bin/sh
# retention: the settings, legal holds, the purge of closed cases past
# retention (a dry run changes nothing; a purge erases what it listed and
# nothing else, keeps the counts of reports and returns, keeps the audit
# chain, and leaves no erased byte in the store file), and the subject
# access export of mash-record --person
. "$(dirname "$0")/lib.sh"

plan 114

new_store >/dev/null 2>&1
mash-admin user add dpo --role auditor >/dev/null

# --- the settings -------------------------------------------------------

expect 0 "config retention.years: 0" mash-admin -o json config retention.years
check "defaults to 6" jqtrue '.value == "6" and .default == "6"' "$out"
expect 0 "config retention.until-age: 0" \
    mash-admin -o json config retention.until-age
check "defaults to 25" jqtrue '.value == "25"' "$out"
for v in 0 121 six 6.5 +6 ''; do
	run mash-admin config retention.years "$v"
	[ "$rc" = 78 ] || break
done
check "retention.years refuses 0, 121, six, 6.5, +6 and nothing: 78" \
    [ "$rc" = 78 ]
check "naming the setting" has "setting 'retention.years'" "$err"
expect 78 "retention.until-age refuses 121" \
    mash-admin config retention.until-age 121
expect 0 "retention.until-age takes 0: no rule of age" \
    mash-admin config retention.until-age 0
expect 0 "and back to 25" mash-admin config retention.until-age 25
expect 77 "a head may not change them" \
    as head mash-admin config retention.years 10

# --- the cases ----------------------------------------------------------

MASH_NOW=2015-03-02T10:00:00Z
export MASH_NOW

# refer TAG ARGS...: a contact about one child, its free text tagged
refer() {
	_t=$1
	shift
	as screener mash-refer -o json --source police --ref "R/$_t" \
	    --concern "Concern Qz$_t one" --referrer "Referrer Qz$_t" \
	    --referrer-contact "Contact Qz$_t" --consent not-sought "$@" \
	    >"$T/refer.json" || return 1
	id=$(jq -r .id "$T/refer.json")
}

# close TAG: the case $id taken through the whole work to closed, with
# free text at every step (two requests: one answered, one withdrawn)
close() {
	as head mash-screen "$id" --rag amber --note "Note Qz$1" -o json &&
	as head mash-screen "$id" --accept --assign sw \
	    --share-without-consent "Basis Qz$1" -o json &&
	as sw mash-request "$id" police --question "Question Qz$1" -o json &&
	as sw mash-request "$id" health --question "Asked Qz$1" -o json &&
	r=$(sql "SELECT max(id) FROM requests WHERE case_id = $id") &&
	as pc mash-request --respond $((r - 1)) --text "Answer Qz$1" -o json &&
	as sw mash-request --withdraw "$r" --reason "Withdrawn Qz$1" -o json &&
	as sw mash-record "$id" --summary "Summary Qz$1" --recommend nfa \
	    -o json &&
	as head mash-decide "$id" --outcome nfa --reason "Reason Qz$1" -o json
} >/dev/null

# A: everything a case can hold, sent again with other content while
# open (an update keeps the concern before), and past retention
refer A --child 'Zelda Qzaone' --dob 1990-05-05 --nhs-number 9434765919 \
    --upn B801200005001 --school 'School QzA' --address 'Address QzA' \
    --postcode 'YO1 7HH'
A=$id
as screener mash-refer -o json --source police --ref R/A \
    --concern 'Concern QzA two' --child 'Zelda Qzaone' --dob 1990-05-05 \
    --nhs-number 9434765919 >/dev/null 2>&1
check "case A is updated: its concern before is kept" \
    [ "$(sql "SELECT json_extract(previous, '$.concern') FROM case_updates
    WHERE case_id = $A")" = 'Concern QzA one' ]
close A
# B: its child is not yet 25
refer B --child 'Bea Qzbone' --dob 2005-06-01
B=$id
close B
# C: on hold
refer C --child 'Cal Qzcone' --dob 1990-01-01
C=$id
close C
# D: open, whatever its age
refer D --child 'Dora Qzdone' --dob 1990-01-01 --postcode 'LS6 2AB'
D=$id
# F: a child with no date of birth
refer F --child 'Fay Qzfone'
F=$id
close F
# G: two children past 25, one a possible match of D's child
refer G --child 'Dora Qzdona' --dob 1990-01-01 --child 'Gus Qzgone' \
    --dob 1994-02-02
G=$id
close G
# H: born on 29 February
refer H --child 'Hal Qzhone' --dob 2000-02-29
H=$id
close H
# E: closed in 2024, not yet 6 years ago
MASH_NOW=2024-06-03T10:00:00Z refer E --child 'Eve Qzeone' --dob 1990-01-01
E=$id
MASH_NOW=2024-06-03T10:00:00Z close E
check "eight cases made, all closed but D" [ "$(sql "SELECT group_concat(
    id || state, ' ') FROM (SELECT id, state FROM cases ORDER BY id) AS c")" = \
    "${A}closed ${B}closed ${C}closed ${D}new ${F}closed ${G}closed ${H}closed ${E}closed" ]
check "G's first child is a possible match of D's" [ "$(sql "SELECT count(*)
    FROM possible_matches WHERE child_id IN (SELECT id FROM children
    WHERE case_id = $G)")" = 1 ]

# --- holds --------------------------------------------------------------

n=$(audit_count)
expect 77 "hold: a head may not" as head mash-admin hold "$C" --reason x
check "naming the role" has "'admin'" "$err"
expect 64 "hold without --reason" mash-admin hold "$C"
expect 64 "hold with a reason of white space" \
    mash-admin hold "$C" --reason '   '
expect 64 "hold of no case id" mash-admin hold abc --reason x
expect 64 "hold of two cases" mash-admin hold "$C" "$D" --reason x
expect 66 "hold of no such case" mash-admin hold 999 --reason x
check "names it" has "no such case 999" "$err"
expect 64 "--reason with another command" mash-admin --reason x check
check "nothing refused was audited" [ "$(audit_count)" = "$n" ]
expect 0 "hold: 0" mash-admin hold "$C" --reason 'Claim QzC pending'
check "the hold is kept on the case" [ "$(sql "SELECT held_by || ' ' ||
    held_at || ' ' || held_reason FROM cases WHERE id = $C")" = \
    "admin 2015-03-02T10:00:00Z Claim QzC pending" ]
check "audited: hold, the reason's name in details" [ "$(sql "SELECT
    action || ' ' || case_id || ' ' || details FROM audit
    ORDER BY id DESC LIMIT 1")" = "hold $C {\"fields\":[\"reason\"]}" ]
check "its text beside the trail" [ "$(sql "SELECT text FROM event_text
    WHERE audit_id = (SELECT max(id) FROM audit)")" = 'Claim QzC pending' ]
expect 65 "a case on hold cannot be held again" \
    mash-admin hold "$C" --reason again
check "says since when" has "case $C is on hold already, since" "$err"
expect 65 "unhold of a case not on hold" mash-admin unhold "$D"
check "says so" has "case $D is not on hold" "$err"
expect 0 "hold D, then" mash-admin hold "$D" --reason 'QzD'
expect 0 "unhold D: 0" mash-admin unhold "$D"
check "unhold is audited, and clears the hold" [ "$(sql "SELECT action ||
    coalesce(held_at, '-') FROM audit, cases WHERE cases.id = $D
    ORDER BY audit.id DESC LIMIT 1")" = "unhold-" ]

# --- the rules, at their edges -----------------------------------------

# listed WHEN: the case ids a dry run at WHEN lists, one line
listed() {
	MASH_NOW=$1 mash-admin -o json purge --dry-run >"$T/listed" &&
	    jq -r .case_id "$T/listed" | tr '\n' ' '
}
check "closed 2015-03-02: kept all of 2021-03-02" \
    [ "$(listed 2021-03-02T23:30:00Z)" = "" ]
check "past retention on 2021-03-03: A and G" \
    [ "$(listed 2021-03-03T00:30:00Z)" = "$A $G " ]
check "born 2000-02-29: not 25 on 2025-02-28" \
    [ "$(listed 2025-02-28T12:00:00Z)" = "$A $G " ]
check "but on 2025-03-01" [ "$(listed 2025-03-01T12:00:00Z)" = "$A $G $H " ]
check "no date of birth: aged from the contact, 2015-03-02: not on 2040-03-01" \
    [ "$(listed 2040-03-01T12:00:00Z)" = "$A $B $G $H $E " ]
check "but on 2040-03-02" \
    [ "$(listed 2040-03-02T12:00:00Z)" = "$A $B $F $G $H $E " ]
MASH_NOW=2040-03-02T12:00:00Z mash-admin config retention.years 30
check "retention.years 30: nothing closed in 2015 in 2040" \
    [ "$(listed 2040-03-02T12:00:00Z)" = "" ]
mash-admin config retention.years 6
MASH_NOW=2026-01-05T10:00:00Z
export MASH_NOW
check "a held, an open, a recent case and a child under 25 are never listed" \
    [ "$(listed "$MASH_NOW")" = "$A $G $H " ]

# --- a dry run changes nothing ------------------------------------------

expect 77 "purge: a head may not" as head mash-admin purge --dry-run
expect 64 "purge takes no argument" mash-admin purge "$A"
expect 64 "--dry-run with another command" mash-admin --dry-run check
snapshot "$T/dump.before"
[ -n "${MASH_PG:-}" ] || cp "$MASH_DB" "$T/file.before"
expect 0 "purge --dry-run: 0" mash-admin -o json purge --dry-run
cp "$out" "$T/dry.json"
check "one row a case, oldest closed first" \
    [ "$(jq -r .case_id "$out" | tr '\n' ' ')" = "$A $G $H " ]
check "with when it closed, its children and why" jqtrue -s '.[0] ==
    {"case_id":'"$A"',"closed_at":"2015-03-02T10:00:00Z","children":1,
    "why":"closed over 6 years ago, every child 25 or over"}' "$out"
check "and no personal field" hasnt 'Qz' "$out"
snapshot "$T/dump.after"
check_same "the store is as it was, its audit trail too" \
    "$T/dump.before" "$T/dump.after"
if sqlite_only "file, the same byte for byte"; then
	check "the file is the same, byte for byte" \
	    cmp -s "$T/file.before" "$MASH_DB"
fi
expect 0 "as CSV" mash-admin -o csv purge --dry-run
check "strict CSV with the columns of purge" csv_ok "$out"
check "its header" [ "$(head -1 "$out")" = "$(printf \
    'case_id,closed_at,children,why\r')" ]
if python3 -c 'import jsonschema' 2>/dev/null; then
	python3 - "$MASH_SRC/share/mash/schema/purge.json" "$T/dry.json" \
	    >"$T/valid" 2>&1 <<'PY'
import json, sys, jsonschema
s = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(s)
for line in open(sys.argv[2]):
    jsonschema.validate(json.loads(line), s)
PY
	check "each row is valid by purge.json" [ $? = 0 ]
else
	skip "python3 has no jsonschema module: purge.json not checked"
fi

# --- what was there before ----------------------------------------------

# rows CASE...: every row of the cases, children, requests, updates,
# matches and event texts, as text
rows() {
	for c in "$@"; do
		case_rows "$c"
		sql "SELECT * FROM case_updates WHERE case_id = $c;
		    SELECT * FROM possible_matches WHERE child_id IN (SELECT id
		    FROM children WHERE case_id = $c) ORDER BY 1, 2;
		    SELECT e.* FROM event_text e JOIN audit a ON a.id = e.audit_id
		    WHERE a.case_id = $c ORDER BY 1, 2"
	done
}
# as an SQLite built without secure_delete would leave it: a long
# concern of case A, replaced, its overflow pages freed but not zeroed;
# the purge must not leave that behind either
[ -n "${MASH_PG:-}" ] || sqlite3 -batch "$MASH_DB" "PRAGMA secure_delete = OFF;
    UPDATE cases SET concern = concern || printf('%.9000c', '.') ||
    ' QzA at length' WHERE id = $A;
    UPDATE cases SET concern = 'Concern QzA two' WHERE id = $A" >/dev/null
rows "$B" "$C" "$D" "$E" "$F" >"$T/kept.before"
if sqlite_only "file's bytes"; then
	sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	check "before: case A's free text is in the store file, freed pages too" \
	    [ "$(grep -aic qza "$MASH_DB")" -gt 0 ] &&
	    [ "$(grep -ac 'QzA at length' "$MASH_DB")" -gt 0 ]
fi
as admin mash-report -o json --from 2015-01-01 --to 2025-12-31 \
    >"$T/report.before"
check "mash-report before the purge" json_lines "$T/report.before"
annexa() {
	for l in 1 3; do
		as admin mash-return annex-a --list "$l" --from 01/01/2015 \
		    --to 31/12/2025 | wc -l
	done
}
have_return=
command -v mash-return >/dev/null 2>&1 && have_return=1
[ -z "$have_return" ] || annexa >"$T/annexa.before"
chain=$(audit_count)

# --- the purge ----------------------------------------------------------

expect 77 "purge: a head may not erase" as head mash-admin purge
expect 0 "purge: 0" mash-admin -o json purge
check_same "it erased exactly what the dry run listed" "$T/dry.json" "$out"
check "and the store says so" [ "$(sql "SELECT group_concat(id, ' ') FROM
    (SELECT id FROM cases WHERE erased_at IS NOT NULL ORDER BY id) AS c")" = \
    "$A $G $H" ]
check "one audit row a case: erase" [ "$(sql "SELECT group_concat(case_id,
    ' ') FROM audit WHERE id > $chain AND action = 'erase'")" = "$A $G $H" ]
check "and no other row" [ "$(audit_count)" = $((chain + 3)) ]
check "A's row names its child and what it erased, no value" [ "$(sql "SELECT
    details FROM audit WHERE action = 'erase' AND case_id = $A")" = \
    "{\"children\":[$(sql "SELECT id FROM children WHERE case_id = $A")],\
\"erased\":[\"concern\",\"referrer\",\"referrer_contact\",\"screening_note\",\
\"share_basis\",\"summary\",\"given_name\",\"family_name\",\"name_key\",\"dob\",\
\"nhs_number\",\"upn\",\"school\",\"address\",\"postcode\",\"question\",\"answer\",\
\"withdraw_reason\",\"previous\",\"event_text\"]}" ]
check "G's row: its two children, and the match" [ "$(sql "SELECT
    json_array_length(details, '$.children') || ' ' ||
    (SELECT count(*) FROM json_each(details, '$.erased')
    WHERE value = 'possible_matches') FROM audit
    WHERE action = 'erase' AND case_id = $G")" = "2 1" ]
check "no audit details hold free text" \
    [ "$(sql "SELECT count(*) FROM audit WHERE details LIKE '%Qz%'")" = 0 ]

# --- what was erased, and what stays ------------------------------------

check "the case's text reads [erased]" [ "$(sql "SELECT concern || referrer ||
    referrer_contact || screening_note || share_basis || summary
    FROM cases WHERE id = $A")" = \
    '[erased][erased][erased][erased][erased][erased]' ]
check "the child's names read [erased]; the rest is null, but gender" \
    [ "$(sql "SELECT given_name || family_name || '|' || name_key || '|' ||
    quote(dob) || quote(nhs_number) || quote(upn) || quote(school) ||
    quote(address) || quote(postcode) || '|' || gender
    FROM children WHERE case_id = $A")" = \
    '[erased][erased]||NULLNULLNULLNULLNULLNULL|unknown' ]
check "questions, answers and reasons read [erased]" [ "$(sql "SELECT
    group_concat(coalesce(question, '-') || coalesce(answer, '-') ||
    coalesce(withdraw_reason, '-'), ' ') FROM requests
    WHERE case_id = $A")" = '[erased][erased]- [erased]-[erased]' ]
check "the update's concern before reads [erased]" [ "$(sql "SELECT
    json_extract(previous, '$.concern') FROM case_updates
    WHERE case_id = $A")" = '[erased]' ]
check "every text of its events is null" [ "$(sql "SELECT count(*) || '/' ||
    count(text) FROM event_text e JOIN audit a ON a.id = e.audit_id
    WHERE a.case_id = $A")" = '8/0' ]
check "G's possible match is gone" [ "$(sql "SELECT count(*) FROM
    possible_matches WHERE child_id IN (SELECT id FROM children
    WHERE case_id = $G)")" = 0 ]
check "ids, dates, codes and outcome stay" [ "$(sql "SELECT id || state ||
    rag || source || reference || received_at || consent || outcome ||
    closed_at || decision_due || screening_due || assigned_to
    FROM cases WHERE id = $A")" = \
    "${A}closedamber6R/A2015-03-02T10:00:00Znot-soughtnfa2015-03-02T10:00:00Z2015-03-03T17:00:00Z2015-03-03T17:00:00Zsw" ]
rows "$B" "$C" "$D" "$E" "$F" >"$T/kept.after"
check_same "the held, young, open, recent and undated cases are untouched" \
    "$T/kept.before" "$T/kept.after"
expect 0 "the record of an erased case shows it erased" \
    as head mash-record "$A" -o json
check "its concern, child and events" jqtrue '.concern == "[erased]" and
    .children[0].given_name == "[erased]" and .children[0].dob == null and
    ([.events[] | select(.action == "decide")][0].details ==
    {"from_state":"recorded","outcome":"nfa","agency":null,
    "fields":["reason"]}) and ([.events[].action] | index("erase") != null)' \
    "$out"

# --- the counts, the chain and the file ---------------------------------

as admin mash-report -o json --from 2015-01-01 --to 2025-12-31 \
    >"$T/report.after"
check_same "mash-report gives the same counts after the purge" \
    "$T/report.before" "$T/report.after"
if [ -n "$have_return" ]; then
	annexa >"$T/annexa.after"
	check_same "mash-return annex-a lists as many rows after the purge" \
	    "$T/annexa.before" "$T/annexa.after"
else
	skip "mash-return is not on PATH: the Annex A counts are not compared"
fi
expect 0 "mash-audit verify: the chain holds" \
    as dpo mash-audit verify -o json
check "over every row" jqtrue ".status == \"ok\" and
    .rows == $(audit_count)" "$out"
if sqlite_only 4 "file: its integrity, write-ahead log and bytes"; then
	check "integrity and foreign keys hold" [ "$(sql "PRAGMA integrity_check;
	    PRAGMA foreign_key_check" | tr '\n' ' ')" = "ok " ]
	check "the write-ahead log is empty" [ ! -s "$MASH_DB-wal" ]
	for s in qza 'QzA at length' qzg qzh 9434765919 B801200005001 \
	    'YO1 7HH' 'Dora Qzdona'; do
		found=$(cat "$MASH_DB" "$MASH_DB-wal" 2>/dev/null |
		    grep -aic "$s")
		[ "$found" = 0 ] || break
	done
	check "no erased value is anywhere in the store's bytes${s:+ (found '$s')}" \
	    [ "$found" = 0 ]
	check "what is kept is still there" \
	    [ "$(grep -aic qzb "$MASH_DB")" -gt 0 ]
fi
n=$(audit_count)
expect 0 "a second purge: 0" mash-admin -o json purge
check "erases nothing, prints nothing" silent
check "and audits nothing" [ "$(audit_count)" = "$n" ]

# --- after the hold -----------------------------------------------------

expect 0 "unhold C" mash-admin unhold "$C"
expect 0 "now a purge erases it" mash-admin -o json purge
check "C alone" [ "$(jq -r .case_id "$out")" = "$C" ]
check "with its hold's reason" [ "$(sql "SELECT count(text) FROM event_text
    e JOIN audit a ON a.id = e.audit_id WHERE a.case_id = $C")" = 0 ]
expect 65 "an erased case cannot be held" mash-admin hold "$C" --reason x
check "says so" has "case $C was erased at" "$err"

# --- subject access -----------------------------------------------------

MASH_NOW=2026-01-06T10:00:00Z
export MASH_NOW
for t in P1 P2 P3; do
	refer "$t" --child 'Pip Qzperson' --dob 2012-04-04 \
	    --nhs-number 4010232137
	eval "$t=\$id"
done
close P1
as head mash-screen "$P2" --rag green -o json >/dev/null
P=$(sql "SELECT person_id FROM children WHERE case_id = $P1")
check "one child, three cases" [ "$(sql "SELECT count(DISTINCT case_id) ||
    '/' || count(DISTINCT person_id) FROM children WHERE case_id IN
    ($P1, $P2, $P3)")" = "3/1" ]
n=$(audit_count)
expect 77 "--person: a social worker may not" as sw mash-record --person "$P"
check "naming the roles" has "'admin' or 'head' or 'auditor'" "$err"
expect 77 "nor a screener" as screener mash-record --person "$P"
check "nothing refused was audited" [ "$(audit_count)" = "$n" ]
expect 64 "--person with a case" as dpo mash-record --person "$P" "$P1"
expect 64 "--person with --list" as dpo mash-record --person "$P" --list
expect 64 "--person that is not an id" as dpo mash-record --person me
expect 66 "--person of no such person" as dpo mash-record --person 9999
check "names it" has "no such person 9999" "$err"
expect 0 "--person: the data protection officer" \
    as dpo mash-record --person "$P" -o json
cp "$out" "$T/sar.json"
check "every case about the child, oldest first, whole" [ "$(jq -r .id \
    "$out" | tr '\n' ' ')" = "$P1 $P2 $P3 " ]
check "each as mash-record CASE prints it" jqtrue -s 'all(has("requests")
    and has("summary") and has("events") and has("children"))' "$out"
as head mash-record "$P1" -o json >"$T/one.json"
check "the same record, but for its last event" [ "$(jq -c 'del(.events)' \
    "$T/one.json")" = "$(jq -s -c '.[0] | del(.events)' "$T/sar.json")" ]
check "each shows its export among its events" jqtrue -s 'all(.events[-1] |
    .action == "export" and .actor == "dpo")' "$out"
check "audited: one export a case, naming the person" [ "$(sql "SELECT
    group_concat(case_id || details, ' ') FROM audit WHERE id > $n AND
    action = 'export'")" = \
    "$P1{\"person\":$P} $P2{\"person\":$P} $P3{\"person\":$P}" ]
expect 0 "mash-audit --person --access reports the exports" \
    as dpo mash-audit --person "$P" --access -o json
check "all three" [ "$(jq -s -c '[.[] | select(.action == "export") |
    .cases[0]]' "$out")" = "[$P1,$P2,$P3]" ]
expect 0 "an admin may export" mash-record --person "$P" -o json
expect 0 "the Head too, as a table" as head mash-record --person "$P" \
    -o table
check "which shows the three records" [ "$(grep -c 'Qzperson' "$out")" -ge 3 ]

done_testing
