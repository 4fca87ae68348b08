#!/bin/sh
# where the manuals and the programs disagreed (issue 15, item 16), each
# now as its page says: mash-record(1) checks a case before its editor
# opens and keeps a summary it could not write; mash-screen(1) records
# --criteria and --note with --accept --rag and refuses them, saying
# why, without --rag; mash-request(1) refuses an --agency it does not
# know; mash(7) takes O'Neill, ONeill and O Neill for one name
. "$(dirname "$0")/lib.sh"

plan 95

MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
MAN=$MASH_SRC/man

# --- mash-record: the checks come before the editor --------------------------

have_script=yes
command -v script >/dev/null 2>&1 || have_script=

# on_tty CMD: run a shell command with a terminal for its standard input
# and output (as tests/0220-refer-editor.t does); what the terminal
# showed goes to $out, standard error to $err
on_tty() {
	script -qec "$1 2>'$T/tty-err'" /dev/null </dev/null >"$T/tty-out"
	set -- $?
	tr -d '\r' <"$T/tty-out"
	cat "$T/tty-err" >&2
	return "$1"
}

# kept: the file a refusal says the summary is kept in
kept() { sed -n "s/.*your summary is kept in '\(.*\)'.*/\1/p" "$err"; }

# editor NAME TEXT [CMD]: an editor that notes it ran, runs CMD (what
# someone else did meanwhile), and writes TEXT above the template; it
# saves as Emacs does, a new file of the same mode renamed over the old
editor() {
	cat >"$T/$1" <<EOF
#!/bin/sh
eval "f=\\\${\$#}"
touch '$T/editor-ran'
${3:-:}
{ printf '%s\n' '$2'; cat "\$f"; } >"\$f.new" &&
    chmod --reference="\$f" "\$f.new" && mv "\$f.new" "\$f"
EOF
	chmod +x "$T/$1"
}
editor good 'Police know the family; school has no concerns.'
editor race 'Typed while a request went out.' \
    "MASH_USER=head mash-request \$RACE police >/dev/null 2>&1"

# the temporary files the program leaves, in a directory of their own
TMPDIR=$T/tmp
export TMPDIR
mkdir "$TMPDIR"
left() { ls "$TMPDIR"; }

printf '#!/bin/sh\ntouch "%s/editor-ran"\n' "$T" >"$T/none"
chmod +x "$T/none"

# record STATUS DESC USER EDITOR ARGS [ENV]: mash-record ARGS as USER on
# a terminal, with the editor EDITOR and the environment ENV
record() {
	rm -f "$T/editor-ran"
	expect "$1" "$2" on_tty "MASH_USER=$3 EDITOR='$T/$4' ${6:-} \
	    mash-record $5 -o json"
}

tty_tests() {
	case_in mash >/dev/null || echo "Bail out! no case in 'mash'"
	A=$cid
	run as head mash-request "$A" police
	snapshot "$T/before"
	record 65 "an open request: refused (65)" sw good "$A --recommend nfa"
	check "an open request: says so" \
	    has "case $A has open request 1 (police): answer or withdraw it first" "$err"
	check "an open request: the editor never opened" [ ! -e "$T/editor-ran" ]
	check "an open request: no summary kept, none to keep" hasnt kept "$err"
	check "an open request: no file left" [ -z "$(left)" ]
	snapshot "$T/after"
	check_same "an open request: nothing written" "$T/before" "$T/after"

	case_in screened >/dev/null || echo "Bail out! no case screened"
	record 65 "a case not in 'mash': refused (65)" head good \
	    "$cid --recommend nfa"
	check "not in 'mash': the state is named" has "is 'screened', not 'mash'" \
	    "$err"
	check "not in 'mash': the editor never opened" [ ! -e "$T/editor-ran" ]

	case_in mash >/dev/null || echo "Bail out! no case in 'mash'"
	B=$cid
	record 77 "another social worker's case: refused (77)" sw2 good \
	    "$B --recommend nfa"
	check "another's case: the editor never opened" [ ! -e "$T/editor-ran" ]
	record 65 "an outcome not known: refused (65)" sw good \
	    "$B --recommend maybe"
	check "an outcome not known: the editor never opened" \
	    [ ! -e "$T/editor-ran" ]
	record 64 "single-agency without --agency: refused (64)" sw good \
	    "$B --recommend single-agency"
	check "no --agency: the editor never opened" [ ! -e "$T/editor-ran" ]
	record 65 "several cases, one with an open request: refused (65)" \
	    sw good "$B $A --recommend nfa"
	check "several cases: the editor never opened" [ ! -e "$T/editor-ran" ]
	check "several cases: the good one is not written either" \
	    [ "$(sql "SELECT state FROM cases WHERE id = $B")" = mash ]

	record 0 "a case that may be written: the editor, then 0" sw good \
	    "$B --recommend nfa"
	check "the editor opened" [ -e "$T/editor-ran" ]
	check "the summary is the text typed, without the comment" \
	    [ "$(sql "SELECT state || ': ' || summary FROM cases
	    WHERE id = $B")" = \
	    'recorded: Police know the family; school has no concerns.' ]
	check "written: the file is removed" [ -z "$(left)" ]
	check "written: nothing said of keeping" hasnt kept "$err"

	# a request sent while the summary is typed still refuses it: the
	# text is kept, the user's alone, and the message says where
	case_in mash >/dev/null || echo "Bail out! no case in 'mash'"
	C=$cid
	record 65 "a request sent while typing: refused (65)" sw race \
	    "$C --recommend nfa" "RACE=$C"
	check "raced: the editor opened" [ -e "$T/editor-ran" ]
	check "raced: the open request is the reason" \
	    has "case $C has open request 2 (police)" "$err"
	file=$(kept)
	check "raced: the message names the file kept" [ -n "$file" ]
	check "raced: in TMPDIR" [ "${file%/*}" = "$TMPDIR" ]
	check "raced: the file holds the summary typed" \
	    has 'Typed while a request went out.' "$file"
	check "raced: the file is the user's alone (0600)" \
	    [ "$(stat -c %a "$file")" = 600 ]
	check "raced: the file is the user's own" \
	    [ "$(stat -c %u "$file")" = "$(id -u)" ]
	check "raced: the case is not written" \
	    [ "$(sql "SELECT state || quote(summary) FROM cases
	    WHERE id = $C")" = mashNULL ]
	# and the page's way back from the kept file works
	run as head mash-request --withdraw \
	    "$(sql "SELECT id FROM requests WHERE case_id = $C")" --reason x
	expect 0 "the record is written from the kept file, as the page says" \
	    env MASH_USER=sw mash-record "$C" --recommend nfa \
	    --summary "$(grep -v '^#' "$file")"
	check "from the kept file: the summary, without comments or blank lines" \
	    [ "$(sql "SELECT summary FROM cases WHERE id = $C")" = \
	    'Typed while a request went out.' ]
	rm -f "$file"

	case_in mash >/dev/null || echo "Bail out! no case in 'mash'"
	D=$cid
	record 64 "an empty summary: refused (64)" sw none "$D --recommend nfa"
	check "an empty summary: says so" has "the summary is empty" "$err"
	check "an empty summary: nothing to keep, the file removed" \
	    [ -z "$(left)" ]
	check "an empty summary: nothing said of keeping" hasnt kept "$err"
	expect 65 "an editor that fails: 65" on_tty "MASH_USER=sw \
	    EDITOR=false mash-record $D --recommend nfa"
	check "an editor that fails: named" has "editor 'false' failed" "$err"
	file=$(kept)
	check "an editor that fails: the file is kept and named" [ -f "$file" ]
	rm -f "$file"
	expect 73 "a TMPDIR that is not there: 73" on_tty "MASH_USER=sw \
	    TMPDIR='$T/nowhere' EDITOR='$T/good' mash-record $D --recommend nfa"
	check "no TMPDIR: names the file it could not make" \
	    has "cannot create '$T/nowhere/mash-edit" "$err"
	check "no TMPDIR: does not claim to keep anything" hasnt kept "$err"
	expect 73 "mash-refer, the same: 73" on_tty "TMPDIR='$T/nowhere' \
	    EDITOR='$T/good' mash-refer"
	check "mash-refer: does not claim to keep anything" \
	    hasnt "your text is kept" "$err"
	check "the case is still to write" \
	    [ "$(sql "SELECT state FROM cases WHERE id = $D")" = mash ]

	# mash-refer reads its template by name too, after an editor that
	# renamed a new file over it
	cat >"$T/refer-ed" <<EOF
#!/bin/sh
eval "f=\\\${\$#}"
printf 'Source: school\\nReference: REN/1\\nChild: Rae Renametest\\nConcern:\\nSaved by renaming.\\n' >"\$f.new" &&
    mv "\$f.new" "\$f"
EOF
	chmod +x "$T/refer-ed"
	expect 0 "mash-refer after an editor that saves by renaming: 0" \
	    on_tty "EDITOR='$T/refer-ed' mash-refer -o json"
	check "the contact is the text saved" [ "$(sql "SELECT concern FROM
	    cases WHERE reference = 'REN/1'")" = 'Saved by renaming.' ]
}
if [ -n "$have_script" ]; then
	tty_tests
	n=$ntest
else
	n=0
fi
while [ "$n" -lt 56 ]; do
	skip "script(1) is not installed (bsdutils)"
	n=$((n + 1))
done
check "mash-record.1 shows the refusal before the editor as it is" \
    has '^mash-record: case 2 has 1 open request: answer or withdraw it first$' \
    "$MAN/mash-record.1"
check "mash-record.1 no longer says the text typed is not kept" \
    hasnt 'is not kept' "$MAN/mash-record.1"
check "mash-record.1 names the kept file's message" \
    has "^mash-record: your summary is kept in '" "$MAN/mash-record.1"

# the old CAVEAT: --summary - with a case of '-'
printf '3\n' >"$T/ids"
expect 64 "--summary - with a case of '-': a usage error (64)" \
    env MASH_USER=sw mash-record - --summary - --recommend nfa <"$T/ids"
check "and says why" \
    has 'case ids and --summary cannot both come from standard input' "$err"

# --- mash-screen: --criteria and --note with --accept -------------------------

case_in new >/dev/null || echo "Bail out! no new case"
E=$cid
expect 0 "--accept --rag with --criteria and --note: 0" \
    env MASH_USER=head mash-screen "$E" --accept --assign sw --rag amber \
    --criteria domestic-abuse,missing --note 'Seen by the duty officer'
check "the case is accepted with the criteria given" \
    [ "$(val '.state + " " + (.criteria | join(","))')" = \
    'mash domestic-abuse,missing' ]
run env MASH_USER=head mash-record "$E" -o json
check "the note is in the screening's event" [ "$(val '[.events[] |
    select(.action == "screen") | .details.note] | join("")')" = \
    'Seen by the duty officer' ]

case_in screened >/dev/null || echo "Bail out! no case screened"
F=$cid
snapshot "$T/before"
expect 64 "--accept with --criteria but no --rag: a usage error (64)" \
    env MASH_USER=head mash-screen "$F" --accept --assign sw \
    --criteria missing
check "and it says why, not the usage alone" \
    has '^mash-screen: --criteria and --note go only with --rag, with --accept too$' \
    "$err"
check "the page gives that message as it is" \
    has '^\.Dl mash-screen: --criteria and --note go only with --rag, with --accept too$' \
    "$MAN/mash-screen.1"
expect 64 "--accept with --note but no --rag: 64" \
    env MASH_USER=head mash-screen "$F" --accept --assign sw --note n
snapshot "$T/after"
check_same "neither accepted the case nor dropped the criteria silently" \
    "$T/before" "$T/after"
expect 0 "--accept --rag on a screened case keeps its criteria and note" \
    env MASH_USER=head mash-screen "$F" --accept --assign sw --rag amber \
    --criteria missing --note 'Known to the police'
check "accepted, the criteria recorded" \
    [ "$(val '.state + " " + (.criteria | join(","))')" = 'mash missing' ]
check "mash-screen.1 no longer says they are ignored" \
    hasnt 'accepted but ignored' "$MAN/mash-screen.1"

# --- mash-request: an agency the store does not know --------------------------

audits=$(audit_count)
expect 65 "--agency not known, listing: refused (65)" \
    env MASH_USER=head mash-request --agency polce
check "it names the agency" has "'polce' is not a known agency" "$err"
check "and lists nothing" [ ! -s "$out" ]
check "and audits no listing" [ "$(audit_count)" = "$audits" ]
expect 65 "an officer's --agency not known: 65" \
    env MASH_USER=pc mash-request --agency polce
expect 0 "a known agency in capitals is listed" \
    env MASH_USER=head mash-request --agency POLICE
case_in mash >/dev/null || echo "Bail out! no case in 'mash'"
expect 65 "sending to one known agency and one not: refused (65)" \
    env MASH_USER=sw mash-request "$cid" police polce
check "none is sent" [ "$(sql "SELECT count(*) FROM requests
    WHERE case_id = $cid")" = 0 ]
check "mash-request.1 says an unknown --agency is refused" \
    has '^An agency the store does not know is refused (exit 65)' \
    "$MAN/mash-request.1"
check "mash-request.1 no longer says it lists nothing" \
    hasnt 'does not know lists nothing' "$MAN/mash-request.1"

# --- mash(7): apostrophes, hyphens and spaces in names -------------------------

# child NAME DOB [OPTS]: a contact about one child; its person in $p
child() {
	n=$1 d=$2
	shift 2
	run env MASH_USER=admin mash-refer -o json --source police \
	    --concern c --child "$n" --dob "$d" "$@"
	p=$(val '.children[0].person_id')
}
child "Sean O'Neill" 2016-03-02
p1=$p
child 'Sean ONeill' 2016-03-02
check "O'Neill and ONeill are the same child" [ "$p" = "$p1" ]
check "with the earlier case in previous_cases" \
    [ "$(val '.children[0].previous_cases | length')" = 1 ]
check "and not a possible match of themselves" \
    [ "$(val '.children[0].possible_matches | length')" = 0 ]
child 'Sean O Neill' 2016-03-02
check "O Neill (split 'Sean O' 'Neill') is the same child" [ "$p" = "$p1" ]
child 'SEAN O’NEILL' 2016-03-02
check "capitals and a typographic apostrophe: the same child" [ "$p" = "$p1" ]
child 'Sean O-Neill' 2016-03-03
check "another date of birth: another child" [ "$p" != "$p1" ]

printf '%s\n' '{"source":"police","concern":"c","children":[{"given_name":"Amy","family_name":"Smith Jones","dob":"2015-05-05"}]}' \
    >"$T/amy.json"
run env MASH_USER=admin mash-refer -o json --json <"$T/amy.json"
p2=$(val '.children[0].person_id')
child 'Amy Smith-Jones' 2015-05-05
check "Smith Jones (a family name of two words) and Smith-Jones: one child" \
    [ -n "$p2" ] && [ "$p" = "$p2" ]
child 'Amy SmithJones' 2015-05-05
check "and SmithJones" [ "$p" = "$p2" ]

child 'Ann Marie Lee' 2014-04-04
p3=$p
child 'Anne Marie Lee' 2014-04-04
check "Ann Marie and Anne Marie: not one name" [ "$p" != "$p3" ]
check "but a possible match, for a person to confirm" \
    [ "$(val '.children[0].possible_matches | join(",")')" = "$p3" ]

child 'Ella Jones' 2013-03-03
p4=$p
child 'Emma Jones' 2013-03-03
check "twins Ella and Emma Jones: two children, not matched" \
    [ "$p" != "$p4" ] &&
    [ "$(val '.children[0].possible_matches | length')" = 0 ]

child "Kay O'Hara" 2012-02-02 --nhs-number 9434765870
p5=$p
child 'Kay OHara' 2012-02-02 --nhs-number 4010232137
check "one name, but NHS numbers that disagree: two children" \
    [ "$p" != "$p5" ]

check "mash(7) gives O'Neill, ONeill and O Neill as one name" \
    has 'Sean O Neill' "$MAN/mash.7"

done_testing
