#!/bin/sh
# mash-refer --csv: the CSV import of SPEC 9 and mash-import(5).  Golden
# files in tests/import/: NAME.csv goes in, NAME.result is the store
# after it, NAME.nresult the messages, NAME.rej the reject file.
. "$(dirname "$0")/lib.sh"

plan 106

G=$MASH_SRC/tests/import
MAPS=$MASH_SRC/share/mash/maps
MASH_NOW=2026-03-10T10:00:00Z	# a Tuesday, in GMT
export MASH_NOW
# the messages name the files as given: run where the golden files are
cd "$G" || echo "Bail out! no $G"

fresh() { new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"; }

# cases: what the store holds, as text a golden file can keep
cases() {
	sql "SELECT id, source, reference, received_at, screening_due, consent,
	    categories, referrer, referrer_contact, report_type, risk,
	    replace(concern, '$nl', '\n') FROM cases ORDER BY id;
	    SELECT case_id, given_name, family_name, dob, gender, nhs_number,
	    upn, school, address, postcode FROM children ORDER BY id;"
}

# golden DESC NAME: the store is NAME.result
golden() {
	cases >"$T/got"
	check_same "$1" "$G/$2.result" "$T/got"
}

# said DESC TEXT: standard error is exactly this one line
said() {
	printf 'mash-refer: %s\n' "$2" >"$T/said"
	check_same "$1" "$T/said" "$err"
}

# unchanged DESC: the store is as snapshot "$T/before" left it
unchanged() {
	snapshot "$T/after"
	check_same "$1" "$T/before" "$T/after"
}

# --- a good file: BOM, CRLF, quoted newline, day-first dates, households --

fresh
expect 0 "valid.csv: BOM, CRLF, quotes, local times, households: 0" \
    mash-refer --csv valid.csv
said "valid.csv: the summary line" \
    "imported 4 cases, 6 children; 0 already present; 0 updated; 0 rejected"
check "valid.csv: nothing on standard output" test ! -s "$out"
golden "valid.csv: cases, children, UTC times, text and codes as sent" valid
check "valid.csv: a CRLF inside a quoted concern is stored as a newline" \
    test "$(sql "SELECT count(*) FROM cases WHERE concern LIKE '%$cr%'")" = 0
check "valid.csv: the household CR/102/26, rows apart, is one case" \
    test "$(sql "SELECT count(*) FROM children WHERE case_id =
    (SELECT id FROM cases WHERE reference = 'CR/102/26')")" = 2
check "valid.csv: one audit row for the import, with the counts" \
    test "$(sql "SELECT details FROM audit WHERE action = 'import'")" = \
    '{"file":"valid.csv","cases":4,"children":6,"present":0,"updated":0,"rejected":0}'
check "valid.csv: a refer row for each case, an add-child for each sibling" \
    test "$(sql "SELECT group_concat(action || ':' || case_id, ' ') FROM
    (SELECT action, case_id FROM audit WHERE action IN ('refer',
    'add-child') ORDER BY id) AS a")" = \
    "refer:1 add-child:1 refer:2 refer:3 refer:4 add-child:2"

snapshot "$T/before"
expect 0 "valid.csv again: 0" mash-refer --csv valid.csv
said "valid.csv again: every row already present" \
    "imported 0 cases, 0 children; 6 already present; 0 updated; 0 rejected"
golden "valid.csv again: no case or child added" valid
check "valid.csv again: only an import row is added to the store" \
    test "$(sql "SELECT count(*) FROM audit WHERE action = 'import'")" = 2

snapshot "$T/before"
expect 0 "--dry-run of a good file: 0" \
    mash-refer --csv valid.csv --dry-run --source police
said "--dry-run: says what it would do" \
    "dry run: would import 0 cases, 0 children; 6 already present; 0 updated; 0 rejected"
unchanged "--dry-run: writes nothing, not even an audit row"

# --- bad rows: all or nothing --------------------------------------------

fresh
snapshot "$T/before"
expect 65 "bad.csv: bad rows after a multi-line row: 65" \
    mash-refer --csv bad.csv
check_same "bad.csv: every bad row, at the line it starts on, column named" \
    "$G/bad.nresult" "$err"
check "bad.csv: nothing on standard output" test ! -s "$out"
unchanged "bad.csv: nothing written, not even the good rows"

expect 65 "bad.csv --dry-run: 65" mash-refer --csv bad.csv --dry-run
sed 's/nothing imported$/nothing would be imported/' "$G/bad.nresult" \
    >"$T/want"
check_same "bad.csv --dry-run: the same messages" "$T/want" "$err"
unchanged "bad.csv --dry-run: nothing written"

cat >"$T/twice.csv" <<'EOF'
reference,source,child_given_name,child_family_name,child_dob,concern
TW/1,police,Ada,Twicerow,2015-05-05,Same child twice
TW/1,police,Ada,Twicerow,2015-05-05,Same child twice
TW/1,school,Ada,Twicerow,2015-05-05,Another sender's TW/1
EOF
expect 65 "the same child twice in one household: 65" \
    mash-refer --csv "$T/twice.csv"
check "the same child twice: the second row named" \
    has "twice.csv:3: the child is already in an earlier row with reference \
'TW/1'" "$err"
# the repeat is the only bad row: the children after it are not blamed
cat >"$T/twice-more.csv" <<'EOF'
reference,source,child_given_name,child_family_name,child_dob,concern
TM/1,police,Ada,Twicemore,2015-05-05,Same child twice
TM/1,police,Ada,Twicemore,2015-05-05,Same child twice
TM/1,police,Bea,Twicemore,2016-06-06,Same child twice
TM/1,police,Cal,Twicemore,2017-07-07,Same child twice
EOF
expect 65 "a repeated child before two more: 65" \
    mash-refer --csv "$T/twice-more.csv"
check "a repeated child before two more: only its row is named" \
    [ "$(grep -c 'already in an earlier row' "$err")" = 1 ] &&
    has "twice-more.csv:3: the child is already" "$err"
# two children the numbers keep apart are in the store; a household
# naming one of them with a number and again without is one child twice
mash-refer --source police --ref HN/A --concern c --child 'Cara Numbers' \
    --dob 2015-07-07 --nhs-number 9434765919 >/dev/null &&
mash-refer --source police --ref HN/B --concern c --child 'Cara Numbers' \
    --dob 2015-07-07 --nhs-number 4010232137 >/dev/null
cat >"$T/twice-nhs.csv" <<'EOF'
reference,source,child_given_name,child_family_name,child_dob,child_nhs_number,concern
HN/1,police,Cara,Numbers,2015-07-07,9434765919,Seen twice
HN/1,police,Cara,Numbers,2015-07-07,,Seen twice
EOF
expect 65 "a numbered child and the same without a number: 65" \
    mash-refer --csv "$T/twice-nhs.csv"
check "the second row named as the same child again" \
    has "twice-nhs.csv:3: the child is already in an earlier row" "$err"
sed 3d "$T/twice.csv" >"$T/once.csv"
expect 0 "one reference from two senders: 0" mash-refer --csv "$T/once.csv"
check "one reference from two senders: two cases" \
    test "$(sql "SELECT group_concat(source, ' ') FROM (SELECT source
    FROM cases WHERE reference = 'TW/1' ORDER BY id) AS c")" = "6 2A"

# --- --reject: the good rows in, the bad ones kept as they came ----------

fresh
expect 1 "mixed.csv --reject: some rows rejected: 1" \
    mash-refer --csv mixed.csv --reject "$T/mixed.rej"
check_same "mixed.csv --reject: the messages" "$G/mixed.nresult" "$err"
check_same "mixed.csv --reject: bad rows as they came, with an error column" \
    "$G/mixed.rej" "$T/mixed.rej"
golden "mixed.csv --reject: the good rows are in, no part of MIX/3" mixed
check "mixed.csv --reject: the audit row counts the rejects" \
    test "$(sql "SELECT details FROM audit WHERE action = 'import'")" = \
    "{\"file\":\"mixed.csv\",\"cases\":3,\"children\":3,\"present\":0,\
\"updated\":0,\"rejected\":4,\"reject\":\"$T/mixed.rej\"}"
check "mixed.csv --reject: no temporary file is left beside the reject" \
    test "$(find "$T" -name 'mixed.rej*' | wc -l)" = 1

sed -e 's#31/02/2016#28/02/2016#' -e 's#29/02/2015#28/02/2015#' \
    -e 's#"stray"quote#"stray quote"#' "$T/mixed.rej" >"$T/fixed.csv"
expect 0 "the corrected reject file: 0" \
    mash-refer --csv "$T/fixed.csv" --reject "$T/fixed.rej"
said "the corrected reject file: all its rows go in" \
    "imported 3 cases, 4 children; 0 already present; 0 updated; 0 rejected"
check "the corrected reject file: no reject file when nothing is rejected" \
    test ! -e "$T/fixed.rej"
golden "the corrected reject file: MIX/3 is one case of two children" \
    mixed-fixed

expect 0 "mixed.csv, all in, again with --reject: 0" \
    mash-refer --csv "$T/fixed.csv" --reject "$T/again.rej"
said "... every row already present" \
    "imported 0 cases, 0 children; 4 already present; 0 updated; 0 rejected"

fresh
snapshot "$T/before"
expect 1 "mixed.csv --reject --dry-run: 1" \
    mash-refer --csv mixed.csv --reject "$T/dry.rej" --dry-run
tail -n 1 "$err" >"$T/last"
printf 'mash-refer: dry run: would import 3 cases, 3 children; %s\n' \
    '0 already present; 0 updated; 4 rejected' >"$T/want"
check_same "--reject --dry-run: the summary" "$T/want" "$T/last"
check "--reject --dry-run: no reject file" test ! -e "$T/dry.rej"
unchanged "--reject --dry-run: nothing written"

expect 1 "bad.csv --reject: 1" mash-refer --csv bad.csv --reject "$T/bad.rej"
check_same "bad.csv --reject: every bad row, and BAD/1's good one" \
    "$G/bad.rej" "$T/bad.rej"
check "bad.csv --reject: only the last row, BAD/14, is in" \
    test "$(sql "SELECT group_concat(reference) FROM cases")" = BAD/14

snapshot "$T/before"
expect 73 "--reject into a directory that is not there: 73" \
    mash-refer --csv mixed.csv --reject "$T/nosuch/mixed.rej"
check "--reject that cannot be written: says so" \
    has "cannot create reject file '$T/nosuch/mixed.rej'" "$err"
unchanged "--reject that cannot be written: nothing imported"

# --- bytes: invalid UTF-8, NUL, and a reject file in the input's form ----

fresh
{
	printf '\357\273\277reference,source,child_given_name,concern\r\n'
	printf 'U/1,police,Ann,Fine\r\n'
	printf 'U/2,police,Bad\377\376Name,Bytes\r\n'
	printf 'U/3,police,Nul,Has a \000 byte\r\n'
	printf 'U/4,police,Cut\303,"Cut short"\r\n'
	printf 'U/5,police,Ok,"Quoted\r\nnewline"\r\n'
	printf 'U/6,police,Over\300\257long,Overlong\r\n'
} >"$T/bytes.csv"
snapshot "$T/before"
expect 65 "invalid UTF-8 and a NUL byte: 65" mash-refer --csv - <"$T/bytes.csv"
check_same "invalid UTF-8 and a NUL byte: each row named" \
    "$G/bytes.nresult" "$err"
unchanged "invalid UTF-8 and a NUL byte: nothing written"

expect 1 "bytes --reject: 1" \
    mash-refer --csv - --reject "$T/bytes.rej" <"$T/bytes.csv"
{
	printf '\357\273\277reference,source,child_given_name,concern,error\r\n'
	printf 'U/2,police,Bad\377\376Name,Bytes,"column %s"\r\n' \
	    "'child_given_name': 'Bad??Name' is not valid UTF-8"
	printf 'U/3,police,Nul,Has a \000 byte,"column %s"\r\n' \
	    "'concern': 'Has a ? byte' has a NUL byte"
	printf 'U/4,police,Cut\303,"Cut short","column %s"\r\n' \
	    "'child_given_name': 'Cut?' is not valid UTF-8"
	printf 'U/6,police,Over\300\257long,Overlong,"column %s"\r\n' \
	    "'child_given_name': 'Over??long' is not valid UTF-8"
} >"$T/want"
check_same "bytes --reject: BOM, CRLF and the very bytes kept" \
    "$T/want" "$T/bytes.rej"
check "bytes --reject: the good rows are in, the newline stored as LF" \
    test "$(sql "SELECT group_concat(v, ' ') FROM (SELECT reference ||
    '=' || replace(concern, '$nl', '|') AS v FROM cases ORDER BY id) AS c")" \
    = "U/1=Fine U/5=Quoted|newline"

# --- the header -----------------------------------------------------------

fresh
snapshot "$T/before"
expect 65 "an unknown column: 65" mash-refer --csv unknown.csv
said "an unknown column: named, at line 1" \
    "unknown.csv:1: column 'Shoe Size' is not a known column"
unchanged "an unknown column: nothing written"
expect 0 "an unknown column with --ignore-unknown: 0" \
    mash-refer --csv unknown.csv --ignore-unknown
check "--ignore-unknown: the row is in" \
    test "$(sql "SELECT reference FROM cases")" = UNK/1

printf 'Reference,reference,source,child_given_name,concern\n' >"$T/dup.csv"
expect 65 "a column twice: 65" mash-refer --csv "$T/dup.csv"
said "a column twice: both named" \
    "$T/dup.csv:1: columns 'Reference' and 'reference' both fill 'reference'"
printf 'source,child_given_name,concern\n' >"$T/noref.csv"
expect 65 "no reference column: 65" mash-refer --csv "$T/noref.csv"
said "no reference column: named" \
    "$T/noref.csv:1: column 'reference' is missing"
printf 'reference,source,concern\n' >"$T/noname.csv"
expect 65 "no name column: 65" mash-refer --csv "$T/noname.csv"
printf 'reference,child_family_name,concern\nNS/1,Testsource,x\n' \
    >"$T/nosource.csv"
expect 65 "no source column and no --source: 65" \
    mash-refer --csv "$T/nosource.csv"
said "no source column: says to give --source" \
    "$T/nosource.csv:1: column 'source' is missing: add it or give --source"
expect 0 "no source column with --source: 0" \
    mash-refer --csv "$T/nosource.csv" --source la-internal
check "--source: stored as its census code" \
    test "$(sql "SELECT source FROM cases WHERE reference = 'NS/1'")" = 5B

expect 0 "header.csv, a header and nothing else: 0" \
    mash-refer --csv header.csv
said "header.csv: nothing to do" \
    "imported 0 cases, 0 children; 0 already present; 0 updated; 0 rejected"
snapshot "$T/before"
: >"$T/empty.csv"
expect 65 "an empty file: 65" mash-refer --csv "$T/empty.csv"
said "an empty file: says a header is needed" \
    "$T/empty.csv: the file is empty: a header row is needed"
printf '\357\273\277\r\n\r\n' >"$T/blank.csv"
expect 65 "a BOM and blank lines: 65" mash-refer --csv "$T/blank.csv"
expect 66 "a missing file: 66" mash-refer --csv "$T/nosuch.csv"
said "a missing file: named" \
    "cannot open '$T/nosuch.csv': No such file or directory"
expect 66 "a directory: 66" mash-refer --csv "$T"
expect 65 "a header with a stray quote: 65" mash-refer --csv - <<'EOF'
reference,so"urce,child_given_name,concern
EOF
said "a header with a stray quote: says so" \
    "standard input:1: header: quotes are not well formed"

printf 'reference,source,child_given_name,concern\rCR/1,police,Ann,Fine\r%b' \
    'CR/2,police,Bob,"bad"x\rCR/3,police\r' >"$T/mac.csv"
expect 65 "a file with CR line ends: 65 for its bad rows" \
    mash-refer --csv "$T/mac.csv"
printf 'mash-refer: %s\n' "$T/mac.csv:3: column 'concern': quotes are not \
well formed" "$T/mac.csv:4: row has 2 fields, not 4 as the header" \
    "$T/mac.csv: 2 bad rows: nothing imported" >"$T/want"
check_same "a file with CR line ends: a CR ends a line" "$T/want" "$err"

# --- the end of the file ----------------------------------------------------

printf 'reference,source,child_given_name,concern\nEND/1,police,Una,"No end' \
    >"$T/open.csv"
expect 65 "a quote open at the end of the file: 65" \
    mash-refer --csv "$T/open.csv"
check "a quote open at the end: the row's line and column" \
    has "open.csv:2: column 'concern': a quoted field is still open" "$err"
unchanged "the header problems and the open quote wrote nothing"
printf 'reference,source,child_given_name,concern\nEND/2,police,Vic,Last' \
    >"$T/noeol.csv"
expect 0 "a last row with no line end: 0" mash-refer --csv "$T/noeol.csv"
check "a last row with no line end: imported whole" \
    test "$(sql "SELECT concern FROM cases WHERE reference = 'END/2'")" = \
    Last

# --- maps -------------------------------------------------------------------

fresh
expect 0 "ppn.csv with police-ppn.map: 0" \
    mash-refer --csv ppn.csv --source police --map "$MAPS/police-ppn.map"
golden "ppn.csv: their columns land in ours" ppn
expect 0 "school.csv with school.map: 0" \
    mash-refer --csv school.csv --source school --map "$MAPS/school.map"
check "school.csv: one case of two pupils, from a school" \
    test "$(sql "SELECT source || ':' || count(*) FROM cases c JOIN
    children h ON h.case_id = c.id WHERE reference = 'SCH-77'
    GROUP BY source")" = 2A:2
expect 65 "ppn.csv without its map: 65" \
    mash-refer --csv ppn.csv --source police
check "ppn.csv without its map: each unknown column named" \
    test "$(grep -c 'is not a known column' "$err")" = 16

printf '# a comment\n\nreference=Ref\nchild_shoe=Shoe\n' >"$T/bad.map"
expect 65 "a map naming no column of ours: 65" \
    mash-refer --csv ppn.csv --map "$T/bad.map"
said "a bad map: its line named" \
    "$T/bad.map:4: 'child_shoe' is not a column of mash-import(5)"
printf 'reference=Ref\nreference\n' >"$T/bad.map"
expect 65 "a map line with no '=': 65" \
    mash-refer --csv ppn.csv --map "$T/bad.map"
printf 'reference=Ref\nconcern=ref\n' >"$T/bad.map"
expect 65 "a map naming one column of theirs twice: 65" \
    mash-refer --csv ppn.csv --map "$T/bad.map"
expect 66 "a missing map: 66" \
    mash-refer --csv ppn.csv --map "$T/nosuch.map"
said "a missing map: named" \
    "cannot open map '$T/nosuch.map': No such file or directory"

# --- a pipe, read twice for --reject ------------------------------------------

fresh
mkfifo "$T/fifo"
cat mixed.csv >"$T/fifo" &
expect 1 "mixed.csv from a pipe, --reject: 1" \
    mash-refer --csv - --reject "$T/pipe.rej" <"$T/fifo"
wait
check_same "from a pipe: the same reject file" "$G/mixed.rej" "$T/pipe.rej"
golden "from a pipe: the same rows in" mixed

# --- usage --------------------------------------------------------------------

expect 64 "--reject without --csv: 64" mash-refer --reject "$T/x.rej"
expect 64 "--map without --csv: 64" mash-refer --map "$MAPS/school.map"

done_testing
