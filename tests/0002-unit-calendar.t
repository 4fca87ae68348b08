#!/bin/sh
# the library's calendar module, tested in C (tests/unit/calendar.c)
: "${MASH_UNIT:=$(dirname "$0")/../build/unit}"
: "${MASH_SRC:=$(dirname "$0")/..}"
MASH_TESTDATA=$MASH_SRC/tests/data/bank-holidays-england-and-wales.tsv
export MASH_TESTDATA
exec "$MASH_UNIT/calendar"
