#!/bin/sh
# One case from contact to decision, every step by the person whose job
# it is, and the record that keeps every step with its actor and time
. "$(dirname "$0")/lib.sh"

plan 83

new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
mash-admin user add nurse --role agency --agency health >/dev/null &&
mash-admin user add teacher --role agency --agency education >/dev/null ||
    echo "Bail out! cannot add the agency officers"

# at TIME: the clock of the next steps (a Thursday in November, GMT)
at() { MASH_NOW=2026-11-26T$1:00Z; export MASH_NOW; }

# --- the contact ------------------------------------------------------------

at 09:00
expect 0 "the screener records a police contact" \
    as screener mash-refer -o json --source police --ref CR/4000/26 \
    --concern 'Officers called to a domestic incident; two children present' \
    --child 'Orla Quillfeather' --dob 2017-04-12 --gender female \
    --child 'Rory Quillfeather' --dob 2020-09-30 --gender male \
    --consent given --category domestic-abuse
c=$(val .id)
check "the case is new, with two children" \
    [ "$(val '[.state, (.children | length)] | map(tostring) | join(" ")')" \
    = "new 2" ]
check "screening is due at the close of the next working day" \
    [ "$(val .screening_due)" = 2026-11-27T17:00:00Z ]

# --- screening and acceptance -------------------------------------------------

at 09:30
expect 0 "the screener rates it amber against two criteria" \
    as screener mash-screen -o json "$c" --rag amber \
    --criteria significant-harm,domestic-abuse \
    --note 'Children present at the incident'
check "it is screened, amber, with the criteria" \
    [ "$(val '[.state, .rag, (.criteria | join(","))] | join(" ")')" = \
    "screened amber significant-harm,domestic-abuse" ]
check "nobody is assigned yet and no decision is due" \
    jqtrue '.assigned_to == null and .decision_due == null' "$out"

at 10:00
expect 0 "the Head accepts it and assigns sw" \
    as head mash-screen -o json "$c" --accept --assign sw
check "it is in the hub, assigned to sw" \
    [ "$(val '.state + " " + .assigned_to')" = "mash sw" ]
check "accepted now; the amber decision is due Friday 17:00" \
    [ "$(val '.accepted_at + " " + .decision_due')" = \
    "2026-11-26T10:00:00Z 2026-11-27T17:00:00Z" ]

# --- three requests -----------------------------------------------------------

at 10:30
expect 0 "sw asks police, health and education at once" \
    as sw mash-request -o json "$c" police health education \
    --question 'Any contact with the family in the last year?'
check "three requests printed, one a line" \
    [ "$(jq -s length "$out")" = 3 ]
check "each is open, to its agency, asked by sw now" \
    [ "$(jq -s -c 'map([.agency, .state, .asked_by, .asked_at])' "$out")" = \
    '[["police","open","sw","2026-11-26T10:30:00Z"],["health","open","sw","2026-11-26T10:30:00Z"],["education","open","sw","2026-11-26T10:30:00Z"]]' ]
check "amber requests are due in six working hours: 16:30" \
    jqtrue -s 'all(.due_at == "2026-11-26T16:30:00Z")' "$out"
check "each keeps what was asked" \
    jqtrue -s 'all(.question == "Any contact with the family in the last year?")' \
    "$out"
rp=$(jq -s -r 'map(select(.agency == "police"))[0].id' "$out")
rh=$(jq -s -r 'map(select(.agency == "health"))[0].id' "$out")
re=$(jq -s -r 'map(select(.agency == "education"))[0].id' "$out")

at 10:40
before=$(case_rows "$c")
expect 65 "a second open request to police is refused" \
    as sw mash-request -o json "$c" police
check "the message names the open request" \
    has "already has open request $rp to 'police'" "$err"
expect 65 "the record cannot be written while requests are open" \
    as sw mash-record -o json "$c" --summary 'Too soon' --recommend nfa
check "the message names the open requests and what to do" \
    has "open requests $rp (police), $rh (health), $re (education): answer or withdraw them first" \
    "$err"
check "neither refusal changed the case, children or requests" \
    [ "$(case_rows "$c")" = "$before" ]

at 10:45
expect 0 "the police officer sees the contact they are asked about" \
    as pc mash-record -o json "$c"
check "only the police request, and no summary or events" \
    jqtrue '(.requests | map(.agency)) == ["police"] and
    (has("events") | not) and (has("summary") | not)' "$out"

# --- answered, nil, withdrawn -----------------------------------------------

at 11:00
expect 77 "the police officer cannot answer for health" \
    as pc mash-request -o json --respond "$rh" --text 'Not ours'
check "the refusal names the agency needed" has "agency 'health'" "$err"
printf 'Two call-outs to the address this year.\nNo arrests.\n' >"$T/answer"
expect 0 "the police officer answers from standard input" \
    as pc mash-request -o json --respond "$rp" --text - <"$T/answer"
check "answered by pc now, with what was shared" \
    [ "$(val '[.state, .answered_by, .answered_at] | join(" ")')" = \
    "answered pc 2026-11-26T11:00:00Z" ]
check "the answer is kept as sent, both lines, less the final line end" \
    jqtrue --rawfile a "$T/answer" '.answer == ($a | rtrimstr("\n"))' "$out"

at 11:15
expect 0 "the health officer makes a nil return" \
    as nurse mash-request -o json --respond "$rh" --nil
check "nil, by nurse, at 11:15, no answer text" \
    jqtrue '.state == "nil" and .answered_by == "nurse" and
    .answered_at == "2026-11-26T11:15:00Z" and .answer == null' "$out"

at 11:30
expect 0 "sw withdraws the education request" \
    as sw mash-request -o json --withdraw "$re" --reason 'School closed'
check "withdrawn, by sw, at 11:30" \
    jqtrue '.state == "withdrawn" and .answered_by == "sw" and
    .answered_at == "2026-11-26T11:30:00Z"' "$out"
check "the reason is kept" \
    [ "$(sql "SELECT withdraw_reason FROM requests WHERE id = $re")" = \
    "School closed" ]
expect 65 "a withdrawn request cannot then be answered" \
    as teacher mash-request -o json --respond "$re" --text 'Late'
check "the message names the request's state" \
    has "request $re is 'withdrawn', not 'open'" "$err"
expect 0 "no open requests remain" as sw mash-request -o json --case "$c"
check "the open list for the case is empty" [ ! -s "$out" ]

# --- the record, returned, recorded again ---------------------------------

at 12:00
printf 'Police: two call-outs. Health: nothing held.\n' >"$T/summary"
expect 0 "sw writes the record from standard input" \
    as sw mash-record -o json "$c" --summary - --recommend early-help \
    <"$T/summary"
check "recorded, recommending early help" \
    [ "$(val '.state + " " + .recommendation')" = "recorded early-help" ]
# (the query's row ends in a newline, as the file does)
sql "SELECT summary FROM cases WHERE id = $c" >"$T/summary.stored"
check_same "the summary is stored as written" "$T/summary" "$T/summary.stored"
expect 0 "the decision queue holds it" as head mash-decide -o json
check "the case is in the queue" jqtrue -s "map(.id) == [$c]" "$out"

at 13:00
expect 0 "the Head returns it with a reason" \
    as head mash-decide -o json "$c" --return \
    --reason 'Ask the health visitor too'
check "back in the hub, still assigned to sw" \
    [ "$(val '.state + " " + .assigned_to')" = "mash sw" ]
check "the decision deadline stands" \
    [ "$(val .decision_due)" = 2026-11-27T17:00:00Z ]
expect 0 "the decision queue is empty again" as head mash-decide -o json
check "nothing awaits a decision" [ ! -s "$out" ]

at 14:00
expect 0 "sw records again, recommending a single-agency response" \
    as sw mash-record -o json "$c" --summary 'Health visitor: known, no concerns' \
    --recommend single-agency --agency health
check "recorded again, single-agency health" \
    [ "$(val '[.state, .recommendation, .recommendation_agency] | join(" ")')" \
    = "recorded single-agency health" ]

# --- the decision --------------------------------------------------------------

at 15:00
expect 64 "deciding single-agency without --agency is a usage error" \
    as head mash-decide -o json "$c" --outcome single-agency --reason 'x'
check "the message says --agency is needed" \
    has "'single-agency' needs --agency" "$err"
check "still recorded" \
    [ "$(sql "SELECT state FROM cases WHERE id = $c")" = recorded ]
expect 0 "the Head decides early help" \
    as head mash-decide -o json "$c" --outcome early-help \
    --reason 'Family accept support'
check "closed with outcome early-help, no agency" \
    jqtrue '.state == "closed" and .outcome == "early-help" and
    .outcome_agency == null' "$out"
expect 65 "a closed case cannot be decided again" \
    as head mash-decide -o json "$c" --outcome nfa --reason 'Again'
check "the message names the state 'closed'" has "is 'closed'" "$err"

# --- the record holds every step ----------------------------------------------

at 15:30
expect 0 "the Head reads the whole record" as head mash-record -o json "$c"
check "one JSON object" [ "$(jq -s length "$out")" = 1 ]
check "closed, early help, assigned to sw" \
    [ "$(val '[.state, .outcome, .assigned_to] | join(" ")')" = \
    "closed early-help sw" ]
check "the summary and recommendation are the second record's" \
    [ "$(val '[.summary, .recommendation, .recommendation_agency] | join("|")')" \
    = "Health visitor: known, no concerns|single-agency|health" ]
check "the closing time is kept" \
    [ "$(val .closed_at)" = 2026-11-26T15:00:00Z ]
check "both children, each with a history array" \
    jqtrue '(.children | length) == 2 and all(.children[]; .history == [])' \
    "$out"
check "every step is an event with its actor and time" \
    [ "$(val '[.events[] | select(.action != "view") |
	"\(.at[11:16]) \(.actor) \(.action)"] | join(",")')" = \
    "09:00 screener refer,09:30 screener screen,10:00 head accept,\
10:30 sw request,10:30 sw request,10:30 sw request,11:00 pc answer,\
11:15 nurse answer-nil,11:30 sw withdraw,12:00 sw record,13:00 head return,\
14:00 sw record,15:00 head decide" ]
check "every event is about this case" \
    jqtrue "all(.events[]; .case_id == $c)" "$out"
check "the views are events too: the officer's, then this one" \
    [ "$(val '[.events[] | select(.action == "view") |
	"\(.at[11:16]) \(.actor)"] | join(",")')" = "10:45 pc,15:30 head" ]
check "the screening event keeps the RAG, criteria and note" \
    jqtrue '.events[] | select(.action == "screen") | .details |
    .rag == "amber" and .criteria == "significant-harm,domestic-abuse" and
    .note == "Children present at the incident"' "$out"
check "the acceptance event keeps the assignee and deadline" \
    jqtrue '.events[] | select(.action == "accept") | .details |
    .assigned_to == "sw" and .decision_due == "2026-11-27T17:00:00Z"' "$out"
check "the request events name their agencies" \
    [ "$(val '[.events[] | select(.action == "request") | .details.agency] |
	join(",")')" = "police,health,education" ]
check "the answer event keeps what was shared" \
    jqtrue --rawfile a "$T/answer" '.events[] |
    select(.action == "answer") | .details.answer == ($a | rtrimstr("\n"))' "$out"
check "the withdrawal event keeps its reason" \
    jqtrue '.events[] | select(.action == "withdraw") |
    .details.reason == "School closed"' "$out"
check "the two record events keep each recommendation" \
    [ "$(val '[.events[] | select(.action == "record") |
	.details.recommendation] | join(",")')" = "early-help,single-agency" ]
check "the return event keeps its reason" \
    jqtrue '.events[] | select(.action == "return") |
    .details.reason == "Ask the health visitor too"' "$out"
check "the decision event keeps outcome and reason" \
    jqtrue '.events[] | select(.action == "decide") | .details |
    .outcome == "early-help" and .reason == "Family accept support"' "$out"
check "three requests, in the order asked" \
    [ "$(val '[.requests[] | .agency] | join(",")')" = \
    "police,health,education" ]
check "police: answered by pc at 11:00, with the question and answer" \
    jqtrue --rawfile a "$T/answer" '.requests[0] |
    .state == "answered" and .answered_by == "pc" and
    .answered_at == "2026-11-26T11:00:00Z" and .answer == ($a | rtrimstr("\n")) and
    .asked_by == "sw" and .asked_at == "2026-11-26T10:30:00Z" and
    .question == "Any contact with the family in the last year?"' "$out"
check "health: a nil return by nurse at 11:15" \
    jqtrue '.requests[1] | .state == "nil" and .answered_by == "nurse" and
    .answered_at == "2026-11-26T11:15:00Z"' "$out"
check "education: withdrawn by sw at 11:30" \
    jqtrue '.requests[2] | .state == "withdrawn" and .answered_by == "sw" and
    .answered_at == "2026-11-26T11:30:00Z"' "$out"
check "every request has the SPEC 12 fields" \
    jqtrue 'all(.requests[]; has("id") and has("case_id") and
    has("agency") and has("state") and has("asked_at") and has("asked_by")
    and has("due_at") and has("question") and has("answered_at") and
    has("answered_by") and has("answer"))' "$out"
check "the view was written to the audit trail" \
    [ "$(sql "SELECT actor || ' ' || at FROM audit WHERE case_id = $c AND
	action = 'view' ORDER BY id DESC LIMIT 1")" = \
    "head 2026-11-26T15:30:00Z" ]

expect 0 "the record as CSV" as head mash-record -o csv "$c"
check "is strict RFC 4180" csv_ok "$out"
check "one row per child" [ "$(grep -c "^$c," "$out")" = 2 ]
expect 0 "the record as tables, for people" as head mash-record -o table "$c"
check "the tables show the requests and the events" \
    sh -c "grep -q '^requests:' '$out' && grep -q '^events:' '$out'"
check "nothing on standard error" [ ! -s "$err" ]

done_testing
