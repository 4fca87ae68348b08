#!/bin/sh
# the small blocks of cJSON and SQLite, tested in C (tests/unit/alloc.c)
: "${MASH_UNIT:=$(dirname "$0")/../build/unit}"
exec "$MASH_UNIT/alloc"
