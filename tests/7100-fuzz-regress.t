#!/bin/sh
# every saved fuzz input, seed corpus and regressions, replayed through
# its harness (tests/fuzz/fuzz-*.c) built without libFuzzer: no crash,
# no broken invariant; make check-asan replays them under the sanitizers
. "$(dirname "$0")/lib.sh"

FUZZ=$(dirname "${MASH_UNIT:-$MASH_SRC/build/unit}")/fuzz
harnesses="csv json time validate"

plan 12

# inputs DIR...: how many files the replay will read
inputs() {
	find "$@" -type f ! -name '.*' 2>/dev/null | wc -l
}

for h in $harnesses; do
	dirs="$MASH_SRC/tests/fuzz/corpus/$h"
	[ -d "$MASH_SRC/tests/fuzz/regress/$h" ] &&
	    dirs="$dirs $MASH_SRC/tests/fuzz/regress/$h"
	n=$(inputs $dirs)
	check "fuzz-$h: has a seed corpus" [ "$n" -gt 0 ]
	# shellcheck disable=SC2086
	expect 0 "fuzz-$h: $n saved inputs replay cleanly" \
	    "$FUZZ/replay-$h" $dirs
	check "fuzz-$h: every input was replayed" \
	    [ "$(cat "$out")" = "replayed $n input$([ "$n" = 1 ] || echo s)" ]
done

done_testing
