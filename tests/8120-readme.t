#!/bin/sh
# README: the first code block is the two set-up commands, as written
# (not run here: make check is what runs this); every command of the
# tour, the code blocks from "A short tour" on, runs as written and in
# order, in one shell in the source tree, with a scratch $HOME, and
# succeeds; then what the tour says happened is looked for
. "$(dirname "$0")/lib.sh"

README=$MASH_SRC/README
mkdir "$T/ex" "$T/home" || exit 1

# the first block to $T/first; each command of the tour's blocks to
# $T/ex/tour.NN, a line ending in "\" or "|" going on to the next
awk -v pre="$T/ex/tour" -v first="$T/first" '
/^```/ { blk = !blk; if (blk) nb++; next }
/^A short tour/ { tour = 1 }
blk && nb == 1 { print >first; next }
!blk || !tour { next }
!more && /^[ \t]*$/ { next }
!more { f = sprintf("%s.%02d", pre, ++n) }
{ print >f; more = /(\\|\|)$/; if (!more) close(f) }' "$README"
n=$(ls "$T/ex" | grep -c '\.[0-9][0-9]$')

plan $((n + 12))

check "the first code block is the two set-up commands" \
    [ "$(cat "$T/first")" = "$(printf 'make deps demo\nmake check')" ]
check "the tour has commands" [ "$n" -gt 20 ]

# what TOUR.NN: its first line, for a description
what() { head -n 1 "$1" | sed 's/[ \\|]*$//' | tr -d '\\' | cut -c1-60; }

MASH_NOW=2026-01-12T10:00:00Z
export MASH_NOW
(HOME=$T/home; export HOME; examples_run "$T/ex/tour" "$MASH_SRC")
for f in "$T/ex/tour".[0-9][0-9]; do
	cat "$f.out" "$f.err" >"$f.all"
	out=$f.all err=$f.err
	check "README ${f##*.}: $(what "$f"): exits 0" \
	    [ "$(cat "$f.rc" 2>/dev/null)" = 0 ]
done
out=$T/stdout err=$T/stderr

# tour PATTERN: the output of the tour's command that matches PATTERN
tour() {
	for f in "$T/ex/tour".[0-9][0-9]; do
		grep -q -- "$1" "$f" && { cat "$f.all"; return; }
	done
	echo "# no command of the tour matches '$1'" >&2
}
MASH_DB=$T/home/mash-tour.db
export MASH_DB

check "only init, the refused contact and the one sent again say anything on standard error" \
    [ "$(cd "$T/ex" && for f in tour.[0-9][0-9]; do
	[ -s "$f.err" ] && echo "$f"; done)" = \
    "$(cd "$T/ex" && grep -l -e Whitcombe -e "present' --child" -e '^mash-admin init$' \
    tour.[0-9][0-9])" ]
check "the contact sent again is not a second case, and says so" \
    [ "$(sql "SELECT count(*) FROM cases WHERE reference = 'CR/0412/26'
    ")/$(tour "present' --child" | tail -n 1)" = "1/mash-refer: source \
'police' reference 'CR/0412/26' is already case 1: not recorded again" ]
check "the later contact about Ava lists her earlier case" \
    [ "$(tour GP-5521)" = \
    '{"given_name":"Ava","previous_cases":[1],"contacts_12m":2}' ]
tour 'MASH_USER=jo mash-request -o table' >"$T/jo"
check "Jo sees the police request" has '^1  *1  *police  *open' "$T/jo"
check "case 1 went from contact to decision" \
    [ "$(sql "SELECT state || ':' || outcome || ':' || assigned_to FROM cases
    WHERE id = 1")" = closed:early-help:kim ]
check "the events read back who did what" \
    [ "$(tour '.events\[\]' | cut -f 2,3 | tr '\t\n' ': ')" = "sam:refer \
sam:screen hana:accept hana:share-without-consent kim:request kim:request \
kim:request jo:answer kim:answer-nil kim:withdraw kim:record hana:decide \
hana:view " ]
check "nothing overdue: silence and exit 0" [ "$(tour '^mash-overdue;')" = \
    "exit 0" ]
check "due soon: three screenings listed, exit 1" \
    [ "$(tour 'within 2wd' | grep -c '^screening ')/$(tour 'within 2wd' |
    tail -n 1)" = "3/exit 1" ]
check "the import script filed the police's CSV in done/" \
    [ "$(tour '^ls ')" = ppn-0311.csv ]
check "the imported referral is in the screening queue" \
    has 'PPN/2026/0311' "$T/ex/tour.$(printf %02d "$n").all"

done_testing
