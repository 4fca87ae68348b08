#!/bin/sh
# mash-refer --json: JSON Lines or one array, all or nothing
. "$(dirname "$0")/lib.sh"

plan 88

MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

in=$T/in.json

# refused DESC: mash-refer --json <$in is refused with 65, writing nothing
refused() {
	snapshot "$T/before"
	expect 65 "$1: 65" mash-refer --json <"$in"
	snapshot "$T/after"
	check_same "$1: nothing recorded" "$T/before" "$T/after"
	check "$1: no case printed" [ ! -s "$out" ]
}

# --- JSON Lines -------------------------------------------------------------

cat >"$in" <<'EOF'
{"source":"police","reference":"J/1","concern":"Seen out late","children":[{"given_name":"Ada","family_name":"Lovetest","dob":"2014-06-01","gender":"female","nhs_number":"9434765870"}]}

{"source":"5C","reference":"J/2","concern":"Moved in from another area","consent":"given","categories":["neglect","missing"],"referrer":"Duty desk","received_at":"2026-03-09T08:15:00Z","children":[{"name":"Bo Testman","postcode":"sw1a1aa","upn":"B801200005001"},{"given_name":"Cy","family_name":"Testman","dob":"01/02/2018"}]}
EOF
expect 0 "two referrals as JSON Lines: 0" mash-refer --json <"$in"
check "both cases printed, one JSON object a line" json_lines "$out"
check "in the order they came" \
    [ "$(jq -r .reference "$out" | tr '\n' ' ')" = "J/1 J/2 " ]
check "the second: source other-la (5C)" \
    [ "$(jq -r 'select(.reference == "J/2") | .source + " " + .source_code' \
    "$out")" = "other-la 5C" ]
check "the second: consent, categories, received_at as given" \
    [ "$(jq -c 'select(.reference == "J/2") | [.consent, .categories,
	.received_at]' "$out")" = \
    '["given",["neglect","missing"],"2026-03-09T08:15:00Z"]' ]
check "the second: two children, a whole name split" \
    [ "$(jq -r 'select(.reference == "J/2") | .children |
	map(.given_name + " " + .family_name) | join(",")' "$out")" = \
    "Bo Testman,Cy Testman" ]
check "the second: postcode normalised, dob day first" \
    [ "$(jq -r 'select(.reference == "J/2") | .children[0].postcode + "/" +
	.children[1].dob' "$out")" = "SW1A 1AA/2018-02-01" ]
check "the store holds three children" \
    [ "$(sql 'SELECT count(*) FROM children')" = 3 ]
check "one refer audit row each" \
    [ "$(sql "SELECT count(*) FROM audit WHERE action = 'refer'")" = 2 ]

# --- the printed shape comes back in ---------------------------------------

expect 0 "print a case as JSON" mash-refer -o json --source school \
    --ref RT/1 --concern 'Round trip' --consent refused --category emotional \
    --child 'Dee Roundtrip' --dob 2012-12-12 --gender other \
    --nhs-number 9434765919 --school 'Hill Street Primary' --postcode 'SW1A1AA'
jq -c '.reference = "RT/2"' "$out" >"$in"
cp "$out" "$T/printed"
expect 0 "the printed case fed back with a new reference: 0" \
    mash-refer -o json --json <"$in"
check "recorded as a new case" \
    [ "$(jq -r .id "$out")" != "$(jq -r .id "$T/printed")" ]
check "with the new reference" [ "$(jq -r .reference "$out")" = RT/2 ]
shape='del(.id, .reference, .children[].id, .children[].previous_cases,
    .children[].contacts_12m)'
jq -S "$shape" "$T/printed" >"$T/want"
jq -S "$shape" "$out" >"$T/got"
check_same "the new case has the same fields as the one printed" \
    "$T/want" "$T/got"
check "the new case's child is the same person, with history" \
    [ "$(jq -c '.children[0].previous_cases' "$out")" = \
    "[$(jq -r .id "$T/printed")]" ]

jq -c '.reference = "RT/3"' "$T/printed" | jq -s . >"$in"
expect 0 "the printed case in one JSON array: 0" mash-refer -o json --json \
    <"$in"
check "recorded from the array" [ "$(jq -r .reference "$out")" = RT/3 ]
check "the array case has the same fields" \
    [ "$(jq -S "$shape" "$out")" = "$(cat "$T/want")" ]

cat >"$in" <<'EOF'
  [
    {"source": "gp", "reference": "ARR/1", "concern": "First",
     "children": [{"name": "Eve Arraytest"}]},
    {"source": "3A", "reference": "ARR/2", "concern": "Second",
     "children": [{"name": "Fox Arraytest"}]}
  ]
EOF
expect 0 "a pretty-printed array of two: 0" mash-refer --json <"$in"
check "both recorded, in order" \
    [ "$(jq -r .reference "$out" | tr '\n' ' ')" = "ARR/1 ARR/2 " ]
check "gp and 3A are the same source" \
    [ "$(sql "SELECT group_concat(source) FROM cases
	WHERE reference LIKE 'ARR/%'")" = "3A,3A" ]

: >"$in"
expect 0 "no input: 0" mash-refer --json <"$in"
check "no input: nothing printed" [ ! -s "$out" ]

# --- a bad line and nothing is recorded ------------------------------------

cat >"$in" <<'EOF'
{"source":"police","reference":"BAD/1","concern":"fine","children":[{"name":"Gil Okay"}]}
{"source":"police","reference":"BAD/2","concern":"bad date","children":[{"name":"Hal Bad","dob":"31/02/2016"}]}
{"source":"police","reference":"BAD/3","concern":"fine","children":[{"name":"Ida Okay"}]}
EOF
refused "a bad date on line 2"
check "the line number and the key are named" \
    has "standard input:2: key 'dob'" "$err"
check "the summary says nothing was recorded" has "nothing recorded" "$err"

cat >"$in" <<'EOF'
{"source":"police","reference":"BAD/4","concern":"x","children":[{"name":"Jo Bad","nhs_number":"9434765871"}]}
{"source":"police","reference":"BAD/5","concern":"x","children":[{"name":"Kit Okay"}]}
{"source":"sheriff","reference":"BAD/6","concern":"x","children":[{"name":"Lu Bad"}]}
EOF
refused "two bad lines"
check "line 1 is reported" has "standard input:1: key 'nhs_number'" "$err"
check "line 3 is reported too" has "standard input:3: key 'source'" "$err"
check "two bad referrals counted" has "2 bad referrals" "$err"

printf '\n\n{"source":"police","concern":"no child"}\n' >"$in"
refused "a referral without children after blank lines"
check "the line number counts the blank lines" has "standard input:3:" "$err"

printf '{"source":"police","concern":"x","children":[{"name":"Mo"}]}\n{"source":"police",\n' >"$in"
refused "a line that is not JSON"
check "a line that is not JSON: line 2 named" \
    has "standard input:2: not valid JSON" "$err"

printf '42\n' >"$in"
refused "a line that is a number"
check "a line that is not an object: says so" has "object" "$err"

# --- strings only, known keys only, no deep nesting ------------------------

printf '{"source":"police","reference":7,"concern":"x","children":[{"name":"Ned Num"}]}\n' >"$in"
refused "a number for the reference"
check "a number for a string: names the key" has "'reference'" "$err"
printf '{"source":6,"concern":"x","children":[{"name":"Ned Num"}]}\n' >"$in"
refused "a number for the source"
printf '{"source":"police","concern":"x","children":[{"name":"Ned Num","nhs_number":9434765870}]}\n' >"$in"
refused "a number for the NHS number"
check "a number for the NHS number: names the key" has "'nhs_number'" "$err"
printf '{"source":"police","concern":"x","categories":[1],"children":[{"name":"Ned Num"}]}\n' >"$in"
refused "numbers for categories"
printf '{"source":"police","concern":"x","children":{"name":"Ned Num"}}\n' >"$in"
refused "children not an array"
printf '{"source":"police","concern":"x","colour":"red","children":[{"name":"Ned Num"}]}\n' >"$in"
refused "an unknown key"
check "an unknown key: named" has "'colour'" "$err"

python3 -c 'print("[" * 100 + "]" * 100)' >"$in"
refused "arrays nested 100 deep"
check "deep nesting: says so" has "nested" "$err"
python3 -c 'print("{\"source\":" * 100 + "\"x\"" + "}" * 100)' >"$in"
refused "objects nested 100 deep"
python3 -c 'print("[" * 100000)' >"$in"
refused "an unclosed array 100000 deep"

python3 -c 'print("{\"source\":\"police\",\"reference\":\"DEEP/1\",\"concern\":\"" + "[{" * 100 + "\",\"children\":[{\"name\":\"Oz Brackets\"}]}")' >"$in"
expect 0 "brackets inside a string are not nesting: 0" mash-refer --json <"$in"
check "the concern keeps its brackets" \
    [ "$(jq -r '.concern | length' "$out")" = 200 ]

# --- duplicates -------------------------------------------------------------

cat >"$in" <<'EOF'
{"source":"police","reference":"J/1","concern":"Seen out late","children":[{"name":"Ada Lovetest","dob":"2014-06-01"}]}
{"source":"police","reference":"DUP/1","concern":"new","children":[{"name":"Pia Newtest"}]}
{"source":"police","reference":"DUP/1","concern":"new","children":[{"name":"Pia Newtest"}]}
EOF
n=$(sql 'SELECT count(*) FROM cases')
expect 0 "a batch with references already present: 0" mash-refer --json <"$in"
check "a warning names the case already holding J/1" \
    has "reference 'J/1' is already case 1" "$err"
check "a warning for the second DUP/1" has "reference 'DUP/1' is already" \
    "$err"
check "only the new referral is recorded" \
    [ "$(sql 'SELECT count(*) FROM cases')" = $((n + 1)) ]
check "and printed" [ "$(jq -r .reference "$out")" = DUP/1 ]

# --- who may, and usage ----------------------------------------------------

printf '{"source":"police","reference":"WHO/1","concern":"x","children":[{"name":"Quin Who"}]}\n' >"$in"
snapshot "$T/before"
expect 77 "an unregistered user: 77" as nobody mash-refer --json <"$in"
snapshot "$T/after"
check_same "an unregistered user: nothing recorded" "$T/before" "$T/after"
expect 64 "--json with --csv: 64" mash-refer --json --csv - <"$in"
expect 64 "--json with a stray argument: 64" mash-refer --json file.json <"$in"

done_testing
