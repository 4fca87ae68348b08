#!/bin/sh
# tests/demo.sh: a demonstration store, for `make demo`
#
#	sh tests/demo.sh BINDIR DEMODIR
#
# Makes DEMODIR afresh, creates DEMODIR/mash.db, registers a team and
# records a morning's contacts, printing each command before its output.
# Every person, reference and number here is invented.  The clock is
# fixed with MASH_NOW, so the output is the same on every run.

set -eu

usage() {
	echo "usage: sh tests/demo.sh bindir demodir" >&2
	exit 64
}

[ $# -eq 2 ] || usage
[ -n "$1" ] && [ -n "$2" ] || usage
[ -x "$1/mash-admin" ] && [ -x "$1/mash-refer" ] || {
	echo "demo.sh: no mash programs in '$1': run make first" >&2
	exit 66
}
# DEMODIR is removed: only ever one this script made, or an empty one
if [ -d "$2" ] && [ ! -e "$2/.mash-demo" ] && [ -n "$(ls -A "$2")" ]; then
	echo "demo.sh: '$2' is not a demonstration directory:" \
	    "not removing it" >&2
	exit 73
fi
bindir=$(cd "$1" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$2"
mkdir -p "$2"
: >"$2/.mash-demo"
demo=$(cd "$2" && pwd)

PATH=$bindir:$PATH
MASH_DB=$demo/mash.db
MASH_USER=admin
TZ=Europe/London
export PATH MASH_DB MASH_USER TZ
unset MASH_NOW NO_COLOR VISUAL EDITOR

# an argument as a shell would need it typed
quote() {
	case $1 in
	'' | *[!A-Za-z0-9_./,:=@%+-]*)
		printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*)	printf '%s' "$1" ;;
	esac
}

# show LOGIN CMD...: print a command as it would be typed
show() {
	printf '$ MASH_USER=%s' "$1"
	shift
	for a in "$@"; do
		printf ' '
		quote "$a"
	done
}

# as LOGIN CMD...: show the command, then run it as that user
as() {
	printf '\n'
	show "$@"
	printf '\n'
	u=$1
	shift
	MASH_USER=$u "$@"
}

# from FILE LOGIN CMD...: as, with FILE of the demo directory on
# standard input, shown first
from() {
	f=$1
	shift
	printf '\n$ cat %s\n' "$f"
	cat "$demo/$f"
	show "$@"
	printf ' <%s\n' "$f"
	u=$1
	shift
	MASH_USER=$u "$@" <"$demo/$f"
}

# at TIME TEXT: move the clock on, and say what happens next
at() {
	MASH_NOW=$1
	export MASH_NOW
	printf '\n== %s  %s\n' "$1" "$2"
}

echo "mash demonstration: a store in $demo"
echo "(the clock is fixed at the times shown, in $TZ)"

at '2026-03-02 08:30' 'the admin creates the store and registers the team'
as admin mash-admin init
as admin mash-admin user add head --role head --name 'Hana Hughes'
as admin mash-admin user add screener --role screener --name 'Sam Patel'
as admin mash-admin user add sw --role social-worker --name 'Priya Shah'
as admin mash-admin user add sw2 --role social-worker --name 'Tom Evans'
as admin mash-admin user add pc --role agency --agency police \
    --name 'PC Jo Reid'
as admin mash-admin -o table user list

at '2026-03-02 09:40' 'a police notification that came in overnight'
as screener mash-refer -o table --source police --ref CR/0412/26 \
    --received-at '02/03/2026 06:55' \
    --concern 'Police called to a domestic incident at 02:10; both children were in the house and the younger was woken by shouting.' \
    --category domestic-abuse --consent not-sought --referrer 'PC Jo Reid' \
    --child 'Ava Thornbury' --dob 02/03/2016 --gender female \
    --nhs-number '943 476 5870' --postcode 'ls6 2ab' \
    --child 'Leo Thornbury' --dob 2019-11-20 --gender male \
    --postcode 'ls6 2ab'
echo "(screening_due is the close of the next working day: 1wd)"

at '2026-03-02 10:05' 'a school rings; the concern is read from standard input'
cat >"$demo/concern.txt" <<'END'
Mia has come to school hungry three days running and says there is
no food at home.
END
from concern.txt screener mash-refer -o table --source 2A \
    --ref SCH/2026/118 --concern - --category neglect --consent given \
    --referrer 'Head teacher, Moorside Primary' \
    --child 'Mia Okoro' --dob 2014-05-06 --upn B801200005001 \
    --school 'Moorside Primary'

at '2026-03-02 11:30' 'two referrals arrive as JSON Lines from another system'
cat >"$demo/referrals.jsonl" <<'END'
{"source":"gp","reference":"GP-5521","concern":"Ava missed two appointments and her mother seemed frightened to talk.","categories":["domestic-abuse"],"children":[{"name":"Ava Thornbury","dob":"2016-03-02","gender":"female"}]}
{"source":"health-visitor","reference":"HV-0907","concern":"Leo was not brought to his last three checks.","children":[{"given_name":"Leo","family_name":"Thornbery","dob":"2019-11-20"}]}
END
from referrals.jsonl screener mash-refer -o table --json
echo "(Ava's earlier case shows in previous_cases, and contacts_12m counts"
echo " both contacts; 'Leo Thornbery' is a possible match for Leo Thornbury,"
echo " person 2, for a screener to confirm)"

at '2026-03-02 11:45' 'the police send the same notification again'
as pc mash-refer -o table --source police --ref CR/0412/26 \
    --concern 'Police called to a domestic incident at 02:10.' \
    --child 'Ava Thornbury'
echo "(a source and reference already in the store are not recorded twice)"

at '2026-03-02 12:10' 'a mistyped NHS number is refused, and nothing is written'
if as screener mash-refer -o table --source family \
    --concern 'Grandmother worried about bruises on his arm.' \
    --child 'Noah Whitcombe' --nhs-number 9434765871; then
	echo "demo.sh: a bad NHS number was recorded" >&2
	exit 70
else
	echo "(refused with exit $?)"
fi

at '2026-03-02 13:00' 'the police notification is screened red'
as screener mash-screen -o table
as screener mash-screen -o table 1 --rag red \
    --criteria significant-harm,domestic-abuse --note 'Second incident'

at '2026-03-02 13:20' 'the Head accepts it, and records why information may be shared'
as head mash-screen -o table 1 --accept --assign sw \
    --share-without-consent 'Risk of significant harm; asking would put the mother at risk'
echo "(red: the decision is due four hours after acceptance)"

at '2026-03-02 13:30' 'the social worker asks three agencies'
as sw mash-request -o table 1 police health education \
    --question 'What is known of the family at this address?'

at '2026-03-02 14:05' 'the police answer, health hold nothing, education is withdrawn'
as pc mash-request -o table
as pc mash-request -o table --respond 1 \
    --text 'Two call-outs to the address in 2025; no arrests.'
as sw mash-request -o table --respond 2 --nil
as sw mash-request -o table --withdraw 3 --reason 'Ava is at home schooling'

at '2026-03-02 15:10' 'the record is written, returned, and written again'
as sw mash-record -o table 1 --recommend early-help \
    --summary 'Repeated domestic abuse; mother asking for help.'
as head mash-decide -o table
as head mash-decide -o table 1 --return \
    --reason 'Say what the police call-outs were about'
as sw mash-record -o table 1 --recommend cpat \
    --summary 'Repeated domestic abuse with the children present; the police call-outs were both for violence.'

at '2026-03-02 16:30' 'the Head decides, within the four hours'
as head mash-decide -o table 1 --outcome cpat --need N1 \
    --reason 'Threshold for a strategy discussion is met'
as head mash-overdue -o table || true
as head mash-record -o table 1

at '2026-03-31 17:00' "the year's statutory returns: Annex A list 3, the census"
as admin mash-admin config hub.la-code 999
as head mash-return annex-a --list 3
as head mash-return cin --year 2026

# each a command that works as printed, from any directory, with the
# programs on PATH or not
echo
echo "The store is $MASH_DB.  To look around:"
printf '\texport PATH=%s:"$PATH" MASH_DB=%s MASH_USER=head TZ=%s\n' \
    "$(quote "$bindir")" "$(quote "$MASH_DB")" "$(quote "$TZ")"
echo "	mash-record -o table --list"
echo "	mash-admin -o table config"
printf '\tman -l %s\n' "$(quote "$top/man/mash.7")"
