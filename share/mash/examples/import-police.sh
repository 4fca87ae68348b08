#!/bin/sh
# import-police.sh: import the referrals the police send as CSV files,
# from cron, every few minutes:
#
#	*/5 * * * * /usr/local/share/mash/examples/import-police.sh -m /usr/local/share/mash/maps/police-ppn.map /var/spool/mash/police
#
# (one line in the crontab, however long: cron has no continuation
# lines; with MASH_DB and PATH set above it, run as a user registered
# in the store).
#
# usage: import-police.sh [-i] [-m mapfile] [-s source] dir
#
# The sender writes each file into dir/incoming under a name starting
# with '.', then renames it to NAME.csv (or NAME.CSV, any case), so that
# half a file is never read.  Each is imported with mash-refer --csv
# --reject (see mash-import(5)), one at a time, in name order; -i adds
# --ignore-unknown.  Then:
#
#	every row in, or already present:	moved to dir/done/; the old
#		messages of a file of that name (dir/failed/NAME.log) go
#	some rows updated cases already held:	the same, and the mail
#		names the cases updated (ids and field names only)
#	some rows rejected, the rest in:	moved to dir/done/; the rejected
#		rows, with an error column, in dir/failed/NAME.reject.csv
#		to correct and put back in dir/incoming; the messages in
#		dir/failed/NAME.log, naming the file where it now is
#	every row rejected, or the file refused as a whole (an empty
#		file, an unknown column): moved to dir/failed/, the
#		messages beside it; nothing of it is imported
#	the import could not run (the store busy or missing, the user
#		not registered): left in dir/incoming for the next run
#
# A run prints nothing and exits 0 when nothing needs a person.  When
# something does, it says which file and where to look, on standard
# output, which cron mails: file names and counts only, never a child's
# name or any other value from a row (those stay in the .log files).
# It exits 1 when a file, some rows or an updated case need a person,
# or with the status
# of the mash-refer that could not run (75: the store was busy; 66: no
# store; 77: the user is not permitted), 64 when misused.  A run that
# finds another still going (the lock dir/.lock is held) does nothing.

usage() {
	echo "usage: import-police.sh [-i] [-m mapfile] [-s source] dir" >&2
	exit 64
}

map=
source=police
ignore=
while getopts im:s: opt; do
	case $opt in
	i) ignore=--ignore-unknown ;;
	m) map=$OPTARG ;;
	s) source=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
dir=$1
[ -d "$dir/incoming" ] || {
	echo "import-police.sh: no directory '$dir/incoming'" >&2
	exit 66
}

# the rows of these files are children's records
umask 007
mkdir -p "$dir/done" "$dir/failed" || exit 73

exec 9>>"$dir/.lock" || exit 73
flock -n 9
case $? in
0) ;;
1) exit 0 ;;	# the last run is still going
*) echo "import-police.sh: cannot lock '$dir/.lock'" >&2; exit 73 ;;
esac

# fresh DIR BASE EXT: DIR/BASE.EXT, or DIR/BASE-N.EXT if that is taken
fresh() {
	p=$1/$2.$3
	n=0
	while [ -e "$p" ]; do
		n=$((n + 1))
		p=$1/$2-$n.$3
	done
	echo "$p"
}

# move FILE TO: FILE to TO, and the log's messages name it there
move() {
	mv "$1" "$2" || return
	[ -s "$log" ] || return 0
	# by plain text, not a pattern: a name may hold any character
	old="mash-refer: $1:" new="mash-refer: $2:" awk '
	    index($0, ENVIRON["old"]) == 1 {
		$0 = ENVIRON["new"] substr($0, length(ENVIRON["old"]) + 1)
	    }
	    { print }' "$log" >"$log.tmp" && mv "$log.tmp" "$log"
}

# import FILE: one file, moved to where it belongs; its status
import() {
	f=$1
	name=${f##*/}
	base=${name%.*}
	ext=${name##*.}
	# a corrected reject file, once in, settles its file's old messages
	stem=${base%.reject}
	rej=$(fresh "$dir/failed" "$base.reject" csv)
	log=$(fresh "$dir/failed" "$base" log)
	mash-refer --csv "$f" --source "$source" ${map:+--map "$map"} \
	    $ignore --reject "$rej" >/dev/null 2>"$log"
	rc=$?
	# the last line of the messages is a summary or an error: no row data
	said=$(tail -n 1 "$log" | sed 's/^mash-refer: //')
	case $rc:$said in
	1:imported\ 0\ cases,\ 0\ children\;\ 0\ already\ present\;\ 0\ updated\;*)
		move "$f" "$(fresh "$dir/failed" "$base" "$ext")"
		echo "$name: every row rejected, nothing imported; moved to" \
		    "failed/; correct the rows in ${rej#"$dir"/} and put it" \
		    "in incoming/; messages in ${log#"$dir"/}"
		rc=65
		;;
	0:*\;\ 0\ updated\;*)
		mv "$f" "$(fresh "$dir/done" "$base" "$ext")" && rm -f "$log" \
		    "$dir/failed/$stem.log"
		;;
	0:*)
		mv "$f" "$(fresh "$dir/done" "$base" "$ext")"
		echo "$name: $said"
		# "FILE:LINE: case N updated: FIELDS": ids and names only
		sed -n 's/^mash-refer: .*:[0-9]*: \(case [0-9]* \)/  \1/p' \
		    "$log"
		echo "  updated cases are flagged in mash-screen; see" \
		    "mash-record CASE"
		rm -f "$log" "$dir/failed/$stem.log"
		rc=1
		;;
	1:*)
		move "$f" "$(fresh "$dir/done" "$base" "$ext")"
		echo "$name: $said"
		echo "  correct the rows in ${rej#"$dir"/} and put it in" \
		    "incoming/; messages in ${log#"$dir"/}"
		;;
	65:*)
		move "$f" "$(fresh "$dir/failed" "$base" "$ext")"
		echo "$name: refused, nothing imported; moved to failed/," \
		    "messages in ${log#"$dir"/}"
		;;
	*:*)
		echo "$name: not imported, left in incoming/ (exit $rc): $said"
		rm -f "$log"
		;;
	esac
	return $rc
}

status=0
for f in "$dir"/incoming/*.[cC][sS][vV]; do
	[ -f "$f" ] || continue
	import "$f"
	rc=$?
	case $rc in
	0) ;;
	1 | 65) status=1 ;;
	# the store or the user is wrong, not the file: the rest would fail too
	*) exit $rc ;;
	esac
done
exit $status
