#!/bin/sh
# A big read on PostgreSQL holds a batch of its rows, not all of them
# (mash(7), A hub on PostgreSQL): on a store of many cases, its rows
# made here with SQL, mash-audit verify, mash-audit's listing and
# mash-report stay within a peak memory that fetching every row at once
# goes far past, and still read every row: the report counts each child
# once, across the seeks of its children's cursor and past a case of
# more children than one seek reads.  mash-admin check, outside a
# transaction, reads the trail whole.  Run by make check-pg, which
# starts the server (tests/pg/check.sh).
. "$(dirname "$0")/lib.sh"

if [ -z "${MASH_PG:-}" ]; then
	echo "1..0 # SKIP needs a PostgreSQL server: make check-pg starts one"
	exit 0
fi
if [ ! -x /usr/bin/time ]; then
	echo "1..0 # SKIP needs GNU time (/usr/bin/time) for peak memory"
	exit 0
fi
plan 12

N=120000	# cases, each with its audit row, a third with a second child
BIG=5000	# the children of case 7: more than one seek of them reads
MORE_KB=10240	# peak memory allowed above a small store's: the trail
		# fetched at once is 28 MB more

new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

# peak PROG ARGS...: run the program with run, its peak memory in $kb
peak() {
	run /usr/bin/time -f %M -o "$T/kb" "$@"
	kb=$(tail -n 1 "$T/kb")
}

# what a program takes on a store of a few rows
peak mash-audit verify -o json
check "mash-audit verify on a new store" test "$rc/$(val .status)" = 0/ok
max=$((kb + MORE_KB))

# the rows, as a hub would have them after a year; the audit rows
# chained on from the store's own, as mash-audit(1) documents the chain
# (the fields of each row after the hash before it, each ended by a
# zero byte)
sql "
BEGIN;
INSERT INTO cases (id, state, rag, source, reference, received_at,
  created_at, created_by, concern, screening_due, outcome, closed_at)
SELECT i, 'closed', 'green', '6', 'BIG/' || i, at, at, 'admin',
  'generated concern ' || i, at, 'nfa', at
FROM generate_series(1::bigint, $N) AS g(i),
LATERAL (SELECT to_char(timestamp '2026-01-01 08:00:00'
  + make_interval(days => (i * 365 / ($N + 1))::int,
    secs => (i % 28800)::int), 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS at) AS t;
INSERT INTO persons (id) SELECT generate_series(1::bigint, $N / 2);
INSERT INTO children (id, case_id, person_id, given_name, name_key)
SELECT i, i, (i % ($N / 2)) + 1, 'Kid' || i, 'kid' || i
FROM generate_series(1::bigint, $N) AS g(i);
INSERT INTO children (id, case_id, person_id, given_name, name_key)
SELECT $N + i, i, ((i * 7) % ($N / 2)) + 1, 'Sib' || i, 'sib' || i
FROM generate_series(3::bigint, $N, 3) AS g(i);
INSERT INTO children (id, case_id, person_id, given_name, name_key)
SELECT 2 * $N + i, 7, i, 'Many' || i, 'many' || i
FROM generate_series(1::bigint, $BIG) AS g(i);
CREATE FUNCTION pg_temp.z(t text) RETURNS bytea LANGUAGE sql
  AS 'SELECT convert_to(t, ''UTF8'') || ''\\x00''::bytea';
DO \$\$
DECLARE
  prev bytea;
  last bigint;
  h text;
  c record;
BEGIN
  SELECT id, decode(hash, 'hex') INTO last, prev FROM audit
    ORDER BY id DESC LIMIT 1;
  FOR c IN SELECT id, created_at FROM cases ORDER BY id LOOP
    last := last + 1;
    h := encode(sha256(prev || pg_temp.z(last::text) ||
      pg_temp.z(c.created_at) || pg_temp.z('admin') || pg_temp.z('refer') ||
      pg_temp.z(c.id::text) || pg_temp.z('{}')), 'hex');
    INSERT INTO audit (id, at, actor, action, case_id, details, hash)
      VALUES (last, c.created_at, 'admin', 'refer', c.id, '{}', h);
    prev := decode(h, 'hex');
  END LOOP;
END \$\$;
COMMIT;" >/dev/null && sql "VACUUM ANALYZE" >/dev/null ||
    echo "Bail out! cannot fill the store"
rows=$(sql "SELECT count(*) FROM audit")

# the whole trail, chained and verified
peak mash-audit verify -o json
check "mash-audit verify reads the $rows rows of the trail" \
    test "$rc/$(val .status)/$(val .rows)" = "0/ok/$rows"
check "  in at most $max kB ($kb kB)" test "$kb" -le "$max"

peak mash-audit -o json
check "mash-audit lists every row of the trail" \
    test "$rc/$(wc -l <"$out")" = "0/$rows"
check "  in order" jqtrue -s '[.[].id] | . == sort' "$out"
check "  in at most $max kB ($kb kB)" test "$kb" -le "$max"

# the report: every child counted once, month by month
MASH_NOW=2027-01-10T12:00:00Z
export MASH_NOW
peak env MASH_USER=head mash-report -o json --from 2026-01-01 --to 2026-12-31
check "mash-report reads a year of $N cases" test "$rc" = 0
check "  in at most $max kB ($kb kB)" test "$kb" -le "$max"
jq -r '"\(.period) \(.contacts)"' "$out" >"$T/report"
sql "SELECT substr(c.received_at, 1, 7) || ' ' || count(*) FROM cases c
    JOIN children k ON k.case_id = c.id GROUP BY substr(c.received_at, 1, 7)
    ORDER BY 1" >"$T/want"
check_same "  each month's contacts are its cases' children" "$T/want" \
    "$T/report"
check "  case 7's $BIG children among them" \
    test "$(jq -s 'map(.contacts) | add' "$out")" = \
    "$(sql "SELECT count(*) FROM children")"

# outside a transaction a cursor cannot be kept: the rows come at once
mash-overdue >/dev/null 2>&1	# the check wants a recent run
rows=$(sql "SELECT count(*) FROM audit")
expect 0 "mash-admin check reads the trail outside a transaction" \
    mash-admin check -o json
check "  and finds it whole" jqtrue -s '.[] |
    select(.check == "audit-chain") | .status == "ok" and
    (.detail | test("^'"$rows"' rows chained"))' "$out"

done_testing
