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
# and a police officer; MASH_USER is the admin afterwards
new_store() {
	MASH_DB=$T/mash.db
	export MASH_DB
	rm -f "$MASH_DB" "$MASH_DB-wal" "$MASH_DB-shm"
	MASH_USER=admin mash-admin init || return 1
	MASH_USER=admin
	export MASH_USER
	mash-admin user add head --role head --name 'Hana Head' &&
	mash-admin user add screener --role screener &&
	mash-admin user add sw --role social-worker &&
	mash-admin user add sw2 --role social-worker &&
	mash-admin user add pc --role agency --agency police
}

# as USER CMD...: run a command as another registered user
as() {
	u=$1
	shift
	env MASH_USER="$u" "$@"
}

# sql QUERY: read the store directly, as a check from outside
sql() { sqlite3 -batch -noheader "$MASH_DB" "$1"; }

done_testing() {
	[ "$nfail" -eq 0 ]
}
