#!/bin/sh
# a household's rows must agree on the referral as a whole, field by
# field, given or left out, next to each other or not
# (mash-import(5) "Households")
. "$(dirname "$0")/lib.sh"

plan 45

MASH_NOW=2026-03-10T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"
cd "$T" || echo "Bail out! no $T"

H=reference,source,received_at,child_given_name,child_family_name,child_dob
H=$H,concern,categories,consent,referrer_name,referrer_contact,report_type
H=$H,risk
# row REF GIVEN DOB [FIELD=VALUE ...]: a row, its fields as in the first
row() {
	ref=$1 given=$2 dob=$3
	shift 3
	rec='10/03/2026 09:00' con='Seen at home' cat='neglect;emotional'
	cons=given rn='PC Hall' rc=0101 rt=PPN risk=medium
	for kv; do
		case $kv in
		received=*) rec=${kv#*=} ;; concern=*) con=${kv#*=} ;;
		categories=*) cat=${kv#*=} ;; consent=*) cons=${kv#*=} ;;
		referrer=*) rn=${kv#*=} ;; contact=*) rc=${kv#*=} ;;
		type=*) rt=${kv#*=} ;; risk=*) risk=${kv#*=} ;;
		esac
	done
	printf '%s,police,%s,%s,Home,%s,%s,%s,%s,%s,%s,%s,%s\n' "$ref" \
	    "$rec" "$given" "$dob" "$con" "$cat" "$cons" "$rn" "$rc" "$rt" \
	    "$risk"
}
kids() { sql "SELECT count(*) FROM children h JOIN cases c ON c.id = h.case_id
    WHERE c.reference = '$1'"; }

{ echo "$H"; row HH/1 Ann 01/01/2015; row HH/1 Ben 02/02/2016 \
    categories='emotional;neglect'; } >same.csv
expect 0 "two rows that agree, categories in another order: 0" \
    mash-refer --csv same.csv
check "one case of two children" [ "$(kids HH/1)" = 2 ]

# --- each field, differing in the second row --------------------------------
n=1
for d in received='10/03/2026 09:01':received_at \
    concern='Seen at school':concern categories=neglect:categories \
    consent=refused:consent referrer='PC Hill':referrer_name \
    contact=0102:referrer_contact type=MASH:report_type risk=high:risk \
    risk=:risk contact=:referrer_contact categories=:categories; do
	n=$((n + 1))
	col=${d##*:}
	{ echo "$H"; row HH/$n Ann 01/01/2015; row HH/$n Ben 02/02/2016 \
	    "${d%:*}"; } >d$n.csv
	snapshot "$T/before"
	expect 65 "a household differing in $col (${d%:*}): 65" \
	    mash-refer --csv d$n.csv
	check "the second row and $col named" has \
	    "d$n.csv:3: column '$col': differs from an earlier row with reference 'HH/$n'" \
	    "$err"
	snapshot "$T/after"
	check_same "nothing written for ${d%:*}" "$T/before" "$T/after"
done

# --- left out in both rows: the defaults agree -------------------------------
{ echo "$H"; row HH/L1 Ann 01/01/2015 received= consent=
    row HH/L1 Ben 02/02/2016 received= consent=; } >left.csv
expect 0 "received_at and consent left out of both rows: 0" \
    mash-refer --csv left.csv
check "both children in one case" [ "$(kids HH/L1)" = 2 ]
{ echo "$H"; row HH/L2 Ann 01/01/2015 consent=
    row HH/L2 Ben 02/02/2016 consent=unknown; } >unknown.csv
expect 0 "consent left out, then unknown, the default: 0" \
    mash-refer --csv unknown.csv
{ echo "$H"; row HH/L3 Ann 01/01/2015 consent=
    row HH/L3 Ben 02/02/2016; } >given.csv
expect 65 "consent left out, then given: 65" mash-refer --csv given.csv
check "consent named" has "given.csv:3: column 'consent': differs" "$err"

# --- rows not next to each other ---------------------------------------------
{ echo "$H"; row HH/A Ann 01/01/2015; row HH/B Cat 03/03/2017
    row HH/A Ben 02/02/2016; } >apart.csv
expect 0 "a household's rows apart: 0" mash-refer --csv apart.csv
check "its two children in one case" [ "$(kids HH/A)" = 2 ]
{ echo "$H"; row HH/C Ann 01/01/2015; row HH/D Cat 03/03/2017
    row HH/C Ben 02/02/2016 risk=low; } >apart-bad.csv
expect 65 "a household's rows apart, differing: 65" \
    mash-refer --csv apart-bad.csv
check "the later row named" \
    has "apart-bad.csv:4: column 'risk': differs from an earlier row with reference 'HH/C'" \
    "$err"
check "no value of a row in the messages" hasnt "low" "$err"
