#!/bin/sh
# kill -9 in the middle: a large import killed at several points, and
# workflow steps killed as they run.  Afterwards the store is whole
# (integrity_check), holds all of the import or none of it, and running
# the import again completes it exactly as a clean import would; each
# case's row agrees with its audit trail, and carrying on finishes
# every case with each step taken once.  MASH_IMPORT_KILLS,
# MASH_STEP_KILLS and MASH_STEP_CASES make it longer (tests/stress/).
. "$(dirname "$0")/lib.sh"

ROWS=${MASH_CRASH_ROWS:-10000}	# rows of the CSV file imported
# kill points in the import: "after SECONDS", or "wal PERCENT" once the
# write-ahead log holds that share of what a clean import writes
KILLS=${MASH_IMPORT_KILLS:-"after 0.05,wal 10,wal 50,wal 90"}
STEPKILLS=${MASH_STEP_KILLS:-8}		# kill points among workflow steps
NCASES=${MASH_STEP_CASES:-16}		# cases the steps take to a decision
NKILLS=$(echo "$KILLS" | awk -F, '{ print NF }')

plan $((5 * NKILLS + 3 + 2 * STEPKILLS + 5))

MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
cp "$MASH_DB" "$T/empty.db"

# alive PID: the process runs and has not yet exited (a zombie has)
alive() {
	_s=
	{ read -r _ _ _s _ <"/proc/$1/stat"; } 2>/dev/null
	[ -n "$_s" ] && [ "$_s" != Z ]
}

# fresh: the store as new_store left it
fresh() {
	rm -f "$MASH_DB" "$MASH_DB-wal" "$MASH_DB-shm"
	cp "$T/empty.db" "$MASH_DB"
}

# data: the store's cases, children and people, and the audit rows of
# the contacts, as SQL text: what an import leaves
data() {
	sqlite3 -batch "$MASH_DB" '.dump cases children persons possible_matches' \
	    >"$1" &&
	sql "SELECT at, actor, action, case_id, details FROM audit
	    WHERE action = 'refer' ORDER BY id" >>"$1"
}

# --- a large import -------------------------------------------------------

# ROWS rows, every tenth referral a household of two children
awk -v rows="$ROWS" 'BEGIN {
	print "reference,source,child_given_name,child_family_name," \
	    "child_dob,postcode,consent,concern"
	for (r = 1; n < rows; r++) {
		row(r, "Kit")
		if (r % 10 == 0 && n < rows)
			row(r, "Sib")
	}
	print r - 1 >"/dev/stderr"
}
function row(r, given) {
	printf "CRASH/%d,police,%s%c%c,Crashtest%d,%04d-%02d-%02d,LS6 %dAB," \
	    "given,\"Concern %d, as the officer wrote it\"\n", r, given,
	    97 + r % 26, 97 + int(r / 26) % 26, r, 2010 + r % 12,
	    1 + int(r / 12) % 12, 1 + r % 28, r % 10, r
	n++
}' >"$T/big.csv" 2>"$T/ncases"
ncases=$(cat "$T/ncases") nchildren=$ROWS

fresh
run mash-refer --csv "$T/big.csv"
[ "$rc" = 0 ] || echo "Bail out! the clean import failed (exit $rc)"
data "$T/clean"
size=$(stat -c %s "$MASH_DB")
check "a clean import: $ncases cases, $nchildren children" \
    [ "$(sql 'SELECT count(*) FROM cases') $(sql 'SELECT count(*) FROM
    children')" = "$ncases $nchildren" ]

# crash_import HOW ARG: a fresh store, the import started and killed -9
# after ARG seconds or once the log holds ARG% of a clean import's
# store; its status in $krc
crash_import() {
	fresh
	mash-refer --csv "$T/big.csv" >/dev/null 2>"$T/crash.err" &
	pid=$!
	case $1 in
	after)
		sleep "$2" ;;
	wal)
		while alive $pid && [ "$(stat -c %s "$MASH_DB-wal" \
		    2>/dev/null || echo 0)" -lt $((size * $2 / 100)) ]; do
			sleep 0.005
		done ;;
	esac
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	krc=$?
	wal=$(stat -c %s "$MASH_DB-wal" 2>/dev/null || echo 0)
}

# none_or_whole: the store holds none of the import, or all of it with
# its audit rows
none_or_whole() {
	n="$(sql "SELECT (SELECT count(*) FROM cases) || ' ' ||
	    (SELECT count(*) FROM children) || ' ' ||
	    (SELECT count(*) FROM audit WHERE action = 'refer') || ' ' ||
	    (SELECT count(*) FROM audit WHERE action = 'import')")"
	case $n in
	"0 0 0 0") held=none ;;
	"$ncases $nchildren $ncases 1") held=whole ;;
	*) held="part: $n"; return 1 ;;
	esac
}

# store_ok: integrity_check and the foreign keys, after a crash; the
# first program to open the store recovers it
store_ok() {
	run mash-admin check -o json
	{ [ "$rc" = 0 ] || [ "$rc" = 1 ]; } &&
	    jqtrue -s 'map(select(.check == "integrity" or
		.check == "foreign-keys") | .status) == ["ok", "ok"]' "$out" &&
	    [ "$(sql 'PRAGMA integrity_check')" = ok ]
}

hits=0
i=1
while [ $i -le "$NKILLS" ]; do
	point=$(echo "$KILLS" | cut -d, -f$i)
	# shellcheck disable=SC2086
	crash_import $point
	what="killed"
	[ "$krc" = 137 ] && hits=$((hits + 1)) || what="finished (exit $krc)"
	check "import, $point: $what; the store is whole" store_ok
	check "import, $point: none or all of it is there" none_or_whole
	echo "# import, $point: $what with $wal bytes in the log; $held"
	expect 0 "import, $point: run again, exit 0" \
	    mash-refer --csv "$T/big.csv"
	case $held in
	none) want="imported $ncases cases, $nchildren children; 0 already" ;;
	*) want="imported 0 cases, 0 children; $nchildren already" ;;
	esac
	check "import, $point: the summary says what it did" has "$want" "$err"
	data "$T/again"
	check_same "import, $point: the store is as a clean import left it" \
	    "$T/clean" "$T/again"
	i=$((i + 1))
done
echo "# $hits of $NKILLS kill points hit the import as it ran"
check "most kill points hit the import as it ran ($hits of $NKILLS)" \
    [ $((2 * hits)) -ge "$NKILLS" ]

# --- workflow steps -------------------------------------------------------

fresh
grep -v ',Sib' "$T/big.csv" | head -n $((NCASES + 1)) >"$T/cases.csv"
run mash-refer --csv "$T/cases.csv"
check "$NCASES cases to work on" [ "$rc" = 0 ]

# $T/steps: a worker that takes every case to a decision, one step at a
# time, the program of each step in the background of the worker.  It
# runs in a session of its own (setsid), so that one signal stops or
# kills it and everything it started.
cat >"$T/steps" <<'EOF'
T=$1 NCASES=$2
# the first to open the store after a kill recovers it: wait for that
sql() {
	sqlite3 -batch -noheader -cmd '.timeout 30000' "$MASH_DB" "$1" ||
	    echo "steps: cannot read the store" >&2
}

# next_step ID: case ID's next step, as "USER PROGRAM ARGS"; "closed"
# once it is closed.  One look at the store, so that most of the
# worker's time is spent in the steps themselves.
next_step() {
	IFS='|' read -r st nreq open <<-EOF2
	$(sql "SELECT state, (SELECT count(*) FROM requests WHERE case_id = $1),
	    (SELECT id || ' ' || agency FROM requests WHERE case_id = $1 AND
	    state = 'open' ORDER BY id LIMIT 1) FROM cases WHERE id = $1")
	EOF2
	case $st:$nreq:$open in
	closed:*) echo closed ;;
	new:*) echo "screener mash-screen $1 --rag amber" ;;
	screened:*) echo "head mash-screen $1 --accept --assign sw" ;;
	mash:0:*) echo "sw mash-request $1 police health" ;;
	mash:*:*police) echo "pc mash-request --respond ${open% *} --text Known" ;;
	mash:*:?*) echo "sw mash-request --respond ${open% *} --nil" ;;
	mash:*) echo "sw mash-record $1 --summary Collated --recommend nfa" ;;
	recorded:*) echo "head mash-decide $1 --outcome nfa --reason Decided" ;;
	esac
}

c=1
while [ "$c" -le "$NCASES" ]; do
	s=$(next_step "$c")
	case $s in
	closed) c=$((c + 1)); continue ;;
	"") exit 1 ;;
	esac
	# shellcheck disable=SC2086
	env MASH_USER=$s >/dev/null 2>>"$T/steps.err" &
	wait $!
	st=$?
	echo "$st $s" >>"$T/steps.log"
	# a refused step would be tried for ever
	[ "$st" = 0 ] || exit 1
done
EOF

# running PGID: the mash programs running in a process group
running() {
	for _f in /proc/[0-9]*/stat; do
		{ read -r _p _c _ _ _g _ <"$_f"; } 2>/dev/null || continue
		[ "$_g" = "$1" ] && case $_c in "(mash-"*) echo "$_c" ;; esac
	done
}

# agree: every case's row agrees with its audit trail: no change
# without its audit row, no audit row without its change
agree() {
	bad=$(sql "SELECT id FROM cases c WHERE
	    (state <> 'new') <> EXISTS (SELECT 1 FROM audit
		WHERE case_id = c.id AND action = 'screen') OR
	    (accepted_at IS NOT NULL) <> EXISTS (SELECT 1 FROM audit
		WHERE case_id = c.id AND action = 'accept') OR
	    (state IN ('recorded', 'closed')) <> EXISTS (SELECT 1 FROM audit
		WHERE case_id = c.id AND action = 'record') OR
	    (state = 'closed') <> EXISTS (SELECT 1 FROM audit
		WHERE case_id = c.id AND action = 'decide') OR
	    (SELECT count(*) FROM requests WHERE case_id = c.id) <>
		(SELECT count(*) FROM audit WHERE case_id = c.id AND
		action = 'request') OR
	    (SELECT count(*) FROM requests WHERE case_id = c.id AND
		state <> 'open') <> (SELECT count(*) FROM audit
		WHERE case_id = c.id AND action IN ('answer', 'answer-nil'))")
	[ -z "$bad" ]
}

: >"$T/steps.log"
inflight=0
k=1
while [ $k -le "$STEPKILLS" ]; do
	setsid sh "$T/steps" "$T" "$NCASES" &
	wpid=$!
	# a spread of moments, the same each run
	sleep "$(awk -v k=$k 'BEGIN { printf "%.2f", 0.15 + (k * 0.07) % 0.3 }')"
	# stop the whole session first, then look, then kill it
	kill -STOP -$wpid 2>/dev/null
	[ -n "$(running $wpid)" ] && inflight=$((inflight + 1))
	kill -KILL -$wpid 2>/dev/null
	wait $wpid 2>/dev/null
	check "steps, kill $k: the store is whole" store_ok
	check "steps, kill $k: every case agrees with its audit trail" agree
	[ -n "$bad" ] && echo "#   disagree: $bad"
	k=$((k + 1))
done
steps=$(wc -l <"$T/steps.log")
echo "# $inflight of $STEPKILLS kills hit a step as it ran, after $steps steps"

sh "$T/steps" "$T" "$NCASES"
check "carrying on, every step exits 0" \
    eval '! grep -v "^0 " "$T/steps.log" >/dev/null'
grep -v '^0 ' "$T/steps.log" | sed 's/^/#   status /' | head -10
sed 's/^/#   /' "$T/steps.err" | head -10
check "every case is closed" [ "$(sql "SELECT count(*) FROM cases WHERE
    state = 'closed'")" = "$NCASES" ]
life='refer screen accept request request answer answer-nil record decide'
check "each step was taken once: its audit rows, case by case" \
    [ -z "$(sql "SELECT case_id FROM (SELECT case_id, action FROM audit
    WHERE case_id IS NOT NULL ORDER BY case_id, id) GROUP BY case_id
    HAVING group_concat(action, ' ') <> '$life'")" ]
check "two requests a case, both answered" [ "$(sql "SELECT count(*) FROM
    requests WHERE state IN ('answered', 'nil')")" = $((2 * NCASES)) ]
check "integrity_check: ok" store_ok

done_testing
