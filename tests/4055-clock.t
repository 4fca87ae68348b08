#!/bin/sh
# The hub's clock (mash(7)): local time is the setting hub.timezone,
# whatever the caller's TZ; instants and deadlines stay inside the years
# 1900 to 9999; a last overdue run in the future fails the check; --due
# has a bound; bidirectional controls are refused, and shown as '?'
. "$(dirname "$0")/lib.sh"

plan 137

new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
sql "UPDATE users SET roles = 'admin,head' WHERE login = 'admin'"

# refer_in ZONE: a contact on Thursday 4 June 2026 at 10:00 UTC, run with
# the caller's TZ set to ZONE
refer_in() {
	expect 0 "a contact recorded with TZ=$1" env TZ="$1" \
	    MASH_NOW=2026-06-04T10:00:00Z mash-refer -o json --source police \
	    --concern 'Test' --child 'Ana Tick'
}

# --- the caller's TZ changes nothing -----------------------------------------

refer_in Europe/London
check "  screening due Friday 17:00 BST" \
    [ "$(val .screening_due)" = 2026-06-05T16:00:00Z ]
refer_in UTC
check "  the same deadline with TZ=UTC" \
    [ "$(val .screening_due)" = 2026-06-05T16:00:00Z ]
refer_in Pacific/Kiritimati
check "  the same deadline with TZ=Pacific/Kiritimati" \
    [ "$(val .screening_due)" = 2026-06-05T16:00:00Z ]
refer_in Not/AZone
check "  the same deadline with a TZ that is no zone" \
    [ "$(val .screening_due)" = 2026-06-05T16:00:00Z ]
expect 0 "a contact recorded with TZDIR pointing elsewhere" env TZ=UTC \
    TZDIR=/nonexistent MASH_NOW=2026-06-04T10:00:00Z mash-refer -o json \
    --source police --concern 'Test' --child 'Ana Tick' --consent given
check "  the same deadline" [ "$(val .screening_due)" = 2026-06-05T16:00:00Z ]
cid=$(val .id)

expect 0 "a table read with TZ=Asia/Tokyo" env TZ=Asia/Tokyo \
    MASH_NOW=2026-06-04T10:00:00Z mash-screen -o table
check "  shows the deadline in London time" has "2026-06-05 17:00" "$out"
check "  not in Tokyo's" hasnt "2026-06-06 01:00" "$out"

# (MASH_NOW is obeyed only on a store of one's own, never on a
# PostgreSQL store, whose clock is the server's, mash(7))
if sqlite_only 2 "MASH_NOW, read in the hub's zone"; then
	expect 0 "MASH_NOW in local form with TZ=UTC" env TZ=UTC \
	    MASH_NOW='04/06/2026 10:00' mash-refer -o json --source police \
	    --concern 'Test' --child 'Ana Tick'
	check "  is read in London time (09:00 UTC)" \
	    [ "$(val .received_at)" = 2026-06-04T09:00:00Z ]
fi

expect 0 "mash-refer --received-at in local form with TZ=UTC" env TZ=UTC \
    MASH_NOW=2026-06-04T10:00:00Z mash-refer -o json --source police \
    --concern 'Test' --child 'Ana Tick' --received-at '04/06/2026 09:00'
check "  is read in London time (08:00 UTC)" \
    [ "$(val .received_at)" = 2026-06-04T08:00:00Z ]
expect 0 "a date of birth of today in London, not yet in UTC" env TZ=UTC \
    MASH_NOW=2026-06-04T23:30:00Z mash-refer -o json --source police \
    --concern 'Test' --child 'Ana Tick' --dob 2026-06-05
check "  is taken" [ "$(val '.children[0].dob')" = 2026-06-05 ]
expect 65 "a date of birth of tomorrow in London, with TZ=Pacific/Kiritimati" \
    env TZ=Pacific/Kiritimati MASH_NOW=2026-06-04T22:30:00Z mash-refer \
    -o json --source police --concern 'Test' --child 'Ana Tick' \
    --dob 2026-06-05
check "  is in the future" has "is in the future" "$err"

expect 0 "a request --due in local form with TZ=America/Los_Angeles" \
    env TZ=America/Los_Angeles MASH_NOW=2026-06-04T10:00:00Z \
    mash-screen -o json "$cid" --accept --assign sw --rag amber
expect 0 "  sent" env TZ=America/Los_Angeles MASH_NOW=2026-06-04T10:00:00Z \
    MASH_USER=sw mash-request -o json "$cid" police --due '05/06/2026 12:00'
check "  due at noon in London (11:00 UTC)" \
    [ "$(val .due_at)" = 2026-06-05T11:00:00Z ]

# --- the setting hub.timezone -----------------------------------------------

expect 0 "config hub.timezone" mash-admin -o json config hub.timezone
check "  is Europe/London in a new store" \
    [ "$(val .value)/$(val .default)" = Europe/London/Europe/London ]

snapshot "$T/before.sql"
for z in Not/AZone ../../../etc/passwd /usr/share/zoneinfo/UTC \
    posix/Europe/London right/UTC Europe Europe/London/ europe/london \
    'GMT0BST,M3.5.0/1,M10.5.0' ''; do
	expect 78 "config hub.timezone '$z' is refused: 78" \
	    mash-admin config hub.timezone "$z"
done
check "  the message names the key" has "setting 'hub.timezone'" "$err"
snapshot "$T/after.sql"
check_same "  nothing was written" "$T/before.sql" "$T/after.sql"

expect 0 "config hub.timezone America/New_York" \
    mash-admin config hub.timezone America/New_York
check "  audited" [ "$(sql "SELECT count(*) FROM audit WHERE action = 'config'
    AND details LIKE '%America/New_York%'")" = 1 ]

# Thursday 4 June 2026 14:00 UTC is 10:00 in New York
expect 0 "a contact in a New York hub" env TZ=Europe/London \
    MASH_NOW=2026-06-04T14:00:00Z mash-refer -o json --source police \
    --concern 'Test' --child 'Ana Tick'
check "  due at 17:00 New York time, Friday (21:00 UTC)" \
    [ "$(val .screening_due)" = 2026-06-05T21:00:00Z ]
expect 0 "its table, read with TZ=Europe/London" env TZ=Europe/London \
    MASH_NOW=2026-06-04T14:00:00Z mash-refer -o table --source police \
    --concern 'Test' --child 'Ana Tick'
check "  shows New York time" has "2026-06-05 17:00" "$out"
check "  and receipt at 10:00" has "2026-06-04 10:00" "$out"
if sqlite_only 2 "MASH_NOW, read in the hub's zone"; then
	expect 0 "local input in a New York hub" env TZ=Europe/London \
	    MASH_NOW='04/06/2026 10:00' mash-refer -o json --source police \
	    --concern 'Test' --child 'Ana Tick'
	check "  is New York's 10:00 (14:00 UTC)" \
	    [ "$(val .received_at)" = 2026-06-04T14:00:00Z ]
fi

# a zone in the store that is not installed (written from outside)
sql "UPDATE settings SET value = 'Not/AZone' WHERE key = 'hub.timezone'"
expect 78 "a store whose zone is not installed: 78" mash-screen -o json
check "  the message names the setting and the zone" \
    has "setting 'hub.timezone': 'Not/AZone'" "$err"
check "  nothing printed" [ ! -s "$out" ]
expect 78 "  mash-admin too: 78" mash-admin -o json check
sql "UPDATE settings SET value = 'Europe/London' WHERE key = 'hub.timezone'"
expect 0 "  mended, the hub works again" mash-screen -o json

# a new store starts in London, whatever the TZ of its maker
expect 0 "init with TZ=Asia/Tokyo" env TZ=Asia/Tokyo MASH_DB="$T/tokyo.db" \
    MASH_NOW=2026-06-04T10:00:00Z mash-admin init
expect 0 "  its zone" env MASH_DB="$T/tokyo.db" mash-admin -o json config \
    hub.timezone
check "  is Europe/London" [ "$(val .value)" = Europe/London ]
expect 0 "  a contact in it, with TZ=Asia/Tokyo" env TZ=Asia/Tokyo \
    MASH_DB="$T/tokyo.db" MASH_NOW=2026-06-04T10:00:00Z mash-refer -o json \
    --source police --concern 'Test' --child 'Ana Tick'
check "  due Friday 17:00 BST" \
    [ "$(val .screening_due)" = 2026-06-05T16:00:00Z ]

# --- the edge of the years ---------------------------------------------------

snapshot "$T/before.sql"
expect 65 "a contact at MASH_NOW=9999-12-31T23:59:59Z: 65" \
    env MASH_NOW=9999-12-31T23:59:59Z mash-refer -o json --source police \
    --concern 'Test' --child 'Ana Tick'
check "  the message names the deadline" has "'screening.due'" "$err"
check "  and the year" has "9999" "$err"
check "  nothing printed" [ ! -s "$out" ]
expect 65 "a contact received at 9999-12-31T20:00:00Z: 65" \
    mash-refer -o json --source police --concern 'Test' --child 'Ana Tick' \
    --received-at 9999-12-31T20:00:00Z
if sqlite_only 5 "MASH_NOW, bounded by the years"; then
	expect 78 "MASH_NOW=10000-01-01T00:00:00Z: 78" \
	    env MASH_NOW=10000-01-01T00:00:00Z mash-screen -o json
	check "  the message names MASH_NOW" has "MASH_NOW" "$err"
	expect 78 "MASH_NOW past 9999 by its offset: 78" \
	    env MASH_NOW=9999-12-31T23:00:00-05:00 mash-screen -o json
	check "  the message names MASH_NOW" has "MASH_NOW" "$err"
	expect 78 "MASH_NOW before 1900: 78" \
	    env MASH_NOW=1899-12-31T23:00:00Z mash-screen -o json
fi
expect 65 "mash-overdue --within past 9999: 65" \
    env MASH_NOW=9999-12-31T12:00:00Z mash-overdue -o json --within 1wd
check "  the message names --within" has "--within" "$err"
snapshot "$T/after.sql"
check_same "  nothing was stored" "$T/before.sql" "$T/after.sql"
check "no zero date anywhere in the store" \
    eval 'snapshot "$T/all.sql" && [ "$(grep -c 0000-00-00 "$T/all.sql")" = 0 ]'

expect 1 "mash-overdue at 9999-12-31T23:59:59Z lists what is overdue" \
    env MASH_NOW=9999-12-31T23:59:59Z mash-overdue -o json
check "  each with its deadline" jqtrue -s 'length > 0 and
    all(.due_at | test("^20"))' "$out"

# --- a last overdue run in the future fails the check ------------------------

expect 1 "check after a run at 9999-12-31T23:59:59Z: 1" \
    env MASH_NOW=2026-06-04T12:00:00Z mash-admin -o json check
check "  its overdue-run line is a failure" jqtrue -s \
    'map(select(.check == "overdue-run"))[0] | .status == "fail" and
    (.detail | test("future"))' "$out"

expect 0 "a run now" env MASH_NOW=2026-06-04T12:00:00Z mash-overdue -o json \
    --kind request --agency health
expect 0 "check after it: 0" env MASH_NOW=2026-06-04T13:00:00Z \
    mash-admin -o json check
# a run for tomorrow, made as anyone could once (MASH_NOW on one's own
# store): the trail stays whole, so only the run's date is wrong
env MASH_NOW=2026-06-05T12:00:00Z mash-overdue >/dev/null 2>&1
expect 1 "check after a run written for tomorrow: 1" \
    env MASH_NOW=2026-06-04T13:00:00Z mash-admin -o json check
check "  its overdue-run line is a failure" jqtrue -s \
    'map(select(.check == "overdue-run"))[0].status == "fail"' "$out"
check "  the other lines are fine" jqtrue -s \
    'map(select(.check != "overdue-run") | .status == "ok") | all' "$out"
expect 0 "check once the clock has passed it: 0" \
    env MASH_NOW=2026-06-05T13:00:00Z mash-admin -o json check

# --- mash-request --due: not past, not more than 366 days on -----------------

case_in mash
rcid=$cid
due_ok() {
	expect 0 "--due $2 is taken" env MASH_NOW=2026-11-26T10:00:00Z \
	    MASH_USER=sw mash-request -o json "$rcid" "$1" --due "$2"
	check "  due $3" [ "$(val "select(.agency == \"$1\") | .due_at")" = "$3" ]
}
due_bad() {
	snapshot "$T/before.sql"
	expect 65 "--due $1 is refused: 65" env MASH_NOW=2026-11-26T10:00:00Z \
	    MASH_USER=sw mash-request -o json "$rcid" police --due "$1"
	check "  the message names --due" has "--due '$1'" "$err"
	check "  and says $2" has "$2" "$err"
	snapshot "$T/after.sql"
	check_same "  nothing was written" "$T/before.sql" "$T/after.sql"
}
due_ok health 2027-11-27T09:00:00Z 2027-11-27T09:00:00Z
due_ok education 8000h 2027-10-25T18:00:00Z
due_bad 2027-11-27T10:00:01Z "366 days"
due_bad 2030-01-01 "366 days"
due_bad 9999-12-31T23:59:59Z "366 days"
due_bad 10000h "366 days"
due_bad 400wd "366 days"
due_bad 10000wd "366 days"
due_bad 2026-11-26T09:59:59Z "in the past"

# --- bidirectional controls ---------------------------------------------------

rlo=$(printf '\342\200\256')	# U+202E RIGHT-TO-LEFT OVERRIDE
rli=$(printf '\342\201\247')	# U+2067 RIGHT-TO-LEFT ISOLATE
rlm=$(printf '\342\200\217')	# U+200F RIGHT-TO-LEFT MARK
alm=$(printf '\330\234')	# U+061C ARABIC LETTER MARK

snapshot "$T/before.sql"
expect 65 "a child's name with U+202E: 65" mash-refer -o json \
    --source police --concern 'Test' --child "Ana ${rlo}kciT"
check "  the message names U+202E" has "U+202E" "$err"
check "  and does not carry it" hasnt "$rlo" "$err"
expect 65 "a concern with U+2067: 65" mash-refer -o json --source police \
    --concern "Seen at ${rli}home" --child 'Ana Tick'
check "  the message names U+2067" has "U+2067" "$err"
check "  and does not quote the concern" hasnt "home" "$err"
expect 65 "a referrer with U+200F: 65" mash-refer -o json --source police \
    --concern 'Test' --child 'Ana Tick' --referrer "PC ${rlm}Smith"
check "  the message names U+200F" has "U+200F" "$err"
expect 65 "a school with U+061C: 65" mash-refer -o json --source police \
    --concern 'Test' --child 'Ana Tick' --school "${alm}Oak School"
check "  the message names U+061C" has "U+061C" "$err"
echo "{\"source\":\"police\",\"concern\":\"a${rlo}b\",\"children\":[{\"given_name\":\"Ana\",\"family_name\":\"Tick\"}]}" >"$T/bidi.json"
expect 65 "JSON with U+202E: 65" mash-refer -o json --json <"$T/bidi.json"
check "  the message names U+202E" has "U+202E" "$err"
expect 65 "a holiday name with U+202A: 65" mash-admin holiday add \
    2031-06-02 "$(printf 'Fete\342\200\252')"
check "  the message names U+202A" has "U+202A" "$err"
expect 65 "a request question with U+2066: 65" as sw mash-request -o json \
    "$rcid" housing --question "$(printf 'Known\342\201\246?')"
check "  the message names U+2066" has "U+2066" "$err"
expect 65 "a record summary with U+202D: 65" as sw mash-record -o json \
    "$rcid" --summary "$(printf 'x\342\200\255y')" --recommend nfa
check "  the message names U+202D" has "U+202D" "$err"
snapshot "$T/after.sql"
check_same "  nothing was written" "$T/before.sql" "$T/after.sql"

# a name stored before the rule is shown as '?' in a table
pid=$(sql "SELECT id FROM children WHERE case_id = $rcid")
# (U+202E, U+2067 and U+2069 written into the literals in UTF-8)
sql "UPDATE children SET given_name = '$(printf 'Ca\342\200\256sey')',
    family_name = '$(printf '\342\201\247Test\342\201\251')'
    WHERE id = $pid"
expect 0 "a record with stored controls, as a table" mash-record -o table \
    "$rcid"
check "  shows each control as one '?'" has "Ca?sey *?Test?" "$out"
check "  and none of them" sh -c "! grep -q '$rlo\|$rli' '$out'"
expect 0 "the same record as JSON" mash-record -o json "$rcid"
check "  keeps the data as stored" jqtrue \
    '.children[0].given_name == "Ca\u202esey"' "$out"

done_testing
