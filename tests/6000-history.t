#!/bin/sh
# a child's history at the front door (SPEC 8): the same child is found
# again however the name is written, a close name is shown for a person
# to confirm, and twins are never joined
. "$(dirname "$0")/lib.sh"
plan 67

new_store >/dev/null 2>&1 || { echo "Bail out! no store"; exit 1; }

# refer WHEN REF NAME DOB [MORE...]: a police contact about one child
refer() {
	when=$1 ref=$2 name=$3 dob=$4
	shift 4
	MASH_NOW=$when run mash-refer --source police --ref "$ref" \
	    --concern 'seen at night' --child "$name" --dob "$dob" "$@"
}
# child FIELD: a field of the first child of the last case printed
child() { jq -r ".children[0].$1 | if type == \"array\" then map(tostring) | join(\",\") else tostring end" "$out"; }

refer 2026-01-10T10:00:00Z A1 'Olivia Grant' 2014-09-10 \
    --nhs-number 9434765870 --postcode 'sw1a 1aa'
check "first contact: a new person" test "$(child person_id)" = 1
check "first contact: no history" test "$(child previous_cases)" = ""
check "first contact: one contact" test "$(child contacts_12m)" = 1

# the same NHS number with the name spelt another way: the same child
refer 2026-03-01T10:00:00Z A2 'Olivya Grant-Smith' 2014-09-10 \
    --nhs-number '943 476 5870'
check "same NHS number: exit 0" test "$rc" = 0
check "same NHS number: the same person" test "$(child person_id)" = 1
check "same NHS number: the earlier case listed" \
    test "$(child previous_cases)" = 1
check "same NHS number: two contacts" test "$(child contacts_12m)" = 2

# the same name written carelessly, the date day first
refer 2026-06-01T10:00:00Z A3 '  olivia   GRANT ' 10/09/2014
check "same name and date of birth: the same person" \
    test "$(child person_id)" = 1
check "same name and dob: both earlier cases" \
    test "$(child previous_cases)" = 1,2
check "three contacts in twelve months" test "$(child contacts_12m)" = 3

# the screening queue suggests the repeat-referral criterion
run as screener mash-screen -o json
check "queue: exit 0" test "$rc" = 0
check "queue: repeat-referral suggested for the third contact" \
    jqtrue -s 'map(select(.id == 3))[0].suggested_criteria == ["repeat-referral"]' "$out"
check "queue: the count is shown" \
    jqtrue -s 'map(select(.id == 3))[0].contacts_12m == 3' "$out"
check "queue: not suggested for the first" \
    jqtrue -s 'map(select(.id == 1))[0].suggested_criteria == []' "$out"

# thirteen months after the first contact: history, not counted
refer 2027-02-15T10:00:00Z A4 'Olivia Grant' 2014-09-10
check "thirteen months on: history holds all three" \
    test "$(child previous_cases)" = 1,2,3
check "thirteen months on: the first is not counted" \
    test "$(child contacts_12m)" = 3

# a one-letter variant with the same date of birth: a possible match
refer 2026-07-01T10:00:00Z B1 'Olivia Grent' 2014-09-10
check "one-letter variant: a different person" \
    test "$(child person_id)" != 1
check "one-letter variant: listed as a possible match" \
    test "$(child possible_matches)" = 1
check "one-letter variant: no history of its own" \
    test "$(child previous_cases)" = ""
grent=$(jq -r '.id' "$out")

# the same name, another date of birth: another child, not a match
refer 2026-07-01T11:00:00Z B2 'Olivia Grant' 2015-01-01
check "same name, other dob: a different person" \
    test "$(child person_id)" != 1
check "same name, other dob: no possible match" \
    test "$(child possible_matches)" = ""

# the same name and postcode, no date of birth: a possible match
MASH_NOW=2026-07-02T10:00:00Z run mash-refer --source school --ref C1 \
    --concern 'absent' --child 'Olivia Grant' --postcode SW1A1AA
check "same name and postcode: listed as a possible match" \
    test "$(child possible_matches)" = 1

# twins: same family name and dob, other given names: never joined
refer 2026-08-01T10:00:00Z T1 'Amelia Hart' 2018-05-05 \
    --child 'Isabel Hart' --dob 2018-05-05
check "twins: exit 0" test "$rc" = 0
check "twins: two people" jqtrue \
    '.children[0].person_id != .children[1].person_id' "$out"
check "twins: not offered as a match of each other" jqtrue \
    '.children[1].possible_matches == []' "$out"
refer 2026-09-01T10:00:00Z T2 'Isabel Hart' 2018-05-05
check "a twin again: her own history only" test "$(child previous_cases)" = \
    "$(sql "SELECT id FROM cases WHERE reference = 'T1'")"

# a person confirms or dismisses a possible match
run as sw mash-screen "$grent" --same-child "$(sql "SELECT id FROM children WHERE case_id = $grent")=1"
check "--same-child needs screener or head (77)" test "$rc" = 77
kid=$(sql "SELECT id FROM children WHERE case_id = $grent")
run as screener mash-screen "$grent" --same-child "$kid=1" -o json
check "--same-child: exit 0" test "$rc" = 0
check "--same-child: now the same person" test "$(child person_id)" = 1
check "--same-child: the history joins" test "$(child previous_cases)" = 1,2,3
check "--same-child: audited" test "$(sql "SELECT count(*) FROM audit WHERE action = 'same-child' AND case_id = $grent")" = 1

# one case naming one child twice, confirmed the same: the case counts once
refer 2026-07-01T10:00:00Z D1 'Dora Twice' 2019-02-02 \
    --child 'Dora Twyce' --dob 2019-02-02
dcase=$(sql "SELECT id FROM cases WHERE reference = 'D1'")
dp=$(jq -r '.children[0].person_id' "$out")
dk2=$(jq -r '.children[1].id' "$out")
check "a close name in the same case is a possible match" \
    test "$(jq -r '.children[1].possible_matches | join(",")' "$out")" = "$dp"
run as screener mash-screen "$dcase" --same-child "$dk2=$dp" -o json
check "confirmed: both children of the case are one person" \
    test "$(jq -r '[.children[].person_id] | unique | length' "$out")" = 1
refer 2026-08-01T10:00:00Z D2 'Dora Twice' 2019-02-02
check "the next contact lists that case once" \
    test "$(child previous_cases)" = "$dcase"
check "and counts it once: two contacts" test "$(child contacts_12m)" = 2

# NHS numbers that disagree are never one child, nor a possible match,
# even through a child of the same person who has no number (mash(7))
refer 2026-09-01T10:00:00Z N1 'Cara Lee' 2015-07-07 --nhs-number 9434765919
np1=$(child person_id)
refer 2026-09-02T10:00:00Z N2 'Cara Lee' 2015-07-07
check "no NHS number: the same person as the first" \
    test "$(child person_id)" = "$np1"
refer 2026-09-03T10:00:00Z N3 'Cara Lee' 2015-07-07 --nhs-number 4010232137
np3=$(child person_id)
n3kid=$(jq -r '.children[0].id' "$out")
check "another NHS number: another person, not joined through N2" \
    test "$np3" != "$np1"
check "another NHS number: not offered as a possible match" \
    test "$(child possible_matches)" = ""
refer 2026-09-04T10:00:00Z N4 'Cara Lea' 2015-07-07
np4=$(child person_id)
check "a close name without a number: a possible match of both" \
    test "$(child possible_matches)" = "$np1,$np3"
n3case=$(sql "SELECT id FROM cases WHERE reference = 'N3'")
expect 65 "confirming children of different NHS numbers the same: 65" \
    as screener mash-screen "$n3case" --same-child "$n3kid=$np1"
check "the refusal says why, without the numbers" \
    has "have different NHS numbers: they are not the same child" "$err" &&
    hasnt 9434765919 "$err" && hasnt 4010232137 "$err"
check "and the child is still its own person" \
    test "$(sql "SELECT person_id FROM children WHERE id = $n3kid")" = "$np3"

# the name and date of birth of two persons the numbers keep apart: a
# child without a number is neither, but a possible match of both, and
# the next such contact joins that child
refer 2026-09-05T10:00:00Z N5 'Cara Lee' 2015-07-07
np5=$(child person_id)
check "between two numbered persons: a new person" \
    test -n "$np5" && test "$np5" != "$np1" && test "$np5" != "$np3"
check "between two numbered persons: a possible match of each" \
    test "$(child possible_matches)" = "$np1,$np3,$np4"
refer 2026-09-06T10:00:00Z N6 'Cara Lee' 2015-07-07
check "the next contact without a number: the person with none" \
    test "$(child person_id)" = "$np5"
check "with that contact's case as its history" \
    test "$(child previous_cases)" = \
    "$(sql "SELECT id FROM cases WHERE reference = 'N5'")"

# a numbered child whose namesakes carry other numbers joins no one,
# not even the contacts that could not be told apart
refer 2026-09-07T10:00:00Z N7 'Cara Lee' 2015-07-07 --nhs-number 6426212997
check "a third number among namesakes: a new person" \
    test "$(child person_id)" != "$np5" && test "$(child person_id)" != "$np1" &&
    test "$(child person_id)" != "$np3"
check "a possible match of those without a number only" \
    test "$(child possible_matches)" = "$np4,$np5"

# a child that gives a person its first number withdraws the matches
# that number rules out
refer 2026-09-08T10:00:00Z E1 'Eli Fox' 2011-11-11
npe=$(child person_id)
refer 2026-09-08T11:00:00Z E2 'Eli Foxe' 2011-11-11 --nhs-number 3832364056
e2case=$(sql "SELECT id FROM cases WHERE reference = 'E2'")
check "a numbered close name: a possible match of the person without" \
    test "$(child possible_matches)" = "$npe"
refer 2026-09-08T12:00:00Z E3 'Eli Fox' 2011-11-11 --nhs-number 4061358952
check "the same name with a number: the person without one" \
    test "$(child person_id)" = "$npe"
check "whose match with the other number is withdrawn" test "$(sql \
    "SELECT count(*) FROM possible_matches p JOIN children c ON
    c.id = p.child_id WHERE c.case_id = $e2case AND p.status = 'open'")" = 0

# a store holding one person of two numbers, as an earlier version
# could make: mash-admin check fails on it
sql "UPDATE children SET person_id = $np1 WHERE id = $n3kid"
expect 1 "mash-admin check: a person of two NHS numbers is found (1)" \
    mash-admin check -o json
check "the nhs-numbers check fails, counting one person" jqtrue -s \
    'map(select(.check == "nhs-numbers" and .status == "fail" and
    (.detail | startswith("1 person ")))) | length == 1' "$out"
sql "UPDATE children SET person_id = $np3 WHERE id = $n3kid"
run mash-admin check -o json
check "the store put right: the nhs-numbers check passes" jqtrue -s \
    'map(select(.check == "nhs-numbers" and .status == "ok")) |
    length == 1' "$out"

# a merge that gives a person a number withdraws the matches it rules out
refer 2026-09-10T10:00:00Z M1 'Dan Roe' 2012-12-12 --nhs-number 9434765919
mpa=$(child person_id)
refer 2026-09-10T11:00:00Z M2 'Dan Rowe' 2012-12-12
mpb=$(child person_id)
m2kid=$(jq -r '.children[0].id' "$out")
refer 2026-09-10T12:00:00Z M3 'Dan Row' 2012-12-12 --nhs-number 4010232137
m3case=$(sql "SELECT id FROM cases WHERE reference = 'M3'")
check "a numbered child: a possible match of the person without one" \
    test "$(child possible_matches)" = "$mpb"
run as screener mash-screen \
    "$(sql "SELECT id FROM cases WHERE reference = 'M2'")" \
    --same-child "$m2kid=$mpa"
check "that person confirmed as one with another number: exit 0" \
    test "$rc" = 0
check "the match it rules out is no longer offered" test "$(sql \
    "SELECT count(*) FROM possible_matches p JOIN children c ON
    c.id = p.child_id WHERE c.case_id = $m3case AND p.status = 'open'")" = 0

ckid=$(sql "SELECT c.id FROM children c JOIN cases k ON k.id = c.case_id WHERE k.reference = 'C1'")
ccase=$(sql "SELECT id FROM cases WHERE reference = 'C1'")
run as head mash-screen "$ccase" --not-same "$ckid=1" -o json
check "--not-same: exit 0" test "$rc" = 0
check "--not-same: the match is dismissed" test "$(child possible_matches)" = ""
check "--not-same: audited" test "$(sql "SELECT count(*) FROM audit WHERE action = 'not-same'")" = 1

# a case's children in the order of their ids, though the second is a
# person known before the first: shown as given, in each view of it
refer 2026-10-01T09:00:00Z K1 'Kit Ives' 2015-05-05
refer 2026-10-02T09:00:00Z K2 'Ned Ives' 2017-07-07 --child 'Kit Ives' \
    --dob 2015-05-05
k2=$(jq -r .id "$out")
check "children as given: the new child first, the known one second" \
    test "$(jq -r '[.children[] | .given_name] | join(",")' "$out")" = \
    "Ned,Kit"
run as head mash-record "$k2" -o json
check "and so when the case is shown" \
    test "$(jq -r '[.children[] | .given_name] | join(",")' "$out")" = \
    "Ned,Kit"
run as screener mash-screen -o json
check "and in the screening queue" test "$(jq -r "select(.id == $k2) |
    [.children[] | .given_name] | join(\",\")" "$out")" = "Ned,Kit"

# year_edge DESC WHY REF NAME DOB AT LATER: contacts about a child at AT
# and a second after it, then at LATER, a year after AT: both earlier
# cases are its history, and only the second is within twelve months
year_edge() {
	refer "$6" "${3}1" "$4" "$5"
	_first=$(jq -r .id "$out")
	refer "$(date -u -d "$6 + 1 second" +%Y-%m-%dT%H:%M:%SZ)" "${3}2" \
	    "$4" "$5"
	_second=$(jq -r .id "$out")
	refer "$7" "${3}3" "$4" "$5"
	check "$1: both earlier cases in the history" \
	    test "$(child previous_cases)" = "$_first,$_second"
	check "$1: $2" test "$(child contacts_12m)" = 2
}
# twelve months to the second (mash(7)): a contact received at the same
# instant a year before is history, one a second later is counted
year_edge "a year to the second" "the one at that instant not counted" \
    Z 'Zeb Vale' 2013-04-04 2026-04-04T09:00:00Z 2027-04-04T09:00:00Z
# and from 29 February, the year before starts on 1 March
year_edge "29 February" "the year before starts at 1 March, to the second" \
    Y 'Yara Vale' 2013-03-03 2027-03-01T09:00:00Z 2028-02-29T09:00:00Z

done_testing
