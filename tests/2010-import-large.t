#!/bin/sh
# mash-refer --csv at scale: 50 000 rows stream through; a bad last row
# and nothing at all is imported; without it, every row is, in memory
# that does not grow with the file
. "$(dirname "$0")/lib.sh"

plan 11

MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

# rows N FILE: N good rows, each child with its own name and a date of
# birth shared with few others (as many dates as real children have)
rows() {
	awk -v n="$1" 'BEGIN {
		print "reference,source,child_given_name,child_family_name," \
		    "child_dob,concern"
		for (i = 1; i <= n; i++)
			printf "BIG/%d,police,Kid%c%c,Testfam%d," \
			    "%04d-%02d-%02d,\"Concern %d, line one\nline two\"\n",
			    i, 97 + i % 26, 97 + int(i / 26) % 26, i,
			    2010 + int(i / 336) % 12, 1 + int(i / 28) % 12,
			    1 + i % 28, i
	}' >"$2"
}

rows 50000 "$T/big.csv"
cp "$T/big.csv" "$T/bigbad.csv"
printf 'BIG/LAST,police,Zed,Lastrow,31/02/2016,The bad last row\n' \
    >>"$T/bigbad.csv"
check "the file has 100 002 lines: a header, two a row, and the bad row" \
    test "$(wc -l <"$T/bigbad.csv")" = 100002

snapshot "$T/before"
expect 65 "50 000 good rows and a bad last one: 65" \
    mash-refer --csv "$T/bigbad.csv"
printf '%s\n' \
    "mash-refer: $T/bigbad.csv:100002: column 'child_dob': '31/02/2016' is not a date" \
    "mash-refer: $T/bigbad.csv: 1 bad row: nothing imported" >"$T/want"
check_same "the bad last row: named at its physical line" "$T/want" "$err"
snapshot "$T/after"
check_same "the bad last row: not one of the 50 000 is written" \
    "$T/before" "$T/after"

# GNU time, where there is one, gives the peak memory
if /usr/bin/time -f %M true >/dev/null 2>&1; then
	timed() { f=$1; shift; /usr/bin/time -f %M -o "$f" "$@"; }
else
	timed() { f=$1; shift; echo 0 >"$f"; "$@"; }
fi

expect 0 "the same 50 000 rows without it: 0" \
    timed "$T/rss.big" mash-refer --csv "$T/big.csv"
printf 'mash-refer: %s\n' \
    'imported 50000 cases, 50000 children; 0 already present; 0 updated; 0 rejected' \
    >"$T/want"
check_same "all 50 000: the summary" "$T/want" "$err"
check "all 50 000: in the store, one child each" \
    test "$(sql "SELECT count(DISTINCT case_id) || ' ' || count(*) FROM
    children")" = "50000 50000"
check "all 50 000: the last row is whole" \
    test "$(sql "SELECT dob || ' ' || replace(concern, '$nl', '|') FROM
    cases JOIN children ON case_id = cases.id WHERE reference =
    'BIG/50000'")" = "2014-10-21 Concern 50000, line one|line two"

expect 0 "all 50 000 again: 0, every row already present" \
    mash-refer --csv "$T/big.csv"

# memory: 50 000 rows take what 1 000 take, but for SQLite's page
# cache, which an import caps at 16 MiB (mash_bulk in store.c) and a
# small import never fills; and never more than 32 MiB in all
rows 1000 "$T/small.csv"
MASH_DB=$T/small.db
rm -f "$MASH_DB"
MASH_USER=admin mash-admin init 2>/dev/null
expect 0 "1 000 rows into a new store: 0" \
    timed "$T/rss.small" mash-refer --csv "$T/small.csv"
big=$(cat "$T/rss.big")
small=$(cat "$T/rss.small")
if grep -q __asan_init "$MASH_BIN/mash-refer" 2>/dev/null; then
	pass "memory does not grow with the file # SKIP under AddressSanitizer"
elif [ "$big" = 0 ]; then
	pass "memory does not grow with the file # SKIP no GNU time"
else
	check "memory does not grow with the file (${small}k, ${big}k)" \
	    sh -c "[ $big -lt $((small + 16384 + 4096)) ] && [ $big -lt 32768 ]"
fi

done_testing
