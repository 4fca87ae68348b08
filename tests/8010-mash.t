#!/bin/sh
# mash, the front end: "mash verb arg ..." runs mash-verb, beside mash
# first and then on PATH; "mash help" lists the verbs with their man
# pages' one-line descriptions; "mash help verb" shows a manual
. "$(dirname "$0")/lib.sh"

plan 79

MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW
man=$MASH_SRC/man
version=$(sed -n 's/^#define MASH_VERSION[^"]*"\(.*\)"$/\1/p' \
    "$MASH_SRC/src/lib/libmash.h")

# verbs FILE: the verb lines of a help listing, as "verb description"
verbs() { sed -n 's/^   \([a-z][a-z0-9-]*\)  *\(.*\)$/\1 \2/p' "$1"; }

# nd PAGE: the one-line description of a man page
nd() { sed -n 's/^\.Nd //p' "$1"; }

# usage_is FILE: FILE is exactly the three lines of the usage
usage_is() {
	printf '%s\n' 'usage: mash verb [arg ...]' \
	    '       mash help [verb | mash | import]' \
	    '       mash -h | --version' >"$T/usage"
	head -3 "$1" | cmp -s - "$T/usage"
}

# --- usage, help and version ------------------------------------------------

expect 64 "mash alone: 64" mash
check "... prints the usage on standard error" usage_is "$err"
check "... and nothing on standard output" [ ! -s "$out" ]
expect 64 "an unknown option: 64" mash -x
check "... named, and the usage follows" \
    [ "$(head -1 "$err")" = "mash: unknown option '-x'" ]
check "... on standard error only" [ ! -s "$out" ]
expect 64 "an unknown long option: 64" mash --verbose admin
check "... named" has "unknown option '--verbose'" "$err"

expect 0 "mash help: 0" mash help
cp "$out" "$T/help"
check "... the usage first, on standard output" usage_is "$out"
check "... and nothing on standard error" [ ! -s "$err" ]
expect 0 "mash -h: 0" mash -h
check_same "mash -h prints what mash help prints" "$T/help" "$out"
expect 0 "mash --help: 0" mash --help
check_same "mash --help prints what mash help prints" "$T/help" "$out"

verbs "$T/help" >"$T/verbs"
ls "$MASH_BIN" | sed -n 's/^mash-//p' | sort >"$T/progs"
cut -d' ' -f1 "$T/verbs" | sort >"$T/listed"
check_same "help lists one verb for each mash-* program built" \
    "$T/progs" "$T/listed"
ls "$man" | sed -n 's/^mash-\(.*\)\.1$/\1/p' | sort >"$T/pages"
check_same "... and for each mash-*.1 page" "$T/pages" "$T/listed"
for v in $(cat "$T/listed"); do
	check "help's line for $v is the .Nd of mash-$v.1" \
	    [ "$(grep "^$v " "$T/verbs" | cut -d' ' -f2-)" = \
	    "$(nd "$man/mash-$v.1")" ]
done

expect 0 "mash --version: 0" mash --version
check "... prints 'mash $version'" [ "$(cat "$out")" = "mash $version" ]

expect 74 "mash help to a full disk: 74" sh -c 'exec mash help >/dev/full'
check "... says it could not write" has "^mash: cannot write" "$err"
expect 74 "mash --version to a full disk: 74" \
    sh -c 'exec mash --version >/dev/full'

# --- running the programs ---------------------------------------------------

new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
expect 0 "mash admin --version runs mash-admin" mash admin --version
check "... under its own name" [ "$(cat "$out")" = "mash-admin $version" ]
expect 0 "mash refer records a contact" \
    as screener mash refer -o json --source police --ref MASH/1 \
    --concern 'Front end test' --child 'Wren Frontend' --consent given
check "... and prints the case" [ "$(val '.id, .state' | paste -sd' ')" = \
    "1 new" ]
check "... into the store" \
    [ "$(sql 'SELECT source, reference FROM cases')" = "6|MASH/1" ]
expect 0 "mash screen shows the queue" as head mash screen -o json
check "... with the case" [ "$(val .id)" = 1 ]
printf '1\n' >"$T/ids"
expect 0 "standard input reaches the program" \
    as head mash screen - --rag red -o json <"$T/ids"
check "... which screened case 1 red" [ "$(val '.rag')" = red ]
expect 66 "the program's exit status is mash's: no case 99, 66" \
    as head mash record 99
check "... and its message is the program's" has "^mash-record: " "$err"
expect 64 "a usage error of the program: 64" mash decide --return
check "... with the program's usage" has "^usage: mash-decide " "$err"
expect 77 "a refusal of the program: 77" as sw mash decide 1 --outcome nfa \
    --reason x

# --- beside mash first, then PATH -------------------------------------------

mkdir "$T/path" "$T/solo"
cat >"$T/path/mash-admin" <<'EOF'
#!/bin/sh
echo impostor
EOF
cat >"$T/path/mash-echo" <<'EOF'
#!/bin/sh
for a; do printf '[%s]' "$a"; done
echo
exit 3
EOF
printf '#!/bin/sh\necho nope\n' >"$T/path/mash-noexec"
chmod +x "$T/path/mash-admin" "$T/path/mash-echo"
cp "$MASH_BIN/mash" "$T/solo/mash"

expect 0 "a mash-admin earlier on PATH: the one beside mash still runs" \
    env PATH="$T/path:$PATH" mash admin --version
check "... not the one on PATH" [ "$(cat "$out")" = "mash-admin $version" ]
expect 0 "a mash with no programs beside it runs them from PATH" \
    env PATH="$T/path:$PATH" "$T/solo/mash" admin --version
check "... the first one on PATH" [ "$(cat "$out")" = impostor ]
expect 3 "a verb only on PATH runs, and its status is mash's" \
    env PATH="$T/path:$PATH" mash echo 'two words' '' '*' -x --y=z
check "... with every argument as it was" \
    [ "$(cat "$out")" = "[two words][][*][-x][--y=z]" ]

expect 64 "an unknown verb: 64" mash nosuch
check "... named, with where to look" \
    [ "$(cat "$err")" = "mash: 'nosuch' is not a mash verb; see 'mash help'" ]
check "... and nothing else" [ ! -s "$out" ]
expect 64 "an empty verb: 64" mash ''
expect 64 "a verb with a slash is not a path: 64" mash ../bin/mash-admin
check "... and is named" has "'../bin/mash-admin' is not a mash verb" "$err"
long=$(printf '%0300d' 0)
expect 64 "a verb too long for a file name: 64" mash "$long"
expect 77 "a mash-verb that may not be run: 77" \
    env PATH="$T/path:$PATH" mash noexec
check "... named, with the reason" \
    has "^mash: cannot run 'mash-noexec': Permission denied" "$err"

# --- help verb: the manual ----------------------------------------------------

MANPAGER=cat
MANWIDTH=80
export MANPAGER MANWIDTH
mkdir -p "$T/man/man1" "$T/tree/bin" "$T/tree/man" "$T/bare/bin" "$T/none"
sed 's/^\.Nd .*/.Nd found by man on MANPATH/' "$man/mash-decide.1" \
    >"$T/man/man1/mash-decide.1"
sed 's/^\.Nd .*/.Nd found in the source tree/' "$man/mash-decide.1" \
    >"$T/tree/man/mash-decide.1"
cp "$MASH_BIN/mash" "$T/tree/bin/mash"
cp "$MASH_BIN/mash" "$T/bare/bin/mash"

expect 0 "help decide: the page man finds by name" \
    env MANPATH="$T/man" mash help decide
check "... shown by man" has "found by man on MANPATH" "$out"
check "... the whole page" has "EXIT STATUS" "$out"
expect 0 "help decide, man finding none: the page of the tree" \
    env MANPATH="$T/none" "$T/tree/bin/mash" help decide
check "... man/ beside bin/" has "found in the source tree" "$out"
if [ "$MASH_BIN/../man" -ef "$man" ]; then
	expect 0 "mash in the source tree: help shows the tree's page" \
	    env MANPATH="$T/none" mash help decide
	check "... with its description" has "$(nd "$man/mash-decide.1")" "$out"
else
	skip "mash in the source tree: $MASH_BIN is not beside man/"
	skip "... with its description"
fi
expect 66 "no page anywhere: 66" env MANPATH="$T/none" "$T/bare/bin/mash" \
    help decide
check "... named" [ "$(cat "$err")" = "mash: no manual for 'mash-decide'" ]
expect 66 "no man to run: 66" env PATH="$T/none" MANPATH="$T/none" \
    "$T/tree/bin/mash" help decide
check "... named" has "^mash: cannot run 'man'" "$err"
expect 64 "help for a verb that is not one: 64" mash help nosuch
check "... named" has "'nosuch' is not a mash verb" "$err"
expect 64 "help with two verbs: 64" mash help decide refer
check "... the usage" usage_is "$err"

# --- what the front end is made of -------------------------------------------

run readelf -d "$MASH_BIN/mash"
check "mash is not linked with SQLite" \
    eval '[ "$rc" = 0 ] && has NEEDED "$out" && ! grep -qi sqlite "$out"'
check "src/mash.c uses nothing of SQLite" \
    eval '! grep -qi sqlite "$MASH_SRC/src/mash.c"'
check "src/mash.c stays short (at most 170 lines)" \
    [ "$(wc -l <"$MASH_SRC/src/mash.c")" -le 170 ]

done_testing
