#!/bin/sh
# mash-report reads the children of the cases along their index, a
# bounded number of rows a seek (store-report.c): on a store of more
# children than a seek reads, with cases entered out of the order of
# receipt (read alone, or reached with a new seek) and a case of more
# children than a seek holds, every child is still counted once, in
# its case's month, on both engines.  The rows are made with SQL.
. "$(dirname "$0")/lib.sh"
plan 5

new_store >/dev/null 2>&1 || { echo "Bail out! cannot make a store"; exit 1; }

# 3000 cases of 2026 in the order of their ids but one in ten, received
# a month or two later (so read alone); 0 to 3 children each, of 600 persons; case 101 with 1500 more
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
    WHERE i < 3000)
  INSERT INTO cases (id, state, rag, source, reference, received_at,
    created_at, created_by, concern, screening_due, outcome, closed_at)
  SELECT i, 'closed', 'green', '6', 'SEEK/' || i, at, at, 'admin', 'seek',
    at, 'nfa', at FROM (SELECT i, '2026-' ||
    substr(CAST(101 + CASE WHEN i % 10 = 0 AND i <= 2500
      THEN (i - 1) / 250 + 1 + i % 3 / 2 ELSE (i - 1) / 250 END AS TEXT),
      2) || '-' ||
    substr(CAST(101 + (i - 1) % 250 * 28 / 250 AS TEXT), 2) ||
    'T10:00:00Z' AS at FROM n) AS t;
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
    WHERE i < 1500)
  INSERT INTO persons (id) SELECT i FROM n;
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
    WHERE i < 3000), k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k
    WHERE j < 2)
  INSERT INTO children (case_id, person_id, given_name, name_key)
  SELECT i, (i * 13 + j * 7) % 600 + 1, 'Kid', 'kid' FROM n, k
  WHERE j < i % 4 ORDER BY i, j;
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
    WHERE i < 1500)
  INSERT INTO children (case_id, person_id, given_name, name_key)
  SELECT 101, i, 'Many', 'many' FROM n;" >/dev/null ||
    { echo "Bail out! cannot fill the store"; exit 1; }

expect 0 "mash-report over the year" env MASH_USER=head \
    MASH_NOW=2027-01-05T12:00:00Z mash-report -o json --from 2026-01-01 \
    --to 2026-12-31
jq -r '"\(.period) \(.cases) \(.contacts)"' "$out" >"$T/got"
sql "SELECT substr(c.received_at, 1, 7) || ' ' || count(DISTINCT c.id) ||
    ' ' || count(k.id) FROM cases c LEFT JOIN children k ON k.case_id = c.id
    GROUP BY substr(c.received_at, 1, 7) ORDER BY 1" >"$T/want"
check_same "each month's cases and their children, each counted once" \
    "$T/want" "$T/got"
check "all 1500 of case 101's among them" test \
    "$(jq -s 'map(.contacts) | add' "$out")" = \
    "$(sql "SELECT count(*) FROM children")"
expect 0 "and by week" env MASH_USER=head MASH_NOW=2027-01-05T12:00:00Z \
    mash-report -o json --by week --from 2026-01-01 --to 2026-12-31
check "  every child counted once" test \
    "$(jq -s 'map(.contacts) | add' "$out")" = \
    "$(sql "SELECT count(*) FROM children")"

done_testing
