#!/bin/sh
# the manuals of mash-screen, mash-request, mash-record and mash-decide:
# mandoc -Tlint clean, every long option documented, one SYNOPSIS form
# for each usage line, and the EXAMPLES run as written, page after page
# in the order of the hub's work, against one store in the states they
# need
. "$(dirname "$0")/lib.sh"

bail() { echo "Bail out! $*"; exit 1; }

MAN=$MASH_SRC/man
PROGS="mash-screen mash-request mash-record mash-decide"

# examples PAGE PREFIX: each "$ command" of a literal display under
# EXAMPLES into its own file, PREFIX.01, PREFIX.02, ...; a line ending in
# "\e" or "|" goes on to the next, and mdoc's escapes are undone
examples() {
	awk -v pre="$2" '
	/^\.Sh / { ex = $0 == ".Sh EXAMPLES"; next }
	!ex { next }
	/^\.Bd -literal/ { lit = 1; next }
	/^\.Ed/ { lit = 0; next }
	!lit { next }
	!more && !/^\$ / { next }
	!more { f = sprintf("%s.%02d", pre, ++n); sub(/^\$ /, "") }
	{ print >f; more = /(\\e|\|)$/; if (!more) close(f) }' "$1"
	for f in "$2".*; do
		[ -f "$f" ] || continue
		sed -i -e 's/\\e/\\/g' -e 's/\\&//g' -e 's/\\-/-/g' "$f"
	done
}

# long_options FILE: each --option a text names, once
long_options() { grep -oE -- '--[a-z][a-z-]*' "$1" | sort -u; }

# src_options PROG: the long options of the program's own option table
src_options() {
	printf '%s\n' db format raw help version
	sed -n 's/^[[:space:]]*{ "\([a-z][a-z-]*\)", [a-z_]*argument,.*/\1/p' \
	    "$MASH_SRC/src/$1.c"
}

# undocumented PAGE NAME...: the names no ".It" line of the page gives
# as "Fl -NAME"
undocumented() {
	p=$1
	shift
	for o in "$@"; do
		grep -qE "^\\.It .*Fl -$o( |\$)" "$p" || printf ' --%s' "$o"
	done
}

# forms PAGE: how many forms of the command its SYNOPSIS gives
forms() { sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$1" | grep -c '^\.Nm$'; }

# the examples, extracted first so that the plan can count them
mkdir "$T/ex" || bail "cannot make a directory"
nex=0
for prog in $PROGS; do
	examples "$MAN/$prog.1" "$T/ex/$prog"
	nex=$((nex + $(ls "$T/ex/$prog".* 2>/dev/null | wc -l)))
done

plan $((4 * 6 + 2 * nex + 19))

# --- each page on its own -------------------------------------------------

for prog in $PROGS; do
	page=$MAN/$prog.1
	if command -v mandoc >/dev/null 2>&1; then
		run mandoc -Tlint -W warning "$page"
		quiet=$rc
		[ -s "$out" ] || [ -s "$err" ] && quiet=noisy
		check "$prog.1: mandoc -Tlint -W warning is clean" \
		    [ "$quiet" = 0 ]
	else
		pass "$prog.1: mandoc -Tlint # SKIP no mandoc"
	fi
	expect 0 "$prog -h: exits 0" "$MASH_BIN/$prog" -h
	cp "$out" "$T/usage"
	miss=$(undocumented "$page" $(long_options "$T/usage" | sed 's/^--//'))
	[ -s "$T/usage" ] || miss=" (no usage)"
	check "$prog.1: each long option of -h has its .It${miss:+ (not:$miss)}" \
	    [ -z "$miss" ]
	miss=$(undocumented "$page" $(src_options "$prog"))
	check "$prog.1: each option of the program's table has its .It${miss:+ (not:$miss)}" \
	    [ -z "$miss" ]
	# a form of the usage begins with the program's name, after
	# "usage:" or as far in; the usage ends at its blank line
	check "$prog.1: as many SYNOPSIS forms as usage lines" \
	    [ "$(forms "$page")" = "$(sed '/^$/,$d' "$T/usage" |
	    grep -c "^\(usage:\|      \) $prog ")" ]
	check "$prog.1: has examples to run" [ -f "$T/ex/$prog.01" ]
done

# --- the examples, in the order of the hub's work -------------------------
#
# One user holds every role, so that each example runs as its page says
# the right person would; kpatel is the social worker cases go to.  The
# contacts the examples work on:
#   1  police, two children (1 Ava Smith, 2 Leo Smith), consent not sought
#   2  school, one child (3)
#   3  GP, one child (4)
#   4  police, Ava Smyth (child 5), a possible match of Ava Smith
#   5  anonymous, one child (6)
# All at Monday 12 January 2026, 10:00 GMT.

new_store >/dev/null || bail "cannot set up the store"
mash-admin user add hub --role head,screener,social-worker,agency \
    --agency police >/dev/null &&
    mash-admin user add kpatel --role social-worker --name 'Kim Patel' \
    >/dev/null || bail "cannot add the users"
MASH_NOW=2026-01-12T10:00:00Z
export MASH_NOW
refer() { mash-refer "$@" >/dev/null || bail "cannot record a contact"; }
refer --source police --ref CR/123/26 --consent not-sought \
    --concern 'Domestic incident; two children at home' \
    --child 'Ava Smith' --dob 2016-03-02 --child 'Leo Smith' --dob 2019-11-20
refer --source school --ref S/1 --consent given --concern 'Hungry at school' \
    --child 'Mia Brown' --dob 2014-05-06
refer --source gp --ref G/1 --consent given --concern 'Bruise seen' \
    --child 'Noah Green' --dob 2015-07-07
refer --source police --ref CR/200/26 --consent given \
    --concern 'Missing overnight' --child 'Ava Smyth' --dob 2016-03-02
refer --source anonymous --concern 'Shouting heard' --child 'Kai Test' \
    --dob 2013-02-02

# example PROG: run each example of the page as the hub's user, in $T
example() {
	for f in "$T/ex/$1".*; do
		cmd=$(cat "$f")
		# the description: the first line, without what echo expands
		d="$1.1 example ${f##*.}: $(head -n 1 "$f" | tr -d '\\')"
		run env MASH_USER=hub sh -c "cd '$T' && $cmd" </dev/null
		check "$d: exits 0" [ "$rc" -eq 0 ]
		check "$d: says nothing on standard error" [ ! -s "$err" ]
		cp "$out" "$f.out"
	done
}

# field CASE COLUMN: a column of a case in the store
field() { sql "SELECT $2 FROM cases WHERE id = $1"; }

example mash-screen
check "mash-screen.1: the queue example prints the queue" \
    has '^1  *new' "$T/ex/mash-screen.01.out"
check "mash-screen.1: case 1 is accepted, red, for kpatel, with a basis" \
    [ "$(field 1 "state || rag || assigned_to ||
    CASE WHEN share_basis IS NULL THEN 0 ELSE 1 END")" = \
    mashredkpatel1 ]
check "mash-screen.1: case 1's decision is due four hours after acceptance" \
    [ "$(field 1 decision_due)" = 2026-01-12T14:00:00Z ]
check "mash-screen.1: case 2 is re-rated amber, due from its acceptance" \
    [ "$(field 2 "state || rag || decision_due")" = \
    mashamber2026-01-13T17:00:00Z ]
check "mash-screen.1: case 3 is declined to health" \
    [ "$(field 3 "state || outcome || outcome_agency")" = \
    closedsingle-agencyhealth ]
check "mash-screen.1: the match example finds Ava Smyth's possible match" \
    has '{"id":5,"possible_matches":\[1\]}' "$T/ex/mash-screen.08.out"
check "mash-screen.1: Ava Smyth is confirmed as Ava Smith" \
    [ "$(sql 'SELECT person_id FROM children WHERE id = 5')" = 1 ]
check "mash-screen.1: the anonymous contact is screened green, no other" \
    [ "$(field 5 "state || rag")/$(field 4 state)" = screenedgreen/new ]

example mash-request
check "mash-request.1: red case 1's requests are due in two hours" \
    [ "$(sql "SELECT group_concat(agency || '@' || due_at, ' ') FROM
    (SELECT agency, due_at FROM requests WHERE case_id = 1 ORDER BY id) AS s")" = \
    "police@2026-01-12T12:00:00Z health@2026-01-12T12:00:00Z education@2026-01-12T12:00:00Z" ]
check "mash-request.1: --due 2wd and --due '16/01/2026 12:00' are kept" \
    [ "$(sql "SELECT group_concat(due_at, ' ') FROM
    (SELECT due_at FROM requests WHERE case_id = 2 ORDER BY id) AS s")" = \
    "2026-01-14T17:00:00Z 2026-01-16T12:00:00Z" ]
check "mash-request.1: answered, nil and withdrawn as the examples say" \
    [ "$(sql "SELECT group_concat(state, ' ') FROM
    (SELECT state FROM requests ORDER BY id) AS s")" = \
    "answered nil withdrawn answered withdrawn" ]
check "mash-request.1: the answer from standard input keeps its lines" \
    [ "$(sql 'SELECT answer FROM requests WHERE id = 4')" = \
    "$(printf 'Rent arrears since March.\nNo repairs outstanding.')" ]
check "mash-request.1: the CSV example writes case 1's three requests" \
    [ "$(wc -l <"$T/requests.csv")" = 4 ]

example mash-record
check "mash-record.1: the jq example prints each agency's answer" \
    has "^health$(printf '\t')nil$(printf '\t')\$" "$T/ex/mash-record.02.out"
check "mash-record.1: both records are written as recommended" \
    [ "$(field 1 "state || recommendation")/$(field 2 \
    "state || recommendation || recommendation_agency")" = \
    recordedearly-help/recordedsingle-agencyhousing ]
check "mash-record.1: the summary from standard input keeps its lines" \
    [ "$(field 2 summary)" = \
    "$(printf 'Known to housing only.\nNothing held elsewhere.')" ]

example mash-decide
check "mash-decide.1: the queue example lists both records" \
    [ "$(grep -c '^[12] ' "$T/ex/mash-decide.01.out")" = 2 ]
check "mash-decide.1: case 1 is returned, keeping its recommendation" \
    [ "$(field 1 "state || recommendation")" = mashearly-help ]
check "mash-decide.1: case 2 is closed for housing" \
    [ "$(field 2 "state || outcome || outcome_agency")" = \
    closedsingle-agencyhousing ]

done_testing
