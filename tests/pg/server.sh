#!/bin/sh
# tests/pg/server.sh start|stop DIR: a throwaway PostgreSQL for
# make check-pg.  The cluster lives in DIR, listens on a Unix socket in
# DIR and nowhere else, trusts whoever connects there (DIR is the
# caller's own), and does not sync to disk.  Run as root, the server
# runs as the unprivileged user postgres.  Made with it: the group role
# mash that mash-admin init grants the store's tables to (mash(7)).
set -eu
cmd=$1 dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ ! -x "$bin/initdb" ]; then
	echo "pg-server: no initdb: install postgresql-15" >&2
	exit 69
fi
as() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $cmd in
start)
	mkdir -p "$dir"
	chmod 700 "$dir"
	[ "$(id -u)" != 0 ] || chown postgres "$dir"
	as "$bin/initdb" -D "$dir/data" -A trust -U mashtest --no-sync \
	    --locale=C.UTF-8 -E UTF8 >"$dir/initdb.log"
	as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
	    "-c listen_addresses='' -k $dir -c fsync=off \
	    -c synchronous_commit=off -c full_page_writes=off \
	    -c max_connections=200" start >/dev/null
	"$bin/psql" -X -q -h "$dir" -U mashtest -d postgres \
	    -c "CREATE ROLE mash NOLOGIN" ;;
stop)
	as "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null ;;
*)
	echo "usage: server.sh start|stop DIR" >&2
	exit 64 ;;
esac
