#!/bin/sh
# The roles of SPEC 5: every role-guarded action refused with 77 to a
# user without the role, and to a social worker not assigned to the
# case; the refusal names the role needed and writes nothing
. "$(dirname "$0")/lib.sh"

plan 138

MASH_NOW=2026-11-26T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
{
	mash-admin user add nurse --role agency --agency health &&
	mash-admin user add gone --role social-worker &&
	mash-admin user disable gone &&
	mash-admin user add both --role screener,social-worker
} >/dev/null || echo "Bail out! cannot add the users"

# a case in each state the actions need; M has open requests to police
# (rp) and health (rh)
case_in new && n=$cid
case_in screened && s=$cid
case_in recorded && r=$cid
case_in mash && m=$cid
as sw mash-request -o json "$m" police health >"$T/reqs" ||
    echo "Bail out! cannot send the requests"
rp=$(jq -r 'select(.agency == "police") | .id' "$T/reqs")
rh=$(jq -r 'select(.agency == "health") | .id' "$T/reqs")

# refused USER ROLE WHAT ARGS...: USER running ARGS is refused with 77,
# the message names ROLE (a pattern), and the store is as it was
refused() {
	ru=$1 rrole=$2 rwhat=$3
	shift 3
	snapshot "$T/before"
	na=$(audit_count)
	expect 77 "$ru $rwhat: 77" as "$ru" "$@"
	check "$ru $rwhat: the message names $rrole" has "$rrole" "$err"
	snapshot "$T/after"
	check "$ru $rwhat: nothing written, no audit row" \
	    eval 'cmp -s "$T/before" "$T/after" && [ "$(audit_count)" = "$na" ]'
}

HEAD="needs the role 'head'"
SW="'head' or 'social-worker'"
SCR="needs the role 'screener' or 'head'"
ASSIGNED="needs its assigned social worker or the role 'head'"

# --- the screener -------------------------------------------------------------

refused screener "$HEAD" "accepting" \
    mash-screen -o json "$s" --accept --assign sw
refused screener "$HEAD" "accepting a new case with --rag" \
    mash-screen -o json "$n" --accept --assign sw --rag red
refused screener "$HEAD" "declining" \
    mash-screen -o json "$s" --decline --outcome nfa --reason 'No'
refused screener "$HEAD" "re-rating a case in the hub" \
    mash-screen -o json "$m" --rag red --reason 'Worse'
refused screener "$HEAD" "recording a basis for sharing" \
    mash-screen -o json "$s" --share-without-consent 'Risk'
refused screener "$SW" "sending a request" \
    mash-request -o json "$m" education
refused screener "$SW" "answering a request" \
    mash-request -o json --respond "$rp" --text 'Known'
refused screener "$SW" "withdrawing a request" \
    mash-request -o json --withdraw "$rp" --reason 'No'
refused screener "$SW" "writing the record" \
    mash-record -o json "$m" --summary 'S' --recommend nfa
refused screener "$HEAD" "deciding" \
    mash-decide -o json "$r" --outcome nfa --reason 'No'
refused screener "$HEAD" "returning" \
    mash-decide -o json "$r" --return --reason 'No'

# --- the assigned social worker ---------------------------------------------

refused sw "$SCR" "screening" \
    mash-screen -o json "$n" --rag green
refused sw "$HEAD" "accepting" \
    mash-screen -o json "$s" --accept --assign sw
refused sw "$HEAD" "declining" \
    mash-screen -o json "$s" --decline --outcome nfa --reason 'No'
refused sw "$HEAD" "re-rating its own case" \
    mash-screen -o json "$m" --rag red --reason 'Worse'
refused sw "$HEAD" "recording a basis for sharing on its own case" \
    mash-screen -o json "$m" --share-without-consent 'Risk'
refused sw "$HEAD" "deciding its own case" \
    mash-decide -o json "$r" --outcome nfa --reason 'Mine'
refused sw "$HEAD" "returning its own case" \
    mash-decide -o json "$r" --return --reason 'Mine'

# --- a social worker not assigned to the case ---------------------------------

refused sw2 "$ASSIGNED" "sending a request on another's case" \
    mash-request -o json "$m" education
check "the message says sw2 is not assigned" \
    has "user 'sw2' is not assigned to it" "$err"
refused sw2 "$ASSIGNED" "answering a request on another's case" \
    mash-request -o json --respond "$rp" --nil
refused sw2 "$ASSIGNED" "withdrawing a request on another's case" \
    mash-request -o json --withdraw "$rh" --reason 'Mine now'
refused sw2 "$ASSIGNED" "writing the record of another's case" \
    mash-record -o json "$m" --summary 'S' --recommend nfa
refused sw2 "its assigned social worker" "reading the record of another's case" \
    mash-record -o json "$m"
refused both "$ASSIGNED" "a screener and social worker, not assigned" \
    mash-record -o json "$m" --summary 'S' --recommend nfa

# --- the police officer -------------------------------------------------------

refused pc "$SCR" "screening" mash-screen -o json "$n" --rag green
refused pc "$HEAD" "accepting" mash-screen -o json "$s" --accept --assign sw
refused pc "$SW" "sending a request" mash-request -o json "$m" education
refused pc "$SW" "withdrawing its own agency's request" \
    mash-request -o json --withdraw "$rp" --reason 'No'
refused pc "agency 'health'" "answering the health request" \
    mash-request -o json --respond "$rh" --text 'Not ours'
refused pc "$SW" "writing the record" \
    mash-record -o json "$m" --summary 'S' --recommend nfa
refused pc "$HEAD" "deciding" mash-decide -o json "$r" --outcome nfa --reason 'x'
refused pc "agency 'police'" "listing health's requests" \
    mash-request -o json --agency health
refused pc "an open request to your agency" "reading a case it is not asked about" \
    mash-record -o json "$r"
refused pc "'screener'" "reading the screening queue" mash-screen -o json
refused pc "'head'" "reading the caseload" mash-record -o json --list
refused pc "'head'" "reading the decision queue" mash-decide -o json

# --- the administrator, strangers and the disabled ---------------------------

refused admin "$SCR" "screening" mash-screen -o json "$n" --rag green
refused admin "$HEAD" "deciding" \
    mash-decide -o json "$r" --outcome nfa --reason 'x'
refused admin "'agency'" "listing requests" mash-request -o json
refused stranger "not registered" "an unregistered user screening" \
    mash-screen -o json "$n" --rag green
refused gone "disabled" "a disabled social worker" \
    mash-record -o json --list

# --- what each may do ------------------------------------------------------

expect 0 "the police officer lists their queue" as pc mash-request -o json
check "only the police request" [ "$(jq -s -c 'map(.id)' "$out")" = "[$rp]" ]
expect 0 "the police officer reads the case they are asked about" \
    as pc mash-record -o json "$m"
check "seeing only their own request" \
    jqtrue "(.requests | map(.id)) == [$rp] and (has(\"events\") | not)" \
    "$out"
expect 0 "the police officer answers their request" \
    as pc mash-request -o json --respond "$rp" --text 'Known to us'
expect 0 "the nurse answers the health request" \
    as nurse mash-request -o json --respond "$rh" --nil
expect 0 "the assigned social worker sends a request" \
    as sw mash-request -o json "$m" education
expect 0 "and withdraws it" \
    as sw mash-request -o json --withdraw "$(val .id)" --reason 'Holidays'
expect 0 "the Head sends a request on any case" \
    as head mash-request -o json "$m" housing
expect 0 "and answers it" \
    as head mash-request -o json --respond "$(val .id)" --text 'Tenancy ok'
expect 0 "the assigned social worker writes the record" \
    as sw mash-record -o json "$m" --summary 'All answered' --recommend caf
expect 0 "the screener screens" as screener mash-screen -o json "$n" --rag green
expect 0 "the screener reads a record in screening" \
    as screener mash-record -o json "$s"
expect 0 "the Head decides" \
    as head mash-decide -o json "$m" --outcome caf --reason 'Agreed'

done_testing
