#!/bin/sh
# mash-admin: init, users, settings, holidays, criteria, check, backup
. "$(dirname "$0")/lib.sh"

plan 166

MASH_NOW=2026-03-10T10:00:00Z	# a Tuesday, in GMT
export MASH_NOW

# audits ACTION: how many audit rows of an action the store holds
audits() { sql "SELECT count(*) FROM audit WHERE action = '$1'"; }

# --- init ---------------------------------------------------------------

MASH_DB=$T/first.db
export MASH_DB
(umask 022; MASH_USER=alice exec mash-admin init) >"$out" 2>"$err"
rc=$?
check "init: exits 0" [ "$rc" -eq 0 ]
check "init: says what it made, on standard error alone" \
    eval '[ ! -s "$out" ] && [ "$(cat "$err")" = \
    "mash-admin: created store '"'$MASH_DB'"', mode 0600, with user '"'alice'"' its admin" ]'
check "init under umask 022: the store is mode 0600, its user's alone" \
    [ "$(stat -c %a "$MASH_DB")" = 600 ]
check "init: the invoking user is registered as admin" \
    [ "$(sql "SELECT roles FROM users WHERE login = 'alice'")" = admin ]
check "init: writes an audit row" [ "$(audits init)" = 1 ]

snapshot "$T/before"
expect 73 "init over an existing store: 73" env MASH_USER=alice mash-admin init
check "init over an existing store: names the store" \
    has "store '$MASH_DB' already exists" "$err"
snapshot "$T/after"
check_same "init over an existing store: leaves it as it was" \
    "$T/before" "$T/after"

expect 73 "init in a missing directory: 73" \
    env MASH_USER=alice mash-admin -d "$T/no/such/dir/m.db" init
check "init in a missing directory: names the path" \
    has "'$T/no/such/dir/m.db'" "$err"
check "init in a missing directory: creates nothing" [ ! -e "$T/no" ]

expect 78 "init with a bad MASH_NOW: 78" \
    env MASH_USER=alice MASH_NOW=yesterday mash-admin -d "$T/x.db" init
check "bad MASH_NOW: the message names the value" has "'yesterday'" "$err"
check "init with a bad MASH_NOW: leaves no store behind" \
    eval '[ ! -e "$T/x.db" ] && [ ! -e "$T/x.db-wal" ]'

(umask 000; MASH_USER=alice exec mash-admin -d "$T/open.db" init) \
    >"$out" 2>"$err"
check "init under umask 000: still mode 0600" \
    [ "$(stat -c %a "$T/open.db")" = 600 ]
(umask 077; MASH_USER=alice exec mash-admin -d "$T/tight.db" init) \
    >"$out" 2>"$err"
check "init under umask 077: owner and group, nobody else" \
    [ "$(stat -c %a "$T/tight.db" | cut -c3)" = 0 ]

# --- usage: 64 ------------------------------------------------------------

new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

expect 64 "no subcommand: 64" mash-admin
check "no subcommand: the usage goes to standard error" \
    has '^usage: mash-admin' "$err"
check "no subcommand: nothing on standard output" [ ! -s "$out" ]
expect 64 "unknown option: 64" mash-admin --frobnicate config
check "unknown option: named" has "frobnicate" "$err"
expect 64 "missing argument to -d: 64" mash-admin config -d
expect 64 "missing argument to --role: 64" mash-admin user add zoe --role
expect 64 "unknown subcommand: 64" mash-admin frobnicate
expect 64 "user add without --role: 64" mash-admin user add zoe
check "user add without --role: says so" has "--role" "$err"
expect 64 "user add without a login: 64" mash-admin user add
expect 64 "user with no verb: 64" mash-admin user
expect 64 "holiday rm without a date: 64" mash-admin holiday rm
expect 64 "criteria add without text: 64" mash-admin criteria add x
expect 64 "check takes no argument: 64" mash-admin check now
expect 64 "backup needs a file: 64" mash-admin backup
expect 64 "config with three arguments: 64" mash-admin config a b c
expect 64 "-o with an unknown format: 64" mash-admin -o xml config
check "-o: names the format" has "'xml'" "$err"
expect 0 "-h: 0" mash-admin -h
check "-h: the usage on standard output" has '^usage: mash-admin' "$out"
check "-h: nothing on standard error" [ ! -s "$err" ]
expect 0 "--version: 0" mash-admin --version
check "--version: name and version" grep -Eq '^mash-admin [0-9]+\.' "$out"

# --- 66, 74, 77, 78 -------------------------------------------------------

expect 66 "a missing store: 66" mash-admin -d "$T/none.db" config
check "a missing store: names the path" has "'$T/none.db'" "$err"
check "a missing store: is not created" [ ! -e "$T/none.db" ]
expect 66 "MASH_DB names the store when -d does not" \
    env MASH_DB="$T/none.db" mash-admin user list
check "MASH_DB: the message names its path" has "'$T/none.db'" "$err"

expect 74 "standard output on a full disk: 74" \
    sh -c 'exec mash-admin config >/dev/full'
check "a full disk: says it could not write" \
    has "cannot write standard output" "$err"

expect 77 "an unregistered user: 77" env MASH_USER=nobody mash-admin config
check "an unregistered user: named" has "'nobody'" "$err"
check "an unregistered user: output empty" [ ! -s "$out" ]
expect 77 "a screener cannot add users: 77" \
    as screener mash-admin user add zoe --role screener
check "a refusal names the role needed" has "role 'admin'" "$err"
check "a refused user add writes nothing" \
    [ "$(sql "SELECT count(*) FROM users WHERE login = 'zoe'")" = 0 ]

if [ -z "${MASH_PG:-}" ]; then
	expect 78 "a bad MASH_NOW: 78" \
	    env MASH_NOW=31/02/2026 mash-admin config
	check "a bad MASH_NOW: named" has "MASH_NOW '31/02/2026'" "$err"
else
	# a PostgreSQL store never obeys MASH_NOW (mash(7))
	expect 77 "a MASH_NOW on a PostgreSQL store: 77" \
	    env MASH_NOW=31/02/2026 mash-admin config
	check "a MASH_NOW on a PostgreSQL store: named" has "MASH_NOW" "$err"
fi

store_copy newer
MASH_DB=$copy store_version 99
expect 78 "a store with a newer schema: 78" mash-admin -d "$copy" config
check "a newer schema: names the store and the version" \
    has "'$copy'.*99" "$err"
check "a newer schema: the store is not touched" \
    [ "$(MASH_DB=$copy store_version)" = 99 ]
printf 'not a database at all, just text\n' >"$T/text.db"
expect 65 "a file that is not a store: 65" mash-admin -d "$T/text.db" config
check "not a store: named" has "'$T/text.db'" "$err"

# --- users ----------------------------------------------------------------

n=$(audits user-add)
expect 0 "user add: 0" mash-admin user add zoe --role screener,head \
    --name 'Zoë Ashdown'
check "user add: writes one audit row" [ "$(audits user-add)" = $((n + 1)) ]
expect 0 "user add with an agency: 0" \
    mash-admin user add hv --role agency --agency health --name 'Hal Vane'
expect 0 "user list: 0" mash-admin -o json user list
check "user list: one object a line" json_lines "$out"
check "user list: every user, in login order" \
    [ "$(jq -r .login "$out" | tr '\n' ' ')" = \
    "admin head hv pc screener sw sw2 zoe " ]
check "user list: name and roles as given" \
    [ "$(jq -r 'select(.login == "zoe") | .name + "/" + .roles' "$out")" \
    = "Zoë Ashdown/screener,head" ]
check "user list: the agency as given" \
    [ "$(jq -r 'select(.login == "hv") | .agency' "$out")" = health ]
check "user list: enabled is a JSON boolean" \
    jqtrue 'select(.login == "zoe") | .enabled == true' "$out"

snapshot "$T/before"
expect 65 "user add of an existing login: 65" \
    mash-admin user add zoe --role screener
check "an existing login: named" has "'zoe'" "$err"
expect 65 "user add with an unknown role: 65" \
    mash-admin user add yan --role wizard
check "an unknown role: names --role" has "--role 'wizard'" "$err"
expect 65 "role agency without --agency: 65" \
    mash-admin user add yan --role agency
expect 65 "an unknown agency: 65" \
    mash-admin user add yan --role agency --agency mi5
check "an unknown agency: named" has "'mi5'" "$err"
expect 65 "a login that is not a login: 65" \
    mash-admin user add 'Bad Login' --role screener
snapshot "$T/after"
check_same "refused user adds write nothing" "$T/before" "$T/after"

n=$(audits user-disable)
expect 0 "user disable: 0" mash-admin user disable zoe
check "user disable: writes one audit row" \
    [ "$(audits user-disable)" = $((n + 1)) ]
expect 0 "user list after disable: 0" mash-admin -o json user list
check "a disabled user keeps the name in the list" \
    [ "$(jq -r 'select(.login == "zoe") | .name' "$out")" = 'Zoë Ashdown' ]
check "a disabled user is listed as not enabled" \
    jqtrue 'select(.login == "zoe") | (.enabled | tostring) == "false"' "$out"
expect 77 "a disabled user is refused: 77" as zoe mash-admin config
check "a disabled user: says so" has "'zoe' is disabled" "$err"
expect 66 "user disable of no such user: 66" mash-admin user disable yan
check "no such user: named" has "'yan'" "$err"

# --- config ---------------------------------------------------------------

expect 0 "config: 0" mash-admin -o json config
check "config: every setting of SPEC 4, 6 and 14" \
    [ "$(jq -r .key "$out" | sort | tr '\n' ' ')" = \
    "hub.la-code hub.team hub.timezone office.hours overdue.account rag.amber.decision rag.amber.request rag.green.decision rag.green.request rag.red.decision rag.red.request retention.until-age retention.years return.nfa-outcomes return.referral-outcomes screening.due " ]
check "config: the defaults of SPEC 4, 6, 14 and 16" \
    [ "$(jq -r '.key + "=" + .value' "$out" | sort | tr '\n' ' ')" = \
    "hub.la-code= hub.team=MASH hub.timezone=Europe/London office.hours=09:00-17:00 overdue.account= rag.amber.decision=1wd rag.amber.request=6wh rag.green.decision=3wd rag.green.request=2wd rag.red.decision=4h rag.red.request=2h retention.until-age=25 retention.years=6 return.nfa-outcomes=nfa return.referral-outcomes=cpat screening.due=1wd " ]
expect 0 "config KEY: 0" mash-admin -o json config rag.red.decision
check "config KEY: that setting alone" \
    [ "$(jq -c '[.key, .value]' "$out")" = '["rag.red.decision","4h"]' ]
expect 65 "config of an unknown key: 65" mash-admin config rag.purple
check "an unknown key: named" has "'rag.purple'" "$err"

n=$(audits config)
expect 0 "config KEY VALUE: 0" mash-admin config rag.red.decision 3h
check "config set: says what it set, on standard error alone" \
    eval '[ ! -s "$out" ] && [ "$(cat "$err")" = \
    "mash-admin: setting '"'rag.red.decision'"' is now '"'3h'"' (it was '"'4h'"')" ]'
expect 0 "config KEY after a set" mash-admin -o json config rag.red.decision
check "config set: the new value is shown, the default kept" \
    [ "$(jq -r '.value + " " + .default' "$out")" = "3h 4h" ]
check "config set: writes one audit row" [ "$(audits config)" = $((n + 1)) ]
check "config set: the audit row names key and value" \
    [ "$(sql "SELECT json_extract(details, '$.key') || '=' ||
	json_extract(details, '$.value') FROM audit WHERE action = 'config' ORDER BY id DESC LIMIT 1")" = \
    "rag.red.decision=3h" ]
expect 0 "office hours can be set" mash-admin config office.hours 08:30-16:30

snapshot "$T/before"
expect 78 "a bad duration is refused: 78" mash-admin config screening.due 2x
check "a bad duration: names the key and the value" \
    has "'screening.due': '2x'" "$err"
expect 78 "a zero duration is refused" mash-admin config rag.red.request 0h
expect 78 "bad office hours are refused" \
    mash-admin config office.hours 25:00-17:00
check "bad office hours: names the key" has "'office.hours'" "$err"
expect 65 "setting an unknown key: 65" mash-admin config rag.purple 1h
expect 77 "a screener cannot change settings: 77" \
    as screener mash-admin config rag.red.decision 1h
snapshot "$T/after"
check_same "refused settings write nothing" "$T/before" "$T/after"

# --- holidays -------------------------------------------------------------

expect 0 "holiday list: 0" mash-admin -o json holiday list
check "holiday list: one object a line" json_lines "$out"
check "holiday list: 2026-12-28 is the Boxing Day substitute" \
    [ "$(jq -r 'select(.date == "2026-12-28") | .name' "$out")" = \
    "Boxing Day (substitute day)" ]
check "holiday list: 2020-05-08, the moved early May holiday" \
    jqtrue -s 'map(.date) | index("2020-05-08") != null and
    index("2020-05-04") == null' "$out"
check "holiday list: in date order" \
    [ "$(jq -r .date "$out")" = "$(jq -r .date "$out" | sort)" ]

n=$(audits holiday-add)
expect 0 "holiday add: 0" mash-admin holiday add 20/03/2026 'Hub closure day'
check "holiday add: writes one audit row" \
    [ "$(audits holiday-add)" = $((n + 1)) ]
expect 0 "holiday add without a name: 0" mash-admin holiday add 2026-03-23
expect 0 "holiday list after adds" mash-admin -o json holiday list
check "holiday add: DD/MM/YYYY stored as YYYY-MM-DD with its name" \
    [ "$(jq -r 'select(.date == "2026-03-20") | .name' "$out")" = \
    'Hub closure day' ]
check "holiday add: a holiday without a name" \
    jqtrue -s 'map(.date) | index("2026-03-23") != null' "$out"

n=$(audits holiday-rm)
expect 0 "holiday rm: 0" mash-admin holiday rm 2026-03-20
check "holiday rm: writes one audit row" \
    [ "$(audits holiday-rm)" = $((n + 1)) ]
expect 0 "holiday list after rm" mash-admin -o json holiday list
check "holiday rm: gone from the list" \
    jqtrue -s 'map(.date) | index("2026-03-20") == null' "$out"

snapshot "$T/before"
expect 66 "holiday rm of a day that is not one: 66" \
    mash-admin holiday rm 2026-03-20
check "holiday rm: names the date" has "'2026-03-20'" "$err"
expect 65 "holiday add of an impossible date: 65" \
    mash-admin holiday add 31/02/2026 Nonsense
check "an impossible date: named" has "'31/02/2026'" "$err"
expect 65 "holiday add month first: 65" mash-admin holiday add 12/31/2026
expect 77 "a screener cannot edit holidays: 77" \
    as screener mash-admin holiday add 2026-04-01
snapshot "$T/after"
check_same "refused holiday changes write nothing" "$T/before" "$T/after"

# --- criteria -------------------------------------------------------------

expect 0 "criteria list: 0" mash-admin -o json criteria list
check "criteria list: seeded with the defaults of SPEC 7" \
    [ "$(jq -r .code "$out" | sort | tr '\n' ' ')" = \
    "additional-needs complex-needs domestic-abuse exploitation missing open-case repeat-referral significant-harm unborn " ]
check "criteria list: each with its text" \
    jqtrue -s 'all(.text | type == "string" and length > 0)' "$out"

n=$(audits criteria-add)
expect 0 "criteria add: 0" \
    mash-admin criteria add private-fostering 'a child in private fostering'
check "criteria add: writes one audit row" \
    [ "$(audits criteria-add)" = $((n + 1)) ]
expect 0 "criteria list after add" mash-admin -o json criteria list
check "criteria add: listed with its text" \
    [ "$(jq -r 'select(.code == "private-fostering") | .text' "$out")" = \
    'a child in private fostering' ]

snapshot "$T/before"
expect 65 "criteria add of an existing code: 65" \
    mash-admin criteria add missing 'again'
check "an existing criterion: named" has "'missing'" "$err"
expect 65 "criteria add of a code that is not one: 65" \
    mash-admin criteria add 'Not A Code' text
expect 77 "a screener cannot add criteria: 77" \
    as screener mash-admin criteria add gangs 'gang association'
snapshot "$T/after"
check_same "refused criteria write nothing" "$T/before" "$T/after"

# --- check ----------------------------------------------------------------

MASH_DB=$T/clean.db
MASH_USER=admin mash-admin init 2>"$err"
expect 0 "check on a clean new store: 0" mash-admin -o json check
check "check: one finding a line" json_lines "$out"
check "check: schema, integrity and foreign keys are ok" \
    [ "$(jq -r 'select(.check == "schema" or .check == "integrity" or
	.check == "foreign-keys") | .status' "$out" | tr '\n' ' ')" = \
    "ok ok ok " ]

# an overdue run an hour ago: nothing to say about cron either (run
# by the program, since a row written with sqlite3 breaks the chain)
MASH_USER=admin MASH_NOW=2026-03-10T09:00:00Z mash-overdue >/dev/null
expect 0 "check after a recent overdue run: 0" mash-admin -o json check
check "check: no finding other than ok" \
    jqtrue -s 'all(.status == "ok" or .status == "info")' "$out"
expect 77 "check needs the admin role" \
    env MASH_USER=nobody mash-admin check

# corrupt a page of a copy: the holidays, which nothing reads on open
cp "$MASH_DB" "$T/bad.db"
psize=$(sqlite3 "$T/bad.db" 'PRAGMA page_size')
page=$(sqlite3 "$T/bad.db" "SELECT max(pageno) FROM dbstat
    WHERE name = 'holidays' AND pagetype = 'leaf'" 2>/dev/null)
[ -n "$page" ] || page=$(($(stat -c %s "$T/bad.db") / psize / 2))
yes 'garbage in the middle of a page' | head -c "$psize" |
    dd of="$T/bad.db" bs="$psize" seek=$((page - 1)) conv=notrunc 2>/dev/null
expect 1 "check on a corrupted copy: 1" mash-admin -d "$T/bad.db" -o json check
check "check on a corrupted copy: the integrity finding fails" \
    [ "$(jq -r 'select(.check == "integrity") | .status' "$out")" = fail ]
check "check on a corrupted copy: the original is still clean" \
    [ "$(sql 'PRAGMA integrity_check')" = ok ]

# a ruined header: a clean refusal from the exit table, never a crash
cp "$MASH_DB" "$T/ruin.db"
head -c 100 /dev/zero | dd of="$T/ruin.db" conv=notrunc 2>/dev/null
run mash-admin -d "$T/ruin.db" check
check "check on a ruined header: exit 1 or 64-78, no crash (got $rc)" \
    eval '[ "$rc" -eq 1 ] || { [ "$rc" -ge 64 ] && [ "$rc" -le 78 ]; }'
check "check on a ruined header: says what is wrong" \
    eval 'has "ruin.db" "$err" || has "fail" "$out"'

# --- backup ---------------------------------------------------------------

mash-refer --source police --ref CR/1/26 --concern 'Found alone' \
    --child 'Nia Testcase' >/dev/null 2>&1
n=$(audits backup)
expect 0 "backup FILE: 0" sh -c 'umask 022; exec mash-admin backup "$1"' \
    sh "$T/copy.db"
check "backup: says nothing" silent
check "backup: writes one audit row" [ "$(audits backup)" = $((n + 1)) ]
check "backup: the copy is not world-readable" \
    [ "$(stat -c %a "$T/copy.db" | cut -c3)" = 0 ]
expect 0 "backup: the copy passes check" mash-admin -d "$T/copy.db" check
check "backup: the copy holds the case" \
    [ "$(sqlite3 "$T/copy.db" "SELECT reference FROM cases")" = CR/1/26 ]
cksum "$T/copy.db" >"$T/sum1"
expect 73 "backup over an existing file: 73" mash-admin backup "$T/copy.db"
check "backup over an existing file: names it" has "'$T/copy.db'" "$err"
cksum "$T/copy.db" >"$T/sum2"
check_same "backup over an existing file: leaves it alone" "$T/sum1" "$T/sum2"
expect 73 "backup into a missing directory: 73" \
    mash-admin backup "$T/no/such/copy.db"
expect 77 "a screener cannot back up: 77" \
    as screener mash-admin backup "$T/c2.db"
check "a refused backup creates no file" [ ! -e "$T/c2.db" ]

done_testing
