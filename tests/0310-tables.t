#!/bin/sh
# tables are for people: they fit COLUMNS (or the terminal), cut text
# but never a time, and say how late something is in words; JSON and
# CSV keep every value whole
. "$(dirname "$0")/lib.sh"

plan 19

new_store
export MASH_NOW=2026-12-01T09:00:00Z
as head mash-refer --source police --ref TB/1 \
    --concern 'A long concern that no table should print whole' \
    --child 'Anastasia Featherstonehaugh-Wolfeschlegel' --dob 2016-01-01 \
    --child 'Bo Smith' --dob 2018-02-02 >/dev/null 2>"$err"

# widest FILE: the widest line, in characters
widest() { python3 -c 'import sys
print(max([len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")] + [0]))' "$1"; }

expect 0 "the caseload as a table, COLUMNS=125" \
    env COLUMNS=125 MASH_USER=head mash-record --list -o table
check "no line is wider than 125 ($(widest "$out"))" \
    [ "$(widest "$out")" -le 125 ]
check "extra columns are left out before a name is cut" \
    has 'Featherstonehaugh-Wolfeschlegel' "$out"
check "  the person's id and contacts first" hasnt 'contacts_12m' "$out"
expect 0 "the caseload as a table, COLUMNS=80" \
    env COLUMNS=80 MASH_USER=head mash-record --list -o table
check "no line is wider than 80 ($(widest "$out"))" \
    [ "$(widest "$out")" -le 80 ]
check "  the source and reference are left out too" hasnt 'TB/1' "$out"
check "a long name is cut, and the cut marked" \
    has 'Featherstonehaugh-Wolfesch…  2016-01-01' "$out"
check "times are never cut" has '2026-12-02 17:00' "$out"
check "dates are never cut" has '2016-01-01' "$out"
expect 0 "the screening queue, COLUMNS=80" \
    env COLUMNS=80 MASH_USER=head mash-screen -o table
check "no line is wider than 80 ($(widest "$out"))" \
    [ "$(widest "$out")" -le 80 ]
expect 0 "a table to a file, no COLUMNS: whole" \
    env MASH_USER=head mash-record --list -o table
check "the whole name is there" \
    has 'Featherstonehaugh-Wolfeschlegel' "$out"

expect 1 "overdue as a table" env MASH_NOW=2026-12-03T09:00:00Z \
    mash-overdue --within 1wd -o table
check "a late item says how late in words" has '  16h late' "$out"
expect 1 "due soon as a table" env MASH_NOW=2026-12-02T15:30:00Z \
    mash-overdue --within 1wd -o table
check "an item due soon says when" has '  due in 1h 30m' "$out"
run env MASH_NOW=2026-12-03T09:00:00Z mash-overdue -o json
check "JSON keeps the seconds" \
    [ "$(jq -r .overdue_by "$out")" = 57600 ]
