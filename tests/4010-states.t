#!/bin/sh
# The state machine of SPEC 2: every action from every state, as the
# Head; what a state does not allow is refused with 65, the state named,
# and the case's rows left byte for byte as they were
. "$(dirname "$0")/lib.sh"

plan 285

MASH_NOW=2026-11-26T10:00:00Z	# a Thursday, GMT
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

# open_request: an open request to police on case $cid, its id in $req:
# sent by the Head where the state allows it, else put in the store
# directly (no command can leave one open outside 'mash'), so that the
# state check of answering and withdrawing is reached
open_request() {
	if [ "$(sql "SELECT state FROM cases WHERE id = $cid")" = mash ]; then
		as head mash-request -o json "$cid" police >"$T/req.json" &&
		    req=$(jq -r .id "$T/req.json")
	else
		req=$(sql "INSERT INTO requests (case_id, agency, asked_at,
		    asked_by, due_at) VALUES ($cid, 'police',
		    '2026-11-26T09:00:00Z', 'sw', '2026-11-26T11:00:00Z');
		    SELECT max(id) FROM requests;")
	fi
}

# try STATE GOAL ACTION ARGS...: on a fresh case in STATE, the Head runs
# ARGS, where CASE stands for the case's id and REQ for an open request
# on it.  GOAL is the state the case is then in (the action succeeds),
# 65 (refused: the state and what it allows are named, nothing changes)
# or 64 (a usage error: nothing changes)
try() {
	st=$1 goal=$2 what=$3
	shift 3
	if ! case_in "$st"; then
		fail "$what on a '$st' case: cannot make the case"
		return
	fi
	case " $* " in *" REQ "*) open_request ;; esac
	n=$#
	for a; do
		case $a in CASE) a=$cid ;; REQ) a=$req ;; esac
		set -- "$@" "$a"
	done
	shift "$n"
	before=$(case_rows "$cid")
	na=$(audit_count)
	case $goal in
	64|65)
		expect "$goal" "$what on a '$st' case: $goal" as head "$@"
		if [ "$goal" = 65 ]; then
			check "$what on a '$st' case: the state and what it allows" \
			    sh -c "grep -q \"case $cid is '$st', not \" '$err' &&
			    grep -q \"from '$st': \" '$err'"
		fi
		check "$what on a '$st' case: nothing changed" \
		    [ "$(case_rows "$cid")" = "$before" -a \
		    "$(audit_count)" = "$na" ]
		;;
	*)
		expect 0 "$what on a '$st' case: allowed" as head "$@"
		check "$what on a '$st' case: it is then '$goal'" [ \
		    "$(sql "SELECT state FROM cases WHERE id = $cid")" = "$goal" ]
		;;
	esac
}

# each ACTION NEW SCREENED MASH RECORDED CLOSED -- ARGS...: try the action
# from each state, with the goal given for it
each() {
	what=$1 w1=$2 w2=$3 w3=$4 w4=$5 w5=$6
	shift 7
	try new "$w1" "$what" "$@"
	try screened "$w2" "$what" "$@"
	try mash "$w3" "$what" "$@"
	try recorded "$w4" "$what" "$@"
	try closed "$w5" "$what" "$@"
}

# --- every state, every action -------------------------------------------

each "screen" screened screened 65 65 65 -- \
    mash-screen -o json CASE --rag amber --criteria significant-harm
each "screen with a reason (re-rate in the hub)" screened screened mash 65 65 -- \
    mash-screen -o json CASE --rag red --reason 'New information'
each "accept with --rag" mash mash 65 65 65 -- \
    mash-screen -o json CASE --accept --assign sw2 --rag amber
each "accept" 64 mash 65 65 65 -- \
    mash-screen -o json CASE --accept --assign sw2
each "decline" closed closed 65 65 65 -- \
    mash-screen -o json CASE --decline --outcome nfa --reason 'Not for the hub'
each "share without consent" new screened mash recorded 65 -- \
    mash-screen -o json CASE --share-without-consent 'Risk of harm'
each "request" 65 65 mash 65 65 -- \
    mash-request -o json CASE health
each "respond" 65 65 mash 65 65 -- \
    mash-request -o json --respond REQ --text 'Known to us'
each "nil return" 65 65 mash 65 65 -- \
    mash-request -o json --respond REQ --nil
each "withdraw" 65 65 mash 65 65 -- \
    mash-request -o json --withdraw REQ --reason 'Not needed'
each "record" 65 65 recorded 65 65 -- \
    mash-record -o json CASE --summary 'Collated' --recommend caf
each "decide" 65 65 65 closed 65 -- \
    mash-decide -o json CASE --outcome cpat --need N1 --reason 'Threshold met'
each "return" 65 65 65 mash 65 -- \
    mash-decide -o json CASE --return --reason 'More to do'

# a case closed by declining is as closed as a decided one
case_in screened
expect 0 "a screened case is declined" \
    as head mash-screen -o json "$cid" --decline --outcome nfa --reason 'No'
before=$(case_rows "$cid")
expect 65 "a declined case cannot then be accepted" \
    as head mash-screen -o json "$cid" --accept --assign sw --rag red
check "the message names 'closed' and that it is never reopened" \
    has "case $cid is 'closed'.*never reopened" "$err"
expect 65 "nor screened again" \
    as head mash-screen -o json "$cid" --rag red --reason 'Again'
check "the declined case is unchanged" [ "$(case_rows "$cid")" = "$before" ]

# the message lists the states an action is allowed from, in words
case_in mash
expect 65 "declining a case in the hub is refused" \
    as head mash-screen -o json "$cid" --decline --outcome nfa --reason 'No'
check "the message reads \"not 'new' or 'screened'\"" \
    has "is 'mash', not 'new' or 'screened': declining is not allowed" "$err"
check "and what 'mash' allows" \
    has "from 'mash': send and answer requests, re-rate, or write the record" \
    "$err"

# several cases in one command: each in its own transaction
case_in screened
c1=$cid
case_in mash
c2=$cid
case_in screened
c3=$cid
expect 65 "accepting three cases, one already in the hub: 65" \
    as head mash-screen -o json "$c1" "$c2" "$c3" --accept --assign sw
check "the other two were accepted" \
    [ "$(sql "SELECT group_concat(state) FROM cases WHERE id IN ($c1, $c3)")" \
    = "mash,mash" ]
check "and printed" [ "$(jq -s -c 'map(.id)' "$out")" = "[$c1,$c3]" ]
check "the refusal names the case in the hub" has "case $c2 is 'mash'" "$err"

# --- screening revisions ------------------------------------------------------

case_in screened
before=$(case_rows "$cid")
na=$(audit_count)
expect 64 "changing the RAG of a screened case without --reason: 64" \
    as screener mash-screen -o json "$cid" --rag red
check "the message says a reason is needed" \
    has "case $cid is rated 'amber': changing it to 'red' needs --reason" "$err"
check "nothing changed" \
    [ "$(case_rows "$cid")" = "$before" -a "$(audit_count)" = "$na" ]
expect 0 "the same RAG again needs no reason (adding criteria)" \
    as screener mash-screen -o json "$cid" --rag amber --criteria missing
check "still amber, with the criterion" \
    [ "$(val '.rag + " " + (.criteria | join(","))')" = "amber missing" ]
expect 0 "with --reason the RAG changes" \
    as screener mash-screen -o json "$cid" --rag red --reason 'Went missing again'
check "it is red, still screened" \
    [ "$(val '.state + " " + .rag')" = "screened red" ]
check "criteria not named again are kept" \
    [ "$(val '.criteria | join(",")')" = missing ]
check "the revision is audited with the old RAG and the reason" \
    [ "$(sql "SELECT actor || ' ' || action || ' ' ||
	json_extract(details, '$.from_rag') || ' ' ||
	(SELECT text FROM event_text WHERE audit_id = audit.id AND
	field = 'reason') FROM audit WHERE case_id = $cid
	ORDER BY id DESC LIMIT 1")" = "screener rescreen amber Went missing again" ]
expect 65 "a criterion not in the hub's list is refused" \
    as screener mash-screen -o json "$cid" --rag red --criteria 'made-up'
check "the message names it, and the hub's criteria" \
    has "'made-up' is not a known criterion (additional-needs, " "$err"
expect 65 "an unknown RAG is refused" \
    as screener mash-screen -o json "$cid" --rag purple
check "the message names it" has "'purple'" "$err"

# re-rating a case in the hub needs a reason
case_in mash
before=$(case_rows "$cid")
expect 64 "re-rating a case in the hub without --reason: 64" \
    as head mash-screen -o json "$cid" --rag red
check "the message says --reason is needed" has "--reason is needed" "$err"
check "nothing changed" [ "$(case_rows "$cid")" = "$before" ]

# --- accepting --------------------------------------------------------------

case_in new
before=$(case_rows "$cid")
expect 64 "a new case cannot be accepted without --rag" \
    as head mash-screen -o json "$cid" --accept --assign sw
check "the message says how" \
    has "case $cid is 'new': accept it with --rag, or screen it first" "$err"
check "nothing changed" [ "$(case_rows "$cid")" = "$before" ]
expect 64 "accepting needs --assign" \
    as head mash-screen -o json "$cid" --accept --rag red
check "nothing changed" [ "$(case_rows "$cid")" = "$before" ]
expect 65 "the assignee must be a social worker" \
    as head mash-screen -o json "$cid" --accept --rag red --assign screener
check "the message names the user" \
    has "user 'screener' is not a social worker" "$err"
expect 66 "an unknown assignee" \
    as head mash-screen -o json "$cid" --accept --rag red --assign nobody
as admin mash-admin user add swgone --role social-worker >/dev/null &&
as admin mash-admin user disable swgone >/dev/null
expect 65 "a disabled assignee" \
    as head mash-screen -o json "$cid" --accept --rag red --assign swgone
check "the message says so" has "user 'swgone' is disabled" "$err"
check "nothing changed by any refusal" [ "$(case_rows "$cid")" = "$before" ]
case_in screened
before=$(case_rows "$cid")
expect 64 "a screened case accepted with another RAG needs --reason" \
    as head mash-screen -o json "$cid" --accept --assign sw --rag red
check "the message says so" \
    has "rated 'amber': changing it to 'red' needs --reason" "$err"
check "nothing changed" [ "$(case_rows "$cid")" = "$before" ]
expect 0 "with --reason it is re-rated and accepted at once" \
    as head mash-screen -o json "$cid" --accept --assign sw --rag red \
    --reason 'Weapon mentioned'
check "in the hub, red, with a red deadline" \
    [ "$(val '[.state, .rag, .decision_due] | join(" ")')" = \
    "mash red 2026-11-26T14:00:00Z" ]
check "the revision and acceptance are audited" \
    [ "$(sql "SELECT group_concat(action) FROM (SELECT action FROM audit
	WHERE case_id = $cid ORDER BY id) AS s")" = "refer,screen,rescreen,accept" ]
case_in new
expect 0 "a new case is screened and accepted in one command" \
    as head mash-screen -o json "$cid" --accept --rag green --assign sw
check "in the hub, green, assigned to sw" \
    [ "$(val '[.state, .rag, .assigned_to] | join(" ")')" = "mash green sw" ]
check "screening and acceptance are both audited" \
    [ "$(sql "SELECT group_concat(action) FROM (SELECT action FROM audit
	WHERE case_id = $cid ORDER BY id) AS s")" = "refer,screen,accept" ]

case_in new
expect 0 "screened and accepted at once, with criteria and a note" \
    as head mash-screen -o json "$cid" --accept --assign sw --rag red \
    --criteria significant-harm --note 'Seen by the duty officer'
check "the criteria given are kept, not dropped" \
    [ "$(val '.criteria | join(",")')" = significant-harm ]
check "the note given is kept, not dropped" \
    [ "$(sql "SELECT screening_note FROM cases WHERE id = $cid")" = \
    'Seen by the duty officer' ]

# --- declining ---------------------------------------------------------------

case_in screened
before=$(case_rows "$cid")
expect 64 "declining to a single agency without --agency: 64" \
    as head mash-screen -o json "$cid" --decline --outcome single-agency \
    --reason 'For the school'
check "the message says --agency is needed" \
    has "'single-agency' needs --agency" "$err"
expect 64 "--agency with another outcome: 64" \
    as head mash-screen -o json "$cid" --decline --outcome nfa \
    --agency education --reason 'For the school'
expect 65 "an agency that is not known: 65" \
    as head mash-screen -o json "$cid" --decline --outcome single-agency \
    --agency circus --reason 'For the school'
expect 65 "an outcome that is not known: 65" \
    as head mash-screen -o json "$cid" --decline --outcome maybe \
    --reason 'For the school'
expect 64 "declining needs --reason" \
    as head mash-screen -o json "$cid" --decline --outcome nfa
check "nothing changed by any refusal" [ "$(case_rows "$cid")" = "$before" ]
expect 0 "declined to education" \
    as head mash-screen -o json "$cid" --decline --outcome single-agency \
    --agency education --reason 'For the school'
check "closed, single-agency, education" \
    [ "$(val '[.state, .outcome, .outcome_agency] | join(" ")')" = \
    "closed single-agency education" ]
check "no social worker was assigned" jqtrue '.assigned_to == null' "$out"

# --- requests and the record: what they check -------------------------------

case_in mash
before=$(case_rows "$cid")
expect 64 "one agency named twice in one command: 64, a usage slip" \
    as sw mash-request -o json "$cid" police police
check "the message names the agency named twice" \
    has "agency 'police' is named twice" "$err"
expect 65 "an agency that is not known, among known ones: 65" \
    as sw mash-request -o json "$cid" police circus health
check "the message names it" has "'circus' is not a known agency" "$err"
check "all or nothing: no request written" \
    [ "$(case_rows "$cid")" = "$before" ]
expect 65 "a recommendation that is no outcome: 65" \
    as sw mash-record -o json "$cid" --summary 'Done' --recommend maybe
check "the message names --recommend, the option given" \
    has "--recommend 'maybe' is not a known outcome (cpat, " "$err"
expect 64 "the record without --recommend: 64" \
    as sw mash-record -o json "$cid" --summary 'Done'
check "the message names --recommend" has "--recommend is needed" "$err"
expect 64 "an empty summary: 64" \
    as sw mash-record -o json "$cid" --summary '' --recommend nfa
expect 64 "recommending single-agency without --agency: 64" \
    as sw mash-record -o json "$cid" --summary 'Done' --recommend single-agency
expect 64 "--agency with another recommendation: 64" \
    as sw mash-record -o json "$cid" --summary 'Done' --recommend nfa \
    --agency police
check "nothing changed by any refusal" [ "$(case_rows "$cid")" = "$before" ]
expect 0 "recommending a single agency, named" \
    as sw mash-record -o json "$cid" --summary 'Done' \
    --recommend single-agency --agency housing
check "recorded, single-agency, housing" \
    [ "$(val '[.state, .recommendation, .recommendation_agency] | join(" ")')" \
    = "recorded single-agency housing" ]

# --- possible matches ---------------------------------------------------------

expect 0 "a contact about Mabel" \
    as admin mash-refer -o json --source school --concern 'Bruises' \
    --child 'Mabel Harwood' --dob 2014-02-03
ca=$(val .id)
pa=$(val '.children[0].person_id')
expect 0 "a second about 'Mabel Harwod', born the same day" \
    as admin mash-refer -o json --source police --concern 'Missing' \
    --child 'Mabel Harwod' --dob 2014-02-03
cb=$(val .id)
kb=$(val '.children[0].id')
check "a possible match with the first child" \
    [ "$(val '.children[0].possible_matches | map(tostring) | join(",")')" \
    = "$pa" ]
check "but not yet the same child" \
    jqtrue '.children[0].previous_cases == []' "$out"
before=$(case_rows "$cb")
na=$(audit_count)
expect 77 "a social worker cannot confirm it" \
    as sw mash-screen -o json "$cb" --same-child "$kb=$pa"
check "the message names the roles" has "'screener' or 'head'" "$err"
expect 77 "nor dismiss it" \
    as sw mash-screen -o json "$cb" --not-same "$kb=$pa"
check "nothing changed" \
    [ "$(case_rows "$cb")" = "$before" -a "$(audit_count)" = "$na" ]
expect 64 "CHILD=PERSON is needed" \
    as head mash-screen -o json "$cb" --same-child "$kb"
expect 66 "a child of another case" \
    as head mash-screen -o json "$ca" --same-child "$kb=$pa"
expect 66 "a person that does not exist" \
    as head mash-screen -o json "$cb" --same-child "$kb=999"
check "nothing changed" \
    [ "$(case_rows "$cb")" = "$before" -a "$(audit_count)" = "$na" ]
expect 0 "the Head confirms the same child" \
    as head mash-screen -o json "$cb" --same-child "$kb=$pa"
check "the child is now that person" \
    [ "$(val '.children[0].person_id')" = "$pa" ]
check "previous_cases lists the earlier case" \
    [ "$(val '.children[0].previous_cases | map(tostring) | join(",")')" \
    = "$ca" ]
check "two contacts in twelve months" \
    [ "$(val '.children[0].contacts_12m')" = 2 ]
check "the possible match is settled" \
    jqtrue '.children[0].possible_matches == []' "$out"
check "the confirmation is audited" \
    [ "$(sql "SELECT actor || ' ' || action FROM audit WHERE case_id = $cb
	ORDER BY id DESC LIMIT 1")" = "head same-child" ]
expect 65 "confirming it again is refused" \
    as head mash-screen -o json "$cb" --same-child "$kb=$pa"
check "the message says it already is" has "already person $pa" "$err"

expect 0 "a third contact about 'Mabel Harwoode'" \
    as admin mash-refer -o json --source health --concern 'Not brought' \
    --child 'Mabel Harwoode' --dob 2014-02-03
cc=$(val .id)
kc=$(val '.children[0].id')
check "a possible match with the person, and no merged-away person" \
    [ "$(val '.children[0].possible_matches | map(tostring) | join(",")')" \
    = "$pa" ]
expect 0 "the screener dismisses it" \
    as screener mash-screen -o json "$cc" --not-same "$kc=$pa"
check "no possible match and no history" \
    jqtrue '.children[0].possible_matches == [] and
    .children[0].previous_cases == []' "$out"
check "a person of its own" [ "$(val '.children[0].person_id')" != "$pa" ]
check "the dismissal is audited" \
    [ "$(sql "SELECT actor || ' ' || action || ' ' || details FROM audit
	WHERE case_id = $cc ORDER BY id DESC LIMIT 1")" = \
    "screener not-same {\"child\":$kc,\"person\":$pa}" ]

# a match found before a merge follows the person it was merged into
expect 0 "Nell Pemberton" as admin mash-refer -o json --source school \
    --concern 'Hungry' --child 'Nell Pemberton' --dob 2015-06-07
pn=$(val '.children[0].person_id')
expect 0 "Nell Pemberten" as admin mash-refer -o json --source school \
    --concern 'Hungry' --child 'Nell Pemberten' --dob 2015-06-07
c5=$(val .id)
k5=$(val '.children[0].id')
p5=$(val '.children[0].person_id')
expect 0 "Nell Pembertan" as admin mash-refer -o json --source school \
    --concern 'Hungry' --child 'Nell Pembertan' --dob 2015-06-07
c6=$(val .id)
k6=$(val '.children[0].id')
check "the third matches both earlier children" \
    [ "$(val '.children[0].possible_matches | map(tostring) | join(",")')" \
    = "$pn,$p5" ]
expect 0 "the second is confirmed the same as the first" \
    as head mash-screen -o json "$c5" --same-child "$k5=$pn"
expect 0 "the third case shows its matches again" \
    as head mash-record -o json "$c6"
check "only live persons are possible matches, not the merged one" \
    [ "$(val '.children[0].possible_matches | map(tostring) | join(",")')" \
    = "$pn" ]
expect 0 "each possible match listed can be dismissed" \
    as head mash-screen -o json "$c6" --not-same "$k6=$pn"

# a closed case's children are history: no more matching on it
case_in closed
kid=$(sql "SELECT id FROM children WHERE case_id = $cid")
expect 65 "a closed case's matches cannot be changed" \
    as head mash-screen -o json "$cid" --not-same "$kid=$pa"
check "the message names 'closed'" has "case $cid is 'closed'" "$err"

done_testing
