#!/bin/sh
# The clocks of SPEC 6: screening from receipt, the decision from
# acceptance (recomputed from acceptance on re-rating), requests from
# the RAG or --due; each computed once, when its clock starts
. "$(dirname "$0")/lib.sh"

plan 110

new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

now() { MASH_NOW=$1; export MASH_NOW; }

# accept RAG: a new case accepted now with RAG in one command; its id
# in $cid, the case in $out
accept() {
	as admin mash-refer -o json --source school --concern 'Test' \
	    --child 'Dara Clockwell' >"$T/refer.json" 2>&1
	cid=$(jq -r .id "$T/refer.json")
	expect 0 "accepted $1 at $MASH_NOW" \
	    as head mash-screen -o json "$cid" --accept --assign sw --rag "$1"
}

# due_is WANT: the last printed case's decision deadline
due_is() {
	check "  decision due $1" [ "$(val .decision_due)" = "$1" ]
}

# --- the screening clock: 1wd from receipt ------------------------------------

now 2026-11-26T10:00:00Z
expect 0 "a contact on Thursday morning" \
    as admin mash-refer -o json --source police --concern 'x' --child 'Ana Tick'
check "screening due at the close of Friday" \
    [ "$(val .screening_due)" = 2026-11-27T17:00:00Z ]
expect 0 "a contact received on Wednesday, recorded on Thursday" \
    as admin mash-refer -o json --source police --concern 'x' \
    --child 'Ana Tick' --received-at 2026-11-25T16:00:00Z
check "screening due from receipt: the close of Thursday" \
    [ "$(val .screening_due)" = 2026-11-26T17:00:00Z ]
now 2026-11-27T15:30:00Z
expect 0 "a contact received on Friday at 15:00" \
    as admin mash-refer -o json --source police --concern 'x' \
    --child 'Ana Tick' --received-at '27/11/2026 15:00'
check "screening due Monday 17:00" \
    [ "$(val .screening_due)" = 2026-11-30T17:00:00Z ]
now 2026-12-24T12:00:00Z
expect 0 "a contact on Christmas Eve" \
    as admin mash-refer -o json --source police --concern 'x' \
    --child 'Ana Tick' --received-at 2026-12-24T11:00:00Z
check "screening due after Christmas and the substitute Boxing Day" \
    [ "$(val .screening_due)" = 2026-12-29T17:00:00Z ]
now 2026-06-04T10:00:00Z
expect 0 "a contact in summer time" \
    as admin mash-refer -o json --source police --concern 'x' \
    --child 'Ana Tick' --received-at 2026-06-04T09:00:00Z
check "screening due Friday 17:00 BST, 16:00 UTC" \
    [ "$(val .screening_due)" = 2026-06-05T16:00:00Z ]

# --- the decision clock: from acceptance --------------------------------------

# Thursday 26 November 2026, 10:00 GMT
now 2026-11-26T10:00:00Z
accept red
due_is 2026-11-26T14:00:00Z
check "  accepted_at is now" [ "$(val .accepted_at)" = 2026-11-26T10:00:00Z ]
accept amber
due_is 2026-11-27T17:00:00Z
accept green
due_is 2026-12-01T17:00:00Z

# a screened case accepted later: the clock starts at acceptance
now 2026-11-26T09:00:00Z
case_in screened
now 2026-11-26T11:30:00Z
expect 0 "a case screened amber at 09:00 is accepted at 11:30" \
    as head mash-screen -o json "$cid" --accept --assign sw
check "  decision due the close of Friday" \
    [ "$(val .decision_due)" = 2026-11-27T17:00:00Z ]
check "  accepted_at is the acceptance" \
    [ "$(val .accepted_at)" = 2026-11-26T11:30:00Z ]

# in summer time: Thursday 4 June 2026, 10:00 BST
now 2026-06-04T09:00:00Z
accept red
due_is 2026-06-04T13:00:00Z
accept amber
due_is 2026-06-05T16:00:00Z
accept green
due_is 2026-06-09T16:00:00Z

# red runs through nights and weekends; the working-day clocks do not
now 2026-11-27T22:00:00Z
accept red
due_is 2026-11-28T02:00:00Z
now 2026-11-27T15:00:00Z
accept amber
due_is 2026-11-30T17:00:00Z
now 2026-11-28T10:00:00Z
accept amber
due_is 2026-11-30T17:00:00Z
now 2026-11-26T20:00:00Z
accept amber
due_is 2026-11-27T17:00:00Z

# across the October change: 4 clock hours from 01:00 BST is 04:00 GMT
now 2026-10-25T00:00:00Z
accept red
due_is 2026-10-25T04:00:00Z

# over Christmas: the 25th and the substitute day for Boxing Day
now 2026-12-24T10:00:00Z
accept red
due_is 2026-12-24T14:00:00Z
accept amber
due_is 2026-12-29T17:00:00Z
accept green
due_is 2026-12-31T17:00:00Z

# --- re-rating: from the time of acceptance, not now --------------------------

now 2026-11-26T10:00:00Z
accept amber
c=$cid
now 2026-11-30T09:00:00Z
expect 0 "re-rated red on Monday" \
    as head mash-screen -o json "$c" --rag red --reason 'Disclosure'
check "  red from Thursday's acceptance: Thursday 14:00" \
    [ "$(val '.rag + " " + .decision_due')" = "red 2026-11-26T14:00:00Z" ]
check "  acceptance unchanged" [ "$(val .accepted_at)" = 2026-11-26T10:00:00Z ]
check "  still in the hub" [ "$(val .state)" = mash ]
check "  audited with the old RAG, the new deadline and the reason" \
    [ "$(sql "SELECT actor || ' ' || at || ' ' || details || ' ' || text
	FROM audit JOIN event_text ON audit_id = audit.id
	WHERE case_id = $c AND action = 'rerate'")" = \
    'head 2026-11-30T09:00:00Z {"from_rag":"amber","rag":"red","decision_due":"2026-11-26T14:00:00Z","fields":["reason"]} Disclosure' ]
now 2026-11-30T10:00:00Z
expect 0 "re-rated green" \
    as head mash-screen -o json "$c" --rag green --reason 'Safe with grandmother'
check "  green from Thursday: Tuesday 17:00, not Thursday next" \
    [ "$(val '.rag + " " + .decision_due')" = "green 2026-12-01T17:00:00Z" ]
expect 0 "re-rated amber" \
    as head mash-screen -o json "$c" --rag amber --reason 'Review'
check "  amber from Thursday: Friday 17:00" \
    [ "$(val .decision_due)" = 2026-11-27T17:00:00Z ]
check "  three re-ratings audited" \
    [ "$(sql "SELECT count(*) FROM audit WHERE case_id = $c AND
	action = 'rerate'")" = 3 ]
expect 1 "the overdue check sees the recomputed deadline: 1" \
    as head mash-overdue -o json --kind decision
check "  the re-rated case is overdue since Friday 17:00" \
    jqtrue -s "map(select(.case_id == $c)) | .[0] |
    .kind == \"decision\" and .due_at == \"2026-11-27T17:00:00Z\" and
    .overdue_by == $((3 * 86400 - 7 * 3600))" "$out"

# --- a settings change applies to clocks started after it ----------------------

now 2026-11-26T10:00:00Z
accept red
before=$cid
expect 0 "the Head's red timescale is set to 2h" \
    as admin mash-admin config rag.red.decision 2h
accept red
due_is 2026-11-26T12:00:00Z
check "  the earlier case keeps its deadline" \
    [ "$(sql "SELECT decision_due FROM cases WHERE id = $before")" = \
    2026-11-26T14:00:00Z ]
as admin mash-admin config rag.red.decision 4h >/dev/null

# --- requests: the default from the RAG --------------------------------------

# request RAG ARGS...: on a new case accepted with RAG, a request to
# police with ARGS; the request in $out
request() {
	rr=$1
	shift
	as admin mash-refer -o json --source school --concern 'Test' \
	    --child 'Dara Clockwell' --consent given >"$T/refer.json" 2>&1
	cid=$(jq -r .id "$T/refer.json")
	as head mash-screen -o json "$cid" --accept --assign sw --rag "$rr" \
	    >/dev/null 2>&1
	run as sw mash-request -o json "$cid" police "$@"
}

# req_due DESC WANT RAG ARGS...: the request's due_at is WANT
req_due() {
	rd=$1 rw=$2
	shift 2
	request "$@"
	check "$rd: 0" [ "$rc" = 0 ]
	check "$rd: due $rw" [ "$(val .due_at)" = "$rw" ]
}

now 2026-11-26T10:00:00Z
req_due "red request on Thursday 10:00" 2026-11-26T12:00:00Z red
req_due "amber request on Thursday 10:00" 2026-11-26T16:00:00Z amber
req_due "green request on Thursday 10:00" 2026-11-30T17:00:00Z green
now 2026-11-26T15:00:00Z
req_due "amber at 15:00: two hours Thursday, four Friday" \
    2026-11-27T13:00:00Z amber
now 2026-11-27T23:00:00Z
req_due "red on Friday night: two clock hours" 2026-11-28T01:00:00Z red
req_due "amber on Friday night: Monday from 09:00" 2026-11-30T15:00:00Z amber
now 2026-06-04T09:00:00Z
req_due "amber in summer time: 10:00 to 16:00 BST" \
    2026-06-04T15:00:00Z amber

# --- requests: --due as a time or a duration --------------------------------

now 2026-11-26T10:00:00Z
req_due "--due 4h" 2026-11-26T14:00:00Z green --due 4h
req_due "--due 90m" 2026-11-26T11:30:00Z green --due 90m
req_due "--due 3wh" 2026-11-26T13:00:00Z red --due 3wh
req_due "--due 1wd" 2026-11-27T17:00:00Z red --due 1wd
req_due "--due an instant in UTC" 2026-11-27T12:00:00Z red \
    --due 2026-11-27T12:00:00Z
req_due "--due with an offset" 2026-11-27T11:00:00Z red \
    --due 2026-11-27T12:00:00+01:00
req_due "--due in local time, day first" 2026-11-27T12:00:00Z red \
    --due '27/11/2026 12:00'
now 2026-06-04T09:00:00Z
req_due "--due in local summer time" 2026-06-05T11:00:00Z red \
    --due '05/06/2026 12:00'
now 2026-11-26T10:00:00Z

# bad_due DESC ARGS...: the request is refused with 65 and none is written
bad_due() {
	bd=$1
	shift
	n0=$(sql "SELECT count(*) FROM requests")
	request red "$@"
	check "$bd: 65 (exit $rc)" [ "$rc" = 65 ]
	check "$bd: the message names --due" has "--due" "$err"
	check "$bd: no request written" \
	    [ "$(sql "SELECT count(*) FROM requests")" = "$n0" ]
}

bad_due "--due in the past" --due 2026-11-26T09:00:00Z
bad_due "--due now" --due 2026-11-26T10:00:00Z
bad_due "--due that is neither" --due soon
bad_due "--due 0h" --due 0h
bad_due "--due month first" --due '11/27/2026 12:00'

# --- mash-overdue sees the workflow's deadlines -------------------------------

now 2026-11-26T10:00:00Z
request amber
rq=$(val .id)
now 2026-11-26T17:00:00Z
expect 1 "an hour after the amber request was due, mash-overdue: 1" \
    as head mash-overdue -o json --kind request
check "the request is listed, an hour overdue" \
    jqtrue -s "map(select(.request_id == $rq)) | .[0] |
    .case_id == $cid and .agency == \"police\" and .rag == \"amber\" and
    .due_at == \"2026-11-26T16:00:00Z\" and .overdue_by == 3600" "$out"
expect 0 "answered" as pc mash-request -o json --respond "$rq" --nil
expect 1 "mash-overdue again (the red requests are still overdue): 1" \
    as head mash-overdue -o json --kind request
check "the answered request is no longer listed" \
    jqtrue -s "map(select(.request_id == $rq)) == []" "$out"

done_testing
