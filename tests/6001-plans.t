#!/bin/sh
# no listing or matching query reads a whole table of cases, persons,
# children or requests: with MASH_EXPLAIN set, the store writes the
# plan of every statement it prepares, and a whole working day of the
# hub runs here against a store with history and statistics
. "$(dirname "$0")/lib.sh"
plan 16

new_store >/dev/null 2>&1 || { echo "Bail out! no store"; exit 1; }
MASH_EXPLAIN=$T/plans
export MASH_EXPLAIN

# history: many closed cases and their children, then statistics, so
# that the planner is tempted to scan
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
    WHERE i < 3000)
  INSERT INTO cases (state, rag, source, reference, received_at,
    created_at, created_by, concern, screening_due, outcome, closed_at)
  SELECT 'closed', 'green', '6', 'OLD' || i, '2025-01-01T10:00:00Z',
    '2025-01-01T10:00:00Z', 'admin', 'old', '2025-01-02T17:00:00Z', 'nfa',
    '2025-01-03T10:00:00Z' FROM n;
  INSERT INTO persons (id) SELECT id FROM cases;
  INSERT INTO children (case_id, person_id, given_name, family_name,
    name_key, dob, postcode)
    SELECT id, id, 'Old' || id, 'Case', 'old' || id || '|case',
      printf('2015-%02d-%02d', id % 12 + 1, id % 28 + 1), 'LS1 4AP'
    FROM cases;
  ANALYZE;" 2>"$err" || { echo "Bail out! cannot fill the store"; exit 1; }

export MASH_NOW=2026-11-26T10:00:00Z
ok_run() { run "$@"; [ "$rc" = 0 ] || [ "$rc" = 1 ]; }
day() {
	ok_run mash-refer --source police --ref N1 --concern c --consent given \
	    --child 'Ava Moss' --dob 2016-03-02 --nhs-number 9434765870 \
	    --postcode 'LS1 4AP' --child 'Leo Moss' --dob 2019-11-20 &&
	ok_run mash-refer --source police --ref N2 --concern c --consent given \
	    --child 'Ava Mosse' --dob 2016-03-02 &&
	ok_run mash-refer --source school --ref N3 --concern c \
	    --child 'Ava Moss' --postcode 'LS1 4AP' &&
	ok_run mash-refer --source police --ref N4 --concern c \
	    --child 'Ava Moss' --dob 2016-03-02 --nhs-number 4010232137 &&
	ok_run mash-refer --source police --ref N5 --concern c \
	    --child 'Ava Moss' --dob 2016-03-02 &&
	ok_run mash-refer --source police --ref N6 --concern c \
	    --child 'Eli Fox' --dob 2011-11-11 --child 'Eli Foxe' \
	    --dob 2011-11-11 --nhs-number 3832364056 &&
	ok_run mash-refer --source police --ref N7 --concern c \
	    --child 'Eli Fox' --dob 2011-11-11 --nhs-number 4061358952 &&
	ok_run as screener mash-screen &&
	ok_run as screener mash-screen 3001 --rag red &&
	ok_run as head mash-screen 3001 --accept --assign sw &&
	ok_run as head mash-screen 3002 --accept --assign sw --rag amber &&
	ok_run as head mash-screen 3002 --rag red --reason worse &&
	ok_run as sw mash-request 3001 police health &&
	ok_run as pc mash-request &&
	ok_run as sw mash-request --case 3001 --all &&
	ok_run as pc mash-request --respond 1 --text known &&
	ok_run as sw mash-request --withdraw 2 --reason none &&
	ok_run as sw mash-record 3001 --summary s --recommend nfa &&
	ok_run as sw mash-record --list --mine &&
	ok_run as head mash-record --list --state closed &&
	ok_run as head mash-decide &&
	ok_run as head mash-record 3001 &&
	ok_run as head mash-decide 3001 --outcome nfa --reason r &&
	ok_run as head mash-screen 3003 --decline --outcome nfa --reason r &&
	ok_run mash-overdue --within 3wd &&
	ok_run mash-admin check
}
check "a day's work runs" day
check "plans were written" test -s "$T/plans"
# a scan of a partial index reads only what is open: that is allowed;
# so is mash-admin check's reading of the whole store, marked in its SQL
for t in cases persons children requests possible_matches; do
	check "no scan of $t" sh -c "! grep -E 'SCAN $t( |\$)' '$T/plans' |
	    grep -v '^/\* whole store \*/' |
	    grep -vE 'USING (COVERING )?INDEX (cases_screening|cases_decision|requests_due)'"
done
check "matching by NHS number uses its index" \
    has 'USING INDEX children_nhs' "$T/plans"
check "namesakes come in person order from the index, with no sort" \
    sh -c "grep '^SELECT person_id, min(id) FROM children' '$T/plans' |
    grep -q 'COVERING INDEX children_dob_name (dob=? AND name_key=?)' &&
    ! grep '^SELECT person_id, min(id) FROM children' '$T/plans' |
    grep -q 'TEMP B-TREE'"
# min and max of (person_id, nhs_number): a seek each, however many
check "a person's lowest NHS number is one seek" \
    sh -c "grep '^SELECT (SELECT min(nhs_number)' '$T/plans' |
    grep -q 'COVERING INDEX children_person (person_id=? AND nhs_number>?)'"
check "withdrawn matches are found by child and by person" \
    sh -c "grep -q 'SEARCH pm USING PRIMARY KEY (child_id=?)' '$T/plans' &&
    grep -q 'SEARCH pm USING INDEX possible_matches_person (person_id=?)' '$T/plans'"
# schema 2: without an NHS number to compare, the index alone answers
check "matching without an NHS number reads only the index" \
    has 'USING COVERING INDEX children_dob_name (dob=? AND name_key=?)' \
    "$T/plans"
check "close names are sought by date of birth, in the index alone" \
    has 'USING COVERING INDEX children_dob_name (dob=?)' "$T/plans"
check "the same name and postcode are sought in the index alone" \
    has 'USING COVERING INDEX children_name_postcode (name_key=? AND postcode=?)' \
    "$T/plans"
# a referral sent again is looked for at every row of an import: a
# temporary b-tree made and dropped each time was a tenth of the work
check "a referral already held is found with no sort" \
    sh -c "grep -q '^SELECT id, state = .closed., (SELECT max(id)' \
    '$T/plans' && ! grep '^SELECT id, state = .closed., (SELECT max(id)' \
    '$T/plans' | grep -q 'TEMP B-TREE'"
check "the last overdue run is found by its own index" \
    has 'SCAN audit USING INDEX audit_runs' "$T/plans"

done_testing
