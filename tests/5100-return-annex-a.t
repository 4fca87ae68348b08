#!/bin/sh
# mash-return annex-a: Ofsted's lists 1 and 3, read back as CSV and held
# to the headers and labels of mash-return(1) word for word; ages on a
# birthday and for a 29 February birthday; the twelve-month count of
# referrals on a crafted history; a period's edges in local time; the
# formula guard; roles, settings, usage and the audit
. "$(dirname "$0")/lib.sh"
plan 48

bail() { echo "Bail out! cannot set up the store: $*"; exit 1; }
new_store >/dev/null || bail store

# step WHEN USER PROGRAM ARGS...: one act of the workflow, at a time
step() {
	_w=$1 _u=$2
	shift 2
	MASH_NOW=$_w MASH_USER=$_u "$@" -o json >"$T/step" 2>&1 ||
	    { cat "$T/step"; bail "$*"; }
}
last() { jq -r '.id' "$T/step" | tail -1; }

# rows FILE COLUMN: a column of a CSV file as python reads it; "-" for
# the whole rows, fields joined with '|' 
rows() {
	python3 - "$1" "$2" <<'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    r = list(csv.reader(f))
col = r[0].index(sys.argv[2]) if sys.argv[2] != '-' else None
for row in r[1:]:
    print(row[col] if col is not None else '|'.join(row))
PY
}

# --- every label: one contact from each source ---------------------------
# in January 2026 (GMT); genders and ethnicities go round their lists
set -- 1A 1B 1C 1D 2A 2B 3A 3B 3C 3D 3E 3F 4 5A 5B 5C 5D 6 7 8 9 10
eths="WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB
BAFR BOTH CHNE OOTH REFU NOBT"
i=0
for src; do
	eth=$(echo $eths | cut -d' ' -f$((i % 20 + 1)))
	g=$(echo male female unknown other | cut -d' ' -f$((i % 4 + 1)))
	step "2026-01-$(printf %02d $((i + 2)))T10:00:00Z" admin mash-refer \
	    --source "$src" --concern c --child "Kid Number$i" \
	    --dob 2015-06-15 --gender "$g" --ethnicity "$eth"
	i=$((i + 1))
done
# a child with no date of birth
step 2026-01-31T10:00:00Z admin mash-refer --source police --concern c \
    --child 'Nodob Child'

expect 0 "list 1 of January: 0" as head mash-return annex-a --list 1 \
    --from 2026-01-01 --to 2026-01-31
cp "$out" "$T/l1.csv"
check "it is CSV with CRLF line ends, every row the same width" \
    csv_ok "$T/l1.csv"
printf '%s\r\n' 'Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Date of Contact,Contact Source' >"$T/h1"
head -1 "$T/l1.csv" >"$T/got"
check_same "the header of list 1 is Ofsted's, word for word" "$T/h1" "$T/got"
check "23 contacts" [ "$(rows "$T/l1.csv" -| wc -l)" = 23 ]
cat >"$T/want" <<'EOF'
a) 1A: Individual
b) 1B: Individual
c) 1C: Individual
d) 1D: Individual
e) 2A: Schools
f) 2B: Education services
g) 3A: Health services
h) 3B: Health services
i) 3C: Health services
j) 3D: Health services
k) 3E: Health services
l) 3F: Health services
m) 4: Housing
n) 5A: LA services
o) 5B: LA services
p) 5C: LA services
p1) 5D: LA services
q) 6: Police
r) 7: Other legal agency
s) 8: Other
t) 9: Anonymous
u) 10: Unknown
q) 6: Police
EOF
rows "$T/l1.csv" 'Contact Source' >"$T/got"
check_same "every source's label, in date order" "$T/want" "$T/got"
for e in 'a) WBRI' 'b) WIRI' 'c) WIRT' 'd) WOTH' 'e) WROM' 'f) MWBC' 'g) MWBA' \
    'h) MWAS' 'i) MOTH' 'j) AIND' 'k) APKN' 'l) ABAN' 'm) AOTH' 'n) BCRB' \
    'o) BAFR' 'p) BOTH' 'q) CHNE' 'r) OOTH' 's) REFU' 't) NOBT'; do
	echo "$e"
done >"$T/want"
rows "$T/l1.csv" Ethnicity | head -20 >"$T/got"
check_same "every ethnicity's label" "$T/want" "$T/got"
rows "$T/l1.csv" Gender | head -4 >"$T/got"
printf '%s\n' 'a) Male' 'b) Female' 'c) Not stated/recorded' 'd) Neither' \
    >"$T/want"
check_same "every gender's label" "$T/want" "$T/got"
check "the child without a date of birth: no date, no age" \
    [ "$(rows "$T/l1.csv" - | tail -1 | cut -d'|' -f4,5)" = '|' ]
check "dates are DD/MM/YYYY" \
    [ "$(rows "$T/l1.csv" - | head -1 | cut -d'|' -f4,6)" = \
    '15/06/2015|02/01/2026' ]
check "Child Unique ID is the person id" \
    [ "$(rows "$T/l1.csv" 'Child Unique ID' | tail -1)" = \
    "$(sql "SELECT person_id FROM children WHERE family_name = 'Child'")" ]

# --- ages: a birthday, and 29 February ---------------------------------------
step 2026-02-10T10:00:00Z admin mash-refer --source school --concern c \
    --child 'Bea Birthday' --dob 2016-02-10
step 2026-02-28T10:00:00Z admin mash-refer --source school --concern c \
    --child 'Lee Leap' --dob 2016-02-29
step 2026-03-01T10:00:00Z admin mash-refer --source school --concern c \
    --child 'Lee Leap' --dob 2016-02-29
step 2026-03-01T10:00:00Z admin mash-refer --source school --concern c \
    --child 'Una Unborn' --expected-dob 2026-06-01
expect 0 "list 1 of February and March" as head mash-return annex-a \
    --list 1 --from 01/02/2026 --to 2026-03-31
cp "$out" "$T/l1b.csv"
rows "$T/l1b.csv" - | cut -d'|' -f4,5,6 >"$T/got"
printf '%s\n' '10/02/2016|10|10/02/2026' '29/02/2016|9|28/02/2026' \
    '29/02/2016|10|01/03/2026' '||01/03/2026' >"$T/want"
check_same "10 on the 10th birthday; 9 on 28 February and 10 on 1 March for a 29 February birthday; an unborn child has neither" \
    "$T/want" "$T/got"
check "the leap-day child is one person, one id on both rows" \
    [ "$(rows "$T/l1b.csv" 'Child Unique ID' | sed -n '2p;3p' | uniq |
    wc -l)" = 1 ]

# --- a period's edges, in local time -----------------------------------------
# 30 June is British Summer Time: 23:30 local is 22:30 UTC; 00:30 on
# 1 July local is 23:30 UTC on 30 June
step 2026-07-02T10:00:00Z admin mash-refer --source police --concern c \
    --child 'Late Evening' --received-at '30/06/2026 23:30'
step 2026-07-02T10:00:00Z admin mash-refer --source police --concern c \
    --child 'Early Morning' --received-at '01/07/2026 00:30'
step 2026-07-02T10:00:00Z admin mash-refer --source police --concern c \
    --child 'First Day' --received-at '01/06/2026 00:00'
expect 0 "list 1 of June" as head mash-return annex-a --list 1 \
    --from 2026-06-01 --to 2026-06-30
rows "$out" 'Date of Contact' >"$T/got"
printf '%s\n' 01/06/2026 30/06/2026 >"$T/want"
check_same "a contact at 23:30 local on the last day is in; 00:30 on the next day is not; midnight of the first is in" \
    "$T/want" "$T/got"

# --- list 3: the twelve-month count, NFA, team and worker --------------------
as admin mash-admin user set sw --name '=Sam Worker' >/dev/null
as admin mash-admin config return.referral-outcomes cpat,nfa >/dev/null
as admin mash-admin config hub.team 'Front Door' >/dev/null
# Rory's referrals: decided 15 Jan 2025 (13 months before the last),
# 1 Sep 2025, 15 Feb 2026; an NFA referral of Nia on 20 Feb 2026
for d in 2025-01-10 2025-08-28 2026-02-12; do
	step "${d}T09:00:00Z" admin mash-refer --source police --concern c \
	    --child 'Rory Repeat' --dob 2012-05-05 --gender male
done
r1=$(sql "SELECT min(case_id) FROM children WHERE family_name = 'Repeat'")
step 2025-01-15T10:00:00Z head mash-screen "$r1" --decline --outcome cpat \
    --reason r
step 2025-09-01T10:00:00Z head mash-screen $((r1 + 1)) --decline \
    --outcome cpat --reason r
step 2026-02-15T09:00:00Z head mash-screen $((r1 + 2)) --accept --assign sw \
    --rag amber
step 2026-02-15T10:00:00Z sw mash-record $((r1 + 2)) --summary s \
    --recommend cpat
step 2026-02-15T11:00:00Z head mash-decide $((r1 + 2)) --outcome cpat \
    --need N1 --reason r
step 2026-02-19T09:00:00Z admin mash-refer --source school --concern c \
    --child 'Nia Nfa' --dob 2010-02-20 --gender female --ethnicity BAFR
step 2026-02-20T10:00:00Z head mash-screen "$(last)" --decline --outcome nfa \
    --reason r
# a case declined to early-help is no referral
step 2026-02-19T09:00:00Z admin mash-refer --source school --concern c \
    --child 'Eve Early' --dob 2010-02-20
step 2026-02-20T10:00:00Z head mash-screen "$(last)" --decline \
    --outcome early-help --reason r

MASH_NOW=2026-03-10T12:00:00Z
export MASH_NOW
expect 0 "list 3 from January 2025: 0" as head mash-return annex-a --list 3 \
    --from 2025-01-01 --to 2026-03-31
cp "$out" "$T/l3.csv"
check "it is CSV with CRLF line ends" csv_ok "$T/l3.csv"
printf '%s\r\n' 'Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Date of Referral,Referral Source,Referral NFA?,Number of Referrals in Last 12 Months,Allocated Team,Allocated Worker' >"$T/h3"
head -1 "$T/l3.csv" >"$T/got"
check_same "the header of list 3 is Ofsted's, word for word" "$T/h3" "$T/got"
rows "$T/l3.csv" - | cut -d'|' -f5- >"$T/got"
cat >"$T/want" <<'EOF'
12|15/01/2025|q) 6: Police|b) No|0|Front Door|
13|01/09/2025|q) 6: Police|b) No|1|Front Door|
13|15/02/2026|q) 6: Police|b) No|1|Front Door|'=Sam Worker
16|20/02/2026|e) 2A: Schools|a) Yes|0|Front Door|
EOF
check_same "referrals by decision date; one earlier referral counted, not the one 13 months back; NFA a) Yes; the team; the worker's name, guarded" \
    "$T/want" "$T/got"
check "the early-help decline is not a referral" hasnt 'Early' "$T/l3.csv"
expect 0 "--raw leaves the name as it is" as head mash-return --raw \
    annex-a --list 3 --from 2026-02-15 --to 2026-02-15
check "... =Sam Worker" [ "$(rows "$out" 'Allocated Worker')" = '=Sam Worker' ]
expect 0 "an empty list: 0" as head mash-return annex-a --list 3 \
    --from 2020-01-01 --to 2020-01-31
check_same "... still has its header row" "$T/h3" "$out"
expect 0 "the default period, the six months to today: 0" \
    as head mash-return annex-a --list 3
check "... holds the referrals of February, not those of 2025" \
    [ "$(rows "$out" 'Date of Referral' | tr '\n' ' ')" = \
    '15/02/2026 20/02/2026 ' ]
expect 0 "an admin may run it" as admin mash-return annex-a --list 1

# --- the audit -----------------------------------------------------------------
n=$(sql "SELECT count(*) FROM audit WHERE action = 'statutory-return'")
check "every run is audited as statutory-return (8 so far)" [ "$n" = 8 ]
check "details: which list, period, rows and the cases shown; no names" \
    [ "$(sql "SELECT json_extract(details, '$.list') || ' ' ||
    json_extract(details, '$.from') || ' ' || json_extract(details,
    '$.rows') || ' ' || json_array_length(details, '$.cases')
    FROM audit WHERE action = 'statutory-return' ORDER BY id LIMIT 1")" = \
    'annex-a-1 2026-01-01 23 23' ]
check "no child's name in any return's details" [ "$(sql "SELECT count(*)
    FROM audit WHERE action = 'statutory-return' AND (details LIKE '%Kid%'
    OR details LIKE '%Repeat%' OR details LIKE '%2015%')")" = 0 ]
p=$(sql "SELECT person_id FROM children WHERE family_name = 'Repeat' LIMIT 1")
expect 0 "mash-audit --person P --access" as admin mash-audit -o json \
    --person "$p" --access
check "... finds the list 3 runs that showed Rory" \
    [ "$(jq -r 'select(.how == "annex-a-3") | .actor' "$out" | sort -u)" = \
    head ]

# --- refusals ------------------------------------------------------------------
expect 77 "a social worker may not: 77" as sw mash-return annex-a --list 1
check "... naming the role needed" has "head\|admin" "$err"
expect 77 "nor a screener" as screener mash-return annex-a --list 1
expect 64 "--list 2: 64" as head mash-return annex-a --list 2
expect 64 "no --list: 64" as head mash-return annex-a
expect 64 "no command: 64" as head mash-return
expect 64 "-o json: a return has its own format" as head mash-return \
    -o json annex-a --list 1
expect 64 "--from after --to: 64" as head mash-return annex-a --list 1 \
    --from 2026-02-01 --to 2026-01-01
expect 64 "--year with annex-a: 64" as head mash-return annex-a --list 1 \
    --year 2026
before=$(sql "SELECT count(*) FROM audit")
expect 64 "a date that is not: 64" as head mash-return annex-a --list 1 \
    --from 31/02/2026
check "refusals write nothing" [ "$(sql "SELECT count(*) FROM audit")" = \
    "$before" ]

# --- the settings ----------------------------------------------------------------
expect 78 "hub.la-code of two digits: 78" as admin mash-admin config \
    hub.la-code 12
expect 78 "hub.la-code with a letter: 78" as admin mash-admin config \
    hub.la-code 12a
expect 78 "an unknown outcome in return.referral-outcomes: 78" \
    as admin mash-admin config return.referral-outcomes cpat,bogus
expect 0 "hub.la-code 123: 0" as admin mash-admin config hub.la-code 123
check "the settings show with their defaults" [ "$(as admin mash-admin \
    config -o json | jq -r 'select(.key | test("^(hub.la-code|hub.team|return)"))
    | .key + "=" + .default' | tr '\n' ' ')" = \
    'hub.la-code= hub.team=MASH return.referral-outcomes=cpat return.nfa-outcomes=nfa ' ]
