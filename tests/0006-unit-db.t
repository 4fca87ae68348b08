#!/bin/sh
# the query layer's pure parts, tested in C (tests/unit/db.c)
: "${MASH_UNIT:=$(dirname "$0")/../build/unit}"
exec "$MASH_UNIT/db"
