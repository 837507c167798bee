#!/usr/bin/env bash
# The DataLoader lab's transform preview: 16 Fashion-MNIST samples x 4 seeds through RandomCrop +
# RandomRotation + RandomHorizontalFlip, nnscope (in-process timing) next to torchvision 0.14
# doing the same 64 previews; medians and the ratio. See bench/lab_preview.py for the options.
#
#   bench/lab_preview.sh [--rounds 9] [--data DIR] [--no-build]
#
# Builds the release preset's nnscope-lab-preview-bench unless --no-build (or
# NNSCOPE_LAB_PREVIEW_BENCH is set).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build=1
args=()
for arg in "$@"; do
    if [ "$arg" = "--no-build" ]; then build=0; else args+=("$arg"); fi
done
if [ -z "${NNSCOPE_LAB_PREVIEW_BENCH:-}" ] && [ "$build" = 1 ]; then
    (cd "$root" && cmake --preset release >/dev/null &&
        cmake --build --preset release -j2 --target nnscope-lab-preview-bench) >&2
fi
export NNSCOPE_LAB_PREVIEW_BENCH="${NNSCOPE_LAB_PREVIEW_BENCH:-$root/build/release/bench/nnscope-lab-preview-bench}"
exec /usr/bin/python3 "$root/bench/lab_preview.py" ${args[@]+"${args[@]}"}
