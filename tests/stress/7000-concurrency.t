#!/bin/sh
# the long variant of tests/7000-concurrency.t: 20 000 operations by the
# eight processes, and 200 rounds of two Heads deciding one case
MASH_OPS=20000 MASH_ROUNDS=200
export MASH_OPS MASH_ROUNDS
exec sh "$(dirname "$0")/../7000-concurrency.t"
