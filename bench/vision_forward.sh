#!/usr/bin/env bash
# Forward-only speed of torchvision resnet18 and mobilenet_v2 at batch 1 and 16, 224x224, one
# thread: nnscope (nnscope-vision-bench) vs PyTorch 1.13 + OpenBLAS, alternating rounds, medians,
# ratios (issue #16). See bench/vision_forward.py for the options.
#
#   bench/vision_forward.sh [--rounds 3] [--models resnet18,mobilenet_v2] [--batches 1,16]
#                           [--iterations N] [--no-build]
#
# Builds the release preset's nnscope-vision-bench unless --no-build (or NNSCOPE_VISION_BENCH is
# set to another build's binary).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

source "$root/bench/prepare.sh"
if [ -z "${NNSCOPE_VISION_BENCH:-}" ] && [ "$build" = 1 ]; then
    (cd "$root" && cmake --build --preset release -j2 --target nnscope-vision-bench) >&2
fi
export NNSCOPE_VISION_BENCH="${NNSCOPE_VISION_BENCH:-$root/build/release/bench/nnscope-vision-bench}"
exec /usr/bin/python3 "$root/bench/vision_forward.py" ${args[@]+"${args[@]}"}
