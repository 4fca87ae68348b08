#!/bin/sh
# -o json|csv|table: JSON Lines, RFC 4180 CSV, aligned and safe tables
. "$(dirname "$0")/lib.sh"

plan 47

MASH_NOW=2026-07-01T10:00:00Z	# a Wednesday, in summer time
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
golden=$MASH_SRC/tests/refer

# the golden referral: two children, a UTF-8 name, a comma and quotes
gold() {
	run mash-refer "$@" --source school --ref GOLD/1 \
	    --concern 'Says, "nobody" is at home' \
	    --category neglect,emotional --consent given \
	    --child 'Zoë Ållen' --dob 2015-05-05 --gender female \
	    --postcode 'n1 9gu' --child 'Bo Li' \
	    --received-at 2026-07-01T07:30:00Z
}

# refer ARGS...: a referral with what it needs, plus ARGS, as CSV
refer_csv() {
	run mash-refer -o csv --source police --child 'Cal Csvtest' "$@"
}

# --- JSON -----------------------------------------------------------------

gold -o json
check "json: exit 0" [ "$rc" = 0 ]
check "json: one object a line" json_lines "$out"
check "json: one line for one case" [ "$(wc -l <"$out")" = 1 ]
check "json: UTF-8 as it is, not escaped" has 'Zoë' "$out"
missing=
for k in id state rag source source_code reference received_at concern \
    categories consent criteria assigned_to screening_due decision_due \
    outcome outcome_agency children; do
	jqtrue "has(\"$k\")" "$out" || missing="$missing $k"
done
check "json: every case key of SPEC 12${missing:+, not$missing}" \
    [ -z "$missing" ]
for k in id person_id given_name family_name dob gender nhs_number upn \
    school address postcode previous_cases contacts_12m possible_matches; do
	jqtrue ".children | all(has(\"$k\"))" "$out" || missing="$missing $k"
done
check "json: every child key of SPEC 12${missing:+, not$missing}" \
    [ -z "$missing" ]
check "json: ids and counts are numbers, arrays are arrays" \
    jqtrue '(.id | type) == "number" and (.categories | type) == "array" and
    (.children[0].contacts_12m | type) == "number" and
    (.children[0].previous_cases | type) == "array"' "$out"
jq -S '{id, state, rag, source, source_code, reference, received_at,
    concern, categories, consent, criteria, assigned_to, screening_due,
    decision_due, outcome, outcome_agency, children: [.children[] | {id,
    person_id, given_name, family_name, dob, gender, nhs_number, upn, school,
    address, postcode, previous_cases, contacts_12m, possible_matches}]}' \
    "$out" >"$T/case.json"
check_same "json: the golden case" "$golden/case.json" "$T/case.json"

gold
check "not on a terminal, the default is JSON Lines" json_lines "$out"
gold -o json --raw
check "--raw leaves JSON alone" json_lines "$out"

# --- CSV ------------------------------------------------------------------

gold -o csv
check "csv: exit 0" [ "$rc" = 0 ]
check "csv: strict RFC 4180" csv_ok "$out"
check_same "csv: the golden case, one row per child" "$golden/case.csv" "$out"
check "csv: a field with a comma and quotes reads back as it was" \
    [ "$(csv_value "$out" 1 concern)" = 'Says, "nobody" is at home' ]
check "csv: arrays joined with ';'" \
    [ "$(csv_value "$out" 2 categories)" = 'neglect;emotional' ]

printf 'First line, first.\r\nSecond "line".\nThird\tline.' >"$T/concern"
refer_csv --ref CSV/1 --concern "$(cat "$T/concern")"
check "csv: line breaks and tabs: strict RFC 4180" csv_ok "$out"
csv_value "$out" 1 concern >"$T/got"
check_same "csv: line breaks and tabs read back as they were" \
    "$T/concern" "$T/got"

bad= i=0
for f in '=SUM(A1:A9)' '+44 20 7946 0000' '-2+3' '@cmd' "$(printf '\tTab')"
do
	refer_csv --ref "CSV/f$((i += 1))" --concern "$f"
	csv_ok "$out" && [ "$(csv_value "$out" 1 concern)" = "'$f" ] ||
	    bad="$bad [$f]"
done
check "csv: a concern starting with = + - @ or tab gets a '$bad" \
    [ -z "$bad" ]
refer_csv --ref CSV/eq --concern '=1+1'
check "csv: '=1+1' comes out as \"'=1+1\"" has ",'=1+1," "$out"
refer_csv --ref CSV/eq --concern '=1+1' --raw
check "csv: with --raw, =1+1 comes out as it is" has ',=1+1,' "$out"
check "csv: with --raw, still RFC 4180" csv_ok "$out"

f='=HYPERLINK("http://example.invalid/?a=1,2","open me")'
refer_csv --ref CSV/link --concern "$f"
check "csv: a formula with quotes and commas: strict RFC 4180" csv_ok "$out"
check "csv: a formula with quotes and commas gets its ' inside the field" \
    [ "$(csv_value "$out" 1 concern)" = "'$f" ]
refer_csv --ref CSV/link --concern "$f" --raw
check "csv: with --raw, the formula reads back as it was" \
    [ "$(csv_value "$out" 1 concern)" = "$f" ]

run mash-refer -o csv --source police --ref CSV/names --concern x \
    --child '@Ann =Sumtest'
check "csv: names are made safe too" \
    [ "$(csv_value "$out" 1 given_name)/$(csv_value "$out" 1 family_name)" = \
    "'@Ann/'=Sumtest" ]
check "csv: numbers are not prefixed" [ "$(csv_value "$out" 1 id)" -gt 0 ]

run mash-admin -o csv holiday list
check "csv: listings are RFC 4180 with a header" csv_ok "$out"
check "csv: the holiday header" [ "$(head -1 "$out")" = "$(printf 'date,name\r')" ]

# --- tables ---------------------------------------------------------------

gold -o table
check "table: exit 0" [ "$rc" = 0 ]
check_same "table: the golden case, local time, aligned by characters" \
    "$golden/case.table" "$out"

# aligned FILE: every cell starts at its header's column, in characters
aligned() {
	python3 - "$1" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')[:-1]
starts = [m.start() for m in re.finditer(r'(?:^|(?<=  ))\S', lines[0])]
for l in lines[1:]:
    for s in starts[1:]:
        if len(l) > s and l[s - 1] != ' ':
            sys.exit(1)
PY
}
check "table: every cell under its header" aligned "$out"
check "table: one line for the header and one a child" \
    [ "$(wc -l <"$out")" = 3 ]

mash-admin user add tabby --role screener --name "$(printf 'Tab\tby\nNewline')" \
    2>"$err"
run mash-admin -o table user list
check "table: a name with a tab and a line break stays on one line" \
    [ "$(wc -l <"$out")" = "$(($(sql 'SELECT count(*) FROM users') + 1))" ]
check "table: no tab reaches the table" hasnt "$(printf '\t')" "$out"
check "table: user list aligned" aligned "$out"

# a name that came in by another road, with escapes in it
# (ESC, BEL and U+009B written into the literals: both engines read them)
sql "UPDATE children SET given_name = '$(printf 'Zo\033]0;owned\007e')',
    family_name = '$(printf 'Al\302\2332Jlen')'
    WHERE case_id = 1 AND given_name = 'Zoë'"
gold -o table
check "table: the case still prints" [ "$rc" = 0 ]
check "table: no ESC reaches standard output" \
    eval '! LC_ALL=C grep -q "$(printf "\033")" "$out"'
check "table: no BEL reaches standard output" \
    eval '! LC_ALL=C grep -q "$(printf "\007")" "$out"'
check "table: no C1 control reaches standard output" \
    eval '! LC_ALL=C grep -q "$(printf "\302\233")" "$out"'
check "table: the control characters are shown as ?" has 'Zo?]0;owned?e' "$out"
check "table: still aligned" aligned "$out"
gold -o json
check "json: control characters escaped, still one object a line" \
    json_lines "$out"
check "json: the escape is written \\u001b" has 'Zo\\u001b' "$out"

long=$(printf 'Longname%.0s' 1 2 3 4 5 6 7 8 9 10)
run mash-refer -o table --source police --ref TAB/long --concern x \
    --child "$long Shorttest"
check "table: a long cell is cut to 60 characters with ..." \
    has "$(printf 'Longname%.0s' 1 2 3 4 5 6 7)L\.\.\. " "$out"

if command -v script >/dev/null 2>&1; then
	run script -qec 'mash-admin criteria list' /dev/null </dev/null
	check "on a terminal, the default is a table" \
	    grep -q '^code  *text' "$out"
	check "on a terminal, no escape sequence (no colour)" \
	    eval '! LC_ALL=C grep -q "$(printf "\033")" "$out"'
	run script -qec 'NO_COLOR=1 mash-admin criteria list' /dev/null </dev/null
	check "NO_COLOR: no escape sequence" \
	    eval '! LC_ALL=C grep -q "$(printf "\033")" "$out"'
else
	for i in 1 2 3; do echo "ok $((ntest += 1)) # skip no script(1)"; done
fi

done_testing
