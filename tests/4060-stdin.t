#!/bin/sh
# "-" reads case ids from standard input, bare or as JSON objects with
# an "id", so that one program's output feeds the next (SPEC 3)
. "$(dirname "$0")/lib.sh"

plan 37

MASH_NOW=2026-11-26T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

case_in new && c1=$cid
case_in new && c2=$cid
case_in new && c3=$cid
case_in new && c4=$cid

# --- bare ids and JSON objects ------------------------------------------------

printf '%s\n\n  %s  \n' "$c1" "$c2" >"$T/ids"
expect 0 "mash-screen - screens the bare ids read, skipping blank lines" \
    as head mash-screen -o json - --rag green <"$T/ids"
check "both printed, in the order read" \
    [ "$(jq -s -c 'map(.id)' "$out")" = "[$c1,$c2]" ]
check "both screened green" \
    [ "$(sql "SELECT group_concat(state || ' ' || rag) FROM cases
	WHERE id IN ($c1, $c2)")" = "screened green,screened green" ]

printf '{"id":%s,"state":"new"}\r\n{ "rag": null, "id" : %s }\n' \
    "$c3" "$c4" >"$T/objects"
expect 0 "JSON objects with an id, CRLF or not" \
    as head mash-screen -o json - --rag amber <"$T/objects"
check "both screened" [ "$(jq -s -c 'map(.id)' "$out")" = "[$c3,$c4]" ]

expect 0 "an empty standard input does nothing" \
    as head mash-screen -o json - --rag amber </dev/null
check "and prints nothing" silent

# ids on the command line and from standard input together
printf '%s\n' "$c2" >"$T/one"
expect 0 "an id argument and - together" \
    as head mash-screen -o json "$c1" - --rag red --reason 'Both' <"$T/one"
check "both, the argument first" \
    [ "$(jq -s -c 'map(.id)' "$out")" = "[$c1,$c2]" ]

# --- bad lines --------------------------------------------------------------

before=$(audit_count)
printf '%s\nnot-a-case\n{"case_id":%s}\n{"id":"%s"}\n{"id":0}\n{"id":1.5}\n{broken\n%s\n' \
    "$c1" "$c2" "$c2" "$c3" >"$T/bad"
expect 65 "lines that are not case ids: 65" \
    as head mash-screen -o json - --rag red --reason 'Again' <"$T/bad"
check "each bad line is named by its number" \
    [ "$(grep -c '^mash-screen: standard input:[2-7]: not a case id$' "$err")" \
    = 6 ]
check "the good lines were still done" \
    [ "$(jq -s -c 'map(.id)' "$out")" = "[$c1,$c3]" ]
check "two audit rows, for the two good lines" \
    [ "$(audit_count)" = $((before + 2)) ]

printf '%s\n999\n' "$c1" >"$T/missing"
expect 66 "an id of no case: 66" \
    as head mash-screen -o json - --rag red <"$T/missing"
check "the message names it" has "no such case 999" "$err"

expect 64 "a bad id argument is a usage error" \
    as head mash-screen -o json x1 --rag red

# --- one program's output into the next -------------------------------------

# c1..c4 are screened; accept two, so the queue holds two
as head mash-screen -o json "$c3" "$c4" --accept --assign sw >/dev/null
expect 0 "the screening queue as JSON" as screener mash-screen -o json
cp "$out" "$T/queue"
check "holds the two screened cases" \
    [ "$(jq -s -c 'map(.id) | sort' "$T/queue")" = \
    "$(printf '[%s,%s]' "$c1" "$c2")" ]
expect 0 "fed to mash-record -, it shows each record" \
    as head mash-record -o json - <"$T/queue"
check "two records, in the queue's order" \
    [ "$(jq -s -c 'map(.id)' "$out")" = "$(jq -s -c 'map(.id)' "$T/queue")" ]
check "whole records, with events" \
    jqtrue -s 'all(has("events") and has("requests"))' "$out"
check "each view was audited" \
    [ "$(sql "SELECT count(*) FROM audit WHERE action = 'view' AND
	case_id IN ($c1, $c2)")" = 2 ]

expect 0 "the queue fed to the Head's acceptance" \
    as head mash-screen -o json - --accept --assign sw2 <"$T/queue"
check "both now in the hub with sw2" \
    [ "$(sql "SELECT group_concat(state || ' ' || assigned_to) FROM cases
	WHERE id IN ($c1, $c2)")" = "mash sw2,mash sw2" ]

# the record written for several cases from a caseload list
expect 0 "sw2's caseload" as sw2 mash-record -o json --list --mine
cp "$out" "$T/caseload"
check "holds the two" [ "$(jq -s length "$T/caseload")" = 2 ]
expect 0 "mash-record - writes the record of each" \
    as sw2 mash-record -o json - --summary 'Nothing known' --recommend nfa \
    <"$T/caseload"
check "both recorded" \
    [ "$(jq -s -c 'map(.state) | unique' "$out")" = '["recorded"]' ]

expect 0 "the decision queue" as head mash-decide -o json
cp "$out" "$T/decisions"
expect 0 "fed to mash-decide -" \
    as head mash-decide -o json - --outcome nfa --reason 'Agreed' \
    <"$T/decisions"
check "both closed" \
    [ "$(sql "SELECT group_concat(state) FROM cases WHERE id IN ($c1, $c2)")" \
    = "closed,closed" ]

# mash-overdue's items carry the case id as "id" too
MASH_NOW=2026-11-30T10:00:00Z
export MASH_NOW
expect 1 "mash-overdue lists the cases past their decision" \
    as head mash-overdue -o json --kind decision
cp "$out" "$T/overdue"
check "the two accepted earlier" \
    [ "$(jq -s -c 'map(.case_id) | sort' "$T/overdue")" = \
    "$(printf '[%s,%s]' "$c3" "$c4")" ]
expect 0 "mash-overdue -o json fed to mash-record - (SPEC 3's example)" \
    as head mash-record -o json - <"$T/overdue"
check "their records" \
    [ "$(jq -s -c 'map(.id) | sort' "$out")" = \
    "$(printf '[%s,%s]' "$c3" "$c4")" ]

# --- standard input read once: - twice reads it once ---------------------
printf '%s\n' "$c3" >"$T/one"
expect 0 "- given twice reads standard input once" \
    as head mash-record -o json - - <"$T/one"
check "one record" [ "$(jq -s length "$out")" = 1 ]

done_testing
