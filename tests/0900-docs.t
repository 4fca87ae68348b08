#!/bin/sh
# the documentation: man pages lint clean and match the programs' usage,
# the demonstration runs, and the README opens with its two commands
. "$(dirname "$0")/lib.sh"

man=$MASH_SRC/man
pages=$(ls "$man"/*.[157] 2>/dev/null)
# the programs' own pages: those with a program built to check against
progpages=
for p in $pages; do
	n=$(basename "$p" .1)
	case $p in *.1) [ -x "$MASH_BIN/$n" ] && progpages="$progpages $p" ;; esac
done
progs=$(cd "$MASH_BIN" && ls mash-* 2>/dev/null)
plan $(($(echo $pages | wc -w) * 2 + $(echo $progpages | wc -w) * 2 +
    $(echo $progs | wc -w) + 23))

# synopsis PAGE: the SYNOPSIS section of an mdoc page
synopsis() { sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$1"; }

# usage_options FILE: each option a usage names, once: -d, --source;
# of -h, the usage ends at the blank line before the help of each option
usage_options() {
	sed '/^$/,$d' "$1" | grep -oE '(^|[[ ])--?[a-z][a-z0-9-]*' |
	    sed 's/^[[ ]//' | sort -u
}

# missing_options PAGE USAGEFILE: the options of a usage that the
# page's SYNOPSIS does not give as Fl (-d as "Fl d", --ref as "Fl -ref")
missing_options() {
	synopsis "$1" >"$T/synopsis"
	for o in $(usage_options "$2"); do
		f=${o#-}
		grep -qE "Fl (\\\\)?$f( |\$)" "$T/synopsis" || printf ' %s' "$o"
	done
}

# both TEST1 ARG1 TEST2 ARG2: two one-argument tests, both true
both() { [ "$1" "$2" ] && [ "$3" "$4" ]; }

# among LIST WORD...: each WORD ends a member of the list
among() {
	l=$1
	shift
	for w in "$@"; do
		case " $l " in *"/$w "*) ;; *) return 1 ;; esac
	done
}

# targets NAME...: the Makefile has each target
targets() {
	for t in "$@"; do
		grep -q "^$t:" "$MASH_SRC/Makefile" || return 1
	done
}

# exit_codes PAGE: the statuses listed under EXIT STATUS
exit_codes() {
	sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$1" |
	    sed -n 's/^\.It \([0-9][0-9]*\)$/\1/p'
}

# --- every page lints clean, and lists only the shared exit statuses ----

for p in $pages; do
	name=$(basename "$p")
	run mandoc -Tlint -W warning "$p"
	if [ "$rc" -eq 0 ] && [ ! -s "$out" ] && [ ! -s "$err" ]; then
		pass "$name: mandoc -Tlint -W warning is clean"
	else
		fail "$name: mandoc -Tlint -W warning is clean (exit $rc)"
	fi
	bad=
	for c in $(exit_codes "$p"); do
		case " 0 1 64 65 66 69 70 73 74 75 77 78 " in
		*" $c "*) ;;
		*) bad="$bad $c" ;;
		esac
	done
	check "$name: EXIT STATUS lists only the shared codes${bad:+ (not:$bad)}" \
	    [ -z "$bad" ]
done

# --- the SYNOPSIS of each program's page names every option of -h -------

for p in $progpages; do
	prog=$(basename "$p" .1)
	expect 0 "$prog -h: exits 0" "$MASH_BIN/$prog" -h
	cp "$out" "$T/usage"
	miss=$(missing_options "$p" "$T/usage")
	check "$prog.1: SYNOPSIS names each option of -h${miss:+ (missing:$miss)}" \
	    both -s "$T/usage" -z "$miss"
done
check "mash-admin.1 and mash-refer.1 are among the pages checked" \
    among "$progpages" mash-admin.1 mash-refer.1

run "$MASH_BIN/mash-refer" -h
usage_options "$out" | grep -- '^--' >"$T/long"
miss=
for o in $(cat "$T/long"); do
	grep -qE "Fl ${o#-}( |\$)" "$man/mash-refer.1" || miss="$miss $o"
done
check "mash-refer.1 names each long option of -h${miss:+ (missing:$miss)}" \
    both -s "$T/long" -z "$miss"
check "mash-refer.1 refers CSV import to mash-import(5)" \
    has '^\.Xr mash-import 5' "$man/mash-refer.1"

# --- mash.7 names every program -----------------------------------------

for prog in $progs; do
	check "mash.7 refers to $prog" has "^\\.It Xr $prog 1\$" "$man/mash.7"
done
check "mash.7 has the exit status table" \
    [ "$(exit_codes "$man/mash.7" | tr '\n' ' ')" = \
    "0 1 64 65 66 69 70 73 74 75 77 78 " ]

# --- the demonstration ---------------------------------------------------

demo=$T/demo
expect 0 "demo.sh: runs from nothing and exits 0" \
    sh "$MASH_SRC/tests/demo.sh" "$MASH_BIN" "$demo"
cp "$out" "$T/demo1"
check "demo.sh: prints what it does" has '^\$ MASH_USER=screener mash-refer' \
    "$out"
MASH_DB=$demo/mash.db
export MASH_DB
check "demo.sh: the store holds the demonstration cases" \
    [ "$(sql 'SELECT count(*) FROM cases')" -ge 3 ]
check "demo.sh: a case has several children" \
    [ "$(sql 'SELECT max(n) FROM (SELECT count(*) AS n FROM children
    GROUP BY case_id) AS s')" -ge 2 ]
check "demo.sh: the team is registered" \
    [ "$(sql "SELECT group_concat(login || ':' || roles, ' ') FROM
    (SELECT login, roles FROM users ORDER BY login) AS s")" = \
    "admin:admin head:head pc:agency screener:screener sw:social-worker \
sw2:social-worker" ]
check "demo.sh: the police officer belongs to the police" \
    [ "$(sql "SELECT agency FROM users WHERE login = 'pc'")" = police ]
MASH_USER=admin mash-admin -o json check >"$T/check" 2>&1
check "demo.sh: the store passes mash-admin check but for the overdue run" \
    [ "$(grep -v '"status":"ok"' "$T/check" | grep -cv '"overdue-run"')" = 0 ]
expect 0 "demo.sh: runs again over its own directory" \
    sh "$MASH_SRC/tests/demo.sh" "$MASH_BIN" "$demo"
check_same "demo.sh: prints the same each time" "$T/demo1" "$out"
mkdir "$T/precious"
echo keep >"$T/precious/file"
expect 73 "demo.sh: will not remove a directory it did not make" \
    sh "$MASH_SRC/tests/demo.sh" "$MASH_BIN" "$T/precious"
check "demo.sh: ... and leaves it alone" [ "$(cat "$T/precious/file")" = keep ]
expect 64 "demo.sh: without its two arguments, 64" \
    sh "$MASH_SRC/tests/demo.sh" "$MASH_BIN"
# the commands "to look around" work as printed: from another
# directory, the programs not on PATH, no MASH_* set
sed -n '/To look around:/,$s/^	//p' "$T/demo1" >"$T/look.sh"
check "demo.sh: prints commands to look around" \
    [ "$(wc -l <"$T/look.sh")" -ge 3 ]
mkdir "$T/elsewhere"
(cd "$T/elsewhere" && exec env -u MASH_DB -u MASH_USER -u MASH_NOW \
    PATH=/usr/bin:/bin MANPAGER=cat MANWIDTH=80 sh -e "$T/look.sh") \
    >"$out" 2>"$err"
rc=$?
check "demo.sh: they work as printed, from another directory (exit $rc)" \
    [ "$rc" = 0 ]
check "... with nothing on standard error" [ ! -s "$err" ]
check "... the settings and mash(7) among what they print" \
    eval 'has "screening\.due" "$out" && has "MASH(7)" "$out"'
grep -v '^[[:space:]]*#' "$MASH_SRC/tests/demo.sh" >"$T/demo.code"
check "demo.sh does not call jq" hasnt '\<jq\>' "$T/demo.code"

# --- the README -----------------------------------------------------------

: >"$out"
: >"$err"
readme=$MASH_SRC/README
# the first code block, and whether it is the first thing after the title
awk 'NR == 1 { if ($0 == "" || /^```/) bad = 1; next }
    !started && /^```/ { started = 1; next }
    !started && $0 != "" { bad = 1 }
    started && /^```/ { exit }
    started { print }
    END { if (bad) print "NOT FIRST" }' "$readme" >"$T/block"
printf 'make deps demo\nmake check\n' >"$T/want"
check_same "README: opens, after its title, with exactly the two commands" \
    "$T/want" "$T/block"
check "README: the Makefile has the targets it names" \
    targets deps demo check check-asan install

done_testing
