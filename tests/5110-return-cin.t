#!/bin/sh
# mash-return cin: the census XML of a realistic store (several sources,
# an unborn child, children with and without a UPN, an NFA referral,
# siblings) validated by xmllint against the DfE's 2026 schema; each
# refusal of mash-return(1) refused, not written, then mended; the
# census year's local edges; the audit; and the EXAMPLES of the page
. "$(dirname "$0")/lib.sh"
plan 50

XSD=$MASH_SRC/../shared/data/CIN_schema_2026.xsd
bail() { echo "Bail out! cannot set up the store: $*"; exit 1; }
[ -r "$XSD" ] || bail "no schema at $XSD"
new_store >/dev/null || bail store

step() {
	_w=$1 _u=$2
	shift 2
	MASH_NOW=$_w MASH_USER=$_u "$@" -o json >"$T/step" 2>&1 ||
	    { cat "$T/step"; bail "$*"; }
}
last() { jq -r '.id' "$T/step" | tail -1; }
# refer WHEN ARGS...: a contact; decide WHEN CASE ARGS...: its outcome
refer() { _w=$1; shift; step "$_w" admin mash-refer --concern c "$@"; }
decide() {
	_w=$1 _c=$2
	shift 2
	step "$_w" head mash-screen "$_c" --accept --assign sw --rag amber
	step "$_w" sw mash-record "$_c" --summary s --recommend cpat
	step "$_w" head mash-decide "$_c" --reason r "$@"
}
valid() { xmllint --noout --schema "$XSD" "$1" >"$T/lint" 2>&1; }
x() { xmllint --xpath "$1" "$T/cin.xml" 2>/dev/null; }

as admin mash-admin config return.referral-outcomes cpat,nfa >/dev/null
# siblings from the police, Ava with a UPN, both with disabilities known
refer 2025-05-06T09:00:00Z --source police --ref P/1 \
    --child 'Ava Moss' --dob 2016-03-02 --gender female --ethnicity WBRI \
    --upn B801200005001 --disability MOB,HAND \
    --child 'Leo Moss' --dob 2019-11-20 --gender male --ethnicity WBRI
s1=$(last)
decide 2025-05-06T12:00:00Z "$s1" --outcome cpat --need N1
# an unborn child, from the midwife
refer 2025-09-01T09:00:00Z --source health-visitor --child 'Baby Reed' \
    --expected-dob 2026-01-20
u1=$(last)
decide 2025-09-01T12:00:00Z "$u1" --outcome cpat --need N4
# a school's contact that ends in no further action
refer 2025-11-03T09:00:00Z --source school --child 'Kai Nfa' \
    --dob 2012-07-07 --gender other --ethnicity AIND
n1=$(last)
step 2025-11-03T12:00:00Z head mash-screen "$n1" --decline --outcome nfa \
    --reason r
# Ava again, from the family, in the new year: a second referral
refer 2026-02-02T09:00:00Z --source family --child 'Ava Moss' \
    --dob 2016-03-02
a2=$(last)
decide 2026-02-02T12:00:00Z "$a2" --outcome cpat --need N5
# edges: decided 23:30 on 31 March BST (in), 00:30 on 1 April (out)
refer 2026-03-31T09:00:00Z --source anonymous --child 'Ola Edge' \
    --dob 2014-01-01
e1=$(last)
decide 2026-03-31T22:30:00Z "$e1" --outcome cpat --need N0
refer 2026-03-31T09:00:00Z --source anonymous --child 'Pat After' \
    --dob 2014-01-01
e2=$(last)
decide 2026-03-31T23:30:00Z "$e2" --outcome cpat --need N0
# a case closed early-help, and one still open: neither is a referral
refer 2025-06-01T09:00:00Z --source gp --child 'Eve Early' --dob 2011-01-01
step 2025-06-01T12:00:00Z head mash-screen "$(last)" --decline \
    --outcome early-help --reason r
refer 2025-06-01T09:00:00Z --source gp --child 'Oscar Open' --dob 2011-01-01

MASH_NOW=2026-04-10T09:00:00Z
export MASH_NOW
expect 78 "without hub.la-code: 78" as head mash-return cin --year 2026
check "... saying how to set it" has "mash-admin config hub.la-code" "$err"
check "... and nothing written" [ ! -s "$out" ]
as admin mash-admin config hub.la-code 382 >/dev/null

expect 0 "the census of 2025-26: 0" as head mash-return cin --year 2026
cp "$out" "$T/cin.xml"
check "xmllint validates it against the DfE 2026 schema" valid "$T/cin.xml"
[ "$rc" = 0 ] || sed 's/^/# /' "$T/lint"
check "the header: CIN, 2026, 2026-03-31, L, 382, mash" \
    [ "$(x 'concat(//Collection,"|",//Year,"|",//ReferenceDate,"|",//SourceLevel,"|",//LEA,"|",//SoftwareCode)')" = \
    'CIN|2026|2026-03-31|L|382|mash' ]
check "the serial number is the id of the run's audit event" \
    [ "$(x 'string(//SerialNo)')" = "$(printf %03d "$(sql "SELECT max(id)
    FROM audit WHERE action = 'statutory-return'")")" ]
pid() { sql "SELECT person_id FROM children WHERE given_name = '$1' LIMIT 1"; }
check "one Child per person: Ava, Leo, Baby, Kai, Ola" \
    [ "$(x 'count(//Child)')" = 5 ]
check "LAchildIDs are person ids, in order" \
    [ "$(x '//LAchildID/text()' | tr '\n' ' ')" = \
    "$(pid Ava) $(pid Leo) $(pid Baby) $(pid Kai) $(pid Ola) " ]
ava="//Child[ChildIdentifiers/LAchildID='$(pid Ava)']"
check "Ava: her UPN, born 2016-03-02, F, WBRI, MOB and HAND" \
    [ "$(x "concat($ava//UPN,'|',$ava//PersonBirthDate,'|',$ava//Sex,'|',$ava//Ethnicity,'|',$ava//Disability[1],'|',$ava//Disability[2])")" = \
    'B801200005001|2016-03-02|F|WBRI|MOB|HAND' ]
check "Ava: two referrals, police N1 then family N5, not NFA" \
    [ "$(x "$ava//CINdetails" | tr -d ' \n')" = \
    '<CINdetails><CINreferralDate>2025-05-06</CINreferralDate><ReferralSource>6</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>0</ReferralNFA></CINdetails><CINdetails><CINreferralDate>2026-02-02</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N5</PrimaryNeedCode><ReferralNFA>0</ReferralNFA></CINdetails>' ]
leo="//Child[ChildIdentifiers/LAchildID='$(pid Leo)']"
check "Leo: no UPN, M, Disabilities NONE" \
    [ "$(x "concat(count($leo//UPN),'|',$leo//Sex,'|',$leo//Disability)")" = \
    '0|M|NONE' ]
baby="//Child[ChildIdentifiers/LAchildID='$(pid Baby)']"
check "the unborn child: an expected date, no date of birth, U, NOBT" \
    [ "$(x "concat($baby//ExpectedPersonBirthDate,'|',count($baby//PersonBirthDate),'|',$baby//Sex,'|',$baby//Ethnicity,'|',$baby//ReferralSource)")" = \
    '2026-01-20|0|U|NOBT|3B' ]
kai="//Child[ChildIdentifiers/LAchildID='$(pid Kai)']"
check "the NFA referral: no need, closed that day, RC8, ReferralNFA 1" \
    [ "$(x "$kai//CINdetails" | tr -d ' \n')" = \
    '<CINdetails><CINreferralDate>2025-11-03</CINreferralDate><ReferralSource>2A</ReferralSource><CINclosureDate>2025-11-03</CINclosureDate><ReasonForClosure>RC8</ReasonForClosure><ReferralNFA>1</ReferralNFA></CINdetails>' ]
check "decided 23:30 BST on 31 March is in the year; 00:30 on 1 April is not" \
    [ "$(x 'count(//Child[ChildIdentifiers/LAchildID='"$(pid Pat)"'])')|$(x "string(//Child[ChildIdentifiers/LAchildID='$(pid Ola)']//CINreferralDate)")" = \
    '0|2026-03-31' ]
check "neither the early-help case nor the open one is in it" \
    [ "$(x "count(//LAchildID[.='$(pid Eve)' or .='$(pid Oscar)'])")" = 0 ]
check "the year before: none of them" [ "$(x "count(//CINreferralDate[. < '2025-04-01'])")" = 0 ]

# --- the audit ---------------------------------------------------------------
check "the run is one statutory-return event: cin, the year, the counts" \
    [ "$(sql "SELECT json_extract(details, '$.list') || ' ' ||
    json_extract(details, '$.year') || ' ' || json_extract(details,
    '$.children') || ' ' || json_extract(details, '$.referrals') || ' ' ||
    json_array_length(details, '$.cases') FROM audit
    WHERE action = 'statutory-return'")" = 'cin 2026 5 6 5' ]
expect 0 "mash-audit --person P --access finds it" as admin mash-audit \
    -o json --person "$(pid Baby)" --access
check "... as cin, by the Head" \
    [ "$(jq -r 'select(.how == "cin") | .actor' "$out")" = head ]

# --- refusals, each mended ------------------------------------------------------
# a case declined to cpat has no primary need (rule 8610)
refer 2026-01-05T09:00:00Z --source police --child 'Ned Noneed' \
    --dob 2013-03-03
nn=$(last)
step 2026-01-05T12:00:00Z head mash-screen "$nn" --decline --outcome cpat \
    --reason r
nnc=$(sql "SELECT id FROM children WHERE case_id = $nn")
before=$(sql "SELECT count(*) FROM audit")
expect 65 "a referral with no primary need is refused: 65" \
    as head mash-return cin --year 2026
check "... nothing written" [ ! -s "$out" ]
check "... naming the case, the child and the rule" \
    has "case $nn child $nnc (person $(pid Ned)): .*rule 8610" "$err"
check "... and how to mend it" has "mash-decide CASE --need" "$err"
check "... no child's name in the message" hasnt 'Ned\|Noneed' "$err"
check "... and no audit event" [ "$(sql "SELECT count(*) FROM audit")" = \
    "$before" ]
refer 2026-01-05T09:00:00Z --source police --child 'Rec Orded' \
    --dob 2013-03-03
rd=$(last)
step 2026-01-05T10:00:00Z head mash-screen "$rd" --accept --assign sw \
    --rag amber
step 2026-01-05T11:00:00Z sw mash-record "$rd" --summary s --recommend cpat
expect 64 "a cpat decision without --need: 64" as head mash-decide "$rd" \
    --outcome cpat --reason r
check "... saying what to give" has "give its primary need with --need" \
    "$err"
expect 64 "--need with nfa: 64" as head mash-decide "$rd" --outcome nfa \
    --need N1 --reason r
check "the case is still recorded" [ "$(sql "SELECT state FROM cases
    WHERE id = $rd")" = recorded ]
expect 65 "--need N10: 65" as head mash-decide "$nn" --need N10
expect 77 "a social worker may not give it: 77" as sw mash-decide "$nn" \
    --need N1
expect 0 "the Head gives the need late: mash-decide CASE --need N2" \
    as head mash-decide -o json "$nn" --need N2
check "... the case stays closed, with need_code N2" \
    [ "$(jq -r '.state + " " + .need_code' "$out")" = 'closed N2' ]
check "... audited as need" [ "$(sql "SELECT details FROM audit
    WHERE action = 'need' AND case_id = $nn")" = '{"need_code":"N2"}' ]

# a child with neither a date of birth nor an expected date (8525Q)
refer 2026-01-06T09:00:00Z --source police --child 'Zed Nodate'
nd=$(last)
decide 2026-01-06T12:00:00Z "$nd" --outcome cpat --need N1
expect 65 "a child with no date of birth and no expected date: 65" \
    as head mash-return cin --year 2026
check "... nothing written" [ ! -s "$out" ]
check "... naming the case, the child and rule 8525Q" \
    has "case $nd child .*(person $(pid Zed)): .*8525Q" "$err"
# mended: a later contact gives the date, and the Head confirms the match
refer 2026-04-02T09:00:00Z --source police --child 'Zed Nodate' \
    --dob 2015-05-05
later=$(last)
lc=$(sql "SELECT id FROM children WHERE case_id = $later")
step 2026-04-02T10:00:00Z head mash-screen "$later" \
    --same-child "$lc=$(pid Zed)"
expect 0 "once mended, the census is written" as head mash-return cin \
    --year 2026
cp "$out" "$T/cin.xml"
check "... and validates" valid "$T/cin.xml"
check "... with Zed's date of birth from the later contact" \
    [ "$(x "string(//Child[ChildIdentifiers/LAchildID='$(pid Zed)']//PersonBirthDate)")" = \
    2015-05-05 ]

expect 65 "a year with no referral: 65" as head mash-return cin --year 2020
check "... says the census needs a child" has 'no referral' "$err"
expect 77 "a screener may not: 77" as screener mash-return cin --year 2026
expect 64 "--year 26: 64" as head mash-return cin --year 26
expect 64 "--list with cin: 64" as head mash-return cin --year 2026 --list 1

# --- the EXAMPLES of mash-return(1), as written ---------------------------------
man_examples "$MASH_SRC/man/mash-return.1" "$T/ex"
mkdir "$T/work"
cp "$XSD" "$T/work/"
MASH_USER=head examples_run "$T/ex" "$T/work"
check "three examples of annex-a and cin, and the xmllint" \
    [ "$(ls "$T"/ex.[0-9][0-9] | wc -l)" = 4 ]
check "every example exits 0" [ "$(cat "$T"/ex.[0-9][0-9].rc | tr -d '\n')" = \
    0000 ]
check "they wrote list1.csv and list3.csv, each with its header" \
    [ "$(head -qn1 "$T/work/list1.csv" "$T/work/list3.csv" | cut -c1-16 |
    tr -d '\r' | tr '\n' ' ')" = 'Child Unique ID, Child Unique ID, ' ]
check "and a census that xmllint passed" has 'validates' "$T/ex.04.err"
