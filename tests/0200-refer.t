#!/bin/sh
# mash-refer from options: several children, validation, exit statuses
. "$(dirname "$0")/lib.sh"

plan 143

MASH_NOW=2026-03-10T10:00:00Z	# a Tuesday, in GMT
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

# refer ARGS...: a referral with what every referral needs, plus ARGS
refer() {
	run mash-refer -o json --source police --concern 'Left alone overnight' \
	    --child 'Tam Testcase' "$@"
}

# child N KEY: a field of the Nth child of the printed case
child() { jq -r ".children[$1].$2" "$out"; }

# refused DESC ARGS...: refer ARGS is refused with 65 and writes nothing
refused() {
	desc=$1
	shift
	snapshot "$T/before"
	refer "$@"
	if [ "$rc" = 65 ]; then pass "$desc: 65"
	else fail "$desc: 65 (exit $rc)"; fi
	snapshot "$T/after"
	check_same "$desc: nothing written" "$T/before" "$T/after"
}

# --- a referral about two children ----------------------------------------

expect 0 "two children, each with its own options: 0" \
    mash-refer -o json --source police --ref CR/123/26 \
    --concern 'Neighbour reports shouting and children left alone' \
    --child 'Ava Mae Smith' --dob 02/03/2016 --gender female \
    --nhs-number 9434765870 --upn B801200005001 --postcode sw1a1aa \
    --school 'Hill Street Primary' --address '1 Test Row' \
    --child 'Leo Smith' --dob 2019-11-20 --gender MALE \
    --referrer 'PC Quill' --consent given --category neglect,domestic-abuse
check "the case is printed as one JSON object" json_lines "$out"
check "nothing on standard error" [ ! -s "$err" ]
check "the case is new, with an id" \
    [ "$(jq -r '[.id, .state] | map(tostring) | join(" ")' "$out")" = "1 new" ]
check "source police, census code 6" \
    [ "$(jq -r '.source + " " + .source_code' "$out")" = "police 6" ]
check "the sender's reference" [ "$(jq -r .reference "$out")" = CR/123/26 ]
check "received now when not given" \
    [ "$(jq -r .received_at "$out")" = 2026-03-10T10:00:00Z ]
check "screening due at the close of the next working day" \
    [ "$(jq -r .screening_due "$out")" = 2026-03-11T17:00:00Z ]
check "consent and categories as given" \
    [ "$(jq -c '[.consent, .categories]' "$out")" = \
    '["given",["neglect","domestic-abuse"]]' ]
check "not yet screened: rag, assignee, outcome null" \
    jqtrue '.rag == null and .assigned_to == null and .outcome == null and
    .decision_due == null' "$out"
check "two children, in the order given" \
    [ "$(jq -r '.children | map(.given_name) | join(",")' "$out")" = \
    "Ava Mae,Leo" ]
check "a whole name splits at the last space" \
    [ "$(child 0 family_name)" = Smith ]
check "DD/MM/YYYY is day first: 02/03/2016 is 2016-03-02" \
    [ "$(child 0 dob)" = 2016-03-02 ]
check "the NHS number 9434765870 is accepted" \
    [ "$(child 0 nhs_number)" = 9434765870 ]
check "the UPN B801200005001 is accepted" \
    [ "$(child 0 upn)" = B801200005001 ]
check "the postcode sw1a1aa is printed as SW1A 1AA" \
    [ "$(child 0 postcode)" = "SW1A 1AA" ]
check "school and address belong to the first child" \
    [ "$(child 0 school)/$(child 0 address)" = "Hill Street Primary/1 Test Row" ]
check "the second child has only its own options" \
    [ "$(jq -c '.children[1] | [.dob, .gender, .nhs_number, .upn,
	.postcode, .school]' "$out")" = '["2019-11-20","male",null,null,null,null]' ]
check "the store holds the postcode as SW1A 1AA" \
    [ "$(sql "SELECT postcode FROM children WHERE nhs_number = '9434765870'")" \
    = "SW1A 1AA" ]
check "the store holds the date of birth as 2016-03-02" \
    [ "$(sql "SELECT dob FROM children WHERE nhs_number = '9434765870'")" \
    = 2016-03-02 ]
check "the store holds the source as census code 6" \
    [ "$(sql 'SELECT source FROM cases WHERE id = 1')" = 6 ]
check "the store holds two children of case 1" \
    [ "$(sql 'SELECT count(*) FROM children WHERE case_id = 1')" = 2 ]
check "each child has no history yet" \
    jqtrue '.children | all(.previous_cases == [] and .contacts_12m == 1)' \
    "$out"

# --- codes ----------------------------------------------------------------

refer --ref SRC/6
check "a source given as census code 6: 0" [ "$rc" = 0 ]
check "census code 6 is stored as police" \
    [ "$(jq -r '.source + " " + .source_code' "$out")" = "police 6" ]
run mash-refer -o json --source 2A --ref SRC/2A --concern x --child 'Al Bo'
check "census code 2A is a school" \
    [ "$(jq -r '.source + " " + .source_code' "$out")" = "school 2A" ]
run mash-refer -o json --source Health-Visitor --ref SRC/hv --concern x \
    --child 'Al Bo'
check "a source name in any case" \
    [ "$(jq -r '.source + " " + .source_code' "$out")" = "health-visitor 3B" ]
refer --ref CAT/1 --category 'missing; cse,missing'
check "categories separated by ';' or ',', each once" \
    [ "$(jq -c .categories "$out")" = '["missing","cse"]' ]

# --- validation: every refusal is 65, names the option, writes nothing ----

refused "NHS number 9434765871 (bad check digit)" --nhs-number 9434765871
check "a bad NHS number: names --nhs-number" has "nhs-number" "$err"
refused "NHS number of nine digits" --nhs-number 943476587
refused "UPN with its check letter changed" --upn C801200005001
check "a bad UPN: names --upn" has "--upn" "$err"
refused "UPN with one digit changed" --upn B801200005002
refused "postcode 'nope'" --postcode nope
check "a bad postcode: names --postcode" has "--postcode" "$err"
refused "date of birth 31/02/2016" --dob 31/02/2016
check "an impossible date: names --dob and the value" \
    has "--dob: '31/02/2016'" "$err"
refused "a month-first date 12/31/2016" --dob 12/31/2016
refused "a birth date tomorrow" --dob 2026-03-11
check "a future birth date: says so" has "future" "$err"
refused "a birth date next year" --dob 11/03/2027
refused "an unknown source" --source constabulary
check "an unknown source: names --source" has "--source: 'constabulary'" "$err"
refused "an unknown gender" --gender mail
check "an unknown gender: names --gender" has "--gender: 'mail'" "$err"
refused "an unknown category" --category neglect,bullying
check "an unknown category: names --category" has "--category" "$err"
refused "an unknown consent" --consent maybe
check "an unknown consent: names --consent" has "--consent" "$err"
refused "received in the future" --received-at 2026-03-12T09:00:00Z
check "received in the future: names --received-at" \
    has "--received-at" "$err"
refused "received at no time" --received-at 'last tuesday'
refused "a name with a tab" --child "$(printf 'Tab\tName')"
refused "a concern with an escape" --concern "$(printf 'look \033[2J')"
refused "the second child's bad NHS number" --child 'Bea Other' \
    --nhs-number 9434765871
check "a refusal does not print a case" [ ! -s "$out" ]

refer --ref DOB/today --dob 2026-03-10
check "a birth date today is accepted" [ "$rc" = 0 ]
check "a birth date today is stored" [ "$(child 0 dob)" = 2026-03-10 ]
refer --ref RCV/1 --received-at '09/03/2026 16:30'
check "received at DD/MM/YYYY HH:MM, local time: 0" [ "$rc" = 0 ]
check "received_at stored in UTC" \
    [ "$(jq -r .received_at "$out")" = 2026-03-09T16:30:00Z ]
check "the screening clock starts at receipt" \
    [ "$(jq -r .screening_due "$out")" = 2026-03-10T17:00:00Z ]

# --- usage: 64 -------------------------------------------------------------

snapshot "$T/before"
expect 64 "--dob before any --child: 64" \
    mash-refer --source police --concern x --dob 2016-01-01 --child 'Al Bo'
check "--dob before --child: says so" has "--dob must follow" "$err"
expect 64 "--nhs-number before any --child: 64" \
    mash-refer --source police --concern x --nhs-number 9434765870
expect 64 "an unknown option: 64" \
    mash-refer --source police --concern x --child 'Al Bo' --colour red
check "an unknown option: usage on standard error" has '^usage:' "$err"
expect 64 "a missing argument: 64" mash-refer --source police --concern x \
    --child
expect 64 "a stray argument: 64" \
    mash-refer --source police --concern x --child 'Al Bo' extra
expect 64 "no child: 64" mash-refer --source police --concern x
check "no child: says so" has "no child" "$err"
expect 64 "no concern: 64" mash-refer --source police --child 'Al Bo'
check "no concern: says so" has "concern" "$err"
expect 64 "no source: 64" mash-refer --concern x --child 'Al Bo'
check "no source: says so" has "source" "$err"
expect 64 "--json with options: 64" mash-refer --json --source police
expect 64 "-o with an unknown format: 64" mash-refer -o yaml --source police \
    --concern x --child 'Al Bo'
snapshot "$T/after"
check_same "usage errors write nothing" "$T/before" "$T/after"
expect 0 "-h: 0" mash-refer -h
check "-h: usage on standard output" has '^usage: mash-refer' "$out"
expect 0 "--version: 0" mash-refer --version

# --- --concern - ------------------------------------------------------------

printf 'Line one of the concern.\nLine two, with "quotes".\n' >"$T/concern"
expect 0 "--concern - reads standard input: 0" \
    mash-refer -o json --source school --ref STDIN/1 --concern - \
    --child 'Sol Reader' <"$T/concern"
check "--concern -: the text as it came" \
    [ "$(jq -r .concern "$out")" = "$(cat "$T/concern")" ]
printf 'bad \033[31m text\n' >"$T/concern"
expect 65 "--concern - with a control character: 65" \
    mash-refer --source school --ref STDIN/2 --concern - \
    --child 'Sol Reader' <"$T/concern"
check "--concern -: names the option" has "--concern" "$err"
printf 'nul\000byte\n' >"$T/concern"
expect 65 "--concern - with a NUL byte: 65" \
    mash-refer --source school --ref STDIN/3 --concern - \
    --child 'Sol Reader' <"$T/concern"
check "nothing recorded from a refused standard input" \
    [ "$(sql "SELECT count(*) FROM cases WHERE reference LIKE 'STDIN/%'")" = 1 ]

# --- duplicates and history ------------------------------------------------

ncases=$(sql 'SELECT count(*) FROM cases')
naudit=$(sql 'SELECT count(*) FROM audit')
expect 0 "the same source and reference again, the same content: 0" \
    mash-refer -o json --source police --ref CR/123/26 \
    --concern 'Neighbour reports shouting and children left alone' \
    --child 'Ava Mae Smith' --dob 2016-03-02
check "a duplicate: a warning naming the case" \
    has "reference 'CR/123/26' is already case 1" "$err"
check "a duplicate: the case it is prints" [ "$(jq -r .id "$out")" = 1 ]
check "a duplicate: still one case" \
    [ "$(sql 'SELECT count(*) FROM cases')" = "$ncases" ]
check "a duplicate: no audit row" \
    [ "$(sql 'SELECT count(*) FROM audit')" = "$naudit" ]
expect 0 "the same reference from another source is a new case" \
    mash-refer -o json --source school --ref CR/123/26 --concern other \
    --child 'Ava Smith'
check "another source: a new case" [ "$(jq -r .id "$out")" != 1 ]
expect 0 "two contacts without a reference are two cases" \
    mash-refer --source anonymous --concern 'no ref' --child 'Ned Noref'
expect 0 "the second without a reference" \
    mash-refer --source anonymous --concern 'no ref' --child 'Ned Noref'
check "both recorded" \
    [ "$(sql "SELECT count(*) FROM cases WHERE concern = 'no ref'")" = 2 ]

expect 0 "a new contact about Ava, by NHS number: 0" \
    mash-refer -o json --source school --ref HIST/1 --concern 'again' \
    --child 'Ava Smith' --nhs-number 9434765870
check "the new case shows Ava's earlier case" \
    [ "$(jq -c '.children[0].previous_cases' "$out")" = '[1]' ]
check "and her contacts in the last twelve months" \
    [ "$(jq -r '.children[0].contacts_12m' "$out")" -ge 2 ]
check "the same child is the same person" \
    [ "$(child 0 person_id)" = \
    "$(sql "SELECT person_id FROM children WHERE case_id = 1 ORDER BY id
	LIMIT 1")" ]

# --- the store, the user and the output: 66, 74, 77, 78 -----------------

expect 66 "a missing store: 66" mash-refer -d "$T/none.db" --source police \
    --concern x --child 'Al Bo'
check "a missing store: names the path" has "'$T/none.db'" "$err"
check "a missing store is not created" [ ! -e "$T/none.db" ]

ncases=$(sql 'SELECT count(*) FROM cases')
naudit=$(sql 'SELECT count(*) FROM audit')
snapshot "$T/before"
expect 77 "an unregistered user: 77" as nobody mash-refer --source police \
    --ref NOBODY/1 --concern x --child 'Al Bo'
check "an unregistered user: named" has "'nobody'" "$err"
check "an unregistered user: no case printed" [ ! -s "$out" ]
snapshot "$T/after"
check_same "an unregistered user: nothing written" "$T/before" "$T/after"
mash-admin user disable sw2 2>"$err"
snapshot "$T/before"
expect 77 "a disabled user: 77" as sw2 mash-refer --source police \
    --ref SW2/1 --concern x --child 'Al Bo'
check "a disabled user: says so" has "'sw2' is disabled" "$err"
snapshot "$T/after"
check_same "a disabled user: nothing written" "$T/before" "$T/after"
check "refused users: no case was added" \
    [ "$(sql 'SELECT count(*) FROM cases')" = "$ncases" ]
check "refused users: no audit row but the disable was added" \
    [ "$(sql 'SELECT count(*) FROM audit')" = $((naudit + 1)) ]
expect 0 "any registered user may record a contact" \
    as pc mash-refer --source police --ref PC/1 --concern x --child 'Al Bo'
check "the case records who made it" \
    [ "$(sql "SELECT created_by FROM cases WHERE reference = 'PC/1'")" = pc ]

if [ -z "${MASH_PG:-}" ]; then
	expect 78 "a bad MASH_NOW: 78" env MASH_NOW=soon mash-refer \
	    --source police --ref NOW/1 --concern x --child 'Al Bo'
	check "a bad MASH_NOW: named" has "MASH_NOW 'soon'" "$err"
else
	# a PostgreSQL store never obeys MASH_NOW (mash(7))
	expect 77 "a MASH_NOW on a PostgreSQL store: 77" env MASH_NOW=soon \
	    mash-refer --source police --ref NOW/1 --concern x --child 'Al Bo'
	check "a MASH_NOW on a PostgreSQL store: named" has "MASH_NOW" "$err"
fi
store_copy newer
MASH_DB=$copy store_version 100
expect 78 "a store with a newer schema: 78" mash-refer -d "$copy" \
    --source police --ref NEW/1 --concern x --child 'Al Bo'
check "a newer schema: names the store" has "'$copy'" "$err"
check "a newer schema: nothing recorded" \
    [ "$(MASH_DB=$copy sql "SELECT count(*) FROM cases
	WHERE reference = 'NEW/1'")" = 0 ]

expect 74 "standard output on a full disk: 74" sh -c \
    'exec mash-refer -o json --source police --ref FULL/1 --concern x \
    --child "Al Bo" >/dev/full'
check "a full disk: says so" has "cannot write standard output" "$err"
check "a full disk: the case was recorded once all the same" \
    [ "$(sql "SELECT count(*) FROM cases WHERE reference = 'FULL/1'")" = 1 ]

# --- audit ----------------------------------------------------------------

check "each recorded case has one refer audit row" \
    [ "$(sql "SELECT count(*) FROM cases")" = \
    "$(sql "SELECT count(*) FROM audit WHERE action = 'refer'")" ]
check "the refer audit row names the case, the actor and the time" \
    [ "$(sql "SELECT case_id || ' ' || actor || ' ' || at FROM audit
	WHERE action = 'refer' ORDER BY id LIMIT 1")" = \
    "1 admin 2026-03-10T10:00:00Z" ]

done_testing
