#!/bin/sh
# When the machine lets the hub down: standard output on a full device,
# a disk that fills during an import, a store made read-only, a store
# whose directory is gone, a file that is no store at all, and a store
# with damaged pages.  Each gives a status from the table of mash(7) and
# a message naming what failed, never a crash; nothing is left half
# written; and mash-admin check reports the damage.
. "$(dirname "$0")/lib.sh"

plan 64

MASH_NOW=2026-03-10T10:00:00Z	# a Tuesday
export MASH_NOW
mounts=
trap 'for m in $mounts; do umount "$m"; done 2>/dev/null
    chattr -i "$T/immutable.db" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM

new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
mash-admin user add boss --role head,screener,social-worker \
    >/dev/null 2>&1 || echo "Bail out! cannot add a user"
MASH_USER=boss

# rows N FILE: a CSV file of N referrals, one child each
rows() {
	awk -v n="$1" 'BEGIN {
		print "reference,source,child_given_name,child_family_name," \
		    "child_dob,consent,concern"
		for (i = 1; i <= n; i++)
			printf "FLT/%d,police,Fay%c%c,Faulttest%d,%04d-%02d-%02d," \
			    "given,Concern %d\n", i, 97 + i % 26,
			    97 + int(i / 26) % 26, i, 2010 + i % 12,
			    1 + int(i / 12) % 12, 1 + i % 28, i
	}' >"$2"
}

# in_table: the last status is one of the table in mash(7), not a
# signal's
in_table() {
	case $rc in
	0|1|64|65|66|70|73|74|75|77|78) return 0 ;;
	esac
	return 1
}

# --- standard output on a full device -------------------------------------

# a store with something in every list: cases new, screened, in the hub
# with an open request, recorded; and, a week on, all of them overdue
rows 200 "$T/rows.csv"
mash-refer --csv "$T/rows.csv" 2>/dev/null
for c in 1 2 3; do
	mash-screen "$c" --rag red >/dev/null 2>&1
	mash-screen "$c" --accept --assign boss >/dev/null 2>&1
done
mash-request 1 police >/dev/null 2>&1
mash-record 2 --summary 'Collated' --recommend nfa >/dev/null 2>&1
mash-screen 4 --rag green >/dev/null 2>&1
[ "$(sql "SELECT group_concat(state) FROM cases WHERE id <= 4")" = \
    mash,recorded,mash,screened ] || echo "Bail out! cannot set up cases"

# full DESC USER CMD...: CMD writes to /dev/full: 74, saying so
full() {
	_d=$1 _u=$2
	shift 2
	as "$_u" "$@" >/dev/full 2>"$err"
	rc=$?
	if [ "$rc" = 74 ] && has 'cannot write standard output' "$err"; then
		pass "$_d to /dev/full: 74, and says so"
	else
		fail "$_d to /dev/full: 74, and says so (exit $rc)"
	fi
}

full "mash-admin --version" admin mash-admin --version
full "mash-admin -h" admin mash-admin -h
full "mash-admin user list" admin mash-admin user list -o json
full "mash-admin config" admin mash-admin config -o csv
full "mash-admin holiday list" admin mash-admin holiday list -o table
full "mash-admin criteria list" admin mash-admin criteria list
full "mash-admin check" admin mash-admin check
full "mash-refer, a new contact" boss mash-refer -o json --source school \
    --ref FULL/1 --concern 'Printed nowhere' --child 'Nia Nowhere'
full "the screening queue, json" boss mash-screen -o json
full "the screening queue, csv" boss mash-screen -o csv
full "the screening queue, table" boss mash-screen -o table
full "mash-screen, a screening" boss mash-screen 5 --rag amber
full "mash-request, the list" boss mash-request --all -o json
full "mash-record, a record" boss mash-record 1 -o json
full "mash-record --list" boss mash-record --list -o csv
full "mash-decide, the list" boss mash-decide -o json
MASH_NOW=2026-03-17T10:00:00Z
full "mash-overdue, with items overdue (not 1)" boss mash-overdue -o json
full "mash-overdue --names, a table" boss mash-overdue --names -o table
MASH_NOW=2026-03-10T10:00:00Z
expect 0 "nothing to print, nothing to fail: mash-overdue -o json" \
    as boss mash-overdue --kind request --rag green -o json
run as boss mash-screen -o json
check "the queue is larger than a buffer of output" \
    [ "$(wc -c <"$out")" -gt 65536 ]

# --- a full disk during an import -----------------------------------------

rows 5000 "$T/big.csv"

# imported N: the store holds N of the file's cases, and is whole
imported() {
	[ "$(sql "SELECT count(*) FROM cases WHERE reference LIKE 'FLT/%'")" \
	    = "$1" ] && [ "$(sql 'PRAGMA integrity_check')" = ok ]
}

# a filesystem of our own that fills: a small tmpfs, where we may mount
mkdir "$T/small"
if mount -t tmpfs -o size=1m,mode=0700 tmpfs "$T/small" 2>/dev/null; then
	mounts="$T/small"
	MASH_DB=$T/small/mash.db
	MASH_USER=admin mash-admin init 2>"$err"
	snapshot "$T/before"
	expect 74 "a disk that fills during an import: 74" \
	    as admin mash-refer --csv "$T/big.csv"
	check "it says the disk is full and nothing was written" \
	    has "store '$MASH_DB': disk full: nothing was written" "$err"
	snapshot "$T/after"
	check_same "nothing of the import is there" "$T/before" "$T/after"
	check "the store is whole" [ "$(sql 'PRAGMA integrity_check')" = ok ]
	mount -o remount,size=64m "$T/small"
	expect 0 "with room again, the import runs: 0" \
	    as admin mash-refer --csv "$T/big.csv"
	check "with room again, all 5000 are there" imported 5000
	MASH_DB=$T/mash.db
else
	for t in 1 2 3 4 5 6; do
		skip "a disk that fills: cannot mount a tmpfs here"
	done
fi

# a file size limit, as a full disk looks to one process: SQLite must
# see the write fail, not the process die of SIGXFSZ
cp "$MASH_DB" "$T/limit.db"
MASH_DB=$T/limit.db
snapshot "$T/before"
(ulimit -f 2048; exec mash-refer --csv "$T/big.csv") >"$out" 2>"$err"
rc=$?
check "past the file size limit: 74, not killed by SIGXFSZ (exit $rc)" \
    [ "$rc" = 74 ]
check "past the file size limit: it names the store" \
    has "'$MASH_DB'" "$err"
snapshot "$T/after"
check_same "past the file size limit: nothing of the import is there" \
    "$T/before" "$T/after"
check "past the file size limit: the store is whole" \
    [ "$(sql 'PRAGMA integrity_check')" = ok ]
expect 0 "without the limit the import runs: 0" mash-refer --csv "$T/big.csv"
check "without the limit, all 5000 are there" imported 5000
MASH_DB=$T/mash.db

# --- a read-only store ----------------------------------------------------

# named: the last command's message names the store
named() { has "'$MASH_DB'" "$err"; }

# unwritten REF: no case has that reference, as the store's file says
# (read as it is: a read-only filesystem has no room for SQLite's
# shared-memory file)
unwritten() {
	[ "$(sqlite3 -batch "file:$MASH_DB?immutable=1" "SELECT count(*)
	    FROM cases WHERE reference = '$1'")" = 0 ]
}

# readonly_store DESC: a write to the store $MASH_DB can no longer be
# made: refused with 73, naming the store, nothing written; a listing
# still works, or fails naming the store (and not as if it were gone)
readonly_store() {
	expect 73 "$1: a new contact is refused: 73" mash-refer --source \
	    police --ref RO/1 --concern 'Not written' --child 'Rae Readonly'
	check "$1: the message names the store" named
	check "$1: nothing was written" unwritten RO/1
	run mash-screen -o json
	check "$1: the queue: 0, or an error naming the store (exit $rc)" \
	    eval '[ "$rc" = 0 ] || { [ "$rc" != 66 ] && in_table && named; }'
}

# root may write whatever a file's mode says: an immutable file, or a
# read-only filesystem, is what stops root
cp "$T/mash.db" "$T/immutable.db"
if [ "$(id -u)" != 0 ]; then
	MASH_DB=$T/immutable.db
	chmod 0440 "$MASH_DB"
	readonly_store "a store of mode 0440"
	chmod 0660 "$MASH_DB"
elif chattr +i "$T/immutable.db" 2>/dev/null; then
	MASH_DB=$T/immutable.db
	readonly_store "an immutable store"
	chattr -i "$MASH_DB"
else
	for t in 1 2 3 4; do
		skip "a store made read-only: root, and no chattr +i here"
	done
fi
mkdir "$T/ro"
if mount -t tmpfs -o size=8m,mode=0700 tmpfs "$T/ro" 2>/dev/null; then
	mounts="$T/ro $mounts"
	cp "$T/mash.db" "$T/ro/mash.db"
	mount -o remount,ro "$T/ro"
	MASH_DB=$T/ro/mash.db
	readonly_store "a store on a read-only filesystem"
else
	for t in 1 2 3 4; do
		skip "a read-only filesystem: cannot mount a tmpfs here"
	done
fi
MASH_DB=$T/mash.db

# --- a missing directory, and files that are no store ---------------------

# each PATH STATUS WHAT: every program, given the store PATH, exits
# STATUS naming it (WHAT: a word of the message)
each() {
	_bad=
	for _p in "mash-admin config" "mash-refer --source police --ref X/1
	    --concern x --child Xan" "mash-screen" "mash-request --all" \
	    "mash-record --list" "mash-decide" "mash-overdue"; do
		# shellcheck disable=SC2086
		run $_p -d "$1"
		if [ "$rc" != "$2" ] || ! has "'$1'" "$err" ||
		    ! grep -q -i -- "$3" "$err"; then
			_bad="$_bad ${_p%% *}:$rc"
		fi
	done
	[ -z "$_bad" ] || { echo "#  $_bad"; sed 's/^/#   /' "$err"; return 1; }
}

check "a store in a missing directory: 66 from every program, naming it" \
    each "$T/gone/mash.db" 66 'no such file'
expect 73 "mash-admin init in a missing directory: 73" \
    mash-admin init -d "$T/gone/mash.db"
check "init in a missing directory: names the store" \
    has "'$T/gone/mash.db'" "$err"
expect 66 "MASH_DB in a missing directory: 66" \
    env MASH_DB="$T/gone/mash.db" mash-screen

printf 'reference,source\nR/1,police\n' >"$T/text.db"
check "a text file: 65 from every program, naming it" \
    each "$T/text.db" 65 'not a'
: >"$T/empty.db"
check "an empty file: 65 from every program, naming it" \
    each "$T/empty.db" 65 'not a mash store'
check "an empty file is left empty" [ ! -s "$T/empty.db" ]
sqlite3 "$T/other.db" 'CREATE TABLE t (x); INSERT INTO t VALUES (1)'
check "another program's SQLite file: 65 from every program, naming it" \
    each "$T/other.db" 65 'not a mash store'
mkdir "$T/dir.db"
check "a directory: 65 from every program, naming it" \
    each "$T/dir.db" 65 'not a file'
expect 65 "mash-admin check of a text file: 65" mash-admin check \
    -d "$T/text.db"

# --- damaged pages ---------------------------------------------------------

# the store of the import above, its log folded in, with all its pages
cp "$T/limit.db" "$T/good.db"
sqlite3 "$T/good.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
check "the store to damage is whole" \
    [ "$(sqlite3 "$T/good.db" 'PRAGMA integrity_check')" = ok ]

# page TABLE TYPE [index]: the first page of that type (leaf,
# internal) of the b-tree of TABLE, or of the first index on it
page() {
	_w="name = '$1'"
	[ $# = 3 ] && _w="name IN (SELECT name FROM sqlite_schema WHERE
	    type = 'index' AND tbl_name = '$1')"
	sqlite3 "$T/good.db" "SELECT pageno FROM dbstat WHERE $_w AND
	    pagetype = '$2' ORDER BY pageno LIMIT 1"
}

# damage HOW PAGE: a copy of the good store with one page overwritten:
# "noise" (the same noise each run) or "zero"
damage() {
	cp "$T/good.db" "$T/bad.db"
	python3 - "$T/bad.db" "$1" "$2" <<'PY'
import random, sys
path, how, page = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(7)
size = 4096
with open(path, 'r+b') as f:
    f.seek((page - 1) * size)
    f.write(bytes(random.randrange(256) for _ in range(size))
            if how == 'noise' else bytes(size))
PY
}

# programs DESC: every program, on the damaged store, exits with a
# status of the table, names the store when it fails, and never crashes
programs() {
	_bad=
	for _p in "mash-screen -o json" "mash-record --list -o json" \
	    "mash-record 3 -o json" "mash-request --all -o json" \
	    "mash-decide -o json" "mash-overdue -o json" \
	    "mash-refer -o json --source police --ref DMG/1 --concern x
	    --child Dot --dob 2014-02-03" "mash-screen 7 --rag red -o json"; do
		# shellcheck disable=SC2086
		run as boss $_p -d "$T/bad.db"
		if ! in_table || [ "$rc" = 70 ] || { [ "$rc" -gt 1 ] &&
		    ! has "'$T/bad.db'" "$err"; }; then
			_bad="$_bad ${_p%% -*}:$rc"
		fi
		echo "${_p%% -*}:$rc" >>"$T/damage.log"
	done
	[ -z "$_bad" ] || { echo "#  $_bad"; sed 's/^/#   /' "$err"; return 1; }
}

# reported: mash-admin check exits 1, its integrity check failing
reported() {
	run as admin mash-admin check -o json -d "$T/bad.db"
	[ "$rc" = 1 ] && jqtrue -s 'any(.check == "integrity" and
	    .status == "fail")' "$out"
}

for d in "noise $(page cases leaf)" "zero $(page cases internal)" \
    "noise $(page children leaf index)" "zero $(page audit leaf)"; do
	# shellcheck disable=SC2086
	damage $d
	: >"$T/damage.log"
	check "damaged ($d): every program fails cleanly or works" \
	    programs
	echo "#   $(tr '\n' ' ' <"$T/damage.log")"
	check "damaged ($d): mash-admin check reports it, exit 1" reported
done

# a store cut short: SQLite cannot read it at all
cp "$T/good.db" "$T/bad.db"
truncate -s $(($(stat -c %s "$T/good.db") / 2)) "$T/bad.db"
check "cut short: every program fails cleanly" programs
MASH_DB=$T/bad.db
run as admin mash-admin check -o json
check "cut short: mash-admin check says so, 1 or 65 (exit $rc)" \
    eval '{ [ "$rc" = 1 ] || [ "$rc" = 65 ]; } && named'

# a header that is not SQLite's
cp "$T/good.db" "$T/bad.db"
printf 'This is no store' | dd of="$T/bad.db" conv=notrunc 2>/dev/null
check "a damaged header: every program fails cleanly" programs
expect 65 "a damaged header: mash-admin check, 65" \
    as admin mash-admin check -d "$T/bad.db"
check "a damaged header: the message names the store" \
    has "'$T/bad.db'" "$err"

done_testing
