#!/bin/sh
# What the tables show (issue 15): the whole record for people, its
# note, outcome and reason, questions and answers, and each child's
# numbers and address, wrapped and never cut; a decided case's outcome
# in the listings
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
expect 0 "a contact with a child's numbers and address" \
    mash-refer -o json --source police --ref RC/1 --concern 'Test concern' \
    --consent given --child 'Ava Tablerecord' --dob 2016-03-02 \
    --nhs-number 9434765919 --address "$address" --postcode 'ls6 2ab'
c=$(val .id)
kid=$(val '.children[0].id')
person=$(val '.children[0].person_id')
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

plan "$ntest"
done_testing
