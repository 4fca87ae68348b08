#!/bin/sh
# tests/pg/check.sh TEST...: make check-pg.  Starts a throwaway server
# (server.sh) in a new directory of /tmp, where the server's user can
# reach it even when the source tree is private, runs the test files
# against it with prove, and stops it, whatever they did.
set -u
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
ft=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
if [ -z "$ft" ]; then
	echo "check-pg: no libfaketime: install libfaketime" >&2
	exit 69
fi
dir=$(mktemp -d /tmp/mash-pg.XXXXXX) || exit 73
sh "$(dirname "$0")/server.sh" start "$dir" || { rm -rf "$dir"; exit 69; }
MASH_PG=$dir MASH_PGBIN=$bin MASH_FAKETIME=$ft
export MASH_PG MASH_PGBIN MASH_FAKETIME
prove -j "${JOBS:-2}" "$@"
rc=$?
sh "$(dirname "$0")/server.sh" stop "$dir"
rm -rf "$dir"
exit $rc
