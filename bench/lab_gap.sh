#!/usr/bin/env bash
# DataLoader lab responsiveness: the longest gap between GUI event-loop iterations of the real
# window (offscreen) while the batch size spin box of a 60,000-sample Fashion-MNIST configuration
# (3 epochs, shuffled) is scrubbed (200 changes 10 ms apart), and the time from one change to its
# analysis arriving in the GUI thread (the plots are handed it then). Targets: both under 50 ms.
#
#   bench/lab_gap.sh [--rounds 3] [--dataset fashion-mnist] [--no-build]
#
# Builds the release preset's nnscope-gap-probe unless --no-build (or NNSCOPE_GAP_PROBE is set).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3
dataset=fashion-mnist
build=1
while [ $# -gt 0 ]; do
    case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --dataset) dataset="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "lab_gap.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "${NNSCOPE_GAP_PROBE:-}" ] && [ "$build" = 1 ]; then
    (cd "$root" && cmake --preset release >/dev/null &&
        cmake --build --preset release -j2 --target nnscope-gap-probe) >&2
fi
probe="${NNSCOPE_GAP_PROBE:-$root/build/release/bench/nnscope-gap-probe}"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores" >&2
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for ((i = 1; i <= rounds; ++i)); do
    QT_QPA_PLATFORM=offscreen "$probe" --lab "$out" "$dataset" 2>/dev/null
done
