#!/bin/sh
# mash-overdue: the three kinds, --within, the filters, the formats,
# names only on request, the exit statuses, and the record of each run
. "$(dirname "$0")/lib.sh"
plan 114

bail() { echo "Bail out! cannot set up the store"; exit 1; }
new_store >/dev/null || bail

# Monday 12 January 2026, GMT, so local time is UTC in tables too
T0=2026-01-12T12:00:00Z		# nothing is due yet
T1=2026-01-13T13:00:00Z		# the police request is an hour late
T2=2026-01-14T18:00:00Z		# four items late, one due on Thursday

refer() {
	now=$1 ref=$2
	shift 2
	MASH_NOW=$now mash-refer --source police --ref "$ref" \
	    --concern 'test' "$@" >/dev/null
}
# case 1 (screened, amber): screening due Tue 17:00
refer 2026-01-12T10:00:00Z OV/1 --child 'Ava Testwood' --dob 2016-03-02 \
    || bail
# case 2 (mash, red, sw): two children and three requests
refer 2026-01-12T10:00:00Z OV/2 --child 'Leo Sampleton' --dob 2019-11-20 \
    --child 'Mia Sampleton' --dob 2017-05-05 || bail
# case 3 (recorded, green, sw2): decision due Tue 15:00
refer 2026-01-12T10:00:00Z OV/3 --child 'Noah Fictiv' --dob 2015-07-07 \
    || bail
# case 4 (closed): its passed deadlines are nobody's business now
refer 2026-01-05T10:00:00Z OV/4 --child 'Zed Closedcase' --dob 2014-01-01 \
    || bail
# case 5 (new): received Wed 09:00, screening due Thu 17:00
refer 2026-01-14T09:00:00Z OV/5 --child 'Ivy Lateref' --dob 2018-08-08 \
    || bail

# the workflow's programs are not here yet: their rows, made directly
sql "UPDATE cases SET state = 'screened', rag = 'amber' WHERE id = 1;
UPDATE cases SET state = 'mash', rag = 'red', assigned_to = 'sw',
  accepted_at = '2026-01-12T11:00:00Z',
  decision_due = '2026-01-20T17:00:00Z' WHERE id = 2;
UPDATE cases SET state = 'recorded', rag = 'green', assigned_to = 'sw2',
  accepted_at = '2026-01-12T11:00:00Z',
  decision_due = '2026-01-13T15:00:00Z' WHERE id = 3;
UPDATE cases SET state = 'closed', rag = 'green', outcome = 'nfa',
  assigned_to = 'sw', decision_due = '2026-01-06T17:00:00Z',
  closed_at = '2026-01-07T10:00:00Z' WHERE id = 4;
INSERT INTO requests (case_id, agency, asked_at, asked_by, due_at)
  VALUES (2, 'police', '2026-01-12T11:00:00Z', 'sw', '2026-01-13T12:00:00Z');
INSERT INTO requests (case_id, agency, state, asked_at, asked_by, due_at,
  answered_at, answered_by, answer)
  VALUES (2, 'health', 'answered', '2026-01-12T11:00:00Z', 'sw',
  '2026-01-12T13:00:00Z', '2026-01-12T12:30:00Z', 'sw', 'none known');
INSERT INTO requests (case_id, agency, asked_at, asked_by, due_at)
  VALUES (2, 'education', '2026-01-12T11:00:00Z', 'sw',
  '2026-01-14T12:00:00Z');" || bail

runs() { sql "SELECT count(*) FROM audit WHERE action = 'overdue-run'"; }
# lines OUTFILE: the number of lines it holds
lines() { wc -l <"$1" | tr -d ' '; }

# -- before any run, mash-admin check says so --------------------------
MASH_NOW=$T0 expect 1 "check warns when no overdue check has run" \
    mash-admin check -o csv
check "check names the overdue-run finding" \
    has '^overdue-run,warn,no overdue check has run' "$out"

# -- nothing due: silence and 0, in every format -----------------------
for f in json csv table; do
	MASH_NOW=$T0 expect 0 "nothing due: exit 0 (-o $f)" \
	    mash-overdue -o $f
	check "nothing due: no output at all (-o $f)" \
	    test ! -s "$out" -a ! -s "$err"
done
MASH_NOW=$T0 expect 0 "nothing due within 2h" mash-overdue --within 2h
check "nothing due within 2h: no output" test ! -s "$out"
check "each run is recorded, listing or not" test "$(runs)" = 4

# -- one overdue item ---------------------------------------------------
MASH_NOW=$T1 expect 1 "an overdue request: exit 1" mash-overdue -o json
cat >"$T/want" <<'EOF'
{"id":2,"kind":"request","case_id":2,"request_id":1,"rag":"red","due_at":"2026-01-13T12:00:00Z","overdue_by":3600,"assigned_to":"sw","agency":"police"}
EOF
check_same "the item, overdue_by in seconds" "$T/want" "$out"
check "nothing on standard error" test ! -s "$err"

# -- due soon ------------------------------------------------------------
MASH_NOW=$T1 expect 1 "--within 2h: exit 1" mash-overdue --within 2h
cat >"$T/want" <<'EOF'
{"id":2,"kind":"request","case_id":2,"request_id":1,"rag":"red","due_at":"2026-01-13T12:00:00Z","overdue_by":3600,"assigned_to":"sw","agency":"police"}
{"id":3,"kind":"decision","case_id":3,"rag":"green","due_at":"2026-01-13T15:00:00Z","overdue_by":-7200,"assigned_to":"sw2","agency":null}
EOF
check_same "--within 2h: the due-soon item, negative overdue_by" \
    "$T/want" "$out"
MASH_NOW=$T0 expect 1 "only due soon is still exit 1" \
    mash-overdue --within 1wd -o csv
cat >"$T/want" <<'EOF'
kind,case_id,request_id,rag,due_at,overdue_by,assigned_to,agency
request,2,1,red,2026-01-13T12:00:00Z,-86400,sw,police
decision,3,,green,2026-01-13T15:00:00Z,-97200,sw2,
screening,1,,amber,2026-01-13T17:00:00Z,-104400,,
EOF
sed 's/$/\r/' "$T/want" >"$T/want.crlf"
check_same "--within 1wd ends at the close of the next working day" \
    "$T/want.crlf" "$out"
# working hours count only office hours: 8h from Monday noon is 20:00
MASH_NOW=$T0 expect 0 "--within 8h: nothing by Monday 20:00" \
    mash-overdue --within 8h
MASH_NOW=$T0 expect 1 "--within 8wh: the request due Tuesday noon" \
    mash-overdue --within 8wh
check "--within 8wh lists just that request" test "$(lines "$out")" = 1
check "its deadline is exactly the horizon" has '"overdue_by":-86400' "$out"
MASH_NOW=2026-01-13T12:00:00Z expect 1 "an item due this second is listed" \
    mash-overdue --kind request
check "with overdue_by 0" has '"overdue_by":0,' "$out"

# -- everything, most overdue first --------------------------------------
MASH_NOW=$T2 expect 1 "four overdue items" mash-overdue -o json
cat >"$T/want" <<'EOF'
{"id":2,"kind":"request","case_id":2,"request_id":1,"rag":"red","due_at":"2026-01-13T12:00:00Z","overdue_by":108000,"assigned_to":"sw","agency":"police"}
{"id":3,"kind":"decision","case_id":3,"rag":"green","due_at":"2026-01-13T15:00:00Z","overdue_by":97200,"assigned_to":"sw2","agency":null}
{"id":1,"kind":"screening","case_id":1,"rag":"amber","due_at":"2026-01-13T17:00:00Z","overdue_by":90000,"assigned_to":null,"agency":null}
{"id":2,"kind":"request","case_id":2,"request_id":3,"rag":"red","due_at":"2026-01-14T12:00:00Z","overdue_by":21600,"assigned_to":"sw","agency":"education"}
EOF
check_same "most overdue first; closed cases and answered requests left out" \
    "$T/want" "$out"
MASH_NOW=$T2 expect 1 "--within 1wd from Wednesday evening" \
    mash-overdue --within 1wd
check "adds the new case due on Thursday, last" \
    has '"id":5,"kind":"screening".*"overdue_by":-82800' "$out"
check "five items" test "$(lines "$out")" = 5

# -- no child's name or date of birth unless --names ----------------------
for f in json csv table; do
	MASH_NOW=$T2 expect 1 "default -o $f lists the items" \
	    mash-overdue -o $f --within 1wd
	check "default -o $f: no names" \
	    sh -c "! grep -E 'Ava|Testwood|Sampleton|Fictiv|Lateref' '$out'"
	check "default -o $f: no dates of birth" \
	    sh -c "! grep -E '2016-03-02|2019-11-20|2017-05-05|2015-07-07|2018-08-08' \
	    '$out'"
done
MASH_NOW=$T2 expect 1 "--names -o json, as the head" \
    as head mash-overdue --names -o json --kind request --agency police
check "--names -o json: the children, given and family name and dob" \
    test "$(jq -c .children "$out")" = \
    '[{"given_name":"Leo","family_name":"Sampleton","dob":"2019-11-20"},{"given_name":"Mia","family_name":"Sampleton","dob":"2017-05-05"}]'
MASH_NOW=$T2 expect 1 "--names -o csv" \
    as sw mash-overdue --names -o csv --kind request --agency police
cat >"$T/want" <<'EOF'
kind,case_id,request_id,rag,due_at,overdue_by,assigned_to,agency,given_name,family_name,dob
request,2,1,red,2026-01-13T12:00:00Z,108000,sw,police,Leo,Sampleton,2019-11-20
request,2,1,red,2026-01-13T12:00:00Z,108000,sw,police,Mia,Sampleton,2017-05-05
EOF
sed 's/$/\r/' "$T/want" >"$T/want.crlf"
check_same "--names -o csv: one row per child" "$T/want.crlf" "$out"
MASH_NOW=$T2 expect 1 "--names -o table" \
    as screener mash-overdue --names -o table --kind screening
check "--names -o table: the name and dob" \
    has '^screening  1 .*Ava  *Testwood  *2016-03-02$' "$out"
check "--names -o table: deadlines in local time" \
    has '2026-01-13 17:00' "$out"
MASH_NOW=$T2 expect 77 "--names needs a role that works cases" \
    mash-overdue --names
check "the refusal names the roles" has "needs the role 'screener'" "$err"
check "and prints nothing" test ! -s "$out"
MASH_NOW=$T2 expect 77 "an agency officer may not list names" \
    as pc mash-overdue --names

# -- the filters -----------------------------------------------------------
# ids FILTER...: the "kind:case:request" of each item listed at T2+1wd
ids() {
	MASH_NOW=$T2 run mash-overdue --within 1wd -o json "$@"
	jq -r '"\(.kind):\(.case_id):\(.request_id // "")"' "$out" |
	    tr '\n' ' '
}
check "--kind screening" test "$(ids --kind screening)" = \
    "screening:1: screening:5: "
check "--kind request" test "$(ids --kind request)" = \
    "request:2:1 request:2:3 "
check "--kind decision" test "$(ids --kind decision)" = "decision:3: "
check "--kind in capitals" test "$(ids --kind DECISION)" = "decision:3: "
check "--rag red" test "$(ids --rag red)" = "request:2:1 request:2:3 "
check "--rag amber" test "$(ids --rag Amber)" = "screening:1: "
check "--rag green" test "$(ids --rag green)" = "decision:3: "
check "--agency keeps that agency's requests only" \
    test "$(ids --agency police)" = "request:2:1 "
check "--agency education" test "$(ids --agency education)" = \
    "request:2:3 "
check "--assigned sw" test "$(ids --assigned sw)" = \
    "request:2:1 request:2:3 "
check "--assigned sw2" test "$(ids --assigned sw2)" = "decision:3: "
check "filters combine" test "$(ids --kind request --rag red \
    --agency education --assigned sw)" = "request:2:3 "
MASH_NOW=$T2 expect 0 "an agency with nothing late: exit 0" \
    mash-overdue --agency csc
check "and silence" test ! -s "$out" -a ! -s "$err"
MASH_NOW=$T2 expect 0 "a user with nothing late: exit 0" \
    mash-overdue --assigned head
MASH_NOW=$T2 expect 0 "a filter that keeps nothing: exit 0" \
    mash-overdue --kind decision --rag red
check "and silence" test ! -s "$out"
MASH_NOW=$T2 expect 65 "--agency not in the store" \
    mash-overdue --agency nosuch
check "names the agency" has "'nosuch' is not a known agency" "$err"
MASH_NOW=$T2 expect 66 "--assigned not in the store" \
    mash-overdue --assigned nobody
check "names the user" has "no such user 'nobody'" "$err"

# -- misuse: 64, before the store is touched ------------------------------
n=$(runs)
for bad in '--bogus' '--kind' '--kind late' '--rag purple' \
    '--within' '--within 2x' '--within 0h' '--within -2h' '--within 2' \
    '-o xml' 'extra'; do
	# shellcheck disable=SC2086
	MASH_NOW=$T2 expect 64 "misuse: $bad" mash-overdue $bad
	check "misuse: $bad: nothing on standard output" test ! -s "$out"
done
MASH_NOW=$T2 run mash-overdue --within 2x
check "a bad --within says what a duration is" \
    has "\-\-within '2x' is not a duration (90m, 4h, 6wh, 3wd)" "$err"
check "no misuse was recorded as a run" test "$(runs)" = "$n"
expect 0 "-h prints the usage" mash-overdue -h
check "-h: the usage on standard output" has '^usage: mash-overdue' "$out"

# -- errors are never 0 --------------------------------------------------------
expect 66 "a missing store: 66" mash-overdue -d "$T/nosuch.db"
check "names the store" has "nosuch.db" "$err"
check "prints nothing" test ! -s "$out"
MASH_DB=$T/nosuch.db expect 66 "a missing \$MASH_DB: 66" mash-overdue
MASH_NOW=$T2 expect 77 "an unregistered user: 77" as stranger mash-overdue
if [ -z "${MASH_PG:-}" ]; then
	MASH_NOW=yesterday expect 78 "a bad MASH_NOW: not 0" mash-overdue
else	# a PostgreSQL store never obeys MASH_NOW (mash(7))
	MASH_NOW=yesterday expect 77 "a MASH_NOW on a PostgreSQL store: 77" \
	    mash-overdue
fi

# -- --within keeps the store's calendar and local time --------------------
# Thursday 2 April 2026, 18:00 BST: Good Friday and Easter Monday follow,
# so one working day runs to Tuesday 17:00, past Monday noon
sql "INSERT INTO requests (case_id, agency, asked_at, asked_by, due_at)
  VALUES (2, 'housing', '2026-04-01T09:00:00Z', 'sw',
  '2026-04-06T11:00:00Z');"
MASH_NOW=2026-04-02T17:00:00Z expect 1 "--within 1wd over Easter" \
    mash-overdue --within 1wd --agency housing -o table
check "reaches Easter Monday noon, shown in summer time" \
    has '^request  *2  *4  *red  *2026-04-06 12:00  *due in 3d 18h ' "$out"
MASH_NOW=2026-04-02T17:00:00Z expect 0 "--within 48h: not by Saturday" \
    mash-overdue --within 48h --agency housing
MASH_NOW=2026-04-02T17:00:00Z expect 1 "--within 1wh: Tuesday 10:00" \
    mash-overdue --within 1wh --agency housing

# -- each run is recorded, for mash-admin check ----------------------------
n=$(runs)
MASH_NOW=$T2 expect 1 "one more run" mash-overdue --kind request --rag red
check "recorded once more" test "$(runs)" = $((n + 1))
check "with its counts and filters" test "$(sql "SELECT details FROM audit
    WHERE action = 'overdue-run' ORDER BY id DESC LIMIT 1")" = \
    '{"list":"overdue","cases":[2],"listed":2,"overdue":2,"due_soon":0,"kind":"request","rag":"red","names":false}'
check "at the time it ran, by whom" test "$(sql "SELECT at || ' ' || actor
    FROM audit WHERE action = 'overdue-run' ORDER BY id DESC LIMIT 1")" = \
    "$T2 admin"
MASH_NOW=2026-01-15T10:00:00Z expect 0 "check is content within a day" \
    mash-admin check -o csv
check "and says when it ran" \
    has "^overdue-run,ok,last overdue check $T2" "$out"
MASH_NOW=2026-01-15T18:00:01Z expect 1 "check warns after a day without" \
    mash-admin check -o csv
check "and says so" has '^overdue-run,warn,.*none in the last day' "$out"

done_testing
