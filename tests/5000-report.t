#!/bin/sh
# mash-report: every figure of a crafted store, each worked out by hand
# and written here as the expected value; the edge cases of
# mash-report(1) (a case received on a period's last evening and decided
# in the next, a red case decided exactly at its deadline, a declined
# case, cases still open); the formats, roles, audit, and --plot
. "$(dirname "$0")/lib.sh"
plan 113

bail() { echo "Bail out! cannot set up the store: $*"; exit 1; }
new_store >/dev/null || bail store

# step WHEN USER PROGRAM ARGS...: one act of the workflow, at a time
step() {
	_w=$1 _u=$2
	shift 2
	MASH_NOW=$_w MASH_USER=$_u "$@" -o json >"$T/step" 2>&1 ||
	    { cat "$T/step"; bail "$*"; }
}

# January and February 2026 are GMT: local time is UTC here.
#
# case 1 (A), police, Ava and Leo Moss: received Mon 12 Jan 10:00;
# screening due Tue 13 Jan 17:00; accepted red at 11:00, so its
# decision is due at 15:00 and it is decided cpat at 15:00:00 exactly.
# Requests: police (due 13:30) answered 13:00, csc "none held" 12:00.
step 2026-01-12T10:00:00Z admin mash-refer --source police --ref R/1 \
    --concern 'test' --consent given \
    --child 'Ava Moss' --dob 2016-03-02 --child 'Leo Moss' --dob 2019-11-20
step 2026-01-12T11:00:00Z head mash-screen 1 --accept --assign sw --rag red
step 2026-01-12T11:30:00Z sw mash-request 1 police csc
step 2026-01-12T12:00:00Z head mash-request --respond 2 --nil
step 2026-01-12T13:00:00Z pc mash-request --respond 1 --text 'known'
step 2026-01-12T14:00:00Z sw mash-record 1 --summary 'sum' --recommend cpat
step 2026-01-12T15:00:00Z head mash-decide 1 --outcome cpat --need N1 --reason 'r'
# case 2 (C), police, Ava Moss again (the same child): received Tue
# 20 Jan 09:00, screening due Wed 21 Jan 17:00, declined nfa on Thu
# 22 Jan 10:00: late, never rated, never in the hub
step 2026-01-20T09:00:00Z admin mash-refer --source police --ref R/2 \
    --concern 'test' --child 'Ava Moss' --dob 2016-03-02
step 2026-01-22T10:00:00Z head mash-screen 2 --decline --outcome nfa \
    --reason 'no role'
# case 3 (B), school, Mia Reed: received Sat 31 Jan 21:30, January's
# last evening, recorded on Sunday; screening due Mon 2 Feb 17:00;
# accepted amber Mon 09:00 (decision due Tue 3 Feb 17:00), decided
# early-help Tue 12:00: 62.5 hours from receipt.  Requests at 09:30:
# health (6wh: due 15:30) answered 16:00, late; education withdrawn.
step 2026-02-01T08:00:00Z admin mash-refer --source school --ref R/3 \
    --concern 'test' --consent given --received-at 2026-01-31T21:30:00Z \
    --child 'Mia Reed' --dob 2015-05-05
step 2026-02-02T09:00:00Z head mash-screen 3 --accept --assign sw --rag amber
step 2026-02-02T09:30:00Z sw mash-request 3 health education
step 2026-02-02T10:00:00Z sw mash-request --withdraw 4 --reason 'not needed'
step 2026-02-02T16:00:00Z head mash-request --respond 3 --text 'seen'
step 2026-02-03T10:00:00Z sw mash-record 3 --summary 'sum' \
    --recommend early-help
step 2026-02-03T12:00:00Z head mash-decide 3 --outcome early-help \
    --reason 'r'
# case 4 (D), family, Zoe Park: received Tue 10 Feb 09:00, screened
# green, never accepted: its screening was due Wed 11 Feb 17:00
step 2026-02-10T09:00:00Z admin mash-refer --source family --ref R/4 \
    --concern 'test' --child 'Zoe Park' --dob 2014-04-04
step 2026-02-10T10:00:00Z screener mash-screen 4 --rag green
# case 5 (E), police, Leo Moss again: received Wed 25 Feb 10:00,
# accepted red Thu 26 Feb 10:00 (in time; decision due 14:00, after
# the report's now), a police request due 12:30, still open
step 2026-02-25T10:00:00Z admin mash-refer --source police --ref R/5 \
    --concern 'test' --consent given --child 'Leo Moss' --dob 2019-11-20
step 2026-02-26T10:00:00Z head mash-screen 5 --accept --assign sw --rag red
step 2026-02-26T10:30:00Z sw mash-request 5 police
# case 6 (F), anonymous, Kai Dunn: received Thu 26 Feb 11:00, new,
# screening due Fri 27 Feb 17:00
step 2026-02-26T11:00:00Z admin mash-refer --source anonymous --ref R/6 \
    --concern 'test' --child 'Kai Dunn' --dob 2013-03-03

check "the crafted deadlines are those the comments say" [ "$(sql \
    "SELECT group_concat(id || ' ' || screening_due || ' ' ||
    ifnull(decision_due, '-'), ', ') FROM cases")" = "1 \
2026-01-13T17:00:00Z 2026-01-12T15:00:00Z, 2 2026-01-21T17:00:00Z -, \
3 2026-02-02T17:00:00Z 2026-02-03T17:00:00Z, 4 2026-02-11T17:00:00Z -, \
5 2026-02-26T17:00:00Z 2026-02-26T14:00:00Z, 6 2026-02-27T17:00:00Z -" ]

NOW=2026-02-26T12:00:00Z
report() { MASH_NOW=$NOW MASH_USER=head mash-report "$@"; }
before=$(audit_count)
expect 0 "a report of January and February" \
    report -o json --from 2026-01-01 --to 2026-02-28
check "  two rows, one a month" [ "$(wc -l <"$out")" = 2 ]
check "  nothing on standard error" [ ! -s "$err" ]
jan() { jq -c "select(.period == \"2026-01\") | $1" "$out"; }
feb() { jq -c "select(.period == \"2026-02\") | $1" "$out"; }
is() { check "$1" [ "$2" = "$3" ]; }

# --- January: cases 1, 2 and 3 ------------------------------------------------
is "January: its dates" "$(jan '[.from, .to]')" '["2026-01-01","2026-01-31"]'
is "  contacts: 2 + 1 + 1 children" "$(jan .contacts)" 4
is "  cases: 3" "$(jan .cases)" 3
is "  contacts by source: police 3, school 1 (case 3, its last evening)" \
    "$(jan '.contacts_by_source | with_entries(select(.value > 0))')" \
    '{"school":1,"police":3}'
is "  cases by RAG: the declined case unrated" "$(jan .cases_by_rag)" \
    '{"red":1,"amber":1,"green":0,"unrated":1}'
is "  screened: 2 in time, the declined one late: 66.7%" \
    "$(jan .screened)" '{"in_time":2,"late":1,"pending":0,"pct":66.7}'
is "  red decided exactly at its deadline is in time" \
    "$(jan .decided_by_rag.red)" '{"in_time":1,"late":0,"pending":0,"pct":100}'
is "  amber decided in February counts in January, in time" \
    "$(jan .decided_by_rag.amber)" \
    '{"in_time":1,"late":0,"pending":0,"pct":100}'
is "  no green decision: pct null" "$(jan .decided_by_rag.green)" \
    '{"in_time":0,"late":0,"pending":0,"pct":null}'
is "  median hours to decision: red 5, amber 62.5, green none" \
    "$(jan .median_decision_hours_by_rag)" \
    '{"red":5,"amber":62.5,"green":null}'
is "  outcomes: the declined case's nfa among them" "$(jan .outcomes)" \
    '{"cpat":1,"early_help":1,"caf":0,"single_agency":0,"nfa":1,"open":0}'
is "  referrals: case 1's two children of 4 closed: 50%" \
    "$(jan '[.referrals, .closed_contacts, .conversion_pct]')" '[2,4,50]'
is "  repeat: Ava in case 2, after case 1: 1 of 4, 25%" \
    "$(jan '[.repeat_contacts, .repeat_pct]')" '[1,25]'
is "  requests: police and csc in time, health late" \
    "$(jan '.requests_by_agency | with_entries(select(.value.in_time +
    .value.late + .value.pending > 0))')" \
    '{"csc":{"in_time":1,"late":0,"pending":0,"pct":100},"health":{"in_time":0,"late":1,"pending":0,"pct":0},"police":{"in_time":1,"late":0,"pending":0,"pct":100}}'
is "  the withdrawn education request is not counted" \
    "$(jan .requests_by_agency.education)" \
    '{"in_time":0,"late":0,"pending":0,"pct":null}'

# --- February: cases 4, 5 and 6, all open -------------------------------------
is "February: its dates" "$(feb '[.from, .to]')" '["2026-02-01","2026-02-28"]'
is "  contacts 3, cases 3" "$(feb '[.contacts, .cases]')" '[3,3]'
is "  by source: family, police, anonymous" \
    "$(feb '.contacts_by_source | with_entries(select(.value > 0))')" \
    '{"family":1,"police":1,"anonymous":1}'
is "  by RAG: the new case unrated" "$(feb .cases_by_rag)" \
    '{"red":1,"amber":0,"green":1,"unrated":1}'
is "  screened: open past its deadline late, not yet due pending" \
    "$(feb .screened)" '{"in_time":1,"late":1,"pending":1,"pct":50}'
is "  an open red case not yet due is pending, no pct" \
    "$(feb .decided_by_rag.red)" \
    '{"in_time":0,"late":0,"pending":1,"pct":null}'
is "  no medians" "$(feb .median_decision_hours_by_rag)" \
    '{"red":null,"amber":null,"green":null}'
is "  outcomes: three open" "$(feb .outcomes)" \
    '{"cpat":0,"early_help":0,"caf":0,"single_agency":0,"nfa":0,"open":3}'
is "  no closed case: conversion null" \
    "$(feb '[.referrals, .closed_contacts, .conversion_pct]')" '[0,0,null]'
is "  repeat: Leo, after case 1 in January: 1 of 3" \
    "$(feb '[.repeat_contacts, .repeat_pct]')" '[1,33.3]'
is "  the open police request is pending" "$(feb .requests_by_agency.police)" \
    '{"in_time":0,"late":0,"pending":1,"pct":null}'

# --- later: the open items fall due ---------------------------------------------
expect 0 "the same report on Monday 2 March" env MASH_NOW=2026-03-02T12:00:00Z \
    MASH_USER=head mash-report -o json --from 2026-02-01 --to 2026-02-28
is "  the unscreened case is now late" "$(jq -c .screened "$out")" \
    '{"in_time":1,"late":2,"pending":0,"pct":33.3}'
is "  the undecided red case is now late" \
    "$(jq -c .decided_by_rag.red "$out")" \
    '{"in_time":0,"late":1,"pending":0,"pct":0}'
is "  and the open request" "$(jq -c .requests_by_agency.police "$out")" \
    '{"in_time":0,"late":1,"pending":0,"pct":0}'

# --- the audit: one row, counts only -------------------------------------------
is "each report wrote one audit row: two" "$(($(audit_count) - before))" 2
is "  a row 'report' with the range and counts, naming no case" "$(sql \
    "SELECT actor || ' ' || ifnull(CAST(case_id AS TEXT), '-') || ' ' ||
    details FROM audit
    WHERE action = 'report' ORDER BY id LIMIT 1")" \
    'head - {"from":"2026-01-01","to":"2026-02-28","by":"month","periods":2,"cases":6,"contacts":7}'
expect 0 "no personal data in the output" \
    report -o json --from 2026-01-01 --to 2026-02-28
check "  no name, no date of birth, no reference" hasnt \
    'Moss\|Reed\|Park\|Dunn\|2016-03-02\|2019-11-20\|R/1\|test' "$out"

# --- by week, and periods in local time --------------------------------------
expect 0 "by ISO week across the month's end" \
    report -o json --by week --from 2026-01-26 --to 2026-02-08
is "  weeks W05 and W06, from Monday" \
    "$(jq -c '[.period, .from, .to, .cases]' "$out" | tr '\n' ' ')" \
    '["2026-W05","2026-01-26","2026-02-01",1] ["2026-W06","2026-02-02","2026-02-08",0] '
expect 0 "the first day of a range mid-week cuts the week" \
    report -o json --by week --from 2026-01-29 --to 2026-01-31
is "  one row, Thursday to Saturday" "$(jq -c '[.period, .from, .to]' "$out")" \
    '["2026-W05","2026-01-29","2026-01-31"]'
expect 0 "ISO week 1 of 2027 starts on Monday 4 January" \
    report -o json --by week --from 2026-12-28 --to 2027-01-04
is "  2026-W53 and 2027-W01" "$(jq -r .period "$out" | tr '\n' ' ')" \
    '2026-W53 2027-W01 '
step 2026-07-01T08:00:00Z admin mash-refer --source police --ref R/7 \
    --concern 'test' --received-at 2026-06-30T23:30:00Z \
    --child 'Tia Summer' --dob 2012-02-02
expect 0 "a case at 23:30 UTC on 30 June, 00:30 BST on 1 July" \
    env MASH_NOW=2026-07-02T12:00:00Z MASH_USER=head mash-report -o json \
    --from 2026-06-01 --to 2026-07-31
is "  counts in July, local time" "$(jq -c '[.period, .cases]' "$out" | \
    tr '\n' ' ')" '["2026-06",0] ["2026-07",1] '
step 2026-08-01T08:00:00Z admin mash-refer --source police --ref R/19 \
    --concern 'test' --received-at 2026-07-31T23:00:00Z \
    --child 'Una Vale' --dob 2014-04-14
expect 0 "a case at midnight BST on 1 August, 23:00 UTC on 31 July" \
    env MASH_NOW=2026-08-02T12:00:00Z MASH_USER=head mash-report -o json \
    --from 2026-07-01 --to 2026-08-31
is "  counts in August, from its first instant" "$(jq -c \
    '[.period, .cases]' "$out" | tr '\n' ' ')" '["2026-07",1] ["2026-08",1] '

# --- the default range -----------------------------------------------------------
expect 0 "by default: twelve months ending with this one" report -o json
is "  March 2025 to February 2026, up to today" \
    "$(jq -r '.period' "$out" | sed -n '1p;$p' | tr '\n' ' ')$(jq -r .to "$out" | tail -1)" \
    '2025-03 2026-02 2026-02-26'
check "  twelve rows" [ "$(wc -l <"$out")" = 12 ]
expect 0 "--by week alone: twelve weeks ending with this one" \
    report -o json --by week
is "  2025-W50 to 2026-W09" "$(jq -r .period "$out" | sed -n '1p;$p' | \
    tr '\n' ' ')" '2025-W50 2026-W09 '
expect 0 "--to alone: the twelve months up to it" report -o json --to 2025-12-31
is "  2025-01 to 2025-12" "$(jq -r .period "$out" | sed -n '1p;$p' | \
    tr '\n' ' ')" '2025-01 2025-12 '

# --- CSV and table ------------------------------------------------------------------
expect 0 "CSV: flat columns" report -o csv --from 2026-01-01 --to 2026-01-31
check "  strict RFC 4180" csv_ok "$out"
is "  contacts_police" "$(csv_value "$out" 1 contacts_police)" 3
is "  decided_red_pct" "$(csv_value "$out" 1 decided_red_pct)" 100
is "  median_decision_hours_amber" \
    "$(csv_value "$out" 1 median_decision_hours_amber)" 62.5
is "  requests_health_late" "$(csv_value "$out" 1 requests_health_late)" 1
is "  a null is an empty field" "$(csv_value "$out" 1 decided_green_pct)" ''
is "  the columns in a fixed order" "$(head -1 "$out" | cut -d, -f1-6)" \
    'period,from,to,contacts,cases,contacts_family'
expect 0 "a table" report -o table --from 2026-01-01 --to 2026-02-28
is "  its head" "$(head -1 "$out")" \
    'period   contacts  cases  red  amber  green  screen%  red%  amber%  green%  red_h  referral%  repeat%'
is "  January's line" "$(sed -n 2p "$out")" \
    '2026-01  4         3      1    1      0      66.7     100   100             5      50         25'
check "  no line wider than 120" [ "$(awk '{ if (length > m) m = length }
    END { print m }' "$out")" -le 120 ]

# --- refusals ---------------------------------------------------------------------
expect 77 "a screener may not" env MASH_NOW=$NOW MASH_USER=screener \
    mash-report -o json
check "  the role named" has "role 'admin' or 'head'" "$err"
expect 77 "a social worker may not" env MASH_NOW=$NOW MASH_USER=sw \
    mash-report -o json
expect 77 "an agency officer may not" env MASH_NOW=$NOW MASH_USER=pc \
    mash-report -o json
expect 0 "the admin may" env MASH_NOW=$NOW MASH_USER=admin \
    mash-report -o json --from 2026-01-01 --to 2026-01-31
expect 64 "--by year" report --by year
check "  says what it takes" has "'year' is not a period (month, week)" "$err"
expect 64 "--from that is not a date" report --from 2026-02-30
expect 64 "--from after --to" report --from 2026-03-01 --to 2026-02-01
check "  says so" has "is after --to" "$err"
expect 64 "too many periods" report --by week --from 1990-01-01
expect 64 "an argument" report 2026
expect 66 "no store" env MASH_DB=$T/none.db MASH_USER=head mash-report

# --- --plot -------------------------------------------------------------------------
if command -v gnuplot >/dev/null && command -v xmllint >/dev/null; then
	expect 0 "--plot an SVG" report -o json --from 2026-01-01 \
	    --to 2026-02-28 --plot "$T/r.svg"
	check "  the rows printed as well" [ "$(wc -l <"$out")" = 2 ]
	check "  a well-formed SVG (xmllint)" xmllint --noout "$T/r.svg"
	check "  an svg element" has '<svg' "$T/r.svg"
	check "  mode 0600" [ "$(stat -c %a "$T/r.svg")" = 600 ]
	check "  titled by source" has 'police' "$T/r.svg"
	expect 0 "--plot a PNG" report --from 2026-01-01 --to 2026-02-28 \
	    -o csv --plot "$T/r.PNG"
	check "  the PNG signature" [ "$(head -c 8 "$T/r.PNG" | od -An -tx1 | \
	    tr -d ' \n')" = 89504e470d0a1a0a ]
	expect 0 "--plot of periods with no cases" report --from 2025-01-01 \
	    --to 2025-03-31 --plot "$T/empty.svg"
	check "  still an SVG" xmllint --noout "$T/empty.svg"
	cp "$T/r.svg" "$T/keep.svg"
	expect 73 "--plot to a file that exists" report --plot "$T/r.svg"
	check "  names it" has "'$T/r.svg' already exists" "$err"
	check "  and leaves it alone" cmp -s "$T/r.svg" "$T/keep.svg"
	ln -s "$T/elsewhere.svg" "$T/link.svg"
	expect 73 "--plot through a symbolic link" report --plot "$T/link.svg"
	check "  writes nothing there" [ ! -e "$T/elsewhere.svg" ]
else
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17; do
		skip "gnuplot or xmllint is not installed"
	done
fi
expect 64 "--plot to a name that is not .svg or .png" \
    report --plot "$T/r.pdf"
check "  says which" has "name an .svg or a .png file" "$err"
mkdir "$T/nognuplot"
ln -s "$(command -v jq)" "$T/nognuplot/jq"
n=$(audit_count)
expect 69 "--plot without gnuplot on PATH" env PATH="$MASH_BIN:$T/nognuplot" \
    MASH_NOW=$NOW MASH_USER=head mash-report --plot "$T/none.svg"
check "  names the package" has "gnuplot-nox" "$err"
check "  draws nothing" [ ! -e "$T/none.svg" ]
check "  prints nothing" [ ! -s "$out" ]
is "  and audits nothing" "$(audit_count)" "$n"

# --- repeat_contacts at its edges ---------------------------------------------------
expect 0 "February alone: Leo's earlier contact, case 1, is before the range" \
    report -o json --from 2026-02-01 --to 2026-02-28
is "  still a repeat: 1 of 3" "$(jq -c '[.repeat_contacts, .repeat_pct]' \
    "$out")" '[1,33.3]'
# Ava again at the very instant of case 2 a year on: not after it, no
# repeat; Leo again a second before the instant of case 5 a year on
step 2027-03-01T09:00:00Z admin mash-refer --source police --ref R/8 \
    --concern 'test' --received-at 2027-01-20T09:00:00Z \
    --child 'Ava Moss' --dob 2016-03-02
step 2027-03-01T09:00:00Z admin mash-refer --source police --ref R/9 \
    --concern 'test' --received-at 2027-02-25T09:59:59Z \
    --child 'Leo Moss' --dob 2019-11-20
expect 0 "a year to the second" env MASH_NOW=2027-03-01T12:00:00Z \
    MASH_USER=head mash-report -o json --from 2027-01-01 --to 2027-02-28
is "  is not within it, a second less is" "$(jq -c \
    '[.period, .contacts, .repeat_contacts]' "$out" | tr '\n' ' ')" \
    '["2027-01",1,0] ["2027-02",1,1] '
# the year before 29 February 2028 starts on 1 March 2027, as SQLite's
# '-12 months' counts it, and so does the year before 1 March 2028, of
# 366 days: Eve's contact of 1 March 2027 10:00 is not in the first;
# Max's, a second later, is in the second
step 2027-03-01T10:00:01Z admin mash-refer --source police --ref R/10 \
    --concern 'test' --received-at 2027-03-01T10:00:00Z \
    --child 'Eve Hart' --dob 2015-01-01
step 2027-03-01T10:00:01Z admin mash-refer --source police --ref R/11 \
    --concern 'test' --child 'Max Hart' --dob 2016-01-01
step 2028-02-29T10:00:00Z admin mash-refer --source police --ref R/12 \
    --concern 'test' --child 'Eve Hart' --dob 2015-01-01
step 2028-03-01T10:00:00Z admin mash-refer --source police --ref R/13 \
    --concern 'test' --child 'Max Hart' --dob 2016-01-01
expect 0 "a leap year" env MASH_NOW=2028-03-02T12:00:00Z MASH_USER=head \
    mash-report -o json --from 2028-02-01 --to 2028-03-31
is "  29 February: no repeat; 1 March: a repeat" "$(jq -c \
    '[.period, .contacts, .repeat_contacts]' "$out" | tr '\n' ' ')" \
    '["2028-02",1,0] ["2028-03",1,1] '
# Kai twice at one instant: the case of the higher id repeats the
# other.  Ian's contact of 1 July is entered before that of 5 June, so
# their ids are out of the order of receipt: July's is the repeat.  Old
# cases entered between them and Rex's put a gap in the ids; Rex, named
# twice in one case, does not repeat himself.
step 2028-06-01T10:00:00Z admin mash-refer --source police --ref R/14 \
    --concern 'test' --received-at 2028-06-01T09:00:00Z \
    --child 'Kai Dunn' --dob 2013-03-03
step 2028-06-01T10:00:00Z admin mash-refer --source police --ref R/15 \
    --concern 'test' --received-at 2028-06-01T09:00:00Z \
    --child 'Kai Dunn' --dob 2013-03-03
step 2028-07-01T10:00:00Z admin mash-refer --source police --ref R/16 \
    --concern 'test' --child 'Ian Cole' --dob 2012-12-12
step 2028-07-01T10:00:00Z admin mash-refer --source police --ref R/17 \
    --concern 'test' --received-at 2028-06-05T09:00:00Z \
    --child 'Ian Cole' --dob 2012-12-12
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
    WHERE i < 20)
  INSERT INTO cases (state, rag, source, reference, received_at,
    created_at, created_by, concern, screening_due, outcome, closed_at)
  SELECT 'closed', 'green', '6', 'OLD/' || i, '2020-01-01T10:00:00Z',
    '2020-01-01T10:00:00Z', 'admin', 'old', '2020-01-02T17:00:00Z', 'nfa',
    '2020-01-03T10:00:00Z' FROM n;" || bail "old cases"
step 2028-07-10T10:00:00Z admin mash-refer --source police --ref R/18 \
    --concern 'test' --child 'Rex Long' --dob 2011-11-11 \
    --child 'Rex Long' --dob 2011-11-11
rm -f "$T/plan"
expect 0 "June and July 2028" env MASH_NOW=2028-07-11T12:00:00Z \
    MASH_USER=head MASH_EXPLAIN="$T/plan" mash-report -o json \
    --from 2028-06-01 --to 2028-07-31
is "  June: Kai's second; July: Ian's contact of 1 July, not Rex's" \
    "$(jq -c '[.period, .contacts, .repeat_contacts]' "$out" | \
    tr '\n' ' ')" '["2028-06",3,1] ["2028-07",3,1] '
if sqlite_only 3 "query plan (MASH_EXPLAIN)"; then
	check "  cases read from cases_received alone" has \
	    'SEARCH cases USING COVERING INDEX cases_received (received_at>? AND received_at<?)' \
	    "$T/plan"
	check "  children from children_case alone" has \
	    'SEARCH children USING COVERING INDEX children_case (case_id>?)' \
	    "$T/plan"
	check "  nothing sorted" hasnt 'TEMP B-TREE' "$T/plan"
fi

done_testing
