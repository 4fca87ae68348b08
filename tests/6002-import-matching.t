#!/bin/sh
# an import matches each child as mash-refer does one contact at a time
# (mash(7)): it keeps the children born on each day in memory for its
# transaction, and must find every possible match and every same person
# the store's own queries find, the children of earlier rows included
. "$(dirname "$0")/lib.sh"
plan 9

MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || { echo "Bail out! no store"; exit 1; }

# children the store knew before: the import reads their days
run mash-refer --source police --ref P/1 --concern known --child \
    'Olivia Grant' --dob 2014-09-10 --postcode 'LS6 2AB'
run mash-refer --source police --ref P/2 --concern known --child \
    'Noah Smith' --dob 2015-01-02 --postcode 'M1 1AA' --nhs-number 9434765870
check "the store's children: referred" test "$rc" = 0
store_copy one-by-one || echo "Bail out! cannot copy the store"

# ref|name|dob|postcode|nhs: in the order the import reads them.  Close
# to a child the store knew, to a child of an earlier row, the same as
# either, a namesake by postcode only, a numbered namesake, twins
rows='K/1|Olivia Grent|2014-09-10||
K/2|Olivya Grant|2014-09-10||
K/3|Olivia Grant|2014-09-10|LS6 2AB|
K/4|Noah Smyth|2015-01-02|M1 1AA|
K/5|Noah Smith||M1 1AA|
K/6|Noa Smith|2015-01-02||
K/7|Amelia Jones|2014-09-10||
K/8|Noah Smyth|2015-01-02|LS6 2AB|
K/9|Noah Smith|2015-01-02||4010232137
K/10|Mia Brown|2019-05-05|B1 1AB|
K/10|Mya Brown|2019-05-05|B1 1AB|
K/11|Olivia Grand|2014-09-10||'

printf 'reference,source,child_name,child_dob,postcode,child_nhs_number,concern\n' \
    >"$T/rows.csv"
printf '%s\n' "$rows" | awk -F'|' '{
	printf "%s,police,%s,%s,%s,%s,seen\n", $1, $2, $3, $4, $5 }' \
    >>"$T/rows.csv"
run mash-refer --csv "$T/rows.csv"
check "the import: exit 0" test "$rc" = 0

# the same rows, a contact at a time, into the copy
imported=$MASH_DB
MASH_DB=$copy
ok=0
printf '%s\n' "$rows" | {
	last= set --
	while IFS='|' read -r ref name dob pc nhs; do
		if [ "$ref" != "$last" ] && [ -n "$last" ]; then
			mash-refer --source police --ref "$last" --concern seen \
			    "$@" >/dev/null || exit 1
			set --
		fi
		set -- "$@" --child "$name" ${dob:+--dob "$dob"} \
		    ${pc:+--postcode "$pc"} ${nhs:+--nhs-number "$nhs"}
		last=$ref
	done
	mash-refer --source police --ref "$last" --concern seen "$@" \
	    >/dev/null
} && ok=1
check "the same contacts one by one: each exit 0" test "$ok" = 1

# what matching decided, in each store
decided() {
	sql "SELECT id, case_id, person_id FROM children ORDER BY id" \
	    >"$T/$1.children"
	sql "SELECT child_id, person_id, status FROM possible_matches
	    ORDER BY child_id, person_id" >"$T/$1.matches"
}
decided one
MASH_DB=$imported
decided import
check_same "the same persons, child by child" "$T/one.children" \
    "$T/import.children"
check_same "the same possible matches" "$T/one.matches" "$T/import.matches"

# and those are what the rows ask for, so the comparison is not empty
child() { sql "SELECT c.id FROM children c JOIN cases k ON k.id = c.case_id
    WHERE k.reference = '$1' ORDER BY c.id LIMIT 1"; }
person() { sql "SELECT person_id FROM children WHERE id = $(child "$1")"; }
matched() {
	sql "SELECT group_concat(person_id, ',') FROM (SELECT person_id
	    FROM possible_matches WHERE child_id = $(child "$1")
	    ORDER BY person_id) AS m"
}
check "a close name: the store's child and an earlier row's" \
    test "$(matched K/2)" = "$(person P/1),$(person K/1)"
check "the same name and date of birth: the same person" \
    test "$(person K/3)" = "$(person P/1)"
check "the same name by postcode, no date of birth: a possible match" \
    test "$(matched K/5)" = "$(person P/2)"
check "a namesake with another NHS number: neither joined nor offered" \
    test "$(person K/9)" != "$(person P/2)" -a \
    -z "$(sql "SELECT 1 FROM possible_matches WHERE child_id =
    $(child K/9) AND person_id = $(person P/2)")"
