#!/bin/sh
# the long variant of tests/7010-crash.t: an import of 20 000 rows
# killed at 39 points (20 moments, 19 sizes of its write-ahead log), and
# 60 kills among the workflow steps of 120 cases
points=$(awk 'BEGIN {
	for (i = 1; i <= 20; i++)
		printf "after %.2f,", 0.02 + (i - 1) * 0.05
	for (i = 1; i <= 19; i++)
		printf "wal %d%s", i * 5, i < 19 ? "," : ""
}')
MASH_CRASH_ROWS=20000 MASH_IMPORT_KILLS=$points MASH_STEP_KILLS=60
MASH_STEP_CASES=120
export MASH_CRASH_ROWS MASH_IMPORT_KILLS MASH_STEP_KILLS MASH_STEP_CASES
exec sh "$(dirname "$0")/../7010-crash.t"
