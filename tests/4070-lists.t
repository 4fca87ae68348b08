#!/bin/sh
# The lists: the screening queue (red first, then by deadline), the decision
# queue (oldest deadline first), the caseload, the requests
. "$(dirname "$0")/lib.sh"

plan 71

new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
mash-admin user add nurse --role agency --agency health >/dev/null ||
    echo "Bail out! cannot add the nurse"
MASH_NOW=2026-11-26T10:00:00Z
export MASH_NOW

# ids: the ids of the objects printed, as [1,2]
ids() { jq -s -c 'map(.id)' "$out"; }

# --- the screening queue ----------------------------------------------------

expect 0 "an empty screening queue" as screener mash-screen -o json
check "prints nothing" silent

# refer WHEN NAME: a contact received at WHEN about NAME; id in $cid
refer() {
	as admin mash-refer -o json --source police --concern 'Test' \
	    --child "$2" --dob 2016-01-01 --received-at "$1" \
	    >"$T/refer.json" 2>&1
	cid=$(jq -r .id "$T/refer.json")
}

refer 2026-11-26T09:00:00Z 'Ida Early' && qb=$cid	# due Fri 17:00
refer 2026-11-24T09:00:00Z 'Jon Earlier' && qc=$cid	# due Wed 17:00
refer 2026-11-25T16:00:00Z 'Kit Middle' && qa=$cid	# due Thu 17:00
as head mash-screen -o json "$qa" --rag red >/dev/null
case_in mash && qm=$cid
case_in closed && qx=$cid
expect 0 "the screening queue" as screener mash-screen -o json
check "new and screened cases: red first, then the earliest due" \
    [ "$(ids)" = "[$qa,$qc,$qb]" ]
check "the red one shows its state and RAG" \
    jqtrue -s ".[0].state == \"screened\" and .[0].rag == \"red\"" "$out"
check "cases in the hub and closed cases are not in it" \
    jqtrue -s "map(.id) | index($qm) == null and index($qx) == null" "$out"
check "each carries its screening deadline" \
    [ "$(jq -s -c 'map(.screening_due)' "$out")" = \
    '["2026-11-26T17:00:00Z","2026-11-25T17:00:00Z","2026-11-27T17:00:00Z"]' ]
expect 0 "the queue as CSV" as screener mash-screen -o csv
check "strict RFC 4180" csv_ok "$out"
check "the same order" \
    [ "$(csv_value "$out" 1 id) $(csv_value "$out" 2 id) $(csv_value "$out" 3 id)" \
    = "$qa $qc $qb" ]
expect 0 "the Head reads it too" as head mash-screen -o json
check "the same" [ "$(ids)" = "[$qa,$qc,$qb]" ]
as head mash-screen -o json "$qc" --rag green >/dev/null
as head mash-screen -o json "$qb" --rag red >/dev/null
expect 0 "once the others are screened, one green and one red" \
    as screener mash-screen -o json
check "the red ones by deadline, then the green" \
    [ "$(ids)" = "[$qa,$qb,$qc]" ]

# a child with three contacts in a year: repeat-referral is suggested
refer 2026-11-26T09:30:00Z 'Ida Early'
refer 2026-11-26T09:40:00Z 'Ida Early' && q3=$cid
expect 0 "the queue after two more contacts about Ida" \
    as screener mash-screen -o json
check "the third contact suggests the criterion repeat-referral" \
    jqtrue -s "map(select(.id == $q3))[0] | .contacts_12m == 3 and
    .suggested_criteria == [\"repeat-referral\"]" "$out"
check "the first contact about her suggests nothing" \
    jqtrue -s "map(select(.id == $qb))[0] | .contacts_12m == 1 and
    .suggested_criteria == []" "$out"
as screener mash-screen -o json "$q3" --rag amber \
    --criteria repeat-referral >/dev/null
expect 0 "once it is chosen" as screener mash-screen -o json
check "it is no longer suggested" \
    jqtrue -s "map(select(.id == $q3))[0].suggested_criteria == []" "$out"

# --- the decision queue -----------------------------------------------------

expect 0 "an empty decision queue" as head mash-decide -o json
check "prints nothing" silent

# accepted RAG: a new case accepted now with RAG and recorded by sw
accepted() {
	case_in new
	as head mash-screen -o json "$cid" --accept --assign sw --rag "$1" \
	    >/dev/null
	as sw mash-record -o json "$cid" --summary 'Done' --recommend nfa \
	    >/dev/null
}

accepted green && dg=$cid	# due Tuesday 17:00
accepted red && dr=$cid		# due Thursday 14:00
accepted amber && da=$cid	# due Friday 17:00
MASH_NOW=2026-11-25T12:00:00Z
accepted green && dw=$cid	# accepted Wednesday: due Monday 17:00
MASH_NOW=2026-11-26T10:00:00Z
expect 0 "the decision queue" as head mash-decide -o json
check "recorded cases, the oldest deadline first" \
    [ "$(ids)" = "[$dr,$da,$dw,$dg]" ]
check "with their deadlines" \
    [ "$(jq -s -c 'map(.decision_due)' "$out")" = \
    '["2026-11-26T14:00:00Z","2026-11-27T17:00:00Z","2026-11-30T17:00:00Z","2026-12-01T17:00:00Z"]' ]
check "a case still in the hub is not in it" \
    jqtrue -s "map(.id) | index($qm) == null" "$out"
check "each with its recommendation and assignee" \
    jqtrue -s 'all(.recommendation == "nfa" and .assigned_to == "sw")' "$out"
expect 0 "decided, the red one leaves the queue" \
    as head mash-decide -o json "$dr" --outcome nfa --reason 'Agreed'
expect 0 "the decision queue again" as head mash-decide -o json
check "three left, in order" [ "$(ids)" = "[$da,$dw,$dg]" ]
expect 0 "returned, the amber one leaves it" \
    as head mash-decide -o json "$da" --return --reason 'More'
expect 0 "the decision queue again" as head mash-decide -o json
check "two left" [ "$(ids)" = "[$dw,$dg]" ]

# --- the caseload -------------------------------------------------------------

# open now: qa qb qc q3 (screening), qm da (mash, sw), dw dg (recorded, sw),
# and the second contact about Ida; closed: qx dr
case_in screened
as head mash-screen -o json "$cid" --accept --assign sw2 >/dev/null
expect 0 "the caseload" as head mash-record -o json --list
check "every open case, by id" \
    [ "$(ids)" = "$(sql "SELECT json_group_array(id) FROM (SELECT id FROM
	cases WHERE state <> 'closed' ORDER BY id) AS s")" ]
check "no closed case" jqtrue -s 'all(.state != "closed")' "$out"
expect 0 "--state mash" as head mash-record -o json --list --state mash
check "only the cases in the hub" \
    [ "$(ids)" = "[$qm,$da,$cid]" ]
expect 0 "--state closed" as head mash-record -o json --list --state closed
check "the closed cases, asked for" \
    [ "$(jq -s -c 'map(.id) | sort' "$out")" = \
    "$(sql "SELECT json_group_array(id) FROM (SELECT id FROM cases
	WHERE state = 'closed' ORDER BY id) AS s")" ]
expect 0 "--mine, as sw" as sw mash-record -o json --list --mine
check "only sw's open cases" [ "$(ids)" = "[$qm,$dg,$da,$dw]" ]
expect 0 "--mine --state recorded" \
    as sw mash-record -o json --list --mine --state recorded
check "only sw's recorded cases" [ "$(ids)" = "[$dg,$dw]" ]
expect 0 "--mine, as sw2" as sw2 mash-record -o json --list --mine
check "only the one case of sw2" [ "$(ids)" = "[$cid]" ]
expect 0 "--mine, as the screener" as screener mash-record -o json --list --mine
check "nothing assigned to the screener" silent
expect 65 "--state that is no state: 65" \
    as head mash-record -o json --list --state pending
check "the message names it" has "'pending'" "$err"
expect 64 "--state without --list: 64" \
    as head mash-record -o json --state mash

# --- the requests ---------------------------------------------------------------

expect 0 "requests on one case" \
    as sw mash-request -o json "$qm" police health --due 4h
expect 0 "and on another, due sooner" \
    as sw2 mash-request -o json "$cid" police --due 1h
r1=$(sql "SELECT id FROM requests WHERE case_id = $qm AND agency = 'police'")
r2=$(sql "SELECT id FROM requests WHERE case_id = $qm AND agency = 'health'")
r3=$(sql "SELECT id FROM requests WHERE case_id = $cid")
expect 0 "the police request on the first is answered" \
    as pc mash-request -o json --respond "$r1" --text 'Known'
expect 0 "the police officer's queue" as pc mash-request -o json
check "only police's open request" [ "$(ids)" = "[$r3]" ]
expect 0 "with --all" as pc mash-request -o json --all
check "police's answered one too, and never health's" \
    [ "$(jq -s -c 'map(.id) | sort' "$out")" = \
    "$(printf '[%s]' "$(printf '%s\n' "$r1" "$r3" | sort -n | paste -sd,)")" ]
expect 0 "--agency police, as the police officer" \
    as pc mash-request -o json --agency police
check "the same queue" [ "$(ids)" = "[$r3]" ]
expect 0 "the nurse's queue" as nurse mash-request -o json
check "only health's" [ "$(ids)" = "[$r2]" ]
expect 0 "the Head sees every open request" as head mash-request -o json
check "soonest due first" [ "$(ids)" = "[$r3,$r2]" ]
expect 0 "--agency health" as head mash-request -o json --agency health
check "only health's" [ "$(ids)" = "[$r2]" ]
expect 0 "--case" as sw mash-request -o json --case "$qm"
check "that case's open requests" [ "$(ids)" = "[$r2]" ]
expect 0 "--case --all" as sw mash-request -o json --case "$qm" --all
check "and its answered one" \
    [ "$(jq -s -c 'map(.id) | sort' "$out")" = "[$r1,$r2]" ]
check "the answer is in the listing" \
    jqtrue -s "map(select(.id == $r1))[0] | .answer == \"Known\" and
    .answered_by == \"pc\"" "$out"
expect 64 "--case that is not an id: 64" as sw mash-request -o json --case x

done_testing
