#!/bin/sh
# Eight processes at once against one store, as a hub runs all day:
# screeners, social workers, an agency officer, the Head, a cron job
# and an import script.  No command meets a busy or locked store, every
# write that said it succeeded is there afterwards with exactly its
# audit rows, and when two Heads decide one case at once exactly one
# wins.  MASH_OPS and MASH_ROUNDS make it longer (tests/stress/).
. "$(dirname "$0")/lib.sh"

OPS=${MASH_OPS:-520}		# operations in all, over the workers
ROUNDS=${MASH_ROUNDS:-16}	# rounds of two Heads deciding one case
WORKERS=8

plan $((10 + 2 * ROUNDS))

MASH_NOW=2026-11-26T10:00:00Z	# a Thursday
export MASH_NOW
new_store >/dev/null 2>&1 &&
    mash-admin user add head2 --role head --name 'Hugo Headtest' \
    >/dev/null 2>&1 || echo "Bail out! cannot make a store"
# a contact a week old, so that every overdue check finds something
mash-refer --source police --ref OLD/1 --received-at 2026-11-19T09:00:00Z \
    --concern 'Waiting a week' --child 'Olive Oldcase' >/dev/null 2>&1 ||
    echo "Bail out! cannot record a contact"
base=$(sql 'SELECT max(id) FROM audit')

# op W WHAT REF USER PROGRAM ARGS...: one operation of worker W about
# the case whose reference is REF (- for none), logged as
# "W WHAT STATUS REF"; its output is left in $T/oW, its messages are
# added to $T/eW
op() {
	_w=$1 _what=$2 _ref=$3 _u=$4
	shift 4
	as "$_u" "$@" >"$T/o$_w" 2>"$T/m$_w"
	_rc=$?
	cat "$T/m$_w" >>"$T/e$_w"
	echo "$_w $_what $_rc $_ref" >>"$T/log$_w"
	nops=$((nops + 1))
	return $_rc
}

# round W K: worker W takes case CONC/W/K from contact to decision (one
# round in four the Head declines it instead), reading the queues on the
# way; then imports five contacts as a script would and runs the
# overdue check as cron would.  A failed step ends the case's part.
round() {
	ref=CONC/$1/$2
	lifecycle "$1" "$2"
	printf 'reference,source,child_given_name,child_family_name,concern\n' \
	    >"$T/imp$1.csv"
	for j in 1 2 3 4 5; do
		printf 'IMP/%s/%s/%s,school,Ivy,Importtest%s,Imported %s\n' \
		    "$1" "$2" "$j" "$1" "$j"
	done >>"$T/imp$1.csv"
	op "$1" import "IMP/$1/$2" admin mash-refer --csv "$T/imp$1.csv"
	op "$1" overdue - admin mash-overdue -o json
}

# lifecycle W K: the case's part of round W K
lifecycle() {
	op "$1" refer "$ref" screener mash-refer -o json --source police \
	    --ref "$ref" --concern "Concern about $ref" --consent given \
	    --child "Robin Racetest$1" --dob 2016-0$(($1 % 9 + 1))-1$(($2 % 9)) \
	    || return
	cid=$(jq -r .id "$T/o$1")
	op "$1" queue - screener mash-screen -o json || return
	op "$1" screen "$ref" screener mash-screen -o json "$cid" \
	    --rag amber || return
	if [ $(($2 % 4)) = 0 ]; then
		op "$1" decline "$ref" head2 mash-screen -o json "$cid" \
		    --decline --outcome nfa --reason 'Declined under load'
		return
	fi
	op "$1" accept "$ref" head mash-screen -o json "$cid" --accept \
	    --assign sw || return
	op "$1" request "$ref" sw mash-request -o json "$cid" police health \
	    --question 'Anything known?' || return
	rp=$(jq -r 'select(.agency == "police") | .id' "$T/o$1")
	rh=$(jq -r 'select(.agency == "health") | .id' "$T/o$1")
	op "$1" answer "$ref" pc mash-request -o json --respond "$rp" \
	    --text 'Known to police' || return
	op "$1" answer-nil "$ref" sw mash-request -o json --respond "$rh" \
	    --nil || return
	op "$1" record "$ref" sw mash-record -o json "$cid" \
	    --summary 'Collated under load' --recommend nfa || return
	op "$1" awaiting - head2 mash-decide -o json || return
	op "$1" decide "$ref" head mash-decide -o json "$cid" --outcome nfa \
	    --reason 'Decided under load'
}

# worker W N: rounds until worker W has run N operations
worker() {
	nops=0 k=0
	while [ "$nops" -lt "$2" ]; do
		k=$((k + 1))
		round "$1" "$k"
	done
}

# --- eight at once --------------------------------------------------------

start=$(date +%s)
w=1
while [ $w -le $WORKERS ]; do
	: >"$T/log$w"
	worker $w $(((OPS + WORKERS - 1) / WORKERS)) &
	w=$((w + 1))
done
wait
secs=$(($(date +%s) - start))
cat "$T"/log* >"$T/ops"
cat "$T"/e[0-9]* >"$T/msgs"
nops=$(wc -l <"$T/ops")
echo "# $nops operations by $WORKERS processes in $secs s"
awk '{ n[$2 " " $3]++ } END { for (k in n) print "#   " k ": " n[k] }' \
    "$T/ops" | sort

check "$WORKERS processes ran $nops operations (at least $OPS)" \
    [ "$nops" -ge "$OPS" ]
check "no command exited 75 (busy)" \
    eval '! awk "\$3 == 75 { f = 1 } END { exit !f }" "$T/ops"'
check "no command said the store was busy or locked" \
    eval '! grep -i -E "busy|locked" "$T/msgs" >/dev/null'
awk '!($3 == 0 || ($2 == "overdue" && $3 == 1))' "$T/ops" >"$T/failed"
check "every command succeeded (the overdue check: 0 or 1)" \
    [ ! -s "$T/failed" ]
sed 's/^/#   failed: /' "$T/failed" | head -20

# what the log says the store must hold: one line per audit row as
# "REFERENCE ACTION", each case's state, each request's state
awk '
function row(r, a) { print r " " a >audit }
$3 != 0 && !($2 == "overdue" && $3 == 1) { next }
$2 == "refer" { row($4, "refer"); st[$4] = "new" }
$2 == "screen" { row($4, "screen"); st[$4] = "screened" }
$2 == "accept" { row($4, "accept"); st[$4] = "mash" }
$2 == "decline" || $2 == "decide" { row($4, $2); st[$4] = "closed" }
$2 == "request" { row($4, "request"); row($4, "request")
	rq[$4 " police"] = rq[$4 " health"] = "open" }
$2 == "answer" { row($4, "answer"); rq[$4 " police"] = "answered" }
$2 == "answer-nil" { row($4, "answer-nil"); rq[$4 " health"] = "nil" }
$2 == "record" { row($4, "record"); st[$4] = "recorded" }
$2 == "import" { row("-", "import")
	for (j = 1; j <= 5; j++) { row($4 "/" j, "refer"); st[$4 "/" j] = "new" } }
$2 == "overdue" { row("-", "overdue-run") }
END {
	for (r in st) print r " " st[r] >states
	for (r in rq) print r " " rq[r] >requests
}' audit="$T/want.audit" states="$T/want.states" \
    requests="$T/want.requests" "$T/ops"
for f in audit states requests; do
	sort -o "$T/want.$f" "$T/want.$f"
done

sql "SELECT reference || ' ' || state FROM cases WHERE reference LIKE
    'CONC/%' OR reference LIKE 'IMP/%'" | sort >"$T/got.states"
n=$(wc -l <"$T/want.states")
check_same "all $n recorded contacts are there, as their last command left them" \
    "$T/want.states" "$T/got.states"
sql "SELECT c.reference || ' ' || r.agency || ' ' || r.state FROM requests r
    JOIN cases c ON c.id = r.case_id" | sort >"$T/got.requests"
n=$(wc -l <"$T/want.requests")
check_same "all $n requests are there, each answered as it was" \
    "$T/want.requests" "$T/got.requests"
# listings are views, not changes: whether a queue showed a case (and
# wrote its row) depends on the moment it was read
sql "SELECT coalesce(c.reference, '-') || ' ' || a.action FROM audit a
    LEFT JOIN cases c ON c.id = a.case_id WHERE a.id > $base AND
    a.action <> 'list'" |
    sort >"$T/got.audit"
n=$(wc -l <"$T/want.audit")
check_same "the audit rows match the $n changes one for one" \
    "$T/want.audit" "$T/got.audit"
awk '{ print $2 }' "$T/want.audit" | sort | uniq -c | sed 's/^/# audit /'

# (PostgreSQL checks its foreign keys at every write)
if sqlite_only 2 "file's integrity_check and foreign_key_check"; then
	check "integrity_check: ok" [ "$(sql 'PRAGMA integrity_check')" = ok ]
	check "foreign_key_check: nothing" \
	    [ -z "$(sql 'PRAGMA foreign_key_check')" ]
fi
expect 0 "mash-admin check: 0" mash-admin check -o json

# --- two Heads deciding one case at once ----------------------------------

mkfifo "$T/gate"

# racer N USER ARGS...: run ARGS as USER in the background as soon as
# the gate opens; status in $T/sN, output in $T/rN, messages in $T/qN
racer() {
	_n=$1 _u=$2
	shift 2
	(
		: <"$T/gate"
		as "$_u" "$@" >"$T/r$_n" 2>"$T/q$_n"
		echo $? >"$T/s$_n"
	) &
}

# race: open the gate to both racers at once (a FIFO's readers all
# return when its writer opens it), and wait for both
race() {
	exec 3>"$T/gate"
	wait
	exec 3>&-
	statuses=$(sort -n "$T/s1" "$T/s2" | tr '\n' ' ')
	winner=1 loser=2
	[ "$(cat "$T/s1")" = 0 ] || { winner=2 loser=1; }
}

# decided_once: the case holds the winner's outcome and one decision in
# the audit trail; the loser was told the case is closed, and printed
# nothing
decided_once() {
	[ "$(sql "SELECT outcome FROM cases WHERE id = $cid")" = \
	    "$(jq -r .outcome "$T/r$winner")" ] &&
	[ "$(sql "SELECT count(*) FROM audit WHERE case_id = $cid AND
	    action = 'decide'")" = 1 ] &&
	has "case $cid is 'closed', not 'recorded'" "$T/q$loser" &&
	[ ! -s "$T/r$loser" ]
}

i=1
while [ $i -le $ROUNDS ]; do
	case_in recorded
	racer 1 head mash-decide -o json "$cid" --outcome nfa \
	    --reason 'The first Head'
	racer 2 head2 mash-decide -o json "$cid" --outcome cpat --need N1 \
	    --reason 'The second Head'
	race
	check "two Heads, round $i: one exits 0, the other 65 ($statuses)" \
	    [ "$statuses" = "0 65 " ]
	check "round $i: the winner's decision, audited once; the loser told" \
	    decided_once
	i=$((i + 1))
done

done_testing
