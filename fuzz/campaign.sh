#!/usr/bin/env bash
# A long fuzz campaign: runs each named target (default: all) until RUNS executions or SECONDS,
# whichever comes first, from the same seeds as its ctest entry plus fuzz/corpus/<target>, then
# distils what it found beyond the seeds into fuzz/corpus/<target> (to be committed). The short
# ctest pass then starts from that corpus. Needs the fuzz preset built:
#   cmake --preset fuzz && cmake --build --preset fuzz
#   fuzz/campaign.sh [--runs N] [--seconds S] [target...]
# The last lines of each target's log (build/fuzz/campaign/<target>.log) are libFuzzer's final
# statistics: stat::number_of_executed_units is the number of executions.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=1000000
seconds=1800
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) break ;;
    esac
done
build=build/fuzz
[ -f "$build/CTestTestfile.cmake" ] || { echo "campaign: build the fuzz preset first" >&2; exit 2; }
mkdir -p "$build/campaign"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(ctest --test-dir "$build" -N | sed -n 's/.*Test *#[0-9]*: \(fuzz_[a-z_]*\)$/\1/p')
fi
for target in "${targets[@]}"; do
    # The ctest entry's own command (seeds, paths), with the campaign's limits added before -P.
    mapfile -t command < <(ctest --test-dir "$build" -R "^${target}\$" --show-only=json-v1 |
        /usr/bin/python3 -c 'import json,sys; [print(a) for a in json.load(sys.stdin)["tests"][0]["command"]]')
    last=$((${#command[@]} - 2)) # "-P" and the script
    full=("${command[@]:0:last}" "-DSECONDS=$seconds" "-DRUNS=$runs"
          "-DWORK=$PWD/$build/campaign/$target.run" "-DMERGE_INTO=$PWD/fuzz/corpus/$target"
          "${command[@]:last}")
    echo "campaign: $target ($runs runs or $seconds s)"
    "${full[@]}" > "$build/campaign/$target.log" 2>&1 || { echo "campaign: $target FAILED, see $build/campaign/$target.log"; continue; }
    grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|kept in' "$build/campaign/$target.log" | sed "s/^/  /"
done
