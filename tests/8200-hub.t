#!/bin/sh
# A hub install tried as its own users would try it (mash(7),
# DEPLOYMENT): make install-hub into a prefix of its own, the store made
# by root, and then, as unprivileged users who are not members of the
# programs' group, every rule that stops them reaching the store except
# through the programs.  Needs root, to make the group and the users.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # skip needs root: it makes a group and users"
	exit 0
fi
for c in setpriv useradd groupadd script sqlite3; do
	if ! command -v $c >/dev/null; then
		echo "1..0 # skip needs $c"
		exit 0
	fi
done
H=$(mktemp -d /tmp/mash-hub.XXXXXX)
chmod 0755 "$H"
if findmnt -T "$H" -no OPTIONS 2>/dev/null | grep -q nosuid; then
	rm -rf "$H"
	echo "1..0 # skip /tmp is mounted nosuid: no set-group-id there"
	exit 0
fi

plan 62

G=mashg$$
U=mashu$$		# the hub's first admin
W=mashw$$		# a Head who is also a screener and social worker
cleanup() {
	userdel "$U" 2>/dev/null; userdel "$W" 2>/dev/null
	groupdel "$G" 2>/dev/null
	rm -rf "$H" "$T"
}
trap cleanup EXIT
P=$H/prefix
D=$P/var/lib/mash
S=$D/mash.db

# as USER CMD...: run CMD as USER, with the user's own groups only and a
# plain environment, keeping its status and output as run does
as() {
	_u=$1
	shift
	run setpriv --reuid="$_u" --regid="$(id -g "$_u")" --clear-groups \
	    env -i PATH="$P/bin:/usr/bin:/bin" HOME="$H/home-$_u" \
	    LC_ALL=C.UTF-8 TZ=Europe/London ${EXTRA:-} "$@"
	EXTRA=
}

# expect_as STATUS DESC USER CMD...
expect_as() {
	_want=$1 _desc=$2
	shift 2
	as "$@"
	if [ "$rc" = "$_want" ]; then pass "$_desc"
	else fail "$_desc (exit $rc, wanted $_want)"; fi
}

# the store is whole and holds N cases
cases() {
	[ "$(sqlite3 -batch -readonly "$S" 'PRAGMA integrity_check')" = ok ] &&
	    [ "$(sqlite3 -batch -readonly "$S" 'SELECT count(*) FROM cases')" = "$1" ]
}

groupadd "$G"
for u in "$U" "$W"; do
	useradd -M -N -g nogroup -s /bin/sh "$u"
	mkdir -m 0700 "$H/home-$u"
	chown "$u" "$H/home-$u"
done

# --- the install ------------------------------------------------------------

# a build of its own, with plain flags: the sanitizers of make check-asan
# reach the environment, and LeakSanitizer cannot run set-group-id
(umask 022; env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$MASH_SRC" \
    install-hub PREFIX="$P" B="$H/build" BIN="$H/bin" MASH_GROUP="$G" \
    CFLAGS='-O2 -g' LDFLAGS=) >"$H/make.log" 2>&1
rc=$?
check "make install-hub into $P: exit 0" [ "$rc" = 0 ] ||
    sed 's/^/#   /' "$H/make.log" | tail -20
check "install-hub says how to make the store" \
    grep -q "mash-admin init --admin LOGIN" "$H/make.log"
check "every mash-VERB is set-group-id $G, mode 2755" sh -c "
	for p in admin refer screen request record decide overdue; do
		[ \"\$(stat -c %a:%U:%G '$P/bin/mash-'\$p)\" = 2755:root:$G ] ||
		    exit 1
	done"
check "the front end mash is not set-group-id" \
    [ "$(stat -c %a "$P/bin/mash")" = 755 ]
check "the store's directory is root:$G 2770" \
    [ "$(stat -c %a:%U:%G "$D")" = "2770:root:$G" ]

# --- the store, made by root -------------------------------------------------

expect_as 77 "a user may not make the hub's store" "$U" \
    mash-admin init --admin "$U"
run "$P/bin/mash-admin" init --admin "$U"
check "root makes it: mash-admin init --admin $U (exit $rc)" [ "$rc" = 0 ]
check "the store is 0660, group $G" [ "$(stat -c %a:%G "$S")" = "660:$G" ]
check "the admin named is registered, root is not" \
    [ "$(sqlite3 -batch -readonly "$S" "SELECT group_concat(login) FROM users")" = "$U" ]

# --- the store is reached only through the programs --------------------------

expect_as 1 "sqlite3 on the store is refused" "$U" sqlite3 -batch "$S" \
    'SELECT count(*) FROM audit'
check "sqlite3: permission denied" grep -qi 'unable to open\|denied' "$err"
expect_as 1 "the store cannot be read as a file" "$U" cat "$S"
expect_as 1 "nor removed" "$U" rm -f "$S"
check "the store is still there" [ -f "$S" ]

# --- every program works ------------------------------------------------------

expect_as 0 "the admin adds a Head" "$U" mash-admin user add "$W" \
    --role head,screener,social-worker --name 'Hana Head'
expect_as 0 "a contact is recorded" "$W" mash-refer --source police \
    --ref HUB/1 --concern 'Seen alone at night' --child 'Ava Hub' \
    --dob 2016-03-02 --consent given
expect_as 0 "it is screened and accepted" "$W" mash-screen 1 --rag red \
    --accept --assign "$W"
expect_as 0 "a request is sent" "$W" mash-request 1 police
expect_as 0 "and answered" "$W" mash-request --respond 1 --nil
expect_as 0 "the record is written" "$W" mash-record 1 \
    --summary 'Nothing known' --recommend nfa
expect_as 0 "the Head decides" "$W" mash-decide 1 --outcome nfa \
    --reason 'No concerns found'
expect_as 0 "the record is shown" "$W" mash-record 1 -o json
check "the record shows the decision" grep -q '"outcome":"nfa"' "$out"
expect_as 0 "the queues list" "$W" mash-screen -o json
expect_as 0 "mash-overdue runs: nothing overdue" "$W" mash-overdue
expect_as 0 "the admin's commands work" "$U" mash-admin user list -o json
check "the store holds the case" cases 1
# set-group-id, the C library refuses most zone files: the hub's must hold
EXTRA="TZ=UTC"; expect_as 0 "a contact received at 09:00 local" "$W" \
    mash-refer --source police --ref HUB/9 --concern 'Seen' \
    --child 'Cy Hub' --received-at '2026-06-04 09:00'
check "is due at 17:00 London time, whatever the caller's TZ" \
    [ "$(sqlite3 -batch -readonly "$S" "SELECT received_at || ' ' || screening_due
	FROM cases WHERE reference = 'HUB/9'")" = \
	'2026-06-04T08:00:00Z 2026-06-05T16:00:00Z' ]

# --- overrides grant nothing ---------------------------------------------------

EXTRA="MASH_USER=$U"; expect_as 77 "MASH_USER is refused" "$W" \
    mash-admin user list
check "it says why" grep -q "MASH_USER" "$err"
EXTRA="MASH_NOW=2030-01-01T00:00:00Z"; expect_as 77 "MASH_NOW is refused" \
    "$W" mash-overdue
check "it says why" grep -q "MASH_NOW" "$err"

# --- only the hub's store ------------------------------------------------------

expect_as 77 "-d naming another store is refused" "$U" \
    mash-admin -d "$H/home-$U/own.db" user list
EXTRA="MASH_DB=$H/home-$U/own.db"; expect_as 77 "so is MASH_DB" "$U" \
    mash-screen
EXTRA="MASH_DB=$S"; expect_as 0 "MASH_DB naming the hub's store is fine" \
    "$W" mash-screen -o json
expect_as 77 "init -d in the user's own directory is refused" "$U" \
    mash-admin init -d "$H/home-$U/own.db"
check "and makes no file" [ ! -e "$H/home-$U/own.db" ]
expect_as 77 "init -d into the store's directory is refused" "$U" \
    mash-admin init -d "$D/new.db"
check "and makes no file there" [ ! -e "$D/new.db" ]

# --- files the user names are the user's -------------------------------------

printf 'reference,concern,child_given_name,child_dob\nHUB/2,Seen,Bo,31/02/2016\n' \
    >"$H/bad.csv"
chmod 0644 "$H/bad.csv"
expect_as 73 "a reject file replacing the store is refused" "$W" \
    mash-refer --source police --csv "$H/bad.csv" --reject "$S"
check "the store is intact" cases 2
expect_as 73 "a backup into the store's directory is refused" "$U" \
    mash-admin backup "$D/copy.db"
check "and makes no file there" [ ! -e "$D/copy.db" ]
expect_as 0 "a backup into the user's own directory works" "$U" \
    mash-admin backup "$H/home-$U/copy.db"
check "the backup is the user's, mode 0600" \
    [ "$(stat -c %a:%U "$H/home-$U/copy.db")" = "600:$U" ]
check "the backup is a whole store" \
    [ "$(sqlite3 -batch "$H/home-$U/copy.db" 'SELECT count(*) FROM cases')" = 2 ]
expect_as 1 "a reject file in the user's directory is made" "$W" \
    mash-refer --source police --csv "$H/bad.csv" \
    --reject "$H/home-$W/rej.csv"
check "the reject file is the user's, mode 0600" \
    [ "$(stat -c %a:%U "$H/home-$W/rej.csv")" = "600:$W" ]

printf 'SECRET-LINE-4711,concern\nHUB/3,x\n' >"$H/group-only.csv"
chown root:"$G" "$H/group-only.csv"
chmod 0640 "$H/group-only.csv"
expect_as 66 "--csv of a file only the group may read is refused" "$W" \
    mash-refer --source police --csv "$H/group-only.csv"
check "without quoting it" hasnt SECRET-LINE "$err"
expect_as 66 "--map of such a file is refused" "$W" mash-refer \
    --source police --csv "$H/bad.csv" --map "$H/group-only.csv"
check "without quoting it" hasnt SECRET-LINE "$err"
check "nothing was recorded" cases 2

# --- the editor runs without the group ---------------------------------------

# an editor that is no shell script (a shell may drop the group itself,
# and hide whether mash did): it writes the groups it runs with
cat >"$H/ed.py" <<EOF
#!/usr/bin/python3
import os
with open(os.path.join(os.environ["HOME"], "groups"), "w") as f:
    print(os.getegid(), *os.getgroups(), file=f)
    print(*os.getresgid(), file=f)
raise SystemExit(1)
EOF
chmod 0755 "$H/ed.py"
EXTRA="EDITOR=$H/ed.py"; as "$W" script -qec mash-refer /dev/null
check "the editor ran" [ -s "$H/home-$W/groups" ]
gid=$(getent group "$G" | cut -d: -f3)
check "the editor holds no $G group, saved or effective: $(tr '\n' ' ' \
    <"$H/home-$W/groups")" \
    sh -c "! tr ' ' '\n' <'$H/home-$W/groups' | grep -qx '$gid'"

# --- mash-admin check sees the deployment -------------------------------------

expect_as 0 "check is clean on the hub" "$U" mash-admin check -o json
check "its deployment line is ok" \
    grep -q '"check":"deployment","status":"ok"' "$out"
chmod 0666 "$S"
expect_as 1 "a store others may write: check fails" "$U" \
    mash-admin check -o json
check "naming the deployment" \
    grep -q '"check":"deployment","status":"fail"' "$out"
chmod 0660 "$S"
chmod 2777 "$D"
expect_as 1 "a directory others may write: check fails" "$U" \
    mash-admin check -o json
check "naming the deployment" \
    grep -q '"check":"deployment","status":"fail"' "$out"
chmod 2770 "$D"
