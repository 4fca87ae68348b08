#!/bin/sh
# the library's casework rules, tested in C (tests/unit/casework.c)
: "${MASH_UNIT:=$(dirname "$0")/../build/unit}"
exec "$MASH_UNIT/casework"
