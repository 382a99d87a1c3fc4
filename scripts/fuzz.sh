#!/bin/sh
# Build every tests/fuzz/fuzz_X.c (libFuzzer + ASan + UBSan) against
# src/X.c (and src/validate.c) and run each for FUZZ_SECONDS (default 10) from its seed corpus.
# Prints one line per target, "fuzz X: ok" or "fuzz X: FAILED"; exit status
# is the number of failed targets.  New corpus entries stay in build/;
# FUZZ_MERGE=1 merges the ones that add coverage into tests/fuzz/corpus/
# (for long runs whose corpus is committed).  FUZZ_ONLY=X runs one target.
# FUZZ_FORK=N runs N fuzzing processes at once (libFuzzer's -fork; N times
# the CPU time, for the long runs tests/fuzz/HOURS.md records).
# FUZZ_BUILD=DIR (default build/fuzz) holds binaries, logs and the new
# corpus: make test's short runs use build/fuzz-test, so they neither
# replace a long run's binary nor overwrite its log.
set -u
. "$(dirname "$0")/lib.sh"
cd "$SAN_ROOT"
secs=${FUZZ_SECONDS:-10}
out=${FUZZ_BUILD:-build/fuzz}
bad=0
mkdir -p "$out"
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	unit=${name#fuzz_}
	[ -n "${FUZZ_ONLY:-}" ] && [ "$FUZZ_ONLY" != "$unit" ] && continue
	bin=$out/$name
	# Pure units may use the validators (as in the unit tests).
	extra=src/validate.c
	[ "$unit" = validate ] && extra=
	if ! clang -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -Isrc -o "$bin" "$src" \
	    "src/$unit.c" $extra -ljansson -lqrencode -lsodium 2>"$out/$name.build.log"; then
		echo "fuzz $unit: FAILED (build, see $out/$name.build.log)"
		bad=$((bad + 1))
		continue
	fi
	mkdir -p "$out/corpus-$unit"
	fork=
	[ "${FUZZ_FORK:-0}" -gt 0 ] && fork="-fork=$FUZZ_FORK"
	if "$bin" -max_total_time="$secs" -artifact_prefix="$out/" $fork \
	    -print_final_stats=1 "$out/corpus-$unit" "tests/fuzz/corpus/$name" \
	    >"$out/$name.log" 2>&1; then
		# Runs: the final stats, or in fork mode the last "#N" line.
		runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/$name.log" | cut -d' ' -f2)
		[ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\):.*/\1/p' "$out/$name.log" | tail -1)
		echo "fuzz $unit: ok ($runs runs)"
		if [ "${FUZZ_MERGE:-0}" = 1 ]; then
			"$bin" -merge=1 "tests/fuzz/corpus/$name" \
			    "$out/corpus-$unit" >"$out/$name.merge.log" 2>&1
			echo "fuzz $unit: corpus $(ls tests/fuzz/corpus/$name | wc -l) files"
		fi
	else
		echo "fuzz $unit: FAILED (see $out/$name.log)"
		tail -n 20 "$out/$name.log" >&2
		bad=$((bad + 1))
	fi
done
exit $bad
