#!/bin/sh
# A hub install attacked by its own users (mash(7), DEPLOYMENT): what a
# hostile user who is not a member of the programs' group tried, and
# what held.  One install, as 8200-hub.t makes it.  Needs root, to make
# the group and the users.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # skip needs root: it makes a group and users"
	exit 0
fi
for c in setpriv useradd groupadd script sqlite3 cc; do
	if ! command -v $c >/dev/null; then
		echo "1..0 # skip needs $c"
		exit 0
	fi
done
H=$(mktemp -d /tmp/mash-attack.XXXXXX)
chmod 0755 "$H"
if findmnt -T "$H" -no OPTIONS 2>/dev/null | grep -q nosuid; then
	rm -rf "$H"
	echo "1..0 # skip /tmp is mounted nosuid: no set-group-id there"
	exit 0
fi

plan 69

G=mashag$$
A=mashaa$$		# the admin
W=mashaw$$		# a Head who is also a screener and social worker
P=mashap$$		# a police officer
E=mashae$$		# a health officer
Q=mashaq$$		# the auditor
X=mashax$$		# a login the hub never registered
N=mashan$$		# a disabled screener
USERS="$A $W $P $E $Q $X $N"
cleanup() {
	# the editors' texts kept in /tmp, then the users
	for u in $USERS; do
		find /tmp -maxdepth 1 -name 'mash-edit.*' -user "$u" -delete
		userdel "$u"
	done 2>/dev/null
	groupdel "$G" 2>/dev/null
	rm -rf "$H" "$T"
}
trap cleanup EXIT
D=$H/prefix/var/lib/mash
S=$D/mash.db

# as USER CMD...: as 8200-hub.t, the user's own groups, a plain environment
as() {
	_u=$1
	shift
	run setpriv --reuid="$_u" --regid="$(id -g "$_u")" --clear-groups \
	    env -i PATH="$H/prefix/bin:/usr/bin:/bin" HOME="$H/home-$_u" \
	    LC_ALL=C.UTF-8 TZ=Europe/London ${EXTRA:-} "$@"
	EXTRA=
}

expect_as() {
	_want=$1 _desc=$2
	shift 2
	as "$@"
	if [ "$rc" = "$_want" ]; then pass "$_desc"
	else fail "$_desc (exit $rc, wanted $_want)"; fi
}

# the store is whole, holds N cases, and its audit chain verifies
whole() {
	[ "$(sqlite3 -batch -readonly "$S" 'PRAGMA integrity_check')" = ok ] &&
	    [ "$(sqlite3 -batch -readonly "$S" 'SELECT count(*) FROM cases')" = \
	    "$1" ] && as "$Q" mash-audit verify && [ "$rc" = 0 ]
}

# the store's -wal and -shm are there and the store owner's, not a user's
companions_rooted() {
	[ "$(stat -c %U:%G:%a "$S-wal" "$S-shm" | sort -u)" = "root:$G:660" ]
}

groupadd "$G"
for u in $USERS; do
	useradd -M -N -g nogroup -s /bin/sh "$u"
	mkdir -m 0700 "$H/home-$u"
	chown "$u" "$H/home-$u"
done
# plain flags, as 8200-hub.t says why
(umask 022; env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$MASH_SRC" \
    install-hub PREFIX="$H/prefix" B="$H/build" BIN="$H/bin" \
    MASH_GROUP="$G" CFLAGS='-O2 -g' LDFLAGS=) >"$H/make.log" 2>&1
rc=$?
check "make install-hub: exit 0" [ "$rc" = 0 ] ||
    sed 's/^/#   /' "$H/make.log" | tail -20
run "$H/prefix/bin/mash-admin" init --admin "$A"
check "root makes the store (exit $rc)" [ "$rc" = 0 ]
check "with its -wal and -shm, root's, kept when it closed" companions_rooted

expect_as 0 "the team is registered" "$A" sh -c "
	mash-admin user add $W --role head,screener,social-worker &&
	mash-admin user add $P --role agency --agency police &&
	mash-admin user add $E --role agency --agency health &&
	mash-admin user add $Q --role auditor &&
	mash-admin user add $N --role screener && mash-admin user disable $N"
expect_as 0 "a contact with the Head's secret" "$W" mash-refer \
    --source police --ref ATT/1 --concern 'MARKERCONCERN' \
    --child 'Markerchild Hub' --dob 2016-03-02 --consent given
expect_as 0 "it is accepted and asked of police and health" "$W" sh -c "
	mash-screen 1 --rag red --accept --assign $W >/dev/null &&
	mash-request 1 police health >/dev/null"
expect_as 0 "police answer" "$P" mash-request --respond 1 \
    --text 'MARKERPOLICE known to us'
check "after users' work the -wal and -shm are still root's" companions_rooted
check "and the -wal is emptied when the store is closed" [ ! -s "$S-wal" ]

# --- the store's files through this program's own descriptors ----------------

for fd in 3 4 5 6; do
	expect_as 66 "--csv /proc/self/fd/$fd is refused" "$W" mash-refer \
	    --source police --csv /proc/self/fd/$fd
done
expect_as 66 "--csv /dev/fd/4 is refused" "$W" mash-refer --source police \
    --csv /dev/fd/4
printf 'reference,concern,child_given_name\nATT/2,Seen,Bo\n' >"$H/ok.csv"
chmod 0644 "$H/ok.csv"
for fd in 4 5; do
	expect_as 66 "--map /proc/self/fd/$fd is refused" "$W" mash-refer \
	    --source police --csv "$H/ok.csv" --map /proc/self/fd/$fd
done
expect_as 73 "backup /proc/self/fd/4 is refused" "$A" mash-admin backup \
    /proc/self/fd/4
check "saying it exists, nothing more" has 'File exists' "$err"

# gnuplot is the user's own: its messages' file, a link to the store's
# -wal through mash-report's descriptors, would be quoted line by line
mkdir -m 0755 "$H/evil"
cat >"$H/evil/gnuplot" <<'EOF'
#!/bin/sh
rm -f errors && ln -s "/proc/self/fd/$FD" errors
exit 1
EOF
cat >"$H/evil/hold" <<'EOF'
#!/bin/sh
i=0
while [ ! -e "$HOME/go" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
exit 1
EOF
chmod 0755 "$H/evil/gnuplot" "$H/evil/hold"
# the attacker holds the store open (an editor that waits), so that the
# -wal made by the attacker's program would outlive the next writer's
setpriv --reuid="$W" --regid="$(id -g "$W")" --clear-groups env -i \
    PATH="$H/prefix/bin:/usr/bin:/bin" HOME="$H/home-$W" LC_ALL=C.UTF-8 \
    EDITOR="$H/evil/hold" script -qec mash-refer /dev/null \
    >/dev/null 2>&1 &
holder=$!
i=0
until pgrep -u "$W" -x mash-refer >/dev/null || [ $i -ge 50 ]; do
	sleep 0.1; i=$((i + 1))
done
hpid=$(pgrep -u "$W" -x mash-refer)
check "the attacker's program holds the store open" [ -n "$hpid" ]
expect_as 0 "meanwhile the admin records a contact" "$A" mash-refer \
    --source police --ref ATT/3 --concern 'MARKERADMIN' --child 'Adm Hub'
leaked=0
for fd in 3 4 5 6 7; do
	EXTRA="FD=$fd PATH=$H/evil:$H/prefix/bin:/usr/bin:/bin"
	as "$W" mash-report --plot "$H/home-$W/p$fd.svg"
	grep -q 'gnuplot: .' "$err" && leaked=1
	grep -qa MARKER "$err" && leaked=1
done
check "a fake gnuplot's link to /proc/self/fd/3-7 quotes nothing" \
    [ "$leaked" = 0 ]
expect_as 2 "the held program's descriptors are not the user's" "$W" \
    ls "/proc/$hpid/fd"
expect_as 1 "nor its environment or memory" "$W" sh -c \
    "cat /proc/$hpid/environ || head -c 1 /proc/$hpid/mem"
touch "$H/home-$W/go"
wait "$holder"

# --- a file of the programs' group is not read for a user ---------------------

printf 'reference,concern,child_given_name\nATT/4,GROUPFILE,Bo\n' \
    >"$H/home-$W/group.csv"
chown root:"$G" "$H/home-$W/group.csv"
chmod 0644 "$H/home-$W/group.csv"
expect_as 66 "--csv of a file in the group, though readable, is refused" \
    "$W" mash-refer --source police --csv "$H/home-$W/group.csv"
check "without quoting it" hasnt GROUPFILE "$err"
expect_as 66 "and --map of it" "$W" mash-refer --source police \
    --csv "$H/ok.csv" --map "$H/home-$W/group.csv"
check "nothing was recorded" whole 2

# --- the -wal and -shm are never a user's --------------------------------------

# root's read-write sqlite3 removes them when it closes the store
sqlite3 -batch "$S" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
check "root's sqlite3 removed them" [ ! -e "$S-wal" ]
expect_as 78 "without them a user's program refuses the store" "$W" \
    mash-screen -o json
check "naming the -wal and how to mend it" \
    has "'$S-wal' is missing or not the store owner's.*mash-admin check" \
    "$err"
check "and makes none of its own" sh -c '[ ! -e "$1" ] && [ ! -e "$2" ]' \
    - "$S-wal" "$S-shm"
run "$H/prefix/bin/mash-admin" check
check "root's mash-admin check makes them, though root is not a user" \
    companions_rooted
chown "$W" "$S-shm"
expect_as 78 "a -shm a user owns: the store is refused" "$W" mash-screen
run "$H/prefix/bin/mash-admin" check
check "root's program gives it back to the store's owner" companions_rooted
expect_as 0 "and the hub works again" "$W" mash-screen -o json

# --- descriptors 0-2 closed at exec --------------------------------------------

expect_as 74 "a contact with stdin, stdout and stderr closed: exit 74" "$W" \
    sh -c "exec mash-refer --source police --ref ATT/5 --concern c \
	--child 'Cl Fd' <&- >&- 2>&-"
expect_as 74 "a listing to a closed stdout: exit 74" "$W" sh -c \
    'exec mash-screen -o json >&-'
check "the store is whole, the contact recorded once" whole 3

# --- the environment -----------------------------------------------------------

printf '#include <stdio.h>\n__attribute__((constructor)) static void c(void)\n{ FILE *f = fopen("%s/preloaded", "w"); if (f) fclose(f); }\n' \
    "$H/home-$W" >"$H/pre.c"
cc -shared -fPIC -o "$H/pre.so" "$H/pre.c" && chmod 0755 "$H/pre.so"
EXTRA="LD_PRELOAD=$H/pre.so LD_LIBRARY_PATH=$H"
expect_as 0 "LD_PRELOAD and LD_LIBRARY_PATH: the program runs" "$W" \
    mash-screen -o json
check "without the user's library" [ ! -e "$H/home-$W/preloaded" ]
mkdir -m 0700 "$H/home-$W/tmp"
chown "$W" "$H/home-$W/tmp"
EXTRA="SQLITE_TMPDIR=$H/home-$W/tmp TMPDIR=$H/home-$W/tmp TZ=$S TZDIR=$D"
expect_as 0 "SQLITE_TMPDIR, TMPDIR, TZ and TZDIR at the store" "$W" \
    mash-record --list -o csv
check "no temporary file in the user's directory" \
    [ -z "$(ls -A "$H/home-$W/tmp")" ]
cat >"$H/evil/args" <<'EOF'
#!/bin/sh
printf '%s\n' "$(id -u):$(id -G)" "$@" >"$HOME/args"
exit 1
EOF
chmod 0755 "$H/evil/args"
as "$W" env "EDITOR=$H/evil/args --flag" script -qec mash-refer /dev/null
check "EDITOR with arguments runs them, as the user, without the group" \
    sh -c "head -2 '$H/home-$W/args' | tr '\n' ' ' |
	grep -qx '$(id -u "$W"):$(id -g "$W") --flag '"

# --- limits that make a write fail half way ------------------------------------

awk 'BEGIN { print "reference,concern,child_given_name,child_dob";
	for (i = 0; i < 3000; i++) printf "BIG/%d,Seen %d,Kid%d,2015-01-01\n",
	    i, i, i }' >"$H/big.csv"
chmod 0644 "$H/big.csv"
expect_as 74 "an import past RLIMIT_FSIZE: exit 74" "$W" sh -c \
    "ulimit -f 100; exec mash-refer --source police --csv '$H/big.csv'"
check "nothing imported, the store whole, the chain intact" whole 3
expect_as 74 "the same with SIGXFSZ ignored" "$W" sh -c \
    "trap '' XFSZ; ulimit -f 100; exec mash-refer --source police \
	--csv '$H/big.csv'"
check "nothing imported, the store whole" whole 3
for n in 4 5 6; do
	as "$W" prlimit --nofile=$n:$n mash-refer --source police \
	    --ref ATT/N$n --concern c --child 'No File'
	check "RLIMIT_NOFILE $n: refused (exit $rc)" \
	    [ "$rc" -gt 64 -a "$rc" -lt 80 ]
done
as "$W" prlimit --as=$((12 * 1024 * 1024)) mash-refer --source police \
    --csv "$H/big.csv"
check "RLIMIT_AS 12 MiB: the import fails (exit $rc)" \
    [ "$rc" -gt 64 -a "$rc" -lt 80 ]
check "nothing imported, the store whole" whole 3

# --- signals -------------------------------------------------------------------

awk 'BEGIN { print "reference,concern,child_given_name";
	for (i = 0; i < 30000; i++) printf "K/%d,Seen,Kid%d\n", i, i }' \
    >"$H/huge.csv"
chmod 0644 "$H/huge.csv"
setpriv --reuid="$W" --regid="$(id -g "$W")" --clear-groups env -i \
    PATH="$H/prefix/bin:/usr/bin:/bin" HOME="$H/home-$W" \
    mash-refer --source police --csv "$H/huge.csv" >/dev/null 2>&1 &
pid=$!
sleep 0.5
expect_as 0 "the user may SIGKILL their own import mid-transaction" "$W" \
    kill -KILL "$pid"
wait "$pid" 2>/dev/null
check "nothing of it is kept, the store whole, the chain intact" whole 3
check "the -wal and -shm are still root's" companions_rooted

# --- ptrace ---------------------------------------------------------------------

if command -v strace >/dev/null; then
	expect_as 77 "under strace the program has no group: store refused" \
	    "$W" strace -o /dev/null mash-screen
else
	pass "# skip strace is not installed"
fi

# --- who may see what ------------------------------------------------------------

expect_as 77 "a login the hub never registered" "$X" mash-screen
check "is told so" has "user '$X' is not registered" "$err"
expect_as 77 "a disabled user" "$N" mash-screen
run setpriv --reuid=54321 --regid=54321 --clear-groups env -i \
    "$H/prefix/bin/mash-screen"
check "a user id with no login name (exit $rc)" [ "$rc" = 77 ]
expect_as 77 "health may not list police's requests" "$E" mash-request \
    --agency police
expect_as 0 "health sees the case it is asked about" "$E" mash-record 1 \
    -o json
check "but not police's answer" hasnt MARKERPOLICE "$out"
expect_as 77 "nor may health answer for police" "$E" mash-request \
    --respond 1 --text x
expect_as 77 "the auditor does no screening" "$Q" mash-screen 1 --rag green
expect_as 77 "nor lists cases" "$Q" mash-screen -o json
expect_as 77 "nor children's names" "$Q" mash-overdue --names
expect_as 77 "a Head may not read the audit trail" "$W" mash-audit verify
check "after it all, the store is whole and the chain verifies" whole 3
