#!/bin/sh
# Two people acting on one case at once cannot both succeed: the state
# is checked inside the transaction that changes it (SPEC 2)
. "$(dirname "$0")/lib.sh"

plan 52

MASH_NOW=2026-11-26T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

# racer N USER ARGS...: run ARGS as USER in the background once $T/go
# exists, its status into $T/sN, its output into $T/oN and $T/eN
racer() {
	rn=$1 ru=$2
	shift 2
	(
		until [ -e "$T/go" ]; do sleep 0.01; done
		as "$ru" "$@" >"$T/o$rn" 2>"$T/e$rn"
		echo $? >"$T/s$rn"
	) &
}

# race: let both racers go, wait for both; $statuses is "S1 S2" sorted,
# $winner and $loser are 1 or 2
race() {
	sleep 0.2
	touch "$T/go"
	wait
	rm -f "$T/go"
	statuses=$(sort -n "$T/s1" "$T/s2" | tr '\n' ' ' | sed 's/ $//')
	if [ "$(cat "$T/s1")" = 0 ]; then winner=1 loser=2
	else winner=2 loser=1; fi
}

# --- two decisions ------------------------------------------------------------

for i in 1 2 3 4 5; do
	case_in recorded
	racer 1 head mash-decide -o json "$cid" --outcome nfa --reason 'First'
	racer 2 head mash-decide -o json "$cid" --outcome cpat --need N1 --reason 'Second'
	race
	check "decisions, round $i: one exits 0, the other 65 ($statuses)" \
	    [ "$statuses" = "0 65" ]
	check "round $i: the loser is told the case is closed" \
	    has "case $cid is 'closed', not 'recorded'" "$T/e$loser"
	check "round $i: the loser printed nothing" [ ! -s "$T/o$loser" ]
	check "round $i: one decision in the audit trail" \
	    [ "$(sql "SELECT count(*) FROM audit WHERE case_id = $cid AND
		action = 'decide'")" = 1 ]
	check "round $i: the stored outcome is the winner's" \
	    [ "$(sql "SELECT outcome FROM cases WHERE id = $cid")" = \
	    "$(jq -r .outcome "$T/o$winner")" ]
done

# --- a decision and a return --------------------------------------------------

for i in 1 2 3; do
	case_in recorded
	racer 1 head mash-decide -o json "$cid" --outcome nfa --reason 'Done'
	racer 2 head mash-decide -o json "$cid" --return --reason 'Not done'
	race
	check "decide against return, round $i: 0 and 65 ($statuses)" \
	    [ "$statuses" = "0 65" ]
	want=closed
	[ "$winner" = 2 ] && want=mash
	check "round $i: the case is as the winner left it ($want)" \
	    [ "$(sql "SELECT state FROM cases WHERE id = $cid")" = "$want" ]
	check "round $i: only the winner is audited" \
	    [ "$(sql "SELECT count(*) FROM audit WHERE case_id = $cid AND
		action IN ('decide', 'return')")" = 1 ]
done

# --- two acceptances ----------------------------------------------------------

for i in 1 2 3; do
	case_in screened
	racer 1 head mash-screen -o json "$cid" --accept --assign sw
	racer 2 head mash-screen -o json "$cid" --accept --assign sw2
	race
	check "acceptances, round $i: 0 and 65 ($statuses)" \
	    [ "$statuses" = "0 65" ]
	check "round $i: the loser is told the case is in the hub" \
	    has "case $cid is 'mash'" "$T/e$loser"
	check "round $i: assigned as the winner said" \
	    [ "$(sql "SELECT assigned_to FROM cases WHERE id = $cid")" = \
	    "$(jq -r .assigned_to "$T/o$winner")" ]
done

# --- two requests to one agency -----------------------------------------------

for i in 1 2 3; do
	case_in mash
	racer 1 sw mash-request -o json "$cid" police --question 'From sw'
	racer 2 head mash-request -o json "$cid" police --question 'From head'
	race
	check "requests to police, round $i: 0 and 65 ($statuses)" \
	    [ "$statuses" = "0 65" ]
	check "round $i: the loser is told of the open request" \
	    has "already has open request" "$T/e$loser"
	check "round $i: one request in the store" \
	    [ "$(sql "SELECT count(*) FROM requests WHERE case_id = $cid")" = 1 ]
done

done_testing
