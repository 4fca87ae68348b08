#!/bin/sh
# share/mash/examples/import-police.sh: files from an incoming directory,
# under a lock, to done/ or failed/, quiet unless a person is needed
. "$(dirname "$0")/lib.sh"

plan 58

SCRIPT=$MASH_SRC/share/mash/examples/import-police.sh
G=$MASH_SRC/tests/import
MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

D=$T/police
mkdir -p "$D/incoming"

# files DIR: the files of a directory, names only, one line
files() { (cd "$1" && ls -A | tr '\n' ' '); }

cp "$G/valid.csv" "$D/incoming/a.csv"
cp "$G/mixed.csv" "$D/incoming/b.csv"
: >"$D/incoming/c.csv"
echo 'half a file' >"$D/incoming/.d.csv"
echo 'not a csv' >"$D/incoming/notes.txt"

expect 1 "files needing a person: 1" sh "$SCRIPT" "$D"
check "a.csv, all in: moved to done/" test -f "$D/done/a.csv"
check "b.csv, some rows rejected: moved to done/" test -f "$D/done/b.csv"
check "c.csv, empty, refused whole: moved to failed/" \
    test -f "$D/failed/c.csv"
check "incoming/ keeps what is not a finished CSV file" \
    test "$(files "$D/incoming")" = ".d.csv notes.txt "
check "failed/: the reject file and the messages of b, the messages of c" \
    test "$(files "$D/failed")" = "b.log b.reject.csv c.csv c.log "
check_same "b.reject.csv: the rejected rows as mash-refer wrote them" \
    "$G/mixed.rej" "$D/failed/b.reject.csv"
check "b.log: the row messages are kept" \
    has "b.csv:3: column 'child_dob'" "$D/failed/b.log"
cat >"$T/want" <<'EOF'
b.csv: imported 3 cases, 3 children; 0 already present; 0 updated; 4 rejected
  correct the rows in failed/b.reject.csv and put it in incoming/; messages in failed/b.log
c.csv: refused, nothing imported; moved to failed/, messages in failed/c.log
EOF
check_same "the mail: which files, and where to look" "$T/want" "$out"
check "the mail: no child's name, date of birth or concern" \
    test "$(grep -c 'Ben\|Badrow\|Household\|31/02\|concern' "$out")" = 0
check "nothing on standard error" test ! -s "$err"
check "the good rows of a and b are in" \
    test "$(sql "SELECT count(*) FROM cases")" = 7
check "the reject file and the logs are not for everyone" \
    test "$(find "$D/failed" -type f \( -name '*.reject.csv' -o \
    -name '*.log' \) -perm /o=rwx | wc -l)" = 0

expect 0 "nothing new: 0" sh "$SCRIPT" "$D"
check "nothing new: silent" silent

sed -e 's#31/02/2016#28/02/2016#' -e 's#29/02/2015#28/02/2015#' \
    -e 's#"stray"quote#"stray quote"#' "$D/failed/b.reject.csv" \
    >"$D/incoming/b-fixed.csv"
expect 0 "the corrected reject file put back: 0" sh "$SCRIPT" "$D"
check "the corrected reject file: silent" silent
check "the corrected reject file: its rows are in, MIX/3 whole" \
    test "$(sql "SELECT count(*) FROM children h JOIN cases c ON
    c.id = h.case_id WHERE reference = 'MIX/3'")" = 2
check "the corrected reject file: moved to done/" \
    test -f "$D/done/b-fixed.csv"

cp "$G/valid.csv" "$D/incoming/a.csv"
expect 0 "a.csv again, every row present: 0" sh "$SCRIPT" "$D"
check "a.csv again: silent" silent
check "a.csv again: done/a.csv is kept, the new one beside it" \
    test -f "$D/done/a.csv" -a -f "$D/done/a-1.csv"

# --- the lock ---------------------------------------------------------------

cp "$G/valid.csv" "$D/incoming/e.csv"
expect 0 "another run holding the lock: 0" \
    flock "$D/.lock" sh "$SCRIPT" "$D"
check "another run holding the lock: silent" silent
check "another run holding the lock: the file waits in incoming/" \
    test -f "$D/incoming/e.csv"
expect 0 "the lock free again: 0" sh "$SCRIPT" "$D"
check "the lock free again: the file is done" test -f "$D/done/e.csv"

# --- when the import cannot run -----------------------------------------------

cp "$G/valid.csv" "$D/incoming/f.csv"
cp "$G/valid.csv" "$D/incoming/g.csv"
expect 66 "no store: 66, mash-refer's status" \
    env MASH_DB="$T/nosuch.db" sh "$SCRIPT" "$D"
check "no store: the mail says why" \
    has "^f.csv: not imported, left in incoming/ (exit 66): cannot open \
store" "$out"
check "no store: the files wait in incoming/, the first tried only" \
    test "$(files "$D/incoming")" = ".d.csv f.csv g.csv notes.txt "
check "no store: no log is left for a file not imported" \
    test ! -e "$D/failed/f.log"
expect 77 "a user not registered: 77" \
    env MASH_USER=nobody sh "$SCRIPT" "$D"
check "a user not registered: the files wait" test -f "$D/incoming/f.csv"
expect 0 "all well again: 0" sh "$SCRIPT" "$D"
check "all well again: both files done" \
    test -f "$D/done/f.csv" -a -f "$D/done/g.csv"

# --- a map, a source, usage -----------------------------------------------------

cp "$G/ppn.csv" "$D/incoming/ppn.csv"
expect 1 "a PPN export without its map: 1, refused" sh "$SCRIPT" "$D"
check "without its map: moved to failed/" test -f "$D/failed/ppn.csv"
cp "$G/ppn.csv" "$D/incoming/ppn.csv"
expect 0 "-m police-ppn.map: 0" \
    sh "$SCRIPT" -m "$MASH_SRC/share/mash/maps/police-ppn.map" "$D"
check "-m: the referrals are in" \
    test "$(sql "SELECT count(*) FROM cases WHERE reference LIKE
    'PPN/%'")" = 2
cp "$G/school.csv" "$D/incoming/school.csv"
expect 0 "-s school -m school.map: 0" \
    sh "$SCRIPT" -s school -m "$MASH_SRC/share/mash/maps/school.map" "$D"
check "-s: recorded as from a school" \
    test "$(sql "SELECT source FROM cases WHERE reference = 'SCH-77'")" = 2A

# --- real names, old messages, whole rejects, updates (issue 15) ------------

cp "$G/valid.csv" "$D/incoming/PPN EXPORT.CSV"
expect 0 "'PPN EXPORT.CSV', a space and an upper-case suffix: 0" \
    sh "$SCRIPT" "$D"
check "'PPN EXPORT.CSV' is imported and moved to done/" \
    test -f "$D/done/PPN EXPORT.CSV"

printf 'reference,source,child_name,concern,child_dob\n%s\n%s\n' \
    'H/1,police,Ha Bad,x,31/02/2016' 'H/2,police,Ho Bad,y,30/02/2016' \
    >"$D/incoming/h.csv"
expect 1 "a file whose every row is rejected: 1" sh "$SCRIPT" "$D"
check "every row rejected: moved to failed/, not done/" \
    test -f "$D/failed/h.csv" -a ! -e "$D/done/h.csv"
check "every row rejected: the mail says nothing was imported" \
    has "^h.csv: every row rejected, nothing imported; moved to failed/" "$out"
check "the log names the file where it now is" \
    has "^mash-refer: $D/failed/h.csv:2: column 'child_dob'" "$D/failed/h.log"
check "the log does not name it where it was" \
    hasnt "incoming/h.csv" "$D/failed/h.log"
sed -e 's#31/02#28/02#' -e 's#30/02#27/02#' -e 's/,"column.*//' \
    -e 's/,error$//' "$D/failed/h.reject.csv" >"$D/incoming/h.reject.csv"
rm "$D/failed/h.reject.csv"
expect 0 "the corrected reject file put back: 0" sh "$SCRIPT" "$D"
check "a good re-import removes the file's old messages" \
    test ! -e "$D/failed/h.log"

printf 'reference,source,child_name,concern,Extra\nX/1,police,Ex Tra,x,y\n' \
    >"$D/incoming/x.csv"
expect 0 "-i: an unknown column ignored: 0" sh "$SCRIPT" -i "$D"
check "-i: the file is done" test -f "$D/done/x.csv"

printf 'reference,source,child_name,concern\nX/1,police,Ex Tra,now worse\n' \
    >"$D/incoming/x2.csv"
expect 1 "a referral sent again with a new concern: 1, a person should look" \
    sh "$SCRIPT" "$D"
check "the update: the file is done" test -f "$D/done/x2.csv"
xid=$(sql "SELECT id FROM cases WHERE reference = 'X/1'")
cat >"$T/want" <<EOF2
x2.csv: imported 0 cases, 0 children; 0 already present; 1 updated; 0 rejected
  case $xid updated: concern
  updated cases are flagged in mash-screen; see mash-record CASE
EOF2
check_same "the update: the mail names the case and the field, no value" \
    "$T/want" "$out"

expect 64 "no directory named: 64" sh "$SCRIPT"
expect 64 "an unknown option: 64" sh "$SCRIPT" -x "$D"
expect 66 "a directory without incoming/: 66" sh "$SCRIPT" "$T"

done_testing
