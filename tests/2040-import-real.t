#!/bin/sh
# real exports (mash-import(5)): ';' and tab files, a spreadsheet's
# empty columns and rows, dates without leading zeros, doubled spaces in
# headers, values translated by the map, and reject files kept whole
. "$(dirname "$0")/lib.sh"

plan 41

MAP=$MASH_SRC/share/mash/maps/police-ppn.map
MASH_NOW=2026-04-10T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
cd "$T" || echo "Bail out! no $T"

kids() { sql "SELECT c.reference, c.received_at, c.consent, h.given_name,
    h.dob, h.gender FROM cases c JOIN children h ON h.case_id = c.id
    WHERE substr(c.reference, 1, length('$1')) = '$1' ORDER BY h.id" | tr '\n' ' '; }

# --- a European Excel's export: ';', empty columns, a row of ';' -----------

printf '%s\r\n' \
    'PPN Number;Date Submitted;Forename;Surname;Date of Birth;Sex;Officer  Narrative;Consent to Share;;' \
    'SEMI/1;3/4/2026 9:15;Ava;Semi;3/4/2016;F;Seen at home;Yes;;' \
    ';;;;;;;;;' \
    'SEMI/2;03/04/2026 09:15;Bo;Semi;1/12/2015;M;"Seen; twice";No;;' >semi.csv
expect 0 "a ';' export, shipped map, empty columns, a row of ';': 0" \
    mash-refer --csv semi.csv --source police --map "$MAP"
check "the summary: two cases, nothing refused" has \
    'imported 2 cases, 2 children; 0 already present; 0 updated; 0 rejected' \
    "$err"
check "dates and times without leading zeros; F, M, Yes, No translated" \
    [ "$(kids SEMI/)" = "SEMI/1|2026-04-03T08:15:00Z|given|Ava|2016-04-03|female SEMI/2|2026-04-03T08:15:00Z|refused|Bo|2015-12-01|male " ]
check "a quoted ';' stays in its field" \
    [ "$(sql "SELECT concern FROM cases WHERE reference = 'SEMI/2'")" = \
    'Seen; twice' ]

printf 'reference\tsource\tchild_name\tconcern\n%s\n' \
    "TAB/1	police	Cy Tab	one, with a comma" >tab.csv
expect 0 "a tab-separated file: 0" mash-refer --csv tab.csv
check "tab: read by columns" [ "$(sql "SELECT concern FROM cases
    WHERE reference = 'TAB/1'")" = 'one, with a comma' ]
printf 'reference;source;child_name;concern\nDEL/1;police;Di Del;x,y\n' \
    >del.csv
expect 0 "--delimiter ';' given: 0" mash-refer --csv del.csv --delimiter ';'
printf 'reference,source,child_name,concern\nDEL/2,police,Di Del,"a;b;c;d"\n' \
    >comma.csv
expect 0 "more ';' in the rows than the header: still ',': 0" \
    mash-refer --csv comma.csv
expect 0 "--delimiter tab: 0" mash-refer --csv tab.csv --delimiter tab
check "... the same referral, present" has "1 already present" "$err"
expect 64 "--delimiter '|': 64" mash-refer --csv tab.csv --delimiter '|'
check "--delimiter '|': says what is taken" \
    has "is not ',', ';' or 'tab'" "$err"
expect 64 "--delimiter without --csv: 64" mash-refer --json --delimiter ';'

# --- empty columns that are not empty, refused dates ------------------------

printf '%s\n%s\n%s\n' 'reference,source,child_name,concern,,' \
    'EMP/1,police,Ed Emp,x,,' 'EMP/2,police,Em Emp,y,,lost?' >emp.csv
expect 65 "a value under a column with no name: 65" mash-refer --csv emp.csv
check "... named by its place, the row refused" \
    has "emp.csv:3: column 6 has no name in the header, but a value" "$err"
check "... the header's empty columns are not refused" \
    hasnt "column ''" "$err"
printf '%s\n%s\n' 'reference,source,child_name,concern,,' \
    'EMP/3,police,Ed Emp,x' >short.csv
expect 0 "a row short of only the empty columns: 0" mash-refer --csv short.csv

printf '%s\n%s\n%s\n' 'reference,source,child_name,concern,child_dob,received_at' \
    'DT/1,police,Di Date,x,2016/04/03,' 'DT/2,police,Di Date,x,,yesterday' >dt.csv
expect 65 "dates not in a form taken: 65" mash-refer --csv dt.csv
check "a refused date of birth says which forms are taken" has \
    "dt.csv:2: column 'child_dob': '2016/04/03' is not a date: write DD/MM/YYYY or YYYY-MM-DD" \
    "$err"
check "a refused time says which forms are taken" has \
    "dt.csv:3: column 'received_at': 'yesterday' is not a date and time: write DD/MM/YYYY HH:MM, YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM:SSZ" \
    "$err"
expect 0 "--dob 3/4/2016: 0" mash-refer -o json --source police \
    --ref DOB/1 --concern x --child 'Do Bee' --dob 3/4/2016
check "--dob 3/4/2016 is 3 April" jqtrue '.children[0].dob == "2016-04-03"' \
    "$out"
expect 65 "--dob 2016/04/03: 65" mash-refer --source police \
    --ref DOB/2 --concern x --child 'Do Bee' --dob 2016/04/03
check "--dob: names the forms" has "write DD/MM/YYYY or YYYY-MM-DD" "$err"

# --- value maps -------------------------------------------------------------

printf '%s\n' 'reference=Ref' 'child_name=Name' 'child_gender: X=nonsense' \
    'consent : oui = given' >v.map
printf '%s\n%s\n%s\n' 'Ref,source,Name,concern,child_gender,consent' \
    'VAL/1,police,Va Lue,x,,OUI' 'VAL/2,police,Vi Lue,x,X,' >val.csv
expect 65 "a value mapped to one not taken: 65" mash-refer --csv val.csv \
    --map v.map
check "... the row names the value as it came" \
    has "val.csv:3: column 'child_gender': 'X' is not a known gender" "$err"
sed -i 's/,X,$/,female,/' val.csv
expect 0 "a value mapped, without regard to case or spaces: 0" \
    mash-refer --csv val.csv --map v.map
check "... OUI is given" [ "$(sql "SELECT consent FROM cases
    WHERE reference = 'VAL/1'")" = given ]
printf '%s\n' 'reference=Ref' 'child_name=Name' 'consent: oui=' >w.map
expect 65 "a value map without ours: 65" mash-refer --csv val.csv --map w.map
check "... names the map line" has "w.map:3:" "$err"
printf '%s\n' 'consent: oui=given' 'consent: OUI=refused' >twice.map
expect 65 "a value mapped twice: 65" mash-refer --csv val.csv --map twice.map
check "... says so" has "twice.map:2: 'OUI' is mapped twice" "$err"

# --- reject files -------------------------------------------------------------

printf '%s\n%s\n%s\n' 'reference,source,child_name,concern,child_dob' \
    'REJ/1,police,Re Ject,x,31/02/2016' 'REJ/2,police,Ro Ject,y,01/01/2016' \
    >rej.csv
cp rej.csv keep.csv
expect 64 "--reject naming the file being imported: 64" \
    mash-refer --csv rej.csv --reject rej.csv
check "... which is left as it was" cmp -s rej.csv keep.csv
check "... and says why" has "is the file being imported" "$err"
expect 1 "a file with a bad row, with --reject: 1" \
    mash-refer --csv rej.csv --reject r1.csv
expect 1 "its reject file imported again, rejected again: 1" \
    mash-refer --csv r1.csv --reject r2.csv
check "the second reject file has one error column" \
    [ "$(head -n 1 r2.csv)" = 'reference,source,child_name,concern,child_dob,error' ]
check "... and the row its one error, replaced" \
    [ "$(tail -n 1 r2.csv)" = "REJ/1,police,Re Ject,x,31/02/2016,\"column 'child_dob': '31/02/2016' is not a date\"" ]
printf 'reference;source;child_name;concern;child_dob\nSR/1;police;Se Rej;x;31/02/2016\n' \
    >semirej.csv
expect 1 "a ';' file with --reject: 1" \
    mash-refer --csv semirej.csv --reject sr.csv
check "its reject file keeps the ';'" \
    [ "$(head -n 1 sr.csv)" = 'reference;source;child_name;concern;child_dob;error' ]

done_testing
