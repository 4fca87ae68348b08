#!/bin/sh
# the EXAMPLES of mash-admin(1), mash-refer(1) and mash(7), run as
# written: each page's commands in order in one shell, so that what one
# exports the next sees, in a scratch directory that is also $HOME; the
# output a page shows after a command is what the command prints; the
# crontab lines run as cron would run them.  Then what they did is
# looked for in the store.
. "$(dirname "$0")/lib.sh"

MAN=$MASH_SRC/man
PAGES="mash-admin.1 mash-refer.1 mash.7"

mkdir "$T/ex" || exit 1
n=0
for p in $PAGES; do
	man_examples "$MAN/$p" "$T/ex/$p"
	# two checks a command, one a crontab line
	c=$(ls "$T/ex/$p".* 2>/dev/null | grep -c '\.[0-9][0-9]$')
	nc=$(ls "$T/ex/$p".* 2>/dev/null | grep -c '\.cron$')
	n=$((n + 2 * c - nc))
done

plan $((n + 9 + 7 + 4))

# page PAGE USER: run the page's examples as USER, from $T/PAGE, which
# is $HOME, and check each one
page() {
	p=$1
	mkdir -p "$T/$p"
	(HOME=$T/$p MASH_USER=$2; export HOME MASH_USER
	    examples_run "$T/ex/$p" "$T/$p")
	for f in "$T/ex/$p".[0-9][0-9]; do
		what="$p example ${f##*.}: $(head -n 1 "$f" |
		    sed 's/[ \\|]*$//' | tr -d '\\' | cut -c1-60)"
		cat "$f.out" "$f.err" >"$f.all"
		out=$f.all err=$f.err
		if [ -f "$f.cron" ]; then
			check "$what: mails nothing" [ ! -s "$f.all" ]
			out=$T/stdout err=$T/stderr
			continue
		fi
		check "$what: exits 0" [ "$(cat "$f.rc" 2>/dev/null)" = 0 ]
		if [ -f "$f.want" ]; then
			check_same "$what: prints what the page shows" \
			    "$f.want" "$f.all"
		elif grep -q 'mash-admin init$' "$f"; then
			# init names the store it made: a path of this test's
			check "$what: says only what it made" eval \
			    '[ ! -s "$f.out" ] && [ "$(wc -l <"$f.err")" = 1 ] &&
			    has "^mash-admin: created store .*, mode 0600, with user .'"$2"'. its admin\$" "$f.err"'
		else
			check "$what: says nothing on standard error" [ ! -s "$f.err" ]
		fi
		out=$T/stdout err=$T/stderr
	done
}

# field CASE COLUMN: a column of a case in the store
field() { sql "SELECT $2 FROM cases WHERE id = $1"; }

MASH_NOW=2026-01-12T10:00:00Z
export MASH_NOW

# --- mash-admin(1): from no store at all --------------------------------------

MASH_DB=$T/mash-admin.db
export MASH_DB
page mash-admin.1 jadmin
check "mash-admin.1: the examples found a command to run" [ -f "$T/ex/mash-admin.1.01" ]
check "mash-admin.1: the store is made, the runner its admin" \
    [ "$(sql "SELECT roles FROM users WHERE login = 'jadmin'")" = admin ]
check "mash-admin.1: the team is registered as the page says" \
    [ "$(sql "SELECT group_concat(login || ':' || roles || ':' ||
    coalesce(agency, ''), ' ') FROM (SELECT * FROM users WHERE login <>
    'jadmin' ORDER BY login) AS s")" = \
    "hhead:head: pcjones:agency:police sscreen:screener: wworker:social-worker,screener:" ]
check "mash-admin.1: the table lists the users" \
    has '^pcjones  *PC Jo Jones' "$T/ex/mash-admin.1.06.out"
run env MASH_USER=jadmin mash-admin -o json config rag.amber.decision
check "mash-admin.1: amber cases have two working days" \
    jqtrue '.value == "2wd"' "$out"
check "mash-admin.1: the training day is a holiday" \
    [ "$(sql "SELECT name FROM holidays WHERE date = '2027-07-27'")" = \
    'Hub training day' ]
check "mash-admin.1: the criterion and the agency are added" \
    [ "$(sql "SELECT count(*) FROM criteria WHERE code = 'private-fostering'
    UNION ALL SELECT count(*) FROM agencies WHERE code = 'school-nursing'" |
    tr '\n' ' ')" = "1 1 " ]
# backup_ok FILE...: one file, a store that mash-admin check finds sound
backup_ok() {
	[ $# = 1 ] && [ -f "$1" ] &&
	    MASH_USER=jadmin mash-admin -d "$1" check >/dev/null
}
check "mash-admin.1: the backup is a sound store in ~/mash-backup" \
    backup_ok "$T"/mash-admin.1/mash-backup/mash-[0-9-]*.db
check "mash-admin.1: the backup is the owner's alone" \
    [ "$(stat -c %a "$T/mash-admin.1/mash-backup")" = 700 ]

# --- mash-refer(1): a store with a team and no case yet ---------------------

new_store >/dev/null 2>&1 || { echo "Bail out! cannot make a store"; exit 1; }
page mash-refer.1 screener
check "mash-refer.1: the examples recorded five cases" \
    [ "$(sql 'SELECT count(*) FROM cases')" = 5 ]
check "mash-refer.1: case 1 has both children, NHS number and postcode as stored" \
    [ "$(sql "SELECT group_concat(given_name || ':' || coalesce(nhs_number, '')
    || ':' || coalesce(postcode, ''), ' ') FROM children WHERE case_id = 1")" = \
    "Ava:9434765870: Leo::SW1A 1AA" ]
check "mash-refer.1: the jq example prints the new case's id" \
    [ "$(cat "$T/ex/mash-refer.1.02.out")" = 2 ]
check "mash-refer.1: the JSON Lines example prints CSV" \
    csv_ok "$T/ex/mash-refer.1.03.out"
check "mash-refer.1: a header and the two cases" \
    [ "$(wc -l <"$T/ex/mash-refer.1.03.out")" = 3 ]
check "mash-refer.1: case.json holds case 5" \
    jqtrue '.id == 5 and .reference == "CR/9/26"' "$T/mash-refer.1/case.json"
check "mash-refer.1: the table shows both children" \
    [ "$(grep -c 'Smith' "$T/ex/mash-refer.1.01.out")" = 2 ]

# --- mash(7): from the first command, its own store ---------------------------

unset MASH_DB
page mash.7 jadmin
MASH_DB=$T/mash.7/mash.db
check "mash.7: the store is where the page exported it" [ -f "$MASH_DB" ]
check "mash.7: case 1 is closed with early help" \
    [ "$(field 1 "state || ':' || outcome")" = closed:early-help ]
check "mash.7: the screening deadline is printed as a time" \
    [ "$(cat "$T/ex/mash.7.07.out")" = 2026-01-13T17:00:00Z ]
run cut -f 2,3 "$T/ex/mash.7.17.out"
check "mash.7: the events read back who did what" \
    [ "$(tr '\t\n' ': ' <"$out")" = "jadmin:refer sscreen:screen \
hhead:accept hhead:share-without-consent wworker:request wworker:request \
wworker:request hhead:answer hhead:answer-nil wworker:withdraw \
wworker:record hhead:decide hhead:view " ]

done_testing
