#!/bin/sh
# mash-admin user set: a user's roles, name and agency change, audited;
# the last admin keeps the role and stays enabled, and an agency officer
# keeps an agency
. "$(dirname "$0")/lib.sh"

plan 33

new_store
roles() { sql "SELECT roles FROM users WHERE login = '$1'"; }
# the enabled admins, by login
admins() { sql "SELECT group_concat(login) FROM (SELECT login FROM users
    WHERE enabled = 1 AND ',' || roles || ',' LIKE '%,admin,%'
    ORDER BY login) AS a"; }

expect 0 "a screener becomes a screener and Head" \
    mash-admin user set screener --role screener,head
check "the roles are changed" [ "$(roles screener)" = screener,head ]
check "the change is audited, naming the fields" \
    [ "$(sql "SELECT details FROM audit WHERE action = 'user-set'")" = \
    '{"login":"screener","changed":["roles"],"roles":"screener,head"}' ]
expect 0 "a name alone" mash-admin user set sw --name 'Kim Osei'
check "the name is changed, the roles kept" \
    [ "$(sql "SELECT name || '/' || roles FROM users WHERE login = 'sw'")" = \
    'Kim Osei/social-worker' ]
check "the audit row names the field, not the name" \
    [ "$(sql "SELECT details FROM audit WHERE action = 'user-set'
	ORDER BY id DESC LIMIT 1")" = '{"login":"sw","changed":["name"]}' ]
expect 0 "an officer moves agency" mash-admin user set pc --agency health
check "the agency is changed" \
    [ "$(sql "SELECT agency FROM users WHERE login = 'pc'")" = health ]
expect 0 "the Head is made an admin too" \
    mash-admin user set head --role head,admin
expect 0 "so the first admin may stop being one" \
    mash-admin user set admin --role screener
check "the first admin is a screener now" [ "$(roles admin)" = screener ]

snapshot "$T/before"
expect 65 "the last admin cannot lose the role" \
    env MASH_USER=head mash-admin user set head --role head
check "it says why" has "the last admin" "$err"
expect 65 "the role agency needs an agency" \
    env MASH_USER=head mash-admin user set sw --role agency
check "it says so" has "needs --agency" "$err"
expect 65 "an unknown role is refused" \
    env MASH_USER=head mash-admin user set sw --role boss
expect 65 "an unknown agency is refused" \
    env MASH_USER=head mash-admin user set pc --agency mi6
expect 66 "no such user" env MASH_USER=head mash-admin user set zed \
    --name Zed
expect 64 "nothing to set: usage" env MASH_USER=head mash-admin user set sw
expect 77 "only an admin may change a user" \
    env MASH_USER=sw mash-admin user set sw --role head
snapshot "$T/after"
check_same "no refusal changed anything" "$T/before" "$T/after"
expect 0 "the admin may then hand on the role" \
    env MASH_USER=head mash-admin user set sw --role social-worker,admin

# --- the last admin stays enabled and an admin ---------------------------

check "two admins now" [ "$(admins)" = head,sw ]
expect 0 "one of two admins may be disabled" \
    env MASH_USER=head mash-admin user disable sw
snapshot "$T/before"
expect 65 "the last admin cannot be disabled" \
    env MASH_USER=head mash-admin user disable head
check "it says why" has "user 'head' is the last admin: not disabling them" \
    "$err"
expect 65 "nor lose the role for others" \
    env MASH_USER=head mash-admin user set head --role screener,head
check "it says why" \
    has "user 'head' is the last admin: they keep the role 'admin'" "$err"
snapshot "$T/after"
check_same "neither refusal changed anything, nor was audited" \
    "$T/before" "$T/after"
check "the store still has its enabled admin" [ "$(admins)" = head ]
expect 0 "a disabled admin may lose the role" \
    env MASH_USER=head mash-admin user set sw --role social-worker
expect 0 "and is enabled again without it" \
    env MASH_USER=head mash-admin user enable sw
check "the last admin is still the one" [ "$(admins)" = head ]
