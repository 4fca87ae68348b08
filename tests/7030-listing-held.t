#!/bin/sh
# A queue's rows are written to memory as they are found, and printed
# only once the listing's transaction (and its audit row) has
# committed: the queues whole in every format, past the first block of
# memory, and nothing at all when the commit fails after the rows were
# written, or when memory refuses them (mash(7), AUDIT AND SECURITY).
. "$(dirname "$0")/lib.sh"

plan 20

MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

# 120 contacts of about a kilobyte each: past the 64 KiB first block
long=$(awk 'BEGIN { for (i = 0; i < 100; i++) printf "a long concern "; }')
awk -v c="$long" 'BEGIN {
	print "reference,source,child_given_name,child_family_name," \
	    "child_dob,concern"
	for (i = 1; i <= 120; i++)
		printf "HLD/%d,police,Hal%c%c,Heldtest,2014-05-%02d,%s %d\n",
		    i, 97 + i % 26, 97 + int(i / 26) % 26, 1 + i % 28, c, i
}' >"$T/held.csv"

# limited FILE-BLOCKS CMD...: CMD as the head, its files (the listing's
# memory among them: memfd_create(2)) no bigger than FILE-BLOCKS of 512
# bytes, a write past that an error (EFBIG), not a signal
limited() {
	_l=$1
	shift
	run sh -c 'trap "" XFSZ; ulimit -f "$0"; exec env MASH_USER=head "$@"' \
	    "$_l" "$@"
}

# refused WHEN: the queue with 32 KiB of room, more than the store needs
# and less than the rows: an I/O error, nothing printed, no audit row
refused() {
	_lists=$(sql "SELECT count(*) FROM audit WHERE action = 'list'")
	limited 64 mash-screen -o json
	check "rows that memory refuses $1: an I/O error (exit $rc)" \
	    eval '[ "$rc" = 74 ] &&
	    has "cannot hold the listing in memory" "$err"'
	check "$1: nothing printed, no audit row says they were shown" \
	    eval '[ ! -s "$out" ] && [ "$(sql "SELECT count(*) FROM audit
	    WHERE action = '"'list'"'")" = "$_lists" ]'
}

# 20 of them first: about 48 KiB of JSON, held whole before it is
# printed, so only the last write into memory, before the commit, finds
# the memory refused
head -n 21 "$T/held.csv" >"$T/held20.csv"
mash-refer --csv "$T/held20.csv" >/dev/null 2>&1 ||
    echo "Bail out! cannot import the first contacts"
refused "at the last write"
limited 200 mash-screen -o json
check "with room for them, the same listing prints whole" \
    eval '[ "$rc" = 0 ] && [ "$(wc -l <"$out")" = 20 ]'

mash-refer --csv "$T/held.csv" >/dev/null 2>&1 ||
    echo "Bail out! cannot import the contacts"

run as head mash-screen -o json
check "the queue as JSON: 0" [ "$rc" = 0 ]
check "past the first block of memory: over 64 KiB printed" \
    [ "$(wc -c <"$out")" -gt 65536 ]
check "every case once, a JSON object a line, none cut" \
    eval 'json_lines "$out" && [ "$(jq -s "map(.id) | unique | length" \
    "$out")" = 120 ] && [ "$(wc -l <"$out")" = 120 ]'
check "in the queue's order: by deadline, then id" \
    [ "$(jq -s -c 'map(.id) == (map([.screening_due, .id]) | sort |
    map(.[1]))' "$out")" = true ]
if command -v strace >/dev/null; then
	# 64 KiB a write (cli.c gives the stream its buffer): glibc's own
	# is 4 KiB, some 70 writes for these 290 KiB of rows.  No leak
	# check under strace: LeakSanitizer cannot run traced.
	run env MASH_USER=head ASAN_OPTIONS=detect_leaks=0 \
	    strace -f -y -e trace=write -o "$T/trace" mash-screen -o json
	check "held 64 KiB a write: 5 writes into memory for 290 KiB" \
	    eval '[ "$rc" = 0 ] && n=$(grep -c "memfd:mash-listing" \
	    "$T/trace") && [ "$n" -ge 1 ] &&
	    [ "$n" -le $(($(wc -c <"$out") / 65536 + 1)) ]'
else
	pass "# skip strace is not installed"
fi
run as head mash-screen -o csv
check "the queue as CSV: 0, strict, a row a child" \
    eval '[ "$rc" = 0 ] && csv_ok "$out" && [ "$(wc -l <"$out")" = 121 ]'
run env COLUMNS=100 MASH_USER=head mash-screen -o table
check "the queue as a table: 0, a header and a line a child" \
    eval '[ "$rc" = 0 ] && [ "$(grep -c Heldtest "$out")" = 120 ]'
refused "as they are written"

# A commit that fails after the rows are written: a deferred foreign
# key that the listing's own audit row breaks, checked at COMMIT
if sqlite_only 8 "deferred foreign keys, set up with the sqlite3 shell"
then
	sql "CREATE TABLE trap (x INTEGER REFERENCES cases (id)
	    DEFERRABLE INITIALLY DEFERRED);
	    CREATE TRIGGER trap_list AFTER INSERT ON audit
	    WHEN NEW.action = 'list' BEGIN INSERT INTO trap VALUES (-1); END;"
	lists=$(sql "SELECT count(*) FROM audit WHERE action = 'list'")
	for f in json csv table; do
		run as head mash-screen -o $f
		check "$f: a failed commit is an error (exit $rc)" \
		    eval '[ "$rc" != 0 ] && has "cannot commit" "$err"'
		check "$f: nothing of the queue is printed" [ ! -s "$out" ]
	done
	check "no listing's audit row is kept" \
	    [ "$(sql "SELECT count(*) FROM audit WHERE action = 'list'")" \
	    = "$lists" ]
	sql "DROP TRIGGER trap_list; DROP TABLE trap;"
	run as head mash-screen -o json
	check "the trap gone, the queue prints again" \
	    eval '[ "$rc" = 0 ] && [ "$(wc -l <"$out")" = 120 ]'
fi
