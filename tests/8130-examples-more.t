#!/bin/sh
# the EXAMPLES of mash(1) and mash-import(5), run as written, but for
# the installed paths, which point into the source tree here; the files
# they read are made first, and the rejected row of mash-import(5) is
# corrected between its examples, as its text says
. "$(dirname "$0")/lib.sh"
plan 19

new_store >/dev/null 2>&1 || { echo "Bail out! no store"; exit 1; }
MASH_NOW=2026-03-10T09:00:00Z
export MASH_NOW
MAN=$MASH_SRC/man
man_examples "$MAN/mash.1" "$T/one"
man_examples "$MAN/mash-import.5" "$T/imp"
# installed paths, as a default build names them, into the source tree
for f in "$T"/imp.[0-9][0-9]; do
	sed -i -e "s|/usr/local/share/mash|$MASH_SRC/share/mash|g" \
	    -e "s|/var/spool/mash/police|$T/spool|g" "$f"
done
mkdir "$T/work"
cd "$T/work" || exit 1

# ex FILE: run one extracted example, in this directory
ex() { run sh -c ". '$1'"; }

# --- mash(1): the front end, as the Head -------------------------------------
# the pages where man(1) looks, whichever build's programs run here
mkdir -p "$T/man/man1" "$T/man/man5" "$T/man/man7"
ln -s "$MAN"/mash*.1 "$T/man/man1/"
ln -s "$MAN"/mash*.5 "$T/man/man5/"
ln -s "$MAN"/mash.7 "$T/man/man7/"
MASH_USER=head
MANPATH=$T/man
export MASH_USER MANPATH MANPAGER=cat
as admin mash-refer --source school --concern 'Hungry at school' \
    --child 'Remy Examplechild' >/dev/null
ex "$T/one.01"
check "mash.1 example 1: the screening queue: 0" [ "$rc" = 0 ]
check "mash.1 example 1: a table with the case" has 'Hungry\|school' "$out"
ex "$T/one.02"
check "mash.1 example 2: the verbs: 0" [ "$rc" = 0 ]
check "mash.1 example 2: one a line, screen among them" has '^ *screen' "$out"
ex "$T/one.03"
check "mash.1 example 3: the manual of mash-request: 0" [ "$rc" = 0 ]
check "mash.1 example 3: it is that page" has 'MASH-REQUEST' "$out"
ex "$T/one.04"
check "mash.1 example 4: the manual of CSV files of referrals: 0" [ "$rc" = 0 ]
check "mash.1 example 4: it is mash-import(5)" has 'MASH-IMPORT(5)' "$out"
ex "$T/one.05"
check "mash.1 example 5: the caseload as CSV: 0" [ "$rc" = 0 ]
check "mash.1 example 5: caseload.csv holds the header and the case" \
    [ "$(grep -c . caseload.csv)" = 2 ]

# --- mash-import(5): a police export -----------------------------------------
MASH_USER=admin
cp "$MASH_SRC/tests/import/valid.csv" police.csv
# the PPN export of the tests, with one date of birth that cannot be
sed '3s|03/09/2011|31/02/2011|' "$MASH_SRC/tests/import/ppn.csv" >ppn.csv
before=$(sql "SELECT count(*) FROM cases")
ex "$T/imp.01"
check "mash-import.5 example 1: --dry-run: 0" [ "$rc" = 0 ]
check "mash-import.5 example 1: nothing written" \
    [ "$(sql "SELECT count(*) FROM cases")" = "$before" ]
ex "$T/imp.02"
check "mash-import.5 example 2: some rows rejected: 1" [ "$rc" = 1 ]
check "mash-import.5 example 2: the bad row is in ppn.rej" \
    has '31/02/2011' ppn.rej
sed -i 's|31/02/2011|03/09/2011|' ppn.rej
ex "$T/imp.03"
check "mash-import.5 example 3: the corrected rows go in: 0" [ "$rc" = 0 ]
check "mash-import.5 example 3: the rejected child is now there" \
    [ "$(sql "SELECT count(*) FROM children WHERE family_name = 'Testsolo'")" = 1 ]

# the crontab line, as cron runs it, on a spool with one new file
mkdir -p "$T/spool/incoming"
sed 's/PPN\/2026\//PPN\/2027\//' "$MASH_SRC/tests/import/ppn.csv" \
    >"$T/spool/incoming/new.csv"
check "mash-import.5: the example is a crontab line" [ -f "$T/imp.04.cron" ]
run /bin/sh -c "$(cat "$T/imp.04")"
check "mash-import.5 crontab line: 0 and nothing to mail" \
    sh -c "[ $rc = 0 ] && [ ! -s '$out' ] && [ ! -s '$err' ]"
check "mash-import.5 crontab line: the file is done" \
    [ -f "$T/spool/done/new.csv" ]

done_testing
