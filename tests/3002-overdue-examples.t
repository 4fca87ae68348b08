#!/bin/sh
# the examples of mash-overdue(1) and the crontab of
# share/mash/cron/mash-overdue.cron, run as written against a store
# (only the store, lock and program paths substituted)
. "$(dirname "$0")/lib.sh"
plan 31

bail() { echo "Bail out! $*"; exit 1; }
new_store >/dev/null || bail "cannot set up the store"
mash-admin user add kpatel --role social-worker --name 'Kim Patel' ||
    bail "cannot add a user"

MAN=$MASH_SRC/man/mash-overdue.1
CRON=$MASH_SRC/share/mash/cron/mash-overdue.cron
QUIET=2026-01-12T12:00:00Z	# nothing due
LATE=2026-01-14T18:00:00Z	# a request 30h late, a decision 27h

MASH_NOW=2026-01-12T10:00:00Z mash-refer --source police --ref EX/1 \
    --concern 'test' --child 'Ruby Examplar' --dob 2016-04-04 >/dev/null ||
    bail "cannot refer"
sql "UPDATE cases SET state = 'mash', rag = 'red', assigned_to = 'kpatel',
  accepted_at = '2026-01-12T11:00:00Z',
  decision_due = '2026-01-13T15:00:00Z' WHERE id = 1;
INSERT INTO requests (case_id, agency, asked_at, asked_by, due_at)
  VALUES (1, 'police', '2026-01-12T11:00:00Z', 'kpatel',
  '2026-01-13T12:00:00Z');" || bail "cannot add rows"

runs() { sql "SELECT count(*) FROM audit WHERE action = 'overdue-run'"; }

# -- the manual's examples ---------------------------------------------------
# each "$ command" of a literal display, continuation lines joined, mdoc
# escapes undone, one file a command
awk -v dir="$T" '
function done_cmd() { n++; f = dir "/example." n; print cmd >f; close(f) }
/^\.Bd -literal/ { lit = 1; next }
/^\.Ed/ { lit = 0; next }
lit && more { cmd = cmd " " $0 }
lit && !more && /^\$ / { cmd = substr($0, 3) }
lit && (more || /^\$ /) {
	more = /(\\e|\|)$/
	if (more) sub(/\\e$/, "", cmd); else done_cmd()
}' "$MAN"
for f in "$T"/example.*; do
	sed -i -e 's/\\-/-/g' -e 's/\\e/\\/g' "$f"
done
check "the manual has five examples to run" \
    test "$(ls "$T"/example.* | wc -l)" = 5

for f in "$T"/example.*; do
	cmd=$(cat "$f")
	run env MASH_NOW=$LATE MASH_USER=head sh -c "cd '$T' && $cmd" \
	    </dev/null
	check "example runs: $cmd" test "$rc" -le 1
	check "example is quiet on standard error: $cmd" test ! -s "$err"
	cp "$out" "$f.out"
done
check "the table example lists the items" \
    has '^request  *1  *1  *red' "$T/example.1.out"
check "the CSV example writes its file" \
    has '^request,1,1,red,2026-01-13T12:00:00Z,108000,kpatel,police' \
    "$T/late.csv"
check "the jq example prints the case once" \
    test "$(cat "$T/example.4.out")" = 1
check "the --names example shows the child" \
    has 'Ruby *Examplar *2016-04-04' "$T/example.5.out"

# -- the crontab --------------------------------------------------------------
check "the crontab mails someone" has '^MAILTO=' "$CRON"
check "the crontab runs every 15 minutes under flock -n" \
    has '^\*/15 \* \* \* \* flock -n ' "$CRON"
check "the crontab does not ask for names" hasnt '^[^#].*--names' "$CRON"

# cron runs a job with little more than the crontab's own variables:
# env -i, those variables, HOME, and the user, clock and store the test
# needs (the job opens the built-in store, which MASH_DB stands in for)
# (under make check-pg the programs are lib.sh's wrappers, which need
# to know the server: $pgvars)
bindir=$MASH_BIN pgvars=
if [ -n "${MASH_PG:-}" ]; then
	bindir=$T/wrap pgvars="MASH_PG=$MASH_PG MASH_PGBIN=$MASH_PGBIN"
	pgvars="$pgvars MASH_FAKETIME=$MASH_FAKETIME MASH_SRC=$MASH_SRC"
fi
sed -e "s|/usr/local/bin|$bindir|g" "$CRON" >"$T/crontab"
check "the crontab leaves the store to the programs" hasnt 'MASH_DB' "$CRON"
vars=$(grep -E '^[A-Z_]+=' "$T/crontab" | grep -v '^MAILTO=' | tr '\n' ' ')
job=$(grep -E '^[*0-9]' "$T/crontab" | sed 's/^\([^ ]* \)\{5\}//')
check "the crontab has one job" test "$(grep -cE '^[*0-9]' "$CRON")" = 1
cron_job() {
	# shellcheck disable=SC2086
	env -i $vars $pgvars HOME="$T" MASH_DB="$MASH_DB" MASH_USER=admin \
	    MASH_NOW=$1 /bin/sh -c "$job" </dev/null
}

n=$(runs)
expect 0 "cron, nothing due: exit 0" cron_job $QUIET
check "cron, nothing due: no mail" test ! -s "$out" -a ! -s "$err"
check "cron, nothing due: the run is recorded" test "$(runs)" = $((n + 1))
expect 1 "cron, items late: exit 1" cron_job $LATE
check "cron, items late: the mail lists them" \
    has '^decision  1  *red' "$out"
check "cron, items late: no child's name or date of birth" \
    sh -c "! grep -E 'Ruby|Examplar|2016-04-04' '$out'"
n=$(runs)
# shellcheck disable=SC2086
run flock "$T/.mash-overdue.lock" env -i $vars $pgvars HOME="$T" \
    MASH_DB="$MASH_DB" MASH_USER=admin MASH_NOW=$LATE /bin/sh -c "$job"
check "cron, last run still going: this one is skipped" test "$rc" = 1
check "cron, skipped: no mail" test ! -s "$out" -a ! -s "$err"
check "cron, skipped: no run recorded" test "$(runs)" = "$n"
MASH_NOW=2026-01-14T19:00:00Z expect 0 "mash-admin check is content" \
    mash-admin check -o csv
check "and says when cron last ran" \
    has "^overdue-run,ok,last overdue check $LATE" "$out"

done_testing
