#!/usr/bin/env bash
# The DataLoader lab's analysis speed: nnscope-lab-bench (workflows::analyse_loader, 60,000
# Fashion-MNIST samples x 3 epochs, several samplers) next to PyTorch 1.13 drawing the same
# batches; medians and ratios. See bench/lab_analysis.py.
#
#   bench/lab_analysis.sh [--rounds 9] [--no-build]
#
# Builds the release preset's nnscope-lab-bench unless --no-build (or NNSCOPE_LAB_BENCH is set).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

args=()
build=1
for arg in "$@"; do
    if [ "$arg" = "--no-build" ]; then build=0; else args+=("$arg"); fi
done
if [ -z "${NNSCOPE_LAB_BENCH:-}" ] && [ "$build" = 1 ]; then
    (cd "$root" && cmake --preset release >/dev/null &&
        cmake --build --preset release -j2 --target nnscope-lab-bench) >&2
fi
export NNSCOPE_LAB_BENCH="${NNSCOPE_LAB_BENCH:-$root/build/release/bench/nnscope-lab-bench}"
cd "$root"
exec /usr/bin/python3 "$root/bench/lab_analysis.py" ${args[@]+"${args[@]}"}
