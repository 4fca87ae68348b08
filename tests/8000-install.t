#!/bin/sh
# make install and make uninstall: a build of its own under $T, with
# its own PREFIX and localstatedir, installed into a DESTDIR, run from
# where it was installed to, and removed again without a trace
. "$(dirname "$0")/lib.sh"

plan 88

# this test's make is its own, whatever make runs the suite
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
src=$MASH_SRC
P=$T/usr			# PREFIX
V=$T/var			# localstatedir
D=$T/dest			# DESTDIR
db=$V/lib/mash/mash.db		# the store the build knows of
comp=$P/share/bash-completion/completions
vars="B=$T/build BIN=$T/bin PREFIX=$P localstatedir=$V CFLAGS=-O0"
mkdir "$T/empty" "$T/none"

# mk ARGS...: make in the source tree with this test's variables
mk() { make -C "$src" --no-print-directory $vars "$@"; }
mk_strict() { (umask 077 && mk "$@"); }

# tree DIR: every file and link under DIR, as paths below it
tree() { (cd "$1" && find . ! -type d | sed 's|^\./||' | sort); }

# --- a build of its own -----------------------------------------------------

expect 0 "make with PREFIX and localstatedir builds under \$T" mk -s -j2
check "... without a warning" [ ! -s "$err" ]
check "... every program" \
    [ "$(ls "$T/bin" | tr '\n' ' ')" = "mash mash-admin mash-audit mash-decide \
mash-overdue mash-record mash-refer mash-report mash-request mash-return \
mash-screen " ]
check "... and nothing else: no unit test, no fuzz harness" \
    [ ! -e "$T/build/unit" ] && [ ! -e "$T/build/fuzz" ]
expect 0 "a second make has nothing to build" mk
check "... compiles nothing" hasnt '^cc\|-o ' "$out"
expect 0 "make -q agrees: all is up to date" mk -q

# objects OUT: the objects a make -n would compile, sorted
objects() { grep -o ' -o [^ ]*\.o ' "$1" | sed 's|^ -o ||; s| $||' | sort; }
expect 0 "make -n as if store.h had changed" mk -n -W src/lib/store.h
objects "$out" >"$T/got"
# store.h, or db-engine.h, which includes it
(cd "$src/src/lib" && grep -l '^#include "\(store\|db-engine\)\.h"' ./*.c) |
    sed "s|^\./\(.*\)\.c\$|$T/build/lib/\1.o|" | sort >"$T/want"
check "... compiles the files that include it and no others" \
    [ -s "$T/want" ]
check_same "... exactly those" "$T/want" "$T/got"
expect 66 "the built program's default store is under localstatedir" \
    env PATH="$T/bin:/usr/bin:/bin" MASH_USER=admin mash-record --list
check "... and its message names it" has "^mash-record: .*'$db'" "$err"

# --- make install ---------------------------------------------------------

expect 0 "make install into a DESTDIR, under a strict umask" \
    mk_strict install DESTDIR="$D"
check "... without a warning" eval '! grep -qi warning "$err"'
{
	for p in $(ls "$T/bin"); do echo "$P/bin/$p"; done
	for m in $(cd "$src/man" && ls); do
		echo "$P/share/man/man${m##*.}/$m"
	done
	for f in $(cd "$src/share/mash" && find . ! -type d | sed 's|^\./||'); do
		echo "$P/share/mash/$f"
	done
	for p in $(ls "$T/bin"); do echo "$comp/$p"; done
} | sed "s|^/||" | sort >"$T/want"
tree "$D" >"$T/got"
check_same "exactly the programs, pages, share/mash and completions" \
    "$T/want" "$T/got"
check "the programs are executable by all" \
    [ "$(cd "$D$P/bin" && find . -type f ! -perm 0755 | wc -l)" = 0 ]
check "the pages are readable by all" \
    [ "$(find "$D$P/share/man" -type f ! -perm 0644 | wc -l)" = 0 ]
check "share/mash is readable by all" \
    [ "$(find "$D$P/share/mash" ! -perm -0444 | wc -l)" = 0 ]
check "... its directories searchable by all" \
    [ "$(find "$D$P/share/mash" -type d ! -perm -0555 | wc -l)" = 0 ]
for p in mash mash-admin mash-refer; do
	check "$p: installed as built" cmp -s "$T/bin/$p" "$D$P/bin/$p"
done
n=0
# the cron and import examples name the paths installed, as the pages do
for f in $(cd "$src/share/mash" && find . -type f); do
	case $f in
	./cron/*|./examples/*)
		sed "s|/usr/local/var/lib/mash|$V/lib/mash|g
		    s|/usr/local/share/mash|$P/share/mash|g
		    s|/usr/local/bin|$P/bin|g" "$src/share/mash/$f" |
		    cmp -s - "$D$P/share/mash/$f" || n=$((n + 1)) ;;
	*)	cmp -s "$src/share/mash/$f" "$D$P/share/mash/$f" ||
		    n=$((n + 1)) ;;
	esac
done
check "share/mash: every file as it is in the tree, paths as installed" \
    [ "$n" = 0 ]
check "the completion file is installed as mash" \
    cmp -s "$src/share/mash/completion/mash.bash" "$D$comp/mash"
n=0
for p in $(ls "$T/bin"); do
	[ "$p" = mash ] || [ "$(readlink "$D$comp/$p")" = mash ] || n=$((n + 1))
done
check "... and each mash-* program's name is a link to it" [ "$n" = 0 ]
check "no store directory is made: that is the admin's" [ ! -e "$D$V" ]
check "the pages name the store as built" \
    has "^\\.It Pa $db\$" "$D$P/share/man/man1/mash-decide.1"
check "... and no other default" \
    eval '! grep -rq /usr/local/var "$D$P/share/man"'
check "the pages name share/mash as installed" \
    has "$P/share/mash/maps/police-ppn.map" "$D$P/share/man/man5/mash-import.5"
check "... and no other" eval '! grep -rq /usr/local/share/mash "$D$P/share/man"'
check "the cron example runs the programs as installed" \
    grep -q "^PATH=$P/bin:" "$D$P/share/mash/cron/mash-overdue.cron"
check "the cron and import examples name no other installation" \
    eval '! grep -rq /usr/local "$D$P/share/mash/cron" \
    "$D$P/share/mash/examples"'
check "the import example is still executable" \
    [ -x "$D$P/share/mash/examples/import-police.sh" ]

# --- the installed programs, where they were installed to -------------------

# unpack what was staged, as a package manager would
mv "$D$P" "$P"
PATH=$P/bin:/usr/bin:/bin
MANPATH=$T/none
MANPAGER=cat
MANWIDTH=80
export PATH MANPATH MANPAGER MANWIDTH

expect 0 "mash --version runs from the installation" mash --version
expect 66 "with no store, the programs name the built-in path" \
    env MASH_USER=admin mash-admin user list
check "... '$db'" has "^mash-admin: .*'$db'" "$err"
expect 73 "mash-admin init does not make the store's directory" \
    env MASH_USER=admin mash-admin init
check "... and says so" has "$db" "$err"
mkdir -p "$V/lib/mash"
expect 0 "mash-admin init makes the store at the built-in path" \
    env MASH_USER=admin mash-admin init
check "... '$db'" [ -f "$db" ]
expect 0 "mash admin adds a user through the front end" \
    env MASH_USER=admin mash admin user add sw --role screener
expect 0 "mash refer records a contact in it" \
    env MASH_USER=sw mash refer -o json --source school \
    --concern 'Installed test' --child 'Rowan Installtest'
expect 0 "mash record lists it" env MASH_USER=sw mash record --list -o csv
check "... case 1" [ "$(csv_value "$out" 1 id)" = 1 ]
expect 0 "mash help admin: the installed page, found by its MANDIR" \
    mash help admin
check "... as installed, naming the store as built" has "$db" "$out"

for m in $(cd "$P/share/man" && ls man*/*); do
	expect 0 "man -l renders $m" man -l "$P/share/man/$m"
	check "... with a NAME and nothing on standard error" \
	    eval 'has "^NAME" "$out" && [ ! -s "$err" ]'
done

expect 0 "the completion loads as bash-completion would: by a program's name" \
    bash -c '. "$0" && complete -p mash-screen mash' "$comp/mash-screen"
check "... and completes them all" \
    [ "$(grep -c '^complete -F _mash ' "$out")" = 2 ]

mv "$P" "$D$P"
PATH=$MASH_BIN:/usr/bin:/bin

# --- make uninstall -----------------------------------------------------------

mkdir -p "$D$V/lib/mash"
: >"$D$V/lib/mash/mash.db"
expect 0 "make uninstall" mk uninstall DESTDIR="$D"
tree "$D" >"$T/got"
echo "${V#/}/lib/mash/mash.db" >"$T/want"
check_same "it leaves nothing of what it installed, and the store" \
    "$T/want" "$T/got"
check "share/mash is gone" [ ! -e "$D$P/share/mash" ]
expect 0 "make uninstall again: nothing to do, no error" \
    mk uninstall DESTDIR="$D"

# --- bash-completion's own directory, when pkg-config knows it ---------------

mkdir "$T/pc"
cat >"$T/pc/bash-completion.pc" <<'EOF'
prefix=/usr
datadir=${prefix}/share
completionsdir=${datadir}/bash-completion/elsewhere
Name: bash-completion
Description: a stand-in for the test
Version: 2.11
EOF
expect 0 "make install where pkg-config names a completions directory" \
    env PKG_CONFIG_PATH="$T/pc" make -C "$src" --no-print-directory $vars \
    install DESTDIR="$T/d2"
check "... installs there, for the PREFIX" \
    [ -f "$T/d2$P/share/bash-completion/elsewhere/mash" ]
check "... and not in the usual one" [ ! -e "$T/d2$comp" ]
expect 0 "make uninstall finds it there" \
    env PKG_CONFIG_PATH="$T/pc" make -C "$src" --no-print-directory $vars \
    uninstall DESTDIR="$T/d2"
check "... and leaves nothing" [ -z "$(tree "$T/d2")" ]

# --- another localstatedir rebuilds what holds it -----------------------------

V2=$T/var2
expect 0 "make with another localstatedir" mk localstatedir="$V2"
check "... compiles store.o again" has " -o $T/build/lib/store.o " "$out"
check "... and not the rest of the library" \
    hasnt " -o $T/build/lib/casework.o " "$out"
expect 66 "the programs now know the new path" \
    env MASH_USER=admin "$T/bin/mash-record" --list
check "... '$V2/lib/mash/mash.db'" \
    has "'$V2/lib/mash/mash.db'" "$err"

done_testing
