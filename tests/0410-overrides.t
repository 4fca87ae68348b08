#!/bin/sh
# MASH_USER and MASH_NOW grant nothing (mash(7), ENVIRONMENT): obeyed
# on a store the real user owns, refused with 77 on anyone else's.
# Giving a store to another user needs root; the rest runs as anyone.
. "$(dirname "$0")/lib.sh"

plan 16

new_store
me=$(id -un)
mash-admin user add "$me" --role head,screener,social-worker 2>"$err"
as head mash-refer --source police --ref OV/1 --concern 'Seen alone' \
    --child 'Ava Over' --dob 2016-03-02 >/dev/null 2>"$err"

expect 0 "on one's own store MASH_USER is obeyed" \
    env MASH_USER=head mash-screen 1 --rag red -o json
check "the screening was made by 'head'" \
    [ "$(sql "SELECT actor FROM audit WHERE action = 'screen'")" = head ]
expect 0 "on one's own store MASH_NOW is obeyed" \
    env MASH_USER=head MASH_NOW=2026-01-05T10:00:00Z mash-screen -o json
expect 0 "MASH_USER set but empty is not set: the real user acts" \
    env MASH_USER= mash-screen -o json

if [ "$(id -u)" != 0 ]; then
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		skip "a store another user owns: needs root to give it away"
	done
	exit 0
fi
chown 65534 "$MASH_DB" "$MASH_DB"-* 2>/dev/null
unset MASH_USER
snapshot "$T/before"
audits=$(sql 'SELECT count(*) FROM audit')

# the reproduction: anyone could act as the Head
expect 77 "someone else's store: MASH_USER=head deciding is refused" \
    env MASH_USER=head mash-decide 1 --outcome nfa --reason x
check "it names MASH_USER and says why" \
    has "MASH_USER is set: it is obeyed only on a store of your own" "$err"
expect 77 "someone else's store: MASH_NOW is refused" \
    env MASH_NOW=9999-12-31T23:59:59Z mash-overdue
check "it names MASH_NOW" has "MASH_NOW is set" "$err"
expect 77 "someone else's store: MASH_NOW refused for a contact too" \
    env MASH_NOW=9999-12-31T23:59:59Z mash-refer --source police \
    --ref OV/2 --concern x --child 'Bo Over'
expect 77 "MASH_USER naming oneself is refused all the same" \
    env MASH_USER="$me" mash-screen -o json
snapshot "$T/after"
check_same "nothing was written by a refused command" "$T/before" \
    "$T/after"
check "not even an audit row" \
    [ "$(sql 'SELECT count(*) FROM audit')" = "$audits" ]
expect 0 "without overrides the real user acts on it" \
    mash-screen 1 --rag amber --reason 'Seen again' -o json
check "and is who the trail names" \
    [ "$(sql "SELECT actor FROM audit ORDER BY id DESC LIMIT 1")" = "$me" ]
expect 0 "an empty MASH_USER is no override" env MASH_USER= \
    mash-screen -o json
expect 0 "an empty MASH_NOW is no override" env MASH_NOW= \
    mash-screen -o json
