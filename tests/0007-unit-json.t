#!/bin/sh
# the compact JSON printer, tested in C (tests/unit/json.c)
: "${MASH_UNIT:=$(dirname "$0")/../build/unit}"
exec "$MASH_UNIT/json"
