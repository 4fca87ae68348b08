#!/bin/sh
# help and refusals for people at the keyboard: -h describes each option
# and names the manual; mash help reaches mash(7) and mash-import(5);
# a refused code is answered with the codes taken, from the lists that
# check it; refusals say what to do; init and config say what they did
. "$(dirname "$0")/lib.sh"

progs=$(cd "$MASH_BIN" && ls mash-*)
nprogs=$(echo $progs | wc -w)
plan $((nprogs * 9 + 67))

MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW

# usage FILE: the usage of a -h, which ends at its first blank line
usage() { sed '/^$/,$d' "$1"; }

# long_options: the long options of the standard input, once each
long_options() {
	grep -oE '(^|[[ ])--[a-z][a-z0-9-]*' | sed 's/^[[ ]//' | sort -u
}

# helped FILE: the long options a -h gives a line of help to
helped() {
	sed -n 's/^  \(-[a-z], \)\{0,1\} *\(--[a-z][a-z0-9-]*\).*/\2/p' "$1" |
	    sort -u
}

# widest FILE: the length of its longest line, in characters
widest() { awk '{ n = length($0); if (n > w) w = n } END { print w + 0 }' \
    "$1"; }

# --- -h: the usage, a line on each option, the manual ------------------------

for p in $progs; do
	expect 0 "$p -h: exit 0" "$p" -h
	cp "$out" "$T/help"
	check "$p -h: on standard output only" [ ! -s "$err" ]
	check "$p -h: the usage first" has "^usage: $p " "$T/help"
	check "$p -h: names its manual last" \
	    [ "$(tail -1 "$T/help")" = "See $p(1)." ]
	check "$p -h: no line wider than 80 columns ($(widest "$T/help"))" \
	    [ "$(widest "$T/help")" -le 80 ]
	# the usage's, the common ones it shows (--raw with -o), -h, --version
	usage "$T/help" >"$T/usage"
	{ long_options <"$T/usage"; printf '%s\n' --help --version
	has '\[-d db\]' "$T/usage" && echo --db
	has '\[-o format\]' "$T/usage" && printf '%s\n' --format --raw
	} | sort -u >"$T/want"
	helped "$T/help" >"$T/got"
	check_same "$p -h: a line of help on each long option of its usage" \
	    "$T/want" "$T/got"
	check "$p -h: -d and -h explained" \
	    eval 'has "^  -d, --db db  *the store" "$T/help" &&
	    has "^  -h, --help  *print this help" "$T/help"'
	expect 64 "$p with an unknown option: 64" "$p" --no-such-option
	check "... the usage alone, on standard error" \
	    eval '[ ! -s "$out" ] && has "^usage: $p " "$err" &&
	    hasnt "^See " "$err" && hasnt "^  -d, --db" "$err"'
done

run mash-overdue -h
check "mash-overdue -h: more than the one usage line it was" \
    [ "$(wc -l <"$out")" -gt 10 ]
check "mash-overdue -h: --within explained" \
    has '^      --within duration  *also what falls due within' "$out"
check "mash-overdue -h: the usage wrapped, each line in 80 columns" \
    eval '[ "$(usage "$out" | wc -l)" -gt 1 ] &&
    has "^                      \[--" "$out"'
check "mash-overdue -h: --explain, for tests, is not offered" \
    hasnt --explain "$out"
run mash-admin -h
check "mash-admin -h: each form still begins with the common options" \
    [ "$(usage "$out" | grep -c '^.......mash-admin \[-d db\] \[-o format\] ')" \
    = 11 ]
run mash-return -h
check "mash-return -h: no -o, which its usage does not show" \
    hasnt '^  -o, --format' "$out"

# --- mash help: the verbs' pages, mash(7) and mash-import(5) ----------------

MANPAGER=cat MANWIDTH=80
export MANPAGER MANWIDTH
expect 0 "mash help import: 0" env MANPATH="$T/none" mash help import
check "... shows mash-import(5)" has "MASH-IMPORT(5)" "$out"
check "... the page of the source tree" \
    has "CSV files of referrals for mash-refer" "$out"
expect 0 "mash help mash: 0" env MANPATH="$T/none" mash help mash
check "... shows mash(7), not mash(1)" \
    eval 'has "MASH(7)" "$out" && hasnt "MASH(1)" "$out"'
expect 0 "mash help decide: still mash-decide(1)" \
    env MANPATH="$T/none" mash help decide
check "... that page" has "MASH-DECIDE(1)" "$out"
expect 64 "mash help nosuch: 64" mash help nosuch
check "... a verb or topic, and where to look" \
    has "'nosuch' is not a mash verb or topic; see 'mash help'" "$err"
expect 0 "mash help: 0" mash help
check "mash help lists 'mash help import' and mash-import(5)" \
    has "^  mash help import  *mash-import(5): " "$out"
check "... and 'mash help mash' and mash(7)" \
    has "^  mash help mash  *mash(7): " "$out"

# --- a refused code: the codes taken, from the lists that check them ---------

new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

# codes ARRAY: the members of a code array of src/lib/validate.c, as a
# refusal lists them: "red, amber, green"
codes() {
	awk -v a="static const char *const $1[] = {" 'index($0, a) == 1 {
	    on = 1 } on { print } on && /};/ { exit }' \
	    "$MASH_SRC/src/lib/validate.c" | grep -o '"[^"]*"' | tr -d '"' |
	    paste -sd, | sed 's/,/, /g'
}

# refused STATUS ARRAY DESC CMD...: CMD exits STATUS, and its message
# lists every member of the array ARRAY in its order
refused() {
	want=$1 list=$(codes "$2") desc=$3
	shift 3
	run "$@"
	if [ "$rc" = "$want" ] && grep -qF "($list" "$err"; then
		pass "$desc"
	else
		fail "$desc (exit $rc, wanted $want and ($list))"
	fi
}

refer() { as screener mash-refer -o json --source police --concern x \
    --child 'Ann Example' "$@"; }
refused 65 source_names "--source: every source name, and census codes" \
    as screener mash-refer --source polis --concern x --child 'Ann Example'
check "... said so" has "or a census code)" "$err"
refused 65 genders "--gender: the genders" refer --gender f
refused 65 consents "--consent: the consents" refer --consent yes
refused 65 categories "--category: the categories" \
    refer --category neglect,neglct
refused 65 ethnicities "--ethnicity: the DfE codes" refer --ethnicity WB
refused 65 disabilities "--disability: the CIN codes" refer --disability mb

case_in new >/dev/null || echo "Bail out! no new case"
new=$cid
case_in mash >/dev/null || echo "Bail out! no case in the hub"
hub=$cid
case_in recorded >/dev/null || echo "Bail out! no recorded case"
rec=$cid
refused 65 rags "mash-screen --rag: the RAG ratings" \
    as head mash-screen "$new" --rag pink
refused 65 consents "mash-screen --consent: the consents" \
    as head mash-screen "$new" --consent yes
refused 65 outcomes "mash-screen --decline --outcome: the outcomes" \
    as head mash-screen "$new" --decline --outcome maybe --reason x
refused 65 outcomes "mash-record --recommend: the outcomes" \
    as sw mash-record "$hub" --summary x --recommend maybe
refused 65 outcomes "mash-decide --outcome: the outcomes" \
    as head mash-decide "$rec" --outcome maybe --reason x
refused 65 needs "mash-decide --need: N0 to N9" \
    as head mash-decide "$rec" --outcome cpat --need N10 --reason x
refused 65 states "mash-record --list --state: the states" \
    as head mash-record --list --state open
refused 64 rags "mash-overdue --rag: the RAG ratings" \
    as head mash-overdue --rag pink
refused 65 roles "user add --role: every role" \
    mash-admin user add kit --role boss
refused 65 roles "user set --role: every role, the auditor too" \
    mash-admin user set sw --role boss
refused 78 outcomes "config of outcomes: the outcomes" \
    mash-admin config return.nfa-outcomes maybe

# the hub's own lists: as the store has them
mash-admin agency add ofsted Ofsted >/dev/null 2>&1 &&
mash-admin criteria add young-carer 'Young carer' >/dev/null 2>&1 ||
    echo "Bail out! cannot add to the lists"
agencies=$(sql "SELECT group_concat(code, ', ') FROM
    (SELECT code FROM agencies ORDER BY code) AS c")
criteria=$(sql "SELECT group_concat(code, ', ') FROM
    (SELECT code FROM criteria ORDER BY code) AS c")
expect 65 "mash-request CASE AGENCY: an agency not known: 65" \
    as sw mash-request "$hub" circus
check "... named, with the store's agencies, the one added too" \
    has "'circus' is not a known agency ($agencies)" "$err"
check "... ofsted among them" has "ofsted" "$err"
expect 65 "mash-request --agency: 65" as head mash-request --agency circus
check "... the store's agencies" \
    has "^mash-request: --agency 'circus' is not a known agency ($agencies)$" \
    "$err"
expect 65 "mash-overdue --agency: 65" as head mash-overdue --agency circus
check "... the store's agencies" has "($agencies)$" "$err"
expect 65 "user add --agency: 65" \
    mash-admin user add kit --role agency --agency circus
check "... the store's agencies" has "($agencies)$" "$err"
expect 65 "mash-decide --agency: 65" as head mash-decide "$rec" \
    --outcome single-agency --agency circus --reason x
check "... the store's agencies" has "($agencies)$" "$err"
expect 65 "mash-screen --criteria: a criterion not known: 65" \
    as head mash-screen "$new" --rag red --criteria significant-harm,harm
check "... named, with the store's criteria, the one added too" \
    has "'harm' is not a known criterion ($criteria)$" "$err"

# --- refusals that say what to do --------------------------------------------

as sw mash-request -o json "$hub" police health >"$T/req" 2>&1 ||
    echo "Bail out! cannot send requests"
rp=$(jq -r 'select(.agency == "police") | .id' "$T/req")
rh=$(jq -r 'select(.agency == "health") | .id' "$T/req")
expect 64 "--respond with neither --text nor --nil: 64" \
    as sw mash-request --respond "$rp"
check "... says either will do" \
    [ "$(cat "$err")" = "mash-request: --text or --nil is needed" ]
expect 65 "a record with requests open: 65" \
    as sw mash-record "$hub" --summary x --recommend nfa
check "... names each open request, with its agency" \
    has "case $hub has open requests $rp (police), $rh (health): answer or withdraw them first" \
    "$err"
as sw mash-request --respond "$rh" --nil >/dev/null 2>&1
expect 65 "one request open: 65" \
    as sw mash-record "$hub" --summary x --recommend nfa
check "... names it" \
    has "case $hub has open request $rp (police): answer or withdraw it first" \
    "$err"

expect 73 "init in a missing directory: 73" \
    env MASH_USER=alice mash-admin -d "$T/no/such/m.db" init
check "... says to create the directory, or choose another store" \
    has "cannot create store '$T/no/such/m.db': No such file or directory; create the directory '$T/no/such' first, or choose another store with -d or MASH_DB$" \
    "$err"
mkdir "$T/locked"
chmod 555 "$T/locked"
if [ -w "$T/locked" ]; then
	skip "a directory that cannot be written: running as root"
	skip "... how to choose another store"
else
	expect 73 "init in a directory that cannot be written: 73" \
	    env MASH_USER=alice mash-admin -d "$T/locked/m.db" init
	check "... how to choose another store" \
	    has "Permission denied; choose another store with -d or MASH_DB$" \
	    "$err"
fi

# --- init and config say what they did ---------------------------------------

expect 0 "init: 0" env MASH_USER=alice mash-admin -d "$T/new.db" init
check "... says what it made, on standard error" \
    [ "$(cat "$err")" = "mash-admin: created store '$T/new.db', mode 0600, with user 'alice' its admin" ]
check "... and prints nothing" [ ! -s "$out" ]
expect 0 "config KEY VALUE: 0" mash-admin config rag.red.decision 3h
check "... says what the setting is now and was" \
    [ "$(cat "$err")" = "mash-admin: setting 'rag.red.decision' is now '3h' (it was '4h')" ]
check "... and prints nothing" [ ! -s "$out" ]
expect 78 "a bad value: 78" mash-admin config rag.red.decision 3x
check "... says nothing was set" hasnt "is now" "$err"

done_testing
