#!/bin/sh
# tests/pg/run.sh PROGRAM ARGS...: run one of mash's programs as the
# tests mean it on a PostgreSQL store (make check-pg).  There the
# programs never obey MASH_USER or MASH_NOW (mash(7)); the server says
# who is acting and the clock is the machine's.  So the user a test
# names connects as that role (made on first use, a member of the
# group role mash), and the time it names is the program's clock
# (libfaketime).  The store is the one the arguments name with -d, if
# they do, or MASH_DB; a store that is a file is left alone.
prog=$1
shift
db=${MASH_DB:-} next=
for a in "$@"; do
	if [ -n "$next" ]; then db=$a next=; continue; fi
	case $a in
	-d) next=1 ;;
	-d*) db=${a#-d} ;;
	esac
done
case $db in
postgresql://*) ;;
*) exec "$prog" "$@" ;;
esac
if [ -n "${MASH_USER:-}" ]; then
	if [ ! -e "$MASH_PG/roles/$MASH_USER" ]; then
		"$MASH_PGBIN/psql" -X -q -h "$MASH_PG" -U mashtest -d postgres \
		    -c "CREATE ROLE \"$MASH_USER\" LOGIN IN ROLE mash" \
		    >/dev/null 2>&1
		mkdir -p "$MASH_PG/roles" && : >"$MASH_PG/roles/$MASH_USER"
	fi
	PGUSER=$MASH_USER
	export PGUSER
	unset MASH_USER
fi
# The time is read as mash reads it (mash(7)): date(1)'s words, such as
# "yesterday", are no time of mash's and go to the program as they are,
# to be refused; DD/MM/YYYY is day first.  mash help reads no clock, and
# the man it runs drops to another user, whose programs could not attach
# to libfaketime's semaphore: no libfaketime for it.
now=${MASH_NOW:-}
case ${prog##*/}:${1:-} in mash:help) now= ;; esac
case $now in
[0-9][0-9]/[0-9][0-9]/[0-9][0-9][0-9][0-9]*)
	now=$(echo "$now" | sed 's|^\(..\)/\(..\)/\(....\)|\3-\2-\1|') ;;
[0-9]*) ;;
*) now= ;;
esac
if [ -n "$now" ] && s=$(date -d "$now" +%s 2>/dev/null); then
	FAKETIME=$s FAKETIME_FMT=%s FAKETIME_DONT_FAKE_MONOTONIC=1
	LD_PRELOAD=$MASH_FAKETIME
	export FAKETIME FAKETIME_FMT FAKETIME_DONT_FAKE_MONOTONIC LD_PRELOAD
	unset MASH_NOW
fi
exec "$prog" "$@"
