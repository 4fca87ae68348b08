# tests/lib.sh: a little TAP for the shell tests (after mblaze's and git's)
#
# Each test file sources this, calls plan, and runs commands through
# run, which keeps their status in $rc, their output in $out and $err
# (files), and never hides a status behind a pipe.

set -u
: "${MASH_BIN:=$(cd "$(dirname "$0")/.." && pwd)/bin}"
: "${MASH_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
PATH=$MASH_BIN:$PATH
TZ=Europe/London
LC_ALL=C.UTF-8
export PATH TZ LC_ALL
unset MASH_DB MASH_USER MASH_NOW NO_COLOR VISUAL EDITOR

T=$(mktemp -d "${TMPDIR:-/tmp}/mash-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
out=$T/stdout
err=$T/stderr
rc=0
ntest=0
nfail=0

plan() { echo "1..$1"; }

pass() { ntest=$((ntest + 1)); echo "ok $ntest - $*"; }

fail() {
	ntest=$((ntest + 1)); nfail=$((nfail + 1))
	echo "not ok $ntest - $*"
	if [ -s "$err" ]; then sed 's/^/#   stderr: /' "$err" | head -20; fi
	if [ -s "$out" ]; then sed 's/^/#   stdout: /' "$out" | head -20; fi
}

# run CMD...: run a command, stdin from the caller, keeping status and output
run() {
	"$@" >"$out" 2>"$err"
	rc=$?
	if [ $rc -gt 128 ]; then
		echo "# '$*' died of signal $((rc - 128))" >&2
	fi
	return 0
}

# expect STATUS DESC CMD...: the command exits with STATUS exactly
expect() {
	want=$1 desc=$2
	shift 2
	run "$@"
	if [ "$rc" = "$want" ]; then pass "$desc"
	else fail "$desc (exit $rc, wanted $want)"; fi
}

# check DESC CMD...: the command succeeds (a shell condition, say)
check() {
	desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# has PATTERN FILE: grep -q, quietly
has() { grep -q -- "$1" "$2"; }
hasnt() { ! grep -q -- "$1" "$2"; }

# check_same DESC WANT GOT: two files are the same, with a diff if not
check_same() {
	if cmp -s "$2" "$3"; then pass "$1"
	else fail "$1"; diff -u "$2" "$3" | sed 's/^/#   /' | head -40; fi
}

# a fresh store with an admin, a head, a screener, two social workers
# and a police officer; MASH_USER is the admin afterwards.  Under make
# check-pg (MASH_PG: the server's socket directory) it is a new
# database of that server, owned by the role admin.
new_store() {
	MASH_DB=$T/mash.db
	if [ -n "${MASH_PG:-}" ]; then
		_pgdb=$((${_pgdb:-0} + 1))
		pg_admin -c 'CREATE ROLE admin LOGIN IN ROLE mash' \
		    >/dev/null 2>&1
		pg_admin -c "CREATE DATABASE \"$_pgname$_pgdb\" OWNER admin" \
		    >/dev/null || return 1
		MASH_DB="postgresql:///$_pgname$_pgdb?host=$MASH_PG"
	fi
	export MASH_DB
	rm -f "$MASH_DB" "$MASH_DB-wal" "$MASH_DB-shm"
	# init says what it made: only a failure is worth showing here
	MASH_USER=admin mash-admin init 2>"$T/init.err" ||
	    { cat "$T/init.err" >&2; return 1; }
	if [ -n "${MASH_PG:-}" ]; then
		"$MASH_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -U mashtest \
		    -d "$MASH_DB" -f "$MASH_SRC/tests/pg/sqlite-shim.sql" \
		    >/dev/null || return 1
	fi
	MASH_USER=admin
	export MASH_USER
	mash-admin user add head --role head --name 'Hana Head' &&
	mash-admin user add screener --role screener &&
	mash-admin user add sw --role social-worker &&
	mash-admin user add sw2 --role social-worker &&
	mash-admin user add pc --role agency --agency police
}

# store_copy NAME: a copy of the store as it is now, its location in
# $copy: the file $T/NAME.db, or under make check-pg a new database of
# the server made from the store (which nothing may be connected to)
store_copy() {
	case $MASH_DB in
	postgresql://*)
		_pgdb=$((_pgdb + 1)) _src=${MASH_DB#postgresql:///}
		pg_admin -c "CREATE DATABASE \"$_pgname$_pgdb\" OWNER admin
		    TEMPLATE \"${_src%%\?*}\"" >/dev/null || return 1
		copy="postgresql:///$_pgname$_pgdb?host=$MASH_PG" ;;
	*)	copy=$T/$1.db
		cp "$MASH_DB" "$copy" ;;
	esac
}

# store_version [N]: the store's schema version, or set it to N as a
# newer program would have (SQLite's user_version, PostgreSQL's
# mash_meta)
store_version() {
	case $MASH_DB in
	postgresql://*)
		if [ $# -gt 0 ]; then sql "UPDATE mash_meta SET version = $1"
		else sql "SELECT version FROM mash_meta"; fi ;;
	*)	sql "PRAGMA user_version${1:+ = $1}" ;;
	esac
}

# as USER CMD...: run a command as another registered user
as() {
	u=$1
	shift
	env MASH_USER="$u" "$@"
}

# a newline and a carriage return, to write into SQL literals, which
# both engines read as they are (SQLite's char(10) is not PostgreSQL's)
nl='
'
cr=$(printf '\r')

# sql QUERY: read the store directly, as a check from outside.  The
# query is written once for both engines: on a PostgreSQL store, the
# schema sqlite_shim that new_store installs (tests/pg/sqlite-shim.sql)
# gives it SQLite's group_concat, json_group_array, ifnull, hex, quote,
# json_extract and json_array_length.  Only this session has that schema
# on its search path: the programs set search_path = public themselves,
# so none of them can come to depend on the shim.
sql() {
	case $MASH_DB in
	postgresql://*)
		PGOPTIONS="${PGOPTIONS:-} -c search_path=public,sqlite_shim" \
		    "$MASH_PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
		    -U mashtest -d "$MASH_DB" -c "$1" ;;
	*)	sqlite3 -batch -noheader "$MASH_DB" "$1" ;;
	esac
}

done_testing() {
	[ "$nfail" -eq 0 ]
}

# snapshot FILE: the whole store as SQL text, to show nothing was
# written.  On PostgreSQL: without the tests' sqlite_shim, with a fixed
# key for psql's \restrict (pg_dump otherwise draws one anew), and
# without the identity sequences' positions, which a rolled-back insert
# moves on too (no row is written: the next id merely skips one)
snapshot() {
	case $MASH_DB in
	postgresql://*)
		"$MASH_PGBIN/pg_dump" -U mashtest -N sqlite_shim \
		    --restrict-key=mashtest -d "$MASH_DB" >"$1.dump" &&
		    grep -v '^SELECT pg_catalog.setval(' "$1.dump" >"$1"
		_rc=$?
		rm -f "$1.dump"
		return $_rc ;;
	*)	sqlite3 -batch "$MASH_DB" .dump >"$1" ;;
	esac
}

# json_lines FILE: one JSON object a line, and at least one line
json_lines() {
	jq -R -n -e '[inputs | fromjson | type == "object"] |
	    length > 0 and all' "$1" >/dev/null 2>&1
}

# csv_ok FILE: strict RFC 4180: CRLF after every record, a quote only
# around a whole field (doubled inside it), every record as wide as the
# header
csv_ok() {
	python3 - "$1" <<'PY'
import csv, io, re, sys
data = open(sys.argv[1], 'rb').read().decode('utf-8')
field = r'(?:"(?:[^"]|"")*"|[^",\r\n]*)'
if not data or not re.fullmatch(r'(?:%s(?:,%s)*\r\n)+' % (field, field),
    data):
    sys.exit(1)
rows = list(csv.reader(io.StringIO(data, newline=''), strict=True))
sys.exit(0 if len({len(r) for r in rows}) == 1 else 1)
PY
}

# csv_value FILE ROW COLUMN: a field of a data row (from 1), by header
csv_value() {
	python3 - "$@" <<'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.DictReader(f))
sys.stdout.write(rows[int(sys.argv[2]) - 1][sys.argv[3]])
PY
}

# silent: the last command run printed nothing, on either output
silent() { [ ! -s "$out" ] && [ ! -s "$err" ]; }

# jqtrue FILTER FILE...: jq -e, quietly: the last output is neither false nor null
jqtrue() { jq -e "$@" >/dev/null; }

# case_in STATE [CONSENT]: a new case (consent 'given' unless named)
# taken to STATE (new, screened, mash, recorded, closed) by the users of
# new_store: screened amber by the Head, assigned to sw, recorded by sw
# (recommending nfa), decided nfa.  Its id goes in $cid; $out and $err
# are left alone.  The child has no date of birth, so matches nothing.
case_in() {
	_ncase=$((${_ncase:-0} + 1))
	_step admin mash-refer --source police --ref "TEST/$_ncase" \
	    --concern 'Test concern' --child 'Casey Testchild' \
	    --consent "${2:-given}" || return 1
	cid=$(jq -r .id "$T/case_in.json")
	case $1 in new) return 0 ;; esac
	_step head mash-screen "$cid" --rag amber || return 1
	case $1 in screened) return 0 ;; esac
	_step head mash-screen "$cid" --accept --assign sw || return 1
	case $1 in mash) return 0 ;; esac
	_step sw mash-record "$cid" --summary 'Test summary' \
	    --recommend nfa || return 1
	case $1 in recorded) return 0 ;; esac
	_step head mash-decide "$cid" --outcome nfa --reason 'Test' || return 1
	case $1 in closed) return 0 ;; esac
	echo "# case_in: no state '$1'"
	return 1
}

# _step USER PROGRAM ARGS...: one step of case_in, its failure shown
_step() {
	_u=$1 _p=$2
	shift 2
	as "$_u" "$_p" -o json "$@" >"$T/case_in.json" 2>"$T/case_in.err" &&
	    return 0
	echo "# case_in: $_p failed (exit $?):"
	sed 's/^/#   /' "$T/case_in.err"
	return 1
}

# case_rows ID: a case's row, its children's and its requests', as text
case_rows() {
	sql "SELECT * FROM cases WHERE id = $1;
	    SELECT * FROM children WHERE case_id = $1 ORDER BY id;
	    SELECT * FROM requests WHERE case_id = $1 ORDER BY id;"
}

# audit_count: the rows of the audit trail
audit_count() { sql "SELECT count(*) FROM audit"; }

# val FILTER: jq -r FILTER of the last command's output
val() { jq -r "$1" "$out"; }

# man_examples PAGE PREFIX: the EXAMPLES of an mdoc page, a file each:
# a "$ command" of a literal display, with the lines that go on from it
# (after "\e" or "|"), in PREFIX.01, PREFIX.02, ...; the lines the
# display shows after it, its output, in PREFIX.NN.want; a crontab line
# as its command alone in PREFIX.NN, with an empty PREFIX.NN.cron.
# mdoc's escapes \&, \- and \e are undone.
man_examples() {
	awk -v pre="$2" '
	function start() { f = sprintf("%s.%02d", pre, ++n); cmd = 1 }
	function line() { print >f; more = /(\\e|\|)$/; if (!more) close(f) }
	/^\.Sh / { ex = $0 == ".Sh EXAMPLES"; next }
	!ex { next }
	/^\.Bd -literal/ { lit = 1; cmd = more = 0; next }
	/^\.Ed/ { lit = cmd = more = 0; next }
	!lit { next }
	more { line(); next }
	/^\$ / { start(); sub(/^\$ /, ""); line(); next }
	cmd { print >(f ".want"); next }
	/^[0-9*][^ ]* [^ ]+ [^ ]+ [^ ]+ [^ ]+ / {
		start()
		printf "" >(f ".cron")
		for (i = 0; i < 5; i++)
			sub(/^[^ ]+ +/, "")
		line()
		cmd = 0
	}' "$1"
	for _f in "$2".*; do
		[ -f "$_f" ] || continue
		sed -i -e 's/\\&//g' -e 's/\\-/-/g' -e 's/\\e/\\/g' "$_f"
	done
}

# examples_run PREFIX DIR: run PREFIX.01, PREFIX.02, ... (as man_examples
# makes them) in order in one shell started in DIR, so that what one
# exports the next sees; a crontab line's command as cron runs it (its
# \% are %; these have no other %).  Each command's output, errors and
# status go to PREFIX.NN.out, .err and .rc, its standard input is
# /dev/null.
examples_run() {
	echo "cd '$2' || exit 1" >"$1.sh"
	for _f in "$1".[0-9][0-9]; do
		if [ -f "$_f.cron" ]; then
			printf "/bin/sh -c '%s'" "$(sed -e 's/\\%/%/g' \
			    -e "s/'/'\\\\''/g" "$_f")"
		else
			cat "$_f"
		fi >"$_f.sh"
		printf '{\n%s\n} >"%s" 2>"%s" </dev/null; echo $? >"%s"\n' \
		    "$(cat "$_f.sh")" "$_f.out" "$_f.err" "$_f.rc" >>"$1.sh"
	done
	sh "$1.sh" >"$1.log" 2>&1
}

# MASH_WRAP: a command that runs every program of MASH_BIN, such as
# "valgrind -q ..." (make check-valgrind): wrappers first on PATH
if [ -n "${MASH_WRAP:-}" ]; then
	mkdir "$T/wrap"
	for _p in "$MASH_BIN"/mash*; do
		printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$MASH_WRAP" "$_p" \
		    >"$T/wrap/${_p##*/}"
		chmod +x "$T/wrap/${_p##*/}"
	done
	PATH=$T/wrap:$PATH
fi

# make check-pg: every program run as tests/pg/run.sh has it, and the
# databases of this file dropped at its end
if [ -n "${MASH_PG:-}" ]; then
	_pgname=t_$(echo "${T##*.}" | tr 'A-Z' 'a-z')_
	pg_admin() {
		"$MASH_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$MASH_PG" \
		    -U mashtest -d postgres "$@"
	}
	mkdir -p "$T/wrap"
	for _p in "$MASH_BIN"/mash*; do
		printf '#!/bin/sh\nexec sh "%s" "%s" "$@"\n' \
		    "$MASH_SRC/tests/pg/run.sh" "$_p" >"$T/wrap/${_p##*/}"
		chmod +x "$T/wrap/${_p##*/}"
	done
	PATH=$T/wrap:$PATH
	trap 'i=1; while [ "$i" -le "${_pgdb:-0}" ]; do
		pg_admin -c "DROP DATABASE IF EXISTS \"$_pgname$i\" WITH (FORCE)" \
		    >/dev/null 2>&1; i=$((i + 1)); done; rm -rf "$T"' EXIT
fi

# skip DESC: a test that cannot run here, counted as passed, and why
skip() { ntest=$((ntest + 1)); echo "ok $ntest # skip $*"; }

# sqlite_only [N] DESC: whether checks about SQLite itself can run (its
# PRAGMAs, the sqlite3 shell on the store's file, its -wal and -shm
# files, the file's mode, how it stores bytes): under make check-pg
# (MASH_PG) they cannot, and the N (1) tests they count are skipped,
# "a SQLite store's own DESC".  Used as
#	if sqlite_only 2 "journal files"; then check ...; check ...; fi
sqlite_only() {
	_n=1
	case $1 in [0-9]*) _n=$1; shift ;; esac
	[ -n "${MASH_PG:-}" ] || return 0
	while [ "$_n" -gt 0 ]; do
		skip "a SQLite store's own $*"
		_n=$((_n - 1))
	done
	return 1
}
