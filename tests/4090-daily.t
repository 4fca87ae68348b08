#!/bin/sh
# An operator's daily use (issue 15): codes in any case, text that is
# more than white space, standard input read one way, CSV and tables of
# several records, consent recorded later, mash-overdue --new, help
. "$(dirname "$0")/lib.sh"

new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

# --- codes in any case, stored lower case -----------------------------------

case_in mash && c1=$cid
expect 0 "--state in capitals" as head mash-record -o json --list --state Mash
check "lists the case in mash" jqtrue -s "map(.id) == [$c1]" "$out"
expect 65 "--state foo is still refused" as head mash-record --list --state foo
check "naming it" has "'foo'" "$err"
expect 0 "a request to 'Police'" as sw mash-request -o json "$c1" Police
check "stored as 'police'" [ "$(sql "SELECT agency FROM requests WHERE case_id = $c1")" = police ]
expect 0 "listing --agency POLICE" as head mash-request -o json --agency POLICE
check "finds it" jqtrue -s "length == 1 and .[0].agency == \"police\"" "$out"
expect 0 "an officer lists --agency Police" as pc mash-request -o json --agency Police
check "their own" jqtrue -s "length == 1" "$out"
expect 0 "mash-overdue --agency Police" mash-overdue -o json --agency Police
case_in screened && c2=$cid
expect 0 "criteria in capitals" as head mash-screen -o json "$c2" --rag amber \
    --criteria Repeat-Referral
check "stored lower case" [ "$(sql "SELECT criteria FROM cases WHERE id = $c2")" = '["repeat-referral"]' ]
expect 0 "a user with --role Head --agency Health" \
    mash-admin user add hb --role Head,Agency --agency Health
check "stored lower case" [ "$(sql "SELECT roles || ' ' || agency FROM users WHERE login = 'hb'")" = 'head,agency health' ]
expect 0 "user set --role Social-Worker" mash-admin user set hb --role Social-Worker
check "stored lower case" [ "$(sql "SELECT roles FROM users WHERE login = 'hb'")" = 'social-worker' ]
case_in recorded && c3=$cid
expect 0 "decide single-agency to 'Housing'" as head mash-decide -o json "$c3" \
    --outcome Single-Agency --agency Housing --reason 'Test'
check "stored lower case" [ "$(sql "SELECT outcome || ' ' || outcome_agency FROM cases WHERE id = $c3")" = 'single-agency housing' ]

# --- text that says something ----------------------------------------------

case_in screened && c4=$cid
as head mash-screen -o json "$c4" --rag red --reason 'Worse' >/dev/null
expect 64 "changing the RAG with an empty --reason" \
    as head mash-screen -o json "$c4" --rag green --reason ''
check "says it is empty" has "\-\-reason is empty" "$err"
expect 65 "a --reason of spaces" \
    as head mash-screen -o json "$c4" --rag green --reason '   '
check "says so" has "\-\-reason holds only white space" "$err"
expect 65 "a --note of a tab and a line break" \
    as head mash-screen -o json "$c4" --rag red --note "$(printf '\t\n ')"
check "says so" has "\-\-note holds only white space" "$err"
expect 65 "a --note of spaces" as head mash-screen -o json "$c4" --rag red --note '  '
expect 65 "a --note of no-break spaces" \
    as head mash-screen -o json "$c4" --rag red --note "$(printf '\302\240\302\240')"
expect 65 "a concern of spaces" mash-refer -o json --source police \
    --concern '   ' --child 'Ann Blank'
check "names the field" has "concern.*holds only white space" "$err"
case_in mash && c5=$cid
expect 0 "a request" as sw mash-request -o json "$c5" health
req=$(val .id)
snapshot "$T/before"
expect 65 "a summary of spaces" as sw mash-record -o json "$c5" --summary '  ' \
    --recommend nfa
check "says so" has "\-\-summary holds only white space" "$err"
expect 65 "a question of spaces" as sw mash-request -o json "$c5" education \
    --question ' '
check "says so" has "\-\-question holds only white space" "$err"
expect 65 "an answer of spaces" as head mash-request -o json --respond "$req" \
    --text ' '
check "says so" has "\-\-text holds only white space" "$err"
expect 64 "--nil with an empty --text" as head mash-request -o json \
    --respond "$req" --nil --text ''
check "says so" has "\-\-text is empty" "$err"
expect 65 "a withdrawal's reason of spaces" as head mash-request -o json \
    --withdraw "$req" --reason '  '
check "says so" has "\-\-reason holds only white space" "$err"
expect 65 "a basis of spaces" as head mash-screen -o json "$c5" \
    --share-without-consent ' '
check "says so" has "\-\-share-without-consent holds only white space" "$err"
snapshot "$T/after"
check_same "nothing of it was written" "$T/before" "$T/after" 

# --- text from standard input: one final line end dropped -------------------

printf 'Line one\n\nLine three  \n' >"$T/text"
expect 0 "--concern -" mash-refer -o json --source police --concern - \
    --child 'Ann Stdin' --consent given <"$T/text"
c6=$(val .id)
check "the concern less its final line end" \
    [ "$(sql "SELECT hex(concern) FROM cases WHERE id = $c6")" = \
    "$(printf 'Line one\n\nLine three  ' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" ]
as head mash-screen -o json "$c6" --accept --assign sw --rag amber >/dev/null
expect 0 "--question -" as sw mash-request -o json "$c6" health --question - <"$T/text"
r6=$(val .id)
expect 0 "--text -" as head mash-request -o json --respond "$r6" --text - <"$T/text"
printf 'Summary\r\n\r\n' >"$T/crlf"
expect 0 "--summary - with CRLF" as sw mash-record -o json "$c6" --summary - \
    --recommend nfa <"$T/crlf"
check "question and answer alike" [ "$(sql "SELECT count(*) FROM requests
    WHERE id = $r6 AND hex(question) = hex(answer) AND
    answer = (SELECT concern FROM cases WHERE id = $c6)")" = 1 ]
check "the summary keeps its blank line, loses one CRLF" \
    [ "$(sql "SELECT hex(summary) FROM cases WHERE id = $c6")" = 53756D6D6172790D0A ]

# --- consent obtained later ---------------------------------------------------

case_in mash not-sought && c7=$cid
expect 77 "no request without consent" as sw mash-request -o json "$c7" police
snapshot "$T/before"
expect 77 "another social worker may not record consent" \
    as sw2 mash-screen -o json "$c7" --consent given
expect 77 "nor a screener once the case is in the hub" \
    as screener mash-screen -o json "$c7" --consent given
expect 65 "a consent that is no consent" \
    as sw mash-screen -o json "$c7" --consent maybe
check "names it" has "'maybe'" "$err"
expect 65 "the consent it has already" \
    as sw mash-screen -o json "$c7" --consent Not-Sought
expect 64 "not with --rag" as head mash-screen -o json "$c7" --consent given --rag red
expect 64 "not with a match" as head mash-screen -o json "$c7" --consent given \
    --same-child 1=2
snapshot "$T/after"
check_same "nothing written" "$T/before" "$T/after"
expect 0 "the assigned social worker records it, with how" \
    as sw mash-screen -o json "$c7" --consent Given --reason 'Mother agreed by phone'
check "the case shows it" jqtrue '.consent == "given"' "$out"
check "stored" [ "$(sql "SELECT consent FROM cases WHERE id = $c7")" = given ]
check "audited, the reason as the event's text" [ "$(sql "SELECT a.details || ' ' || t.field || ' ' || t.text
    FROM audit a JOIN event_text t ON t.audit_id = a.id
    WHERE a.case_id = $c7 AND a.action = 'consent'")" = \
    '{"from_consent":"not-sought","consent":"given","fields":["reason"]} reason Mother agreed by phone' ]
expect 0 "now a request goes" as sw mash-request -o json "$c7" police
case_in new unknown && c8=$cid
expect 0 "a screener records it while in screening" \
    as screener mash-screen -o json "$c8" --consent refused
check "without a reason" [ "$(sql "SELECT details FROM audit WHERE case_id = $c8 AND action = 'consent'")" = \
    '{"from_consent":"unknown","consent":"refused"}' ]
case_in closed && c9=$cid
expect 65 "not on a closed case" as head mash-screen -o json "$c9" --consent refused

# --- mash-overdue --new, and whose runs mash-admin check counts -----------

D=$T/new.db
as admin env MASH_DB="$D" mash-admin init >/dev/null 2>&1
ov() { as admin env MASH_DB="$D" "$@"; }
ov mash-admin user add cron --role screener >/dev/null
ov mash-admin user add hd --role head >/dev/null
ov mash-admin user add sw --role social-worker >/dev/null
MASH_NOW=2026-01-12T09:00:00Z ov mash-refer -o json --source police \
    --concern 'Test' --child 'Ann New' --consent given >/dev/null
MASH_NOW=2026-01-12T09:00:00Z ov mash-refer -o json --source police \
    --concern 'Test' --child 'Bea New' --consent given >/dev/null
# both are due for screening at Tue 13 Jan 17:00
N1=2026-01-13T14:00:00Z N2=2026-01-13T18:00:00Z N3=2026-01-13T18:15:00Z
MASH_NOW=$N1 expect 0 "--new: nothing due" ov mash-overdue --new -o json
MASH_NOW=$N1 expect 1 "--new --within 4h: both due soon, new" \
    ov mash-overdue --new --within 4h -o json
check "both listed" jqtrue -s 'map(.case_id) == [1,2]' "$out"
MASH_NOW=$N1 expect 0 "again: nothing new" ov mash-overdue --new --within 4h -o json
check "prints nothing" silent
MASH_NOW=$N1 expect 1 "without --new: both still" ov mash-overdue --within 4h -o json
MASH_NOW=$N1 expect 1 "another account's --new is its own" \
    as cron env MASH_DB="$D" mash-overdue --new --within 4h -o json
MASH_NOW=$N2 expect 1 "once overdue: new again" ov mash-overdue --new --within 4h -o json
check "both, now overdue" jqtrue -s 'map(.overdue_by > 0) == [true,true]' "$out"
MASH_NOW=$N2 as hd env MASH_DB="$D" mash-screen -o json 1 --accept --assign sw --rag red >/dev/null
MASH_NOW=$N3 expect 1 "fifteen minutes on: only the decision now due soon" \
    ov mash-overdue --new --within 4h -o json
check "the accepted case's decision" jqtrue -s 'length == 1 and .[0].kind == "decision" and .[0].case_id == 1 and .[0].overdue_by < 0' "$out"
MASH_NOW=2026-01-13T18:30:00Z expect 0 "and then nothing new" \
    ov mash-overdue --new --within 4h -o json
check "prints nothing" silent
check "the run records what it found, by ids and codes" \
    [ "$(MASH_DB=$D sql "SELECT details FROM audit WHERE action = 'overdue-run' ORDER BY id DESC LIMIT 1")" = \
    '{"list":"overdue","cases":[],"listed":0,"overdue":1,"due_soon":1,"within":"4h","names":false,"new":true,"items":["screening:2:0:overdue","decision:1:0:soon"]}' ]
MASH_NOW=2026-01-13T22:30:00Z expect 1 "the decision overdue: new again" \
    ov mash-overdue --new --within 4h -o json
check "only the decision" jqtrue -s 'length == 1 and .[0].kind == "decision" and .[0].overdue_by > 0' "$out"

MASH_NOW=2026-01-13T23:00:00Z expect 0 "check counts anyone's run while overdue.account is empty" \
    ov mash-admin check -o csv
check "and says so" has "^overdue-run,ok,last overdue check .*overdue.account' is empty" "$out"
expect 78 "overdue.account must be a login" ov mash-admin config overdue.account 'Not A Login'
expect 0 "overdue.account cron" ov mash-admin config overdue.account cron
MASH_NOW=2026-01-13T23:00:00Z expect 0 "check counts cron's run" ov mash-admin check -o csv
check "naming the account and the time of its run" \
    has "^overdue-run,ok,last overdue check by 'cron' $N1" "$out"
MASH_NOW=2026-01-14T15:00:00Z ov mash-overdue >/dev/null
MASH_NOW=2026-01-14T15:00:00Z expect 1 "an admin's run by hand does not count" \
    ov mash-admin check -o csv
check "cron's last run was over a day ago" \
    has "^overdue-run,warn,last overdue check by 'cron' $N1: none in the last day" "$out"
ov mash-admin config overdue.account nobody >/dev/null
MASH_NOW=2026-01-14T15:00:00Z expect 1 "no run by the account named" ov mash-admin check -o csv
check "says so" has "^overdue-run,warn,no overdue check by 'nobody' has run" "$out"

# --- several records: one CSV header, tables under headings --------------

expect 0 "two records as CSV" as head mash-record -o csv "$c1" "$c2"
check "strict RFC 4180, one header" csv_ok "$out"
check "two rows and a header" [ "$(grep -c '^' "$out")" = 3 ]
check "the second record's row" [ "$(csv_value "$out" 2 id)" = "$c2" ]
expect 0 "two records as tables" as head mash-record -o table "$c1" "$c2"
check "each under a heading naming its case" \
    [ "$(grep -c '^case [0-9]*$' "$out")" = 2 ]
check "a blank line before the second" \
    [ "$(grep -B1 "^case $c2\$" "$out" | head -1)" = "" ]
check "the first heading first" [ "$(head -1 "$out")" = "case $c1" ]

# --- a record as a table: children whole, text whole and wrapped ---------

long=$(i=0; while [ $i -lt 40 ]; do printf 'word%d ' $i; i=$((i + 1)); done)
expect 0 "a long concern" mash-refer -o json --source police --concern "$long
Second line" --child 'Cal Wrap' --nhs-number 9434765919 --address '1 High St' \
    --postcode 'sw1a1aa' --consent given
c10=$(val .id)
as head mash-screen -o json "$c10" --accept --assign sw --rag amber >/dev/null
as sw mash-record -o json "$c10" --summary 'Done' --recommend nfa >/dev/null
as head mash-decide -o json "$c10" --outcome single-agency --agency housing \
    --reason 'Housing leads' >/dev/null
COLUMNS=40 expect 0 "the record as a table at 40 columns" \
    as head mash-record -o table "$c10"
check "each child under its id, with NHS number, address, postcode" \
    sh -c "grep -q '^  child [0-9]* (person [0-9]*): Cal Wrap\$' '$out' &&
    grep -q '^    nhs_number  *9434765919\$' '$out' &&
    grep -q '^    address  *1 High St\$' '$out' &&
    grep -q '^    postcode  *SW1A 1AA\$' '$out'"
check "the concern whole, filled to the width" \
    [ "$(sed -n '/^concern:$/,/^$/p' "$out" | tr -s ' \n' ' ')" = \
    "concern: ${long}Second line " ]
check "no line of the record before its events longer than 40" \
    [ "$(sed '/^events:$/,$d' "$out" | awk 'length > 40' | wc -l)" = 0 ]
check "the outcome shown, with its agency" \
    jqtrue -n --rawfile o "$out" '$o | test("\noutcome:\n  single-agency\n\noutcome_agency:\n  housing\n")'

plan "$ntest"
done_testing
