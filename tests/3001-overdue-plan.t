#!/bin/sh
# mash-overdue reads through its partial indexes, never a scan of all
# cases: the hidden --explain prints EXPLAIN QUERY PLAN of the very
# statements the library runs (one macro makes both), so this cannot
# drift from the code
. "$(dirname "$0")/lib.sh"
plan 18

new_store >/dev/null || { echo "Bail out! cannot set up the store"; exit 1; }

# plan_ok DESC: the last --explain has no scan of a table, and its indexes
plan_ok() {
	check "$1: no scan of cases, requests or children" \
	    sh -c "! grep -E 'SCAN (cases|requests|children)( |$)' '$out'"
	check "$1: no scan at all but sorting" \
	    sh -c "! grep -v 'TEMP B-TREE' '$out' | grep -q SCAN"
	check "$1: screening through cases_screening" \
	    has 'items,SEARCH cases USING INDEX cases_screening (screening_due<?)' \
	    "$out"
	check "$1: requests through requests_due" \
	    has 'items,SEARCH requests USING INDEX requests_due (due_at<?)' \
	    "$out"
	check "$1: decisions through cases_decision" \
	    has 'items,SEARCH cases USING INDEX cases_decision (decision_due<?)' \
	    "$out"
	check "$1: names through children_case" \
	    has 'children,SEARCH children USING INDEX children_case' "$out"
}

expect 0 "--explain on an empty store" mash-overdue --explain -o csv
plan_ok "empty store"
n=$(sql "SELECT count(*) FROM audit WHERE action = 'overdue-run'")
check "--explain is not a run" test "$n" = 0

# a store with history: many closed cases, statistics gathered, so the
# planner would be tempted by cases_state or a scan
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
    WHERE i < 2000)
  INSERT INTO cases (state, rag, source, received_at, created_at,
    created_by, concern, screening_due, outcome, closed_at)
  SELECT 'closed', 'green', '6', '2025-01-01T10:00:00Z',
    '2025-01-01T10:00:00Z', 'admin', 'old', '2025-01-02T17:00:00Z', 'nfa',
    '2025-01-03T10:00:00Z' FROM n;
  INSERT INTO children (case_id, person_id, given_name, name_key)
    SELECT id, 1, 'Old', 'old|' FROM cases;
  ANALYZE;" 2>"$err" || { echo "Bail out! cannot fill the store"; exit 1; }
expect 0 "--explain on a full, analysed store" mash-overdue --explain -o csv
plan_ok "full store"

# were an index lost, the statement would fail, never quietly scan
sql "DROP INDEX cases_decision"
MASH_NOW=2026-01-12T12:00:00Z expect 70 "a lost index is an error (70)" \
    mash-overdue
check "naming the index" has 'cases_decision' "$err"
check "and nothing is printed" test ! -s "$out"

done_testing
