#!/bin/sh
# the JSON Schema files of share/mash/schema/ (SPEC 12): valid draft
# 2020-12 schemas, named in the man pages' FILES sections, and every
# program's -o json output valid by them, from a store taken through
# every step of the hub's work; broken objects are refused, so that
# the schemas are seen to hold something
. "$(dirname "$0")/lib.sh"

SCHEMA=$MASH_SRC/share/mash/schema
MAN=$MASH_SRC/man
V=$T/v	# each output to validate, NN.SCHEMA, and its description, NN.desc
mkdir "$V" || exit 1

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	plan 1
	fail "python3 has the jsonschema module (Debian: python3-jsonschema; make deps)"
	exit 1
fi

# validate.py DIR FILE...: each FILE, named NN.SCHEMA, JSON Lines and at
# least one line, is valid by DIR/SCHEMA; one line a file, "ok FILE" or
# "bad FILE: what is wrong".  DIR --meta: every schema of DIR is a valid
# draft 2020-12 schema.  Both jsonschema 4.10 (Debian 12) and later.
cat >"$T/validate.py" <<'PY'
import glob, json, os, sys
import jsonschema
from jsonschema import Draft202012Validator as V

schemas = {}
for p in sorted(glob.glob(os.path.join(sys.argv[1], '*.json'))):
    with open(p, encoding='utf-8') as f:
        schemas[os.path.basename(p)] = json.load(f)

if sys.argv[2] == '--meta':
    bad = 0
    for name, s in schemas.items():
        try:
            V.check_schema(s)
        except jsonschema.exceptions.SchemaError as e:
            print('%s: %s' % (name, e.message))
            bad = 1
    sys.exit(bad)

try:
    from referencing import Registry, Resource
    reg = Registry().with_resources(
        (s['$id'], Resource.from_contents(s)) for s in schemas.values())
    def validator(s):
        return V(s, registry=reg)
except ImportError:
    store = {s['$id']: s for s in schemas.values()}
    def validator(s):
        return V(s, resolver=jsonschema.RefResolver.from_schema(s,
            store=store))

for path in sys.argv[2:]:
    v = validator(schemas[os.path.basename(path).split('.', 1)[1]])
    why = []
    n = 0
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            for e in v.iter_errors(json.loads(line)):
                why.append('line %d /%s: %s' % (n, '/'.join(
                    str(p) for p in e.absolute_path), e.message[:160]))
    if n == 0:
        why.append('no output')
    print(('bad %s: %s' % (path, '; '.join(why[:3]))) if why else
        'ok %s' % path)
PY

nv=0
# keep SCHEMA DESC [FILE]: FILE (the last output) is to be valid by SCHEMA
keep() {
	nv=$((nv + 1))
	f=$(printf '%s/%02d.%s.json' "$V" "$nv" "$1")
	cp "${3:-$out}" "$f"
	printf '%s\n' "$2" >"${f%.json}.desc"
	printf '%s\n' "$1" >>"$T/used.${prog:-none}"
}

# j STATUS SCHEMA USER PROG ARGS...: PROG -o json ARGS as USER exits
# STATUS, and what it printed is to be valid by SCHEMA.json
j() {
	want=$1 s=$2 u=$3 prog=$4
	shift 4
	d="$prog $*"
	expect "$want" "$d: exit $want" as "$u" "$prog" -o json "$@"
	keep "$s" "$d: valid by $s.json"
}

# broken SCHEMA DESC JQ FILE: FILE changed by JQ is to be invalid by SCHEMA
broken() {
	jq -c "$3" "$4" >"$T/broken" || echo "# broken: jq failed on $3"
	prog=broken
	keep "$1" "!$2" "$T/broken"
}

plan 173

# --- the schemas themselves ---------------------------------------------------

run python3 "$T/validate.py" "$SCHEMA" --meta
check "every schema is a valid draft 2020-12 schema" [ "$rc" = 0 ]
for s in case child request overdue-item event record user setting \
    holiday criterion agency check; do
	check "share/mash/schema/$s.json declares draft 2020-12 and its \$id" \
	    jqtrue '."$schema" == "https://json-schema.org/draft/2020-12/schema"
	    and (."$id" | endswith("/'"$s"'.json"))' "$SCHEMA/$s.json"
done
# required SCHEMA KEY...: the schema requires every KEY
required() {
	s=$1
	shift
	check "$s.json requires SPEC 12's keys" jqtrue --arg k "$*" \
	    '($k | split(" ")) - .required == []' "$SCHEMA/$s.json"
}
required case id state rag source source_code reference received_at \
    concern categories consent criteria assigned_to screening_due \
    decision_due outcome outcome_agency children
required record requests summary recommendation events
required child id person_id given_name family_name dob gender nhs_number \
    upn school address postcode previous_cases contacts_12m possible_matches
required request id case_id agency state asked_at asked_by due_at question \
    answered_at answered_by answer
required overdue-item kind case_id rag due_at overdue_by assigned_to agency
required event at actor action case_id details
check "no schema forbids added keys (SPEC 12: add fields freely)" \
    sh -c "! grep -l additionalProperties '$SCHEMA'/*.json"

# --- the store, and every program's output ------------------------------------
#
# Monday 12 January 2026, 10:00.  Contacts:
#   1  police, Ava Smith (child 1, person 1, all fields) and Leo Smith (2),
#      consent not sought: screened, revised, accepted, three requests
#      answered, nil and withdrawn, recorded, returned, recorded, closed
#   2  school, Ava again by NHS number (3): accepted green in one command,
#      re-rated amber; requests to housing and police left open
#   3  GP, Ava Smyth (4): a possible match of person 1, confirmed later
#   4  anonymous, from JSON Lines: declined while new
#   5  self, from JSON Lines: a basis to share recorded while new
#   6  police: screened and declined to health
#   7  police, Ava Smithe (9), a possible match of person 1: dismissed

MASH_NOW=2026-01-12T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || { echo "Bail out! cannot make a store"; exit 1; }
mash-admin user add hv --role agency --agency health --name 'Hal Visitor' &&
    mash-admin user add multi --role head,screener,social-worker &&
    mash-admin criteria add private-fostering 'A child in private fostering' &&
    mash-admin agency add school-nursing 'School nursing service' &&
    mash-admin holiday add 2026-07-27 'Hub training day' &&
    mash-admin holiday add 28/07/2026 ||
    { echo "Bail out! cannot set up the store"; exit 1; }

j 0 user admin mash-admin user list
j 0 setting admin mash-admin config
j 0 setting admin mash-admin config rag.amber.request
j 0 holiday sw mash-admin holiday list
j 0 criterion sw mash-admin criteria list
j 0 agency pc mash-admin agency list
j 0 check admin mash-admin check

j 0 case screener mash-refer --source police --ref CR/1/26 \
    --concern 'Domestic incident; both children present' \
    --category domestic-abuse,physical --consent not-sought \
    --referrer 'PC Testwell' --received-at 2026-01-12T08:30:00Z \
    --child 'Ava Smith' --dob 02/03/2016 --gender female \
    --nhs-number '943 476 5870' --upn b801200005001 \
    --school 'Hill Street Primary' --address '1 Test Row, Leeds' \
    --postcode ls62ab \
    --child 'Leo Smith' --dob 2019-11-20 --gender male
j 0 case screener mash-refer --source 2A --ref S/1 --consent given \
    --concern 'Hungry at school' --child 'Ava Smith' --nhs-number 9434765870
check "the second contact lists Ava's first case" \
    jqtrue '.children[0].previous_cases == [1]' "$out"
j 0 case screener mash-refer --source gp --consent given \
    --concern 'Bruise seen' --child 'Ava Smyth' --dob 2016-03-02
check "Ava Smyth is a possible match of Ava Smith" \
    jqtrue '.children[0].possible_matches == [1]' "$out"
cat >"$T/in.json" <<'EOF'
{"source":"anonymous","concern":"Shouting heard","children":[{"name":"Kai Testone","dob":"2013-02-02"}]}
{"source":"self","concern":"Does not want to go home","consent":"refused","children":[{"given_name":"Jay"},{"family_name":"Okafortest","gender":"other"}]}
EOF
j 0 case screener mash-refer --json <"$T/in.json"
j 0 case screener mash-refer --source police --ref CR/6/26 --consent given \
    --concern 'Found out late' --child 'Noah Green' --dob 2012-12-12
j 0 case screener mash-refer --source police --ref CR/7/26 --consent given \
    --concern 'Missing from home' --child 'Ava Smithe' --dob 2016-03-02
check "Ava Smithe is a possible match of Ava Smith" \
    jqtrue '.children[0].possible_matches | index(1) != null' "$out"
j 0 case screener mash-refer --source police --ref CR/1/26 \
    --concern 'Domestic incident' --child 'Ava Smith'
check "a contact sent again prints its case" jqtrue '.id == 1' "$out"

j 1 check admin mash-admin check
check "check warns of no overdue run while cases are open" \
    jqtrue -s 'map(select(.status == "warn")) | length == 1' "$out"
j 0 record head mash-record 3
j 0 case screener mash-screen
cp "$out" "$T/queue.json"

j 0 case screener mash-screen 1 --rag amber \
    --criteria domestic-abuse,significant-harm --note 'Both present'
j 0 case screener mash-screen 1 --rag red --reason 'A knife was mentioned'
j 0 case head mash-screen 1 --accept --assign sw \
    --share-without-consent 'Asking would put the children at risk'
j 0 case head mash-screen 2 --accept --rag green --assign sw2
j 0 case head mash-screen 2 --rag amber --reason 'Brother missing'
j 0 case head mash-screen 3 --same-child 4=1
j 0 case head mash-screen 7 --not-same 9=1
j 0 case head mash-screen 4 --decline --outcome nfa --reason 'Nothing to act on'
j 0 case head mash-screen 5 --share-without-consent 'Risk to the child'
j 0 case screener mash-screen 6 --rag green
j 0 case head mash-screen 6 --decline --outcome single-agency --agency health \
    --reason 'GP to follow up'

j 0 request sw mash-request 1 police health education \
    --question 'Any contact with the family in the last year?'
j 0 request sw2 mash-request 2 housing --due 2wd
j 0 request sw2 mash-request 2 police
j 0 request pc mash-request
check "an officer sees their agency's open requests" \
    jqtrue -s 'length == 2 and all(.agency == "police" and .state == "open")' \
    "$out"
j 0 request pc mash-request --respond 1 --text 'Two call-outs in 2025'
j 0 request hv mash-request --respond 2 --nil
j 0 request sw mash-request --withdraw 3 --reason 'School closed'
j 0 request head mash-request --all
check "requests in every state" \
    jqtrue -s '[.[].state] | unique == ["answered", "nil", "open", "withdrawn"]' \
    "$out"
j 0 request head mash-request --case 1 --all
j 0 request head mash-request --agency housing

j 0 case sw mash-record 1 --summary 'Two call-outs; health hold nothing' \
    --recommend early-help
j 0 case head mash-record --list
j 0 case sw mash-record --list --mine --state recorded
j 0 case head mash-decide
j 0 case head mash-decide 1 --return --reason 'Ask the school first'
printf 'Police know of two call-outs.\nHousing arrears.\n' >"$T/summary"
j 0 case sw mash-record 1 --summary - --recommend single-agency \
    --agency housing <"$T/summary"
j 0 case head mash-decide 1 --outcome single-agency --agency housing \
    --reason 'Housing to act'

j 0 record head mash-record 1
check "the closed record's child has a history" \
    jqtrue '.children[0].history | length == 2' "$out"
cp "$out" "$T/record.json"
j 0 record sw2 mash-record 2
j 0 record head mash-record 3 4 6
jq -c '{id}' "$T/queue.json" >"$T/ids"
j 0 record head mash-record - <"$T/ids"
run jq -s '[.[].state] | unique' "$V"/*.case.json "$V"/*.record.json
check "cases in every state were printed" \
    [ "$(jq -c . "$out")" = '["closed","mash","new","recorded","screened"]' ]

# Wednesday noon: the new cases' screening and case 2's decision and
# police request are overdue; housing's request is due at 17:00
MASH_NOW=2026-01-14T12:00:00Z
j 1 overdue-item head mash-overdue
cp "$out" "$T/overdue.json"
check "overdue items of every kind" \
    jqtrue -s '[.[].kind] | unique == ["decision", "request", "screening"]' \
    "$out"
check "no names without --names" jqtrue -s 'all(has("children") | not)' "$out"
j 1 overdue-item head mash-overdue --names
check "names with --names" jqtrue -s 'all(.children | length > 0)' "$out"
j 1 overdue-item head mash-overdue --within 1wd --names
check "an item due soon has a negative overdue_by" \
    jqtrue -s 'map(select(.overdue_by < 0 and .kind == "request")) |
    length == 1' "$out"
j 1 overdue-item sw2 mash-overdue --kind request --agency police
j 0 check admin mash-admin check

# --- broken objects are refused -----------------------------------------------

R=$T/record.json
broken record "a RAG rating that is not one" '.rag = "purple"' "$R"
broken record "a time with an offset" \
    '.received_at = "2026-01-12T08:30:00+00:00"' "$R"
broken record "a date day first" '.children[0].dob = "02/03/2016"' "$R"
broken record "an id as a string" '.id = "1"' "$R"
broken record "a child without a person_id" 'del(.children[1].person_id)' "$R"
broken record "an NHS number with spaces" \
    '.children[0].nhs_number = "943 476 5870"' "$R"
broken record "a request state that is not one" '.requests[0].state = "late"' "$R"
broken record "an open request with an answer" \
    '.requests[1].state = "open"' "$R"
broken record "an event without an actor" 'del(.events[0].actor)' "$R"
broken record "a closed case without an outcome" '.outcome = null' "$R"
broken case "a case in the MASH assigned to nobody" \
    '.state = "mash" | .assigned_to = null | .outcome = null |
    .outcome_agency = null' "$R"
broken case "categories not an array" '.categories = "physical"' "$R"
O=$T/overdue.json
broken overdue-item "a kind that is not one" '.kind = "late"' "$O"
broken overdue-item "a request item without its request_id" \
    'select(.kind == "decision") | .kind = "request" | .agency = "police"' "$O"
broken overdue-item "overdue_by in minutes" '.overdue_by = "30m"' "$O"
broken check "a status that is not one" '.status = "bad"' "$V/07.check.json"

# one run of the validator for everything kept above
run python3 "$T/validate.py" "$SCHEMA" "$V"/*.json
check "the validator ran" [ "$rc" = 0 ]
mv "$out" "$T/results"
: >"$err"
: >"$out"
for f in "$V"/*.json; do
	d=$(cat "${f%.json}.desc")
	case $d in
	!*)
		check "refused: ${d#!}" has "^bad $f: line " "$T/results" ;;
	*)
		if has "^ok $f\$" "$T/results"; then pass "$d"
		else fail "$d"; grep -F "$f" "$T/results" | sed 's/^/#   /'; fi ;;
	esac
done

# --- a bug kept in view: audit details give ids as strings ----------------------

check "an event's details.request_id is an integer, as an overdue item's is" \
    jqtrue '[.events[] | .details.request_id? // empty] |
    length > 0 and all(type == "number")' "$R"

# --- the man pages name the schemas of what the program prints ----------------

for p in mash-admin mash-refer mash-screen mash-request mash-record \
    mash-decide mash-overdue; do
	named=$(sed -n '/^\.Sh FILES/,/^\.Sh /p' "$MAN/$p.1" |
	    sed -n 's|^\.It Pa /usr/local/share/mash/schema/\([a-z-]*\.json\).*|\1|p')
	miss=
	for s in $(sort -u "$T/used.$p"); do
		case " $(echo $named) " in
		*" $s.json "*) ;;
		*) miss="$miss $s.json" ;;
		esac
	done
	check "$p.1: FILES names the schemas of its output${miss:+ (not:$miss)}" \
	    [ -z "$miss" ]
	gone=
	for s in $named; do
		[ -f "$SCHEMA/$s" ] || gone="$gone $s"
	done
	[ -n "$named" ] || gone=" (none named)"
	check "$p.1: every schema FILES names is in share/mash/schema${gone:+ (not:$gone)}" \
	    [ -z "$gone" ]
done

done_testing
