#!/usr/bin/env bash
# The window's memory over long runs: 200 model files opened one after another, and 20 epochs of
# training on the training page (tests/ui/tst_long_run_memory.cpp, which asserts the bound). Prints
# the VmRSS series of both scenarios, one line per sample: "RSS files <opened> <kB> kB (peak ...)"
# and "RSS epoch <epoch> <kB> kB (peak ...)".
#
#   bench/long_run_rss.sh [build dir, default build/release, else build/dev]
#
# Builds tst_long_run_memory in that build directory first. Not meaningful under a sanitizer.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-}"
if [[ -z "$build" ]]; then
    build="$root/build/release"
    [[ -d "$build" ]] || build="$root/build/dev"
fi
nice cmake --build "$build" --target tst_long_run_memory -j2 >/dev/null
QT_QPA_PLATFORM=offscreen GOMP_SPINCOUNT=20000 "$build/tests/tst_long_run_memory" -maxwarnings 0 |
    grep -E '^(PASS|FAIL|SKIP|Totals)|RSS ' | sed -E 's/^QINFO *: *[^ ]+ //'
