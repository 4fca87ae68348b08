#!/bin/sh
# mash-refer on a terminal without options: $EDITOR on a template
. "$(dirname "$0")/lib.sh"

if ! command -v script >/dev/null 2>&1; then
	echo "1..0 # SKIP script(1) is not installed (bsdutils)"
	exit 0
fi

plan 41

MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

# on_tty CMD: run a shell command with a terminal for its standard input
# and output; print what the terminal showed, without the terminal's
# carriage returns, and what the command wrote to standard error
on_tty() {
	script -qec "$1 2>'$T/tty-err'" /dev/null </dev/null >"$T/tty-out"
	set -- $?
	tr -d '\r' <"$T/tty-out"
	cat "$T/tty-err" >&2
	return "$1"
}

# kept: the file a refusal says the text is kept in
kept() { sed -n "s/.*your text is kept in '\(.*\)'.*/\1/p" "$err"; }

# an editor that keeps the template it was given and writes its own text
editor() {
	cat >"$T/$1" <<EOF
#!/bin/sh
# the file is the last argument: EDITOR may carry options
eval "f=\\\${\$#}"
cp "\$f" '$T/template'
cat >"\$f" <<'TEXT'
$2
TEXT
EOF
	chmod +x "$T/$1"
}

editor good '# what the operator wrote
Source: school
Reference: ED/1
Received-At: 09/03/2026 14:00
Consent: given
Categories: neglect, emotional
Referrer: Ms Teachtest
Child: Ivy Mae Stonetest
DOB: 04/04/2017
Gender: female
NHS-Number: 9434765870
Postcode: sw1a1aa
Child: Rex Stonetest
DOB: 2019-09-09
Concern:
Came to school hungry on three days this week.

# a comment inside the concern is left out
Sibling says there is no food at home.'

expect 0 "a filled template: 0" \
    on_tty "EDITOR='$T/good' mash-refer -o json"
check "the editor was given the template" has '^Source:' "$T/template"
check "the template has a Concern line" has '^Concern:' "$T/template"
check "the template has a Child line" has '^Child:' "$T/template"
check "the case is printed" json_lines "$out"
check "source and reference" \
    [ "$(jq -r '.source + " " + .reference' "$out")" = "school ED/1" ]
check "received at the local time given" \
    [ "$(jq -r .received_at "$out")" = 2026-03-09T14:00:00Z ]
check "consent and categories" \
    [ "$(jq -c '[.consent, .categories]' "$out")" = \
    '["given",["neglect","emotional"]]' ]
check "two children, each with its own lines" \
    [ "$(jq -c '.children | map([.given_name, .family_name, .dob])' \
    "$out")" = \
    '[["Ivy Mae","Stonetest","2017-04-04"],["Rex","Stonetest","2019-09-09"]]' ]
check "the first child's NHS number and postcode" \
    [ "$(jq -r '.children[0].nhs_number + " " + .children[0].postcode' \
    "$out")" = "9434765870 SW1A 1AA" ]
check "the concern: every line after Concern:, comments left out" \
    [ "$(jq -r .concern "$out")" = "Came to school hungry on three days this week.

Sibling says there is no food at home." ]
check "no text is kept when it was recorded" hasnt "kept" "$err"
check "recorded once, with an audit row" \
    [ "$(sql "SELECT count(*) FROM audit a JOIN cases c ON c.id = a.case_id
	WHERE a.action = 'refer' AND c.reference = 'ED/1'")" = 1 ]

sed -i 's/ED\/1/ED\/2/' "$T/good"
expect 0 "on a terminal the default format is a table" \
    on_tty "EDITOR='$T/good' mash-refer"
check "a table: a header line" grep -q '^id  *state' "$out"
check "a table: one row per child" [ "$(grep -c ' ED/2 ' "$out")" = 2 ]

sed -i 's/ED\/2/ED\/3/' "$T/good"
expect 0 "VISUAL is preferred to EDITOR" \
    on_tty "VISUAL='$T/good' EDITOR=false mash-refer -o json"
sed -i 's/ED\/3/ED\/4/' "$T/good"
expect 0 "EDITOR may carry arguments" \
    on_tty "EDITOR='$T/good --wait' mash-refer -o json"
check "EDITOR with arguments: the file is still the last one" \
    [ "$(jq -r .reference "$out")" = ED/4 ]

# --- refused: the text is kept ----------------------------------------------

editor invalid 'Source: school
Reference: ED/BAD
Child: Jem Badtest
DOB: 31/02/2016
Concern:
The date of birth above is impossible.'

snapshot "$T/before"
expect 65 "an impossible date of birth: 65" \
    on_tty "EDITOR='$T/invalid' mash-refer -o json"
check "the message names the field and the value" has "DOB: '31/02/2016'" \
    "$err"
file=$(kept)
check "the message names the file the text is kept in" [ -n "$file" ]
check "the kept file exists" [ -f "$file" ]
check "the kept file holds the text as written" \
    has "The date of birth above is impossible" "$file"
check "the kept file is the operator's alone" \
    [ "$(stat -c %a "$file")" = 600 ]
snapshot "$T/after"
check_same "a refused text records nothing" "$T/before" "$T/after"
check "a refused text prints no case" hasnt '"id"' "$out"
rm -f "$file"

editor junk 'This is not a template at all.'
expect 65 "a text that is not Key: value lines: 65" \
    on_tty "EDITOR='$T/junk' mash-refer"
file=$(kept)
check "junk: the text is kept" has "not a template at all" "$file"
rm -f "$file"

editor nosource 'Reference: ED/NS
Child: Kay Nosource
Concern:
No source given.'
expect 65 "a text without a source: 65" \
    on_tty "EDITOR='$T/nosource' mash-refer"
check "without a source: says so" has "source" "$err"
file=$(kept)
check "without a source: the text is kept" has "No source given" "$file"
rm -f "$file"

expect 65 "an editor that fails: 65" on_tty "EDITOR=false mash-refer"
check "an editor that fails: named" has "editor 'false'" "$err"
file=$(kept)
check "an editor that fails: the template is kept" has "Concern:" "$file"
rm -f "$file"

expect 65 "a template left as it was: 65" on_tty "EDITOR=true mash-refer"
file=$(kept)
rm -f "$file"
check "nothing recorded from the refusals" \
    [ "$(sql "SELECT count(*) FROM cases WHERE reference LIKE 'ED/%'")" = 4 ]

# --- not on a terminal, or not permitted -----------------------------------

cat >"$T/marker-ed" <<EOF
#!/bin/sh
touch '$T/editor-ran'
EOF
chmod +x "$T/marker-ed"
expect 64 "no options and standard input not a terminal: 64" \
    env EDITOR="$T/marker-ed" mash-refer </dev/null
check "not a terminal: the editor is not run" [ ! -e "$T/editor-ran" ]
expect 77 "an unregistered user on a terminal: 77" \
    on_tty "MASH_USER=nobody EDITOR='$T/marker-ed' mash-refer"
check "an unregistered user: the editor is not run" [ ! -e "$T/editor-ran" ]

done_testing
