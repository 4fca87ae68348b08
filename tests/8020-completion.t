#!/bin/sh
# bash completion for mash and every mash-* program: options as each
# program's -h names them, the codes of SPEC 7 as the library has them,
# and agencies, criteria, logins, cases and requests from the store,
# quietly when there is no store or no such user
. "$(dirname "$0")/lib.sh"

plan 114

MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW
file=$MASH_SRC/share/mash/completion/mash.bash

# the completion runs in bash: comp WORD... completes the last word of a
# command line as bash would, and prints the candidates one a line;
# anything the completion itself prints is a failure (exit 2)
cat >"$T/comp.bash" <<'EOF'
set -u
. "$COMP_FILE" || exit 3
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
_mash >"$COMP_LEAK" 2>&1 || exit 4
if [ -s "$COMP_LEAK" ]; then
	sed 's/^/leaked: /' "$COMP_LEAK" >&2
	exit 2
fi
[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}"
EOF
COMP_FILE=$file COMP_LEAK=$T/leak
export COMP_FILE COMP_LEAK

# comp WORD...: run the completion, keeping its status and candidates
comp() { run bash "$T/comp.bash" "$@"; }

# got WORD...: the candidates, sorted, are exactly WORD...
got() {
	: >"$T/want"
	[ $# -eq 0 ] || printf '%s\n' "$@" | sort >"$T/want"
	sort "$out" >"$T/got"
	cmp -s "$T/want" "$T/got" && [ "$rc" = 0 ]
}

# got_file FILE: the candidates, sorted, are the lines of FILE
got_file() { sort "$1" >"$T/want"; sort "$out" >"$T/got"; \
	cmp -s "$T/want" "$T/got" && [ "$rc" = 0 ]; }

# lines TEXT: words, one a line
lines() { printf '%s\n' $1; }

# both TEST1 ARG1 TEST2 ARG2: two one-argument tests, both true
both() { [ "$1" "$2" ] && [ "$3" "$4" ]; }

# --- loading ------------------------------------------------------------------

progs=$(cd "$MASH_BIN" && ls mash mash-*)
expect 0 "the file loads in bash" bash -c '. "$COMP_FILE" && complete -p'
for p in $progs; do
	check "complete -p: $p is completed by _mash" \
	    has "^complete -F _mash $p\$" "$out"
done
check "loading prints nothing" \
    [ "$(bash -c '. "$COMP_FILE"' 2>&1)" = "" ]

# --- options: as each program's -h names them -------------------------------

# usage PROG: the usage of PROG -h, which ends at the blank line before
# the help of each option
usage() { "$MASH_BIN/$1" -h | sed '/^$/,$d'; }

for p in $progs; do
	[ "$p" = mash ] && continue
	usage "$p" >"$T/usage"
	{ grep -oE '(^|[[ ])--[a-z][a-z0-9-]*' "$T/usage" | sed 's/^[[ ]//'
	lines '--db --format --raw --help --version'; } | sort -u >"$T/opts"
	comp "$p" --
	check "$p --: the long options of $p -h, and the common ones" \
	    got_file "$T/opts"
	# and those its -h helps with, one a line
	"$MASH_BIN/$p" -h >"$T/help"
	sed -n 's/^  \(-[a-z], \)\{0,1\} *\(--[a-z][a-z0-9-]*\).*/\2/p' \
	    "$T/help" | sort -u >"$T/helped"
	check "$p --: each option its -h helps with is offered" \
	    both -s "$T/helped" -z "$(comm -23 "$T/helped" "$T/got")"
done
comp mash-screen 1 --accept --ass
check "mash-screen --ass: --assign, the usage's last on a line" got --assign
comp mash-refer --csv f --rej
check "mash-refer --rej: --reject, on a line the usage wrapped" got --reject
comp mash-screen 1 --share-without-consent ''
check "--share-without-consent takes a value: no options offered" got
comp mash-overdue --names --ne
check "--names takes none, whatever words its help has: --new follows" \
    got --new
comp mash-screen 1 --re
check "mash-screen --re: --reason only" got --reason
comp mash-overdue -
check "a lone '-' offers the short options too" has '^-d$' "$out"
comp mash-overdue --explain ''
check "an option -h does not show is not offered: --explain" \
    hasnt --explain "$out"
comp mash-refer ''
check "mash-refer, which takes no operands: its options" has '^--source$' \
    "$out"

# --- codes: as the library has them -------------------------------------------

# codes ARRAY [FILE]: the members of a code array of src/lib/FILE.c,
# validate.c unless named
codes() {
	awk -v a="const char *const $1[] = {" 'index($0, a) {
	    on = 1 } on { print } on && /};/ { exit }' \
	    "$MASH_SRC/src/lib/${2:-validate}.c" | grep -o '"[^"]*"' | tr -d '"'
}

codes source_names >"$T/c"
comp mash-refer --source ''
check "--source: every source of the library, by name" got_file "$T/c"
codes outcomes >"$T/c"
comp mash-decide 1 --outcome ''
check "--outcome: the library's outcomes" got_file "$T/c"
comp mash-record 1 --recommend ''
check "--recommend: the same" got_file "$T/c"
codes rags >"$T/c"
comp mash-screen 1 --rag ''
check "--rag: red, amber, green as the library has them" got_file "$T/c"
codes categories >"$T/c"
comp mash-refer --category ''
check "--category: the library's categories" got_file "$T/c"
codes consents >"$T/c"
comp mash-refer --consent ''
check "--consent: the library's" got_file "$T/c"
codes genders >"$T/c"
comp mash-refer --child 'A B' --gender ''
check "--gender: the library's" got_file "$T/c"
codes roles >"$T/c"
comp mash-admin user add kit --role ''
check "--role: the library's roles" got_file "$T/c"
codes mash_states casework >"$T/c"
comp mash-record --list --state ''
check "--state: the library's states" got_file "$T/c"
comp mash-overdue --kind ''
check "--kind: screening, request, decision" got screening request decision
comp mash-report --by ''
check "mash-report --by: month, week" got month week
comp mash-overdue -o ''
check "-o: json, csv, table" got json csv table
comp mash-overdue --format ''
check "--format: the same" got json csv table

comp mash-screen 1 --rag a
check "--rag a: amber" got amber
comp mash-screen 1 --rag =
check "--rag=: bash splits at '=', the codes follow" got red amber green
comp mash-screen 1 --rag = g
check "--rag=g: green" got green
comp mash-refer --category neglect,p
check "--category neglect,p: the list so far and physical" \
    got neglect,physical
comp mash-admin user add kit --role screener,s
check "--role screener,s: screener,social-worker, not screener again" \
    got screener,social-worker
comp mash-refer --category neglect,
check "--category neglect,: every category but neglect" \
    eval '[ "$(wc -l <"$out")" = 12 ] && ! grep -q "^neglect,neglect$" "$out"'
comp mash-refer --category neglect,physical,ne
check "--category neglect,physical,ne: nothing, neglect is given" got
comp mash-refer --category neglect,physical,
check "... and neither is offered again" \
    eval '! grep -Eq ",(neglect|physical)$" "$out" && has ",other$" "$out"'
comp mash-screen 1 --criteria missing,
check "--criteria missing,: the others" \
    eval '! grep -q ",missing$" "$out" && has ",unborn$" "$out"'
comp mash-refer --concern ''
check "free text: nothing" got
comp mash-overdue --within ''
check "a duration: nothing" got
comp mash-refer --source police --rag r
check "an option's value is not taken for another's" got

# --- no store, no user: quietly nothing, or the defaults -----------------------

MASH_DB=$T/none.db MASH_USER=nobody
export MASH_DB MASH_USER
comp mash-record ''
check "no store: no cases, quietly" got
comp mash-request --respond ''
check "no store: no requests, quietly" got
comp mash-admin user disable ''
check "no store: no logins, quietly" got
check "no store was made" [ ! -e "$T/none.db" ]
comp mash-request 1 ''
check "no store: the agencies of a new store" \
    got csc police health education probation housing yos
comp mash-screen 1 --criteria ''
check "no store: the criteria of a new store" \
    got significant-harm complex-needs additional-needs repeat-referral \
    open-case domestic-abuse exploitation missing unborn

# --- from the store ---------------------------------------------------------

new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
store=$MASH_DB
mash-admin -o json agency list >"$T/a"
jq -r .code "$T/a" >"$T/c"
comp mash-request 1 ''
check "the defaults are a new store's agencies" got_file "$T/c"
mash-admin -o json criteria list >"$T/a"
jq -r .code "$T/a" >"$T/c"
MASH_DB=$T/none.db
comp mash-screen 1 --criteria ''
check "... and its criteria" got_file "$T/c"
MASH_DB=$store

mash-admin agency add ofsted Ofsted >/dev/null &&
mash-admin criteria add young-carer 'Young carer' >/dev/null &&
mash-admin user add gone --role social-worker >/dev/null &&
mash-admin user disable gone >/dev/null &&
mash-admin user add duo --role screener,social-worker >/dev/null ||
    echo "Bail out! cannot set up the store"
comp mash-decide 1 --agency o
check "--agency: the store's, with one an admin added" got ofsted
comp mash-request 1 p
check "mash-request CASE AGENCY: the store's agencies" got police probation
comp mash-screen 1 --criteria significant-harm,y
check "--criteria: the store's, as a list" got significant-harm,young-carer
comp mash-screen 1 --accept --assign ''
check "--assign: the enabled social workers and heads, who may be assigned" \
    got head sw sw2 duo
comp mash-overdue --assigned ''
check "--assigned: every enabled login" got admin head screener sw sw2 pc duo
comp mash-admin user enable ''
check "user enable: every login" got admin head screener sw sw2 pc gone duo
mash-admin -o json config >"$T/a"
jq -r .key "$T/a" >"$T/c"
comp mash-admin config ''
check "config: the store's settings" got_file "$T/c"
comp mash-admin holiday rm 2026-12-2
check "holiday rm: the store's holidays" got 2026-12-25 2026-12-28
: >"$T/notes.txt"
comp mash-admin backup "$T/no"
check "backup: a file name" got "$T/notes.txt"

# the cases: 1 new, 2 in the hub with requests, 3 recorded, 4 closed
for s in new mash recorded closed; do
	case_in "$s" >/dev/null || echo "Bail out! cannot make a case $s"
done
as sw mash-request -o json 2 police health >"$T/req" 2>&1 ||
    echo "Bail out! cannot send requests"
comp mash-record ''
check "mash-record: an admin, who may not list cases, gets none" got
MASH_USER=sw
comp mash-record ''
check "mash-record: the open cases sw may see" got 2 3
comp mash-screen ''
check "mash-screen: the same" got 2 3
comp mash-request ''
check "mash-request: the cases in the hub" got 2
comp mash-request --respond ''
check "--respond: the open requests" got 1 2
comp mash-request --withdraw 2
check "--withdraw 2: request 2" got 2
comp mash-request --case ''
check "--case: the open cases sw may see" got 2 3
comp mash-record 2 ''
check "mash-record takes several cases" got 2 3
comp mash-decide ''
check "mash-decide: the recorded case, not those in the hub" got 3
MASH_USER=head
comp mash-decide ''
check "mash-decide: the recorded cases" got 3
comp mash-decide 3 ''
check "mash-decide takes several: still only the recorded" got 3
MASH_USER=pc
comp mash-record ''
check "a police officer: the cases police are asked about" got 2
comp mash-request --respond ''
check "... and the police request" got 1
comp mash-decide ''
check "mash-decide for the officer: not the case asked about, undecidable" \
    got
comp mash decide ''
check "... nor through mash" got
MASH_USER=head		# who sees every case

# -d on the line is the store asked
store_copy other
as sw mash-refer -d "$copy" --source police --concern x \
    --child 'Ida Other' >/dev/null 2>&1 || echo "Bail out! cannot refer"
MASH_DB=$T/none.db
comp mash-record -d "$copy" ''
check "-d PATH: that store's cases" got 1 2 3 5
comp mash-record --db = "$copy" ''
check "--db=PATH: the same" got 1 2 3 5
comp mash-record "-d$copy" 5
check "-dPATH: the same" got 5
comp mash-record -o json -d "$MASH_SRC/nowhere.db" ''
check "-d a missing store: nothing, quietly" got

# --- mash itself ------------------------------------------------------------

MASH_DB=$store
mash help >"$T/help"
{ echo help; sed -n 's/^   \([a-z][a-z]*\) .*/\1/p' "$T/help"; } >"$T/c"
comp mash ''
check "mash: help and the verbs mash help lists" got_file "$T/c"
comp mash re
check "mash re: record, refer, report, request, return" got record refer \
    report request return
comp mash help ''
check "mash help: the verbs, and the other manuals" got admin refer screen \
    request record decide overdue audit report return mash import
comp mash-audit ''
check "mash-audit: its commands" got verify anchor
comp mash screen 1 --rag ''
check "mash screen: completed as mash-screen" got red amber green
comp mash record ''
check "mash record: the cases" got 1 2 3
comp mash admin u
check "mash admin: its commands" got unhold user

# --- mash-admin's commands, as its -h has them ------------------------------

# the usage's forms, one a line, each cut at '|' into its alternatives
usage mash-admin | tr '\n' ' ' | sed 's/ *mash-admin \[-d db\] \[-o format\] /\
/g' | sed 1d | tr '|' '\n' >"$T/alts"
awk '{ print $1 }' "$T/alts" | sort -u >"$T/c"
comp mash-admin ''
check "mash-admin: the commands of its -h" got_file "$T/c"
for c in user holiday criteria agency; do
	awk -v c="$c" '$1 == c { print $2 }' "$T/alts" | sort -u >"$T/c"
	comp mash-admin "$c" ''
	check "mash-admin $c: the words of its -h" got_file "$T/c"
done

done_testing
