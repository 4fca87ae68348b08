#!/bin/sh
# What the tables show (issue 15): the whole record for people, its
# note, outcome and reason, questions and answers, and each child's
# numbers and address, wrapped and never cut; a decided case's outcome
# in the listings; the screening queue's children, their ids and open
# matches, and a case updated since it was screened; a warning when a
# case is accepted with a possible match still open
. "$(dirname "$0")/lib.sh"

new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
export MASH_NOW=2026-05-11T09:00:00Z

# widest FILE: the widest line, in characters
widest() { python3 -c 'import sys
print(max([len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")] + [0]))' "$1"; }

# field FILE LABEL: a field of a record's table, its wrapped lines
# joined again: the line that starts with LABEL after blanks, and the
# lines after it indented to its value
field() {
	python3 - "$1" "$2" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
for i, l in enumerate(lines):
    m = re.match(r'( +%s +)(\S.*)$' % re.escape(sys.argv[2]), l)
    if m:
        words, pad = [m.group(2)], ' ' * len(m.group(1))
        for k in lines[i + 1:]:
            if not k.startswith(pad) or k[len(pad):len(pad) + 1] in ('', ' '):
                break
            words.append(k[len(pad):])
        sys.stdout.write(' '.join(words))
        break
PY
}

# text FILE LABEL: a text of a record's table, under "LABEL:", joined
text() {
	sed -n "/^$2:\$/,/^\$/p" "$1" | sed '1d;/^$/d;s/^  //' | paste -sd ' ' -
}

# words N WORD: N words, as a long text that a table must wrap
words() {
	i=0
	while [ $i -lt "$1" ]; do
		printf '%s%s%d' "$([ $i -gt 0 ] && echo ' ')" "$2" $i
		i=$((i + 1))
	done
}

# --- the whole record, wrapped and never cut -------------------------------

note=$(words 37 noteword)		# 300 characters
reason=$(words 30 reasonword)
question=$(words 25 questionword)
answer=$(words 28 answerword)
address="Flat 12, Long Terrace House, $(words 8 Streetname), Leeds"
check "the note is 300 characters" [ "${#note}" -ge 300 ]
# an earlier contact, so that the child's id on the case is not its
# person's id
expect 0 "an earlier contact about Ava" mash-refer -o json --source school \
    --concern 'Test concern' --child 'Zed Earlier' \
    --child 'Ava Tablerecord' --dob 2016-03-02
expect 0 "a contact with a child's numbers and address" \
    mash-refer -o json --source police --ref RC/1 --concern 'Test concern' \
    --consent given --child 'Ava Tablerecord' --dob 2016-03-02 \
    --nhs-number 9434765919 --address "$address" --postcode 'ls6 2ab'
c=$(val .id)
kid=$(val '.children[0].id')
person=$(val '.children[0].person_id')
check "the same person as before, under another id" \
    [ "$person/$kid" = 2/3 ]
expect 0 "screened with a note of 300 characters" as head mash-screen -o json \
    "$c" --rag amber --note "$note"
expect 0 "accepted" as head mash-screen -o json "$c" --accept --assign sw
expect 0 "a request with a long question" as sw mash-request -o json "$c" \
    police --question "$question"
req=$(val .id)
expect 0 "the officer's view of the case while asked" as pc mash-record \
    -o json "$c"
check "has no note and no outcome's reason" \
    jqtrue 'has("screening_note") or has("outcome_reason") | not' "$out"
expect 0 "a long answer" as pc mash-request -o json --respond "$req" \
    --text "$answer"
expect 0 "the record written" as sw mash-record -o json "$c" \
    --summary 'Test summary' --recommend single-agency --agency housing
expect 0 "decided, with a long reason" as head mash-decide -o json "$c" \
    --outcome single-agency --agency housing --reason "$reason"

for cols in 80 120; do
	COLUMNS=$cols expect 0 "the record as a table, COLUMNS=$cols" \
	    as head mash-record -o table "$c"
	check "no line is wider than $cols ($(widest "$out"))" \
	    [ "$(widest "$out")" -le "$cols" ]
	check "the screening note whole, its lines filled" \
	    [ "$(text "$out" screening_note)" = "$note" ]
	check "the outcome and its agency" [ "$(text "$out" outcome)/$(text \
	    "$out" outcome_agency)" = single-agency/housing ]
	check "the decision's reason whole" \
	    [ "$(text "$out" outcome_reason)" = "$reason" ]
	check "the request's question whole" \
	    [ "$(field "$out" question)" = "$question" ]
	check "its answer whole" [ "$(field "$out" answer)" = "$answer" ]
	check "the child under its id and person id" \
	    has "^  child $kid (person $person): Ava Tablerecord\$" "$out"
	check "the NHS number" [ "$(field "$out" nhs_number)" = 9434765919 ]
	check "the address whole" [ "$(field "$out" address)" = "$address" ]
	check "the postcode" [ "$(field "$out" postcode)" = 'LS6 2AB' ]
	check "nothing cut" hasnt '…' "$(sed '/^events:$/,$d' "$out" \
	    >"$T/head"; echo "$T/head")"
done
check "at 80 columns the note takes several lines" \
    [ "$(sed -n '/^screening_note:$/,/^$/p' "$out" | wc -l)" -gt 3 ]
expect 0 "the record as JSON" as head mash-record -o json "$c"
check "has the note and the decision's reason" \
    jqtrue --arg n "$note" --arg r "$reason" \
    '.screening_note == $n and .outcome_reason == $r' "$out"
jq -c '.reference = "RC/2"' "$out" >"$T/again.json"
expect 0 "the record read back by mash-refer --json" mash-refer --json \
    -o json <"$T/again.json"
check "a new case" jqtrue ".id != $c and .reference == \"RC/2\"" "$out"

# --- a decided case's outcome in the listings ------------------------------

COLUMNS=120 expect 0 "the closed cases" as head mash-record --list \
    --state closed -o table
check "show an outcome column" has '^id .* outcome  *outcome_agency' "$out"
check "with the case's outcome" \
    has "^$c  *closed .* single-agency  *housing " "$out"
COLUMNS=120 expect 0 "the open cases" as head mash-record --list -o table
check "have no outcome column" hasnt 'outcome' "$out"
expect 0 "the open cases, to a file" as head env -u COLUMNS mash-record \
    --list -o table
check "have no outcome column either" hasnt 'outcome' "$out"
COLUMNS=120 expect 0 "mash-decide prints the decided case" \
    as head mash-decide -o table "$(case_in recorded && echo "$cid")" \
    --outcome nfa --reason 'Test'
check "with its outcome" has '^[0-9][0-9]* .*closed .* nfa ' "$out"
COLUMNS=120 expect 0 "the case's requests" as head mash-request --case "$c" \
    --all -o table
check "show the case's outcome" has "^$req .* single-agency\$" "$out"
expect 0 "the requests as JSON" as head mash-request --case "$c" --all -o json
check "case_outcome" jqtrue '.case_outcome == "single-agency"' "$out"
expect 0 "an officer's requests" as pc mash-request --all -o json
check "no outcome of a case they may not see" \
    jqtrue -s 'length > 0 and all(.case_outcome == null)' "$out"
expect 0 "the requests as CSV" as head mash-request --case "$c" --all -o csv
check "with a case_outcome column" \
    [ "$(csv_value "$out" 1 case_outcome)" = single-agency ]

# --- the screening queue: children, their ids, open matches ----------------

expect 0 "a household of two" mash-refer -o json --source police \
    --ref SQ/1 --concern 'Test concern' --consent given \
    --child 'Ava Thornbury' --dob 2016-03-02 \
    --child 'Leo Thornbury' --dob 2019-11-20
q1=$(val .id)
leo=$(val '.children[1].person_id')
expect 0 "a contact about a Leo who may be the same" mash-refer -o json \
    --source gp --ref SQ/2 --concern 'Test concern' --consent given \
    --child 'Leo Thornbery' --dob 2019-11-20
q2=$(val .id)
k2=$(val '.children[0].id')
check "a possible match" jqtrue ".children[0].possible_matches == [$leo]" "$out"
n=$(audit_count)
for cols in 80 120; do
	COLUMNS=$cols expect 0 "the queue as a table, COLUMNS=$cols" \
	    as screener mash-screen -o table
	check "no line is wider than $cols ($(widest "$out"))" \
	    [ "$(widest "$out")" -le "$cols" ]
	check "the child ids, names and matches" \
	    has '^id  *state .* child  *name  *matches' "$out"
	check "each child of the household, by name" [ "$(grep -c \
	    "^$q1  *new .* Thornbury" "$out")" = 2 ]
	check "the child with an open match, and the person" \
	    has "^$q2  *new .* $k2  *Leo Thornbery  *$leo\\b" "$out"
done
check "each showing audited as one list, naming the cases" \
    [ "$(sql "SELECT count(*) FROM audit WHERE id > $n AND action = 'list'
    AND json_extract(details, '\$.list') = 'screening'
    AND details LIKE '%$q1,$q2]}'")" = 2 ]
expect 0 "the queue as CSV" as screener mash-screen -o csv
check "strict RFC 4180" csv_ok "$out"
check "a row a child, with its id, names and matches" \
    grep -q "^$q2,.*,false,$k2,Leo,Thornbery,$leo" "$out"

# --- accepting with a match open: a warning, and done -----------------------

expect 0 "accepting the case with the open match: 0" as head mash-screen \
    -o json "$q2" --accept --assign sw --rag amber
check "it is in the hub" jqtrue '.state == "mash"' "$out"
check "a warning names the case, the count and the options" has \
    "^mash-screen: case $q2 has 1 open possible match: confirm or dismiss it with --same-child or --not-same CHILD=PERSON\$" \
    "$err"
check "and no child's data" hasnt 'Leo\|Thornb\|2019' "$err"
expect 0 "accepting a case with none open" as head mash-screen -o json \
    "$q1" --accept --assign sw --rag amber
check "says nothing" [ ! -s "$err" ]

# --- a case updated since it was screened ------------------------------------

expect 0 "a contact" mash-refer -o json --source police --ref UP/1 \
    --concern 'First concern' --child 'Uma Updated'
up=$(val .id)
expect 0 "the queue" as screener mash-screen -o json
check "not marked updated" jqtrue -s "map(select(.id == $up))[0].updated == false" "$out"
COLUMNS=80 expect 0 "the queue as a table" as screener mash-screen -o table
check "has no updated column" hasnt 'updated' "$out"
expect 0 "the queue as a table, to a file" as screener env -u COLUMNS \
    mash-screen -o table
check "has no updated column either" hasnt 'updated' "$out"
expect 0 "sent again with more" mash-refer -o json --source police \
    --ref UP/1 --concern 'Second concern' --child 'Uma Updated'
expect 0 "the queue" as screener mash-screen -o json
check "marks it updated" jqtrue -s "map(select(.id == $up))[0].updated == true" "$out"
COLUMNS=80 expect 0 "the queue as a table" as screener mash-screen -o table
check "an updated column, marked for the case" \
    has "^$up  *new  *[0-9-]* [0-9:]*  *yes  " "$out"
expect 0 "the queue as a table, to a file" as screener env -u COLUMNS \
    mash-screen -o table
check "has it too" has "^$up  *new  *[0-9-]* [0-9:]*  *yes  " "$out"
expect 0 "screening it" as screener mash-screen -o json "$up" --rag green
expect 0 "the queue" as screener mash-screen -o json
check "no longer marks it" jqtrue -s "map(select(.id == $up))[0].updated == false" "$out"
check "the time of the update is kept" \
    jqtrue -s "map(select(.id == $up))[0].updated_at != null" "$out"
COLUMNS=80 expect 0 "the queue as a table" as screener mash-screen -o table
check "has no updated column again" hasnt 'updated' "$out"
expect 0 "sent again after its screening" mash-refer -o json --source police \
    --ref UP/1 --concern 'Third concern' --child 'Uma Updated'
expect 0 "the queue" as screener mash-screen -o json
check "marks it again" jqtrue -s "map(select(.id == $up))[0].updated == true" "$out"
expect 0 "screened again" as screener mash-screen -o json "$up" --rag green
expect 0 "the queue" as screener mash-screen -o json
check "clears it again" jqtrue -s "map(select(.id == $up))[0].updated == false" "$out"

plan "$ntest"
done_testing
