#!/bin/sh
# What a listing shows to whom (mash(7), ROLES): every listing keeps the
# view rule of mash-record CASE, leaving out the cases the user may not
# view, and writes one audit row naming the cases it showed
. "$(dirname "$0")/lib.sh"

plan 124

MASH_NOW=2026-11-26T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
mash-admin user add nurse --role agency --agency health >/dev/null &&
mash-admin user add pcsw --role agency,social-worker --agency police \
    >/dev/null || echo "Bail out! cannot add the officers"

# step USER ARGS...: a step of the story, which must work
step() {
	_u=$1
	shift
	as "$_u" "$@" -o json >"$T/step" 2>&1 ||
	    { echo "# step failed: $*"; sed 's/^/#   /' "$T/step"; }
}

# A (sw's, closed): the reviewer's case, with every personal field
step admin mash-refer --source police --ref LA/1 \
    --concern 'Bruises seen at school by Quilla' \
    --child 'Quilla Zephyrine' --dob 2016-03-02 --nhs-number 9434765919 \
    --address '7 Hollowmere Lane' --postcode 'SW1A 1AA' --consent given
a=$(jq -r .id "$T/step")
step head mash-screen "$a" --accept --assign sw --rag amber
step sw mash-request "$a" police health --due 4h
pa=$(sql "SELECT id FROM requests WHERE case_id = $a AND agency = 'police'")
ha=$(sql "SELECT id FROM requests WHERE case_id = $a AND agency = 'health'")
step pc mash-request --respond "$pa" --text 'Known to police: Zephyrine'
step nurse mash-request --respond "$ha" --text 'Health visitor: Zephyrine'
step sw mash-record "$a" --summary 'Done' --recommend nfa
step head mash-decide "$a" --outcome nfa --reason 'Agreed'
# B (sw2's, closed), with an answered request to education
case_in screened && b=$cid
step head mash-screen "$b" --accept --assign sw2
step sw2 mash-request "$b" education
step head mash-request --respond "$(jq -r .id "$T/step")" --text 'Fine'
step sw2 mash-record "$b" --summary 'Done' --recommend nfa
step head mash-decide "$b" --outcome nfa --reason 'Agreed'
# C (new), D (sw's, in the hub, open requests to police and health),
# E (sw's, recorded)
case_in new && c=$cid
case_in mash && d=$cid
step sw mash-request "$d" police health --due 4h
pd=$(sql "SELECT id FROM requests WHERE case_id = $d AND agency = 'police'")
hd=$(sql "SELECT id FROM requests WHERE case_id = $d AND agency = 'health'")
case_in recorded && e=$cid

# ids: the ids printed, as [1,2]
ids() { jq -s -c 'map(.id)' "$out"; }
# last: the details of the latest audit row
last() { sql "SELECT details FROM audit ORDER BY id DESC LIMIT 1"; }
# listed USER WHICH DESC ARGS...: the listing works, shows some case,
# adds exactly one audit row: action list, by USER, no case, details
# {"list":WHICH,"cases":[the case ids shown, in order, each once]}
listed() {
	_u=$1 _w=$2 _d=$3
	shift 3
	_n=$(audit_count)
	expect 0 "$_d" as "$_u" "$@"
	check "$_d: one audit row" [ "$(audit_count)" = $((_n + 1)) ]
	_row=$(sql "SELECT '{\"action\":\"' || action || '\",\"actor\":\"' ||
	    actor || '\",\"case_id\":' || coalesce(case_id || '', 'null') ||
	    ',\"details\":' || details || '}' FROM audit
	    ORDER BY id DESC LIMIT 1")
	_want=$(jq -s -c 'map(.case_id // .id) | reduce .[] as $i ([];
	    if index([$i]) then . else . + [$i] end)' "$out")
	check "$_d: the row names the cases shown" \
	    jqtrue -n --argjson r "$_row" --argjson w "$_want" \
	    --arg u "$_u" --arg l "$_w" '$r.action == "list" and
	    $r.actor == $u and $r.case_id == null and
	    $r.details == {"list": $l, "cases": $w} and ($w | length) > 0'
}
# unlisted USER DESC ARGS...: the listing works, prints nothing and
# writes no audit row
unlisted() {
	_u=$1 _d=$2
	shift 2
	_n=$(audit_count)
	expect 0 "$_d" as "$_u" "$@"
	check "$_d: prints nothing, no audit row" \
	    eval '[ ! -s "$out" ] && [ "$(audit_count)" = "$_n" ]'
}
# private FILE: none of case A's personal fields is in FILE
private() {
	! grep -E 'Quilla|Zephyrine|2016-03-02|9434765919|Hollowmere|SW1A|Bruises' "$1"
}

# --- the reviewer's findings ------------------------------------------------

listed sw2 caseload "an unassigned social worker lists the closed cases" \
    mash-record --list --state closed -o json
check "none of case A's personal fields" private "$out"
check "only their own closed case" [ "$(ids)" = "[$b]" ]
expect 0 "the same as CSV" as sw2 mash-record --list --state closed -o csv
check "CSV: none of case A's personal fields" private "$out"
expect 0 "the same as a table" as sw2 mash-record --list --state closed \
    -o table
check "table: none of case A's personal fields" private "$out"
expect 77 "as mash-record A is refused them" as sw2 mash-record -o json "$a"

n=$(audit_count)
expect 77 "another worker's --case A --all is refused, as mash-record A" \
    as sw2 mash-request --case "$a" --all -o json
check "prints nothing of it" [ ! -s "$out" ]
check "the refusal says why" has "assigned social worker" "$err"
check "and writes no audit row" [ "$(audit_count)" = "$n" ]
listed sw2 requests "another worker's --all" mash-request --all -o json
check "shows no answer of case A" \
    sh -c "! grep -E 'Zephyrine|\"case_id\":$a,' '$out'"
check "only the requests of their own case" \
    jqtrue -s "length == 1 and all(.case_id == $b)" "$out"
unlisted sw2 "another worker's open requests: none of theirs" \
    mash-request -o json
unlisted sw2 "another worker's --agency police: none of theirs" \
    mash-request --agency police --all -o json

# --- those who may see -----------------------------------------------------

listed sw requests "the assigned worker's --case A --all" \
    mash-request --case "$a" --all -o json
check "shows both answers" [ "$(jq -s -c 'map(.id) | sort' "$out")" = \
    "$(printf '[%s]' "$(printf '%s\n' "$pa" "$ha" | sort -n | paste -sd,)")" ]
listed sw caseload "the assigned worker lists the closed cases" \
    mash-record --list --state closed -o json
check "only case A, with its child" \
    jqtrue -s "length == 1 and .[0].id == $a and
    .[0].children[0].nhs_number == \"9434765919\"" "$out"
listed sw caseload "the assigned worker's open caseload" \
    mash-record --list -o json
check "D and E, not C (new) nor another's" [ "$(ids)" = "[$d,$e]" ]

listed head caseload "the Head lists the closed cases" \
    mash-record --list --state closed -o json
check "both, with everything" \
    jqtrue -s "map(.id) == [$a,$b] and .[0].concern ==
    \"Bruises seen at school by Quilla\"" "$out"
listed head caseload "the Head's caseload" mash-record --list -o json
check "every open case" [ "$(ids)" = "[$c,$d,$e]" ]
listed head requests "the Head lists every request" \
    mash-request --all -o json
check "all five" [ "$(jq -s length "$out")" = 5 ]
listed head requests "the Head's --case A --all" \
    mash-request --case "$a" --all -o json
check "both answers" [ "$(jq -s length "$out")" = 2 ]

# --- agency officers ---------------------------------------------------------

listed pc requests "the police officer lists all their agency's requests" \
    mash-request --all -o json
check "police's only: A's answered and D's open" \
    [ "$(jq -s -c 'map(.id) | sort' "$out")" = \
    "$(printf '[%s]' "$(printf '%s\n' "$pa" "$pd" | sort -n | paste -sd,)")" ]
check "never health's answer" sh -c "! grep 'Health visitor' '$out'"
listed pc requests "the police officer's --case D" \
    mash-request --case "$d" -o json
check "only the police request" [ "$(ids)" = "[$pd]" ]
listed nurse requests "the nurse's --case A --all" \
    mash-request --case "$a" --all -o json
check "only health's answer" [ "$(ids)" = "[$ha]" ]
check "never police's" sh -c "! grep 'Known to police' '$out'"
listed pcsw requests "a police officer who is also a social worker" \
    mash-request --all -o json
check "police's requests only, as they hold no case" \
    [ "$(jq -s -c 'map(.id) | sort' "$out")" = \
    "$(printf '[%s]' "$(printf '%s\n' "$pa" "$pd" | sort -n | paste -sd,)")" ]
check "never health's answer" sh -c "! grep 'Health visitor' '$out'"
expect 77 "the police officer may not list health's" \
    as pc mash-request --agency health -o json
expect 77 "nor the caseload" as pc mash-record --list -o json

# --- the queues --------------------------------------------------------------

listed screener screening "the screener's queue" mash-screen -o json
check "the new case" [ "$(ids)" = "[$c]" ]
unlisted sw "a social worker's screening queue: nothing assigned yet" \
    mash-screen -o json
listed screener caseload "the screener's caseload" mash-record --list -o json
check "only the case in screening" [ "$(ids)" = "[$c]" ]
unlisted screener "the screener's closed cases: none to view" \
    mash-record --list --state closed -o json
expect 77 "the screener may not read a recorded case" \
    as screener mash-record -o json "$e"
check "naming the rule" has "'screener' while it is in screening" "$err"
expect 0 "but reads a new one" as screener mash-record -o json "$c"

listed head decision "the decision queue" mash-decide -o json
check "the recorded case" [ "$(ids)" = "[$e]" ]
listed sw decision "the assigned worker's decision queue" mash-decide -o json
check "their recorded case" [ "$(ids)" = "[$e]" ]
unlisted sw2 "another worker's decision queue" mash-decide -o json
listed sw caseload "--mine" mash-record --list --mine --state recorded -o json
check "their recorded case" [ "$(ids)" = "[$e]" ]

# --- mash-overdue --------------------------------------------------------------

MASH_NOW=2026-12-10T10:00:00Z
n=$(audit_count)
expect 1 "mash-overdue as another worker" as sw2 mash-overdue -o json
check "one audit row, the run's" [ "$(audit_count)" = $((n + 1)) ]
check "it names the cases listed, each once, in order" \
    jqtrue -n --argjson r "$(last)" --argjson w "$(jq -s -c \
    'map(.case_id) | reduce .[] as $i ([]; if index([$i]) then . else
    . + [$i] end)' "$out")" '$r.list == "overdue" and $r.cases == $w and
    ($w | length) == 3'
check "every item is listed, to anyone: ids and deadlines only" \
    jqtrue -s "map(.case_id) | unique == [$c,$d,$e]" "$out"
expect 1 "--names as another worker" as sw2 mash-overdue --names -o json
check "every item is still listed" \
    jqtrue -s "map(.case_id) | unique == [$c,$d,$e]" "$out"
check "but no child's name of a case they may not view" \
    jqtrue -s 'all(has("children") | not)' "$out"
check "and no case_state" jqtrue -s 'all(has("case_state") | not)' "$out"
expect 1 "--names as the assigned worker" as sw mash-overdue --names -o json
check "names for D and E, not for the new case C" \
    jqtrue -s "(map(select(has(\"children\")) | .case_id) | unique) ==
    [$d,$e] and (map(select(.case_id == $c)) | all(has(\"children\") |
    not))" "$out"
expect 1 "--names as the screener" as screener mash-overdue --names -o json
check "names for C only" \
    jqtrue -s "map(select(has(\"children\")) | .case_id) == [$c]" "$out"
expect 1 "--names as the Head" as head mash-overdue --names -o json
check "names for every item" jqtrue -s 'all(has("children"))' "$out"
MASH_NOW=2026-11-26T10:00:00Z

# --- answering: no state to those who may not ---------------------------------

expect 77 "another worker answering A's answered request: 77" \
    as sw2 mash-request -o json --respond "$pa" --text 'x'
check "without learning its state" \
    sh -c "! grep -E 'answered|open' '$err'"
expect 77 "the nurse answering a police request: 77" \
    as nurse mash-request -o json --respond "$pa" --text 'x'
check "without learning its state" \
    sh -c "! grep -E 'answered|open' '$err'"
expect 77 "another worker withdrawing it: 77" \
    as sw2 mash-request -o json --withdraw "$pa" --reason 'x'
check "without learning its state" \
    sh -c "! grep -E 'answered|open' '$err'"
expect 65 "the police officer may learn it is answered" \
    as pc mash-request -o json --respond "$pa" --text 'x'
check "and is told" has "'answered', not 'open'" "$err"
expect 66 "a request that is not there: 66" \
    as sw2 mash-request -o json --respond 999 --text 'x'

done_testing
