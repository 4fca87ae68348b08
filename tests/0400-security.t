#!/bin/sh
# the store's modes, who may act, the audit trail, and hostile input
. "$(dirname "$0")/lib.sh"

plan 61

MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW

# audit_count: the number of audit rows
audit_count() { sql 'SELECT count(*) FROM audit'; }

# --- modes ----------------------------------------------------------------

MASH_DB=$T/mash.db
export MASH_DB
(umask 022; MASH_USER=admin exec mash-admin init) 2>"$err"
check "init under umask 022: mode 0600" [ "$(stat -c %a "$MASH_DB")" = 600 ]
check "init: not world-readable" \
    [ "$(($(stat -c '0%a' "$MASH_DB") & 07))" = 0 ]
check "the store is in WAL mode" [ "$(sql 'PRAGMA journal_mode')" = wal ]

# hold the store open, as a reader would, while a program writes to it
# under umask 000; then list the modes of the files beside it
python3 - "$MASH_DB" >"$T/modes" 2>"$err" <<'PY'
import os, sqlite3, subprocess, sys
db = sys.argv[1]
reader = sqlite3.connect(db)
reader.execute('SELECT count(*) FROM users').fetchall()
os.umask(0)
subprocess.run(['mash-admin', 'user', 'add', 'held', '--role', 'screener'],
    env=dict(os.environ, MASH_USER='admin'), check=True)
for suffix in ('', '-wal', '-shm'):
    if os.path.exists(db + suffix):
        print(suffix or 'db', oct(os.stat(db + suffix).st_mode & 0o777))
reader.close()
PY
check "a write while the store is held open: 0" [ $? = 0 ]
check "the write-ahead log exists while the store is held" has '^-wal ' \
    "$T/modes"
check "no file of the store is world-readable or -writable" \
    eval '! grep -v " 0o[0-7][0-7]0$" "$T/modes" >/dev/null'
check "the side files are owner and group only" \
    eval '[ "$(grep -c " 0o6[0-6]0$" "$T/modes")" = "$(wc -l <"$T/modes")" ]'

MASH_USER=admin
export MASH_USER
(umask 000; exec mash-admin backup "$T/backup.db") 2>"$err"
check "a backup under umask 000: not world-readable" \
    [ "$(($(stat -c '0%a' "$T/backup.db") & 07))" = 0 ]

ln -s "$T/elsewhere.db" "$T/link.db"
expect 73 "init through a symbolic link: 73" mash-admin -d "$T/link.db" init
check "init through a link: the target is not created" \
    [ ! -e "$T/elsewhere.db" ]
ln -s "$MASH_DB" "$T/store-link.db"
run mash-admin -d "$T/store-link.db" config
check "a store reached through a link is refused (exit $rc)" \
    eval '[ "$rc" -ge 64 ] && [ "$rc" -le 78 ]'
check "a store reached through a link: named" has "'$T/store-link.db'" "$err"
ln -s "$T/backup-target.db" "$T/backup-link.db"
expect 73 "backup through a symbolic link: 73" \
    mash-admin backup "$T/backup-link.db"
check "backup through a link: the target is not created" \
    [ ! -e "$T/backup-target.db" ]

# --- who may act ----------------------------------------------------------

mash-admin user add sw --role social-worker 2>"$err"
mash-admin user add gone --role screener,head --name 'Gwen Gonetest' \
    2>"$err"
mash-admin user disable gone 2>"$err"
cases=$(sql 'SELECT count(*) FROM cases')
audits=$(audit_count)
snapshot "$T/before"
for who in nobody gone; do
	expect 77 "$who may not record a contact" as "$who" mash-refer \
	    --source police --ref "NO/$who" --concern x --child 'Al Bo'
	expect 77 "$who may not record JSON" as "$who" mash-refer --json \
	    <"$MASH_SRC/tests/refer/case.json"
	expect 77 "$who may not list users" as "$who" mash-admin user list
	check "$who: nothing printed" [ ! -s "$out" ]
	expect 77 "$who may not add a user" as "$who" mash-admin user add \
	    x --role admin
done
expect 77 "a social worker may not add a user" \
    as sw mash-admin user add x --role admin
expect 77 "a social worker may not change a setting" \
    as sw mash-admin config screening.due 2wd
check "refused users: the case count is as it was" \
    [ "$(sql 'SELECT count(*) FROM cases')" = "$cases" ]
check "refused users: the audit count is as it was" \
    [ "$(audit_count)" = "$audits" ]
snapshot "$T/after"
check_same "refused users: nothing at all was written" "$T/before" "$T/after"
expect 77 "MASH_USER empty: the real user, not registered, is refused" \
    env MASH_USER= LOGNAME=admin USER=admin mash-admin config
check "MASH_USER empty: the real user's login is named" \
    has "user '$(id -un)' is not registered" "$err"

# --- every change writes one audit row -----------------------------------

# changes DESC ACTION CMD...: CMD exits 0 and adds exactly one audit row,
# of ACTION, by admin, at MASH_NOW
changes() {
	desc=$1 action=$2
	shift 2
	n=$(audit_count)
	run "$@"
	if [ "$rc" = 0 ] && [ "$(audit_count)" = $((n + 1)) ] &&
	    [ "$(sql "SELECT action || ' ' || actor || ' ' || at
		FROM audit ORDER BY id DESC LIMIT 1")" = \
	    "$action admin 2026-03-10T10:00:00Z" ]; then
		pass "$desc writes one '$action' audit row"
	else
		fail "$desc writes one '$action' audit row (exit $rc)"
	fi
}

changes "refer" refer mash-refer --source police --ref AU/1 --concern x \
    --child 'Ann Audittest'
check "the refer row names its case" \
    [ "$(sql "SELECT case_id FROM audit WHERE action = 'refer'")" = \
    "$(sql "SELECT id FROM cases WHERE reference = 'AU/1'")" ]
changes "refer --json" refer mash-refer --json <<'EOF'
{"source":"police","reference":"AU/2","concern":"x","children":[{"name":"Bea Audittest"}]}
EOF
changes "user add" user-add mash-admin user add newbie --role screener
changes "user disable" user-disable mash-admin user disable newbie
changes "config set" config mash-admin config rag.amber.request 5wh
changes "holiday add" holiday-add mash-admin holiday add 2026-08-03 'Hub day'
changes "holiday rm" holiday-rm mash-admin holiday rm 2026-08-03
changes "criteria add" criteria-add mash-admin criteria add young-carer \
    'a young carer'
changes "backup" backup mash-admin backup "$T/backup2.db"
check "every audit row's details are a JSON object" \
    [ "$(sql "SELECT count(*) FROM audit
	WHERE NOT json_valid(details) OR json_type(details) <> 'object'")" = 0 ]

n=$(audit_count)
for c in 'user list' 'config' 'config screening.due' 'holiday list' \
    'criteria list' 'check'; do
	# shellcheck disable=SC2086
	mash-admin $c >/dev/null 2>&1
done
mash-admin config rag.amber.request bad 2>/dev/null
mash-refer --source police --concern x --child 'Al Bo' --dob 31/02/2016 \
    2>/dev/null
check "reading and refused changes write no audit row" \
    [ "$(audit_count)" = "$n" ]

# --- the audit table is append-only --------------------------------------

first=$(sql 'SELECT id, at, actor, action, details FROM audit WHERE id = 1')
run sqlite3 -batch "$MASH_DB" "UPDATE audit SET actor = 'mallory' WHERE id = 1"
check "UPDATE on the audit table fails (exit $rc)" [ "$rc" -ne 0 ]
check "UPDATE: the trigger says why" has "cannot be changed" "$err"
check "UPDATE: the row is unchanged" \
    [ "$(sql 'SELECT id, at, actor, action, details FROM audit WHERE id = 1')" \
    = "$first" ]
n=$(audit_count)
run sqlite3 -batch "$MASH_DB" 'DELETE FROM audit'
check "DELETE FROM audit fails (exit $rc)" [ "$rc" -ne 0 ]
check "DELETE: the trigger says why" has "cannot be deleted" "$err"
run sqlite3 -batch "$MASH_DB" 'DELETE FROM audit WHERE id = 1'
check "DELETE of one row fails (exit $rc)" [ "$rc" -ne 0 ]
check "DELETE: every row is still there" [ "$(audit_count)" = "$n" ]
run sqlite3 -batch "$MASH_DB" "INSERT OR REPLACE INTO audit (id, at, actor,
    action) VALUES (1, '2026-03-10T10:00:00Z', 'mallory', 'init')"
check "INSERT OR REPLACE cannot overwrite an audit row" \
    [ "$(sql 'SELECT actor FROM audit WHERE id = 1')" = admin ]

# --- hostile input goes in as data ---------------------------------------

ref="x'); DROP TABLE cases; --"
name="Bobby'); DELETE FROM children; -- Tables"
expect 0 "SQL in a reference and a name is only text: 0" \
    mash-refer -o json --source police --ref "$ref" --concern "'; --" \
    --child "$name"
check "the reference is stored as given" \
    [ "$(jq -r .reference "$out")" = "$ref" ]
check "the name is stored as given" \
    [ "$(jq -r '.children[0].given_name + " " + .children[0].family_name' \
    "$out")" = "$name" ]
check "no table was dropped or emptied" \
    [ "$(sql 'SELECT count(*) > 2 FROM children')" = 1 ]
printf '{"source":"police","reference":"K/1","concern":"x","children":[{"name":"Al Bo"}],"\\u001b]0;owned\\u0007":"x"}\n' >"$T/in"
expect 65 "a JSON key with escapes is refused: 65" mash-refer --json <"$T/in"
check "the message carries no escape to the terminal" \
    eval '! LC_ALL=C grep -q "$(printf "\033")" "$err"'
printf '{"source":"police","reference":"K/2","concern":"x","children":[{"name":"Secret Childname","nhs_number":"9434765871"}]}\n' >"$T/in"
expect 65 "a bad NHS number in JSON: 65" mash-refer --json <"$T/in"
check "the message does not carry the child's name" hasnt "Childname" "$err"
mash-refer --source police --ref K/3 --concern x --child 'Hidden Childname' \
    >/dev/null 2>&1
expect 0 "a duplicate: 0" mash-refer --source police --ref K/3 --concern x \
    --child 'Hidden Childname'
check "a duplicate's warning does not carry the child's name" \
    hasnt "Childname" "$err"

done_testing
