#!/bin/sh
# a referral sent again: the same content is present, other content an
# update of its open case, or a new case superseding a closed one, and
# never dropped (mash-import(5) "Referrals sent again")
. "$(dirname "$0")/lib.sh"

plan 54

MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
cd "$T" || echo "Bail out! no $T"

H=reference,source,child_given_name,child_family_name,child_dob,concern,risk
printf '%s\n%s\n' "$H" \
    'PPN/2026/0401,police,Ava,Testa,02/03/2016,Old concern,Medium' >a.csv
printf '%s\n%s\n%s\n' "$H" \
    'PPN/2026/0401,police,Ava,Testa,02/03/2016,New concern,High' \
    'PPN/2026/0401,police,Leo,Testa,20/11/2019,New concern,High' >upd.csv
audits() { sql "SELECT count(*) FROM audit WHERE action = '$1'"; }
val() { sql "SELECT $1 FROM cases WHERE id = ${2:-1}"; }

expect 0 "the first notification: 0" mash-refer --csv a.csv
expect 0 "sent again with a new concern, risk High, a second child: 0" \
    mash-refer --csv upd.csv
check "the summary counts the rows updated" has \
    'imported 0 cases, 0 children; 0 already present; 2 updated; 0 rejected' \
    "$err"
check "each update is said: the case and the fields, no values" \
    has "upd.csv:2: case 1 updated: concern,risk$" "$err"
check "the second row adds its child" \
    has "upd.csv:3: case 1 updated: 1 child added$" "$err"
check "no value of a row in the messages" hasnt "New concern" "$err"
check "the case takes the new concern" [ "$(val concern)" = "New concern" ]
check "and the new risk" [ "$(val risk)" = High ]
check "the second child is added to the case" \
    [ "$(sql 'SELECT count(*) FROM children WHERE case_id = 1')" = 2 ]
check "still one case" [ "$(sql 'SELECT count(*) FROM cases')" = 1 ]
check "the case is marked updated, with the time" \
    [ "$(val updated_at)" = 2026-03-10T10:00:00Z ]
check "one update kept for the file, the values before in it" \
    [ "$(sql "SELECT fields || ' ' || children || ' ' || previous FROM
    case_updates")" = '["concern","risk"] 1 {"concern":"Old concern","risk":"Medium"}' ]
check "an update audit row for each row that updated" [ "$(audits update)" = 2 ]
check "the audit names the fields changed, never their values" \
    [ "$(sql "SELECT group_concat(details, ' ') FROM audit WHERE
    action = 'update'")" = '{"update":1,"fields":["concern","risk"],"children":0} {"update":1,"fields":[],"children":1}' ]
check "the import's audit row counts the updated rows" \
    has '"updated":2' "$(sql "SELECT details FROM audit WHERE action =
    'import' ORDER BY id DESC LIMIT 1" >"$T/imp"; echo "$T/imp")"

expect 0 "the record shows the update" as head mash-record 1 -o json
check "the record: updated_at and the updates, fields and values before" \
    jqtrue '.updated_at == "2026-03-10T10:00:00Z" and
    (.updates | length) == 1 and .updates[0].fields == ["concern","risk"] and
    .updates[0].previous.concern == "Old concern" and
    .updates[0].children == 1 and .supersedes == null' "$out"
expect 0 "the screening queue" as screener mash-screen -o json
check "the queue flags the updated case" \
    jqtrue 'select(.id == 1) | .updated_at == "2026-03-10T10:00:00Z"' "$out"

# --- the same content again: present, in any order of the children ---------

naudit=$(sql 'SELECT count(*) FROM audit')
printf '%s\n%s\n%s\n' "$H" \
    'PPN/2026/0401,police,Leo,Testa,20/11/2019,New concern,High' \
    'PPN/2026/0401,police,Ava,Testa,02/03/2016,New concern,High' >rev.csv
expect 0 "the same file again, its rows in another order: 0" \
    mash-refer --csv rev.csv
check "every row already present" has \
    'imported 0 cases, 0 children; 2 already present; 0 updated; 0 rejected' \
    "$err"
check "no update is recorded" \
    [ "$(sql 'SELECT count(*) FROM case_updates')" = 1 ]
check "only the import's audit row is added" \
    [ "$(sql 'SELECT count(*) FROM audit')" = $((naudit + 1)) ]
printf '%s\n%s\n' "$H" 'PPN/2026/0401,police,Ava,Testa,02/03/2016,,' >less.csv
expect 65 "a row that leaves out the concern is still refused: 65" \
    mash-refer --csv less.csv

# --- a household in an update must agree with itself -----------------------

printf '%s\n%s\n%s\n' "$H" \
    'PPN/2026/0401,police,Ava,Testa,02/03/2016,Third concern,High' \
    'PPN/2026/0401,police,Mia,Testa,01/01/2020,Fourth concern,High' >bad.csv
snapshot "$T/before"
expect 65 "an update whose rows disagree: 65" mash-refer --csv bad.csv
check "the disagreeing row is named" \
    has "bad.csv:3: column 'concern': differs from an earlier row with reference 'PPN/2026/0401'" \
    "$err"
snapshot "$T/after"
check_same "all or nothing: the store is unchanged" "$T/before" "$T/after"
expect 0 "--dry-run of an update: 0" mash-refer --csv upd.csv --dry-run
expect 0 "--dry-run of a real update: 0" \
    sh -c 'sed "s/New concern/Other/" upd.csv >dry.csv &&
    mash-refer --csv dry.csv --dry-run'
check "--dry-run says it would update" has "1 already present; 1 updated" "$err"
snapshot "$T/after"
check_same "--dry-run: nothing written" "$T/before" "$T/after"

# --- options and JSON: the same rule -------------------------------------

expect 0 "--ref already held, with a new risk: 0" \
    mash-refer -o json --source police --ref PPN/2026/0401 \
    --concern 'New concern' --risk Critical --child 'Ava Testa' --dob 2016-03-02
check "options: the update is said" \
    has "reference 'PPN/2026/0401' is case 1: updated: risk$" "$err"
check "options: the case as it now stands is printed" \
    jqtrue '.id == 1 and .risk == "Critical"' "$out"
printf '%s\n' '{"source":"police","reference":"PPN/2026/0401","concern":"New concern","children":[{"name":"Zed Testa"}]}' >j.json
expect 0 "JSON: the same reference with another child: 0" \
    mash-refer --json -o json <j.json
check "JSON: the child is added" \
    [ "$(sql 'SELECT count(*) FROM children WHERE case_id = 1')" = 3 ]
check "JSON: said" has "is case 1: updated: 1 child added$" "$err"
expect 0 "JSON: the same again: 0" mash-refer --json -o json <j.json
check "JSON: now already present" \
    has "reference 'PPN/2026/0401' is already case 1" "$err"

printf '%s\n' '{"source":"police","reference":"PPN/2026/0401","concern":"New concern","children":[{"name":"Ava Testa"}]}' >less.json
expect 0 "a child sent again with less (no date of birth): 0" \
    mash-refer --json -o json <less.json
check "... is the child already in the case, not another" \
    has "reference 'PPN/2026/0401' is already case 1" "$err"

# --- a closed case is never changed: a new case supersedes it ----------------

expect 0 "the Head declines case 1" \
    as head mash-screen 1 --decline --outcome nfa --reason 'no role'
closed=$(sql "SELECT concern || risk FROM cases WHERE id = 1")
expect 0 "sent again after it closed, with other content: 0" \
    mash-refer --csv a.csv
check "the summary: a new case" has \
    'imported 1 case, 1 child; 0 already present; 0 updated; 0 rejected' "$err"
check "the message names both cases" \
    has "a.csv:2: case 1 is closed: recorded as case 2$" "$err"
check "the new case supersedes the closed one" [ "$(val supersedes 2)" = 1 ]
check "under the same reference" [ "$(val reference 2)" = PPN/2026/0401 ]
check "the closed case is unchanged" \
    [ "$(sql "SELECT concern || risk FROM cases WHERE id = 1")" = "$closed" ]
check "its refer audit row names the case it supersedes" \
    [ "$(sql "SELECT details FROM audit WHERE action = 'refer' AND
    case_id = 2")" = '{"source":"6","reference":"PPN/2026/0401","children":1,"supersedes":1}' ]
expect 0 "the same again: 0" mash-refer --csv a.csv
check "now already present in the new case" has "1 already present" "$err"
check "two cases in all" [ "$(sql 'SELECT count(*) FROM cases')" = 2 ]
expect 0 "the new case's record names the one it supersedes" \
    as head mash-record 2 -o json
check "supersedes: 1" jqtrue '.supersedes == 1' "$out"

done_testing
