#!/usr/bin/env bash
# Loading speed of the DataLoader lab: one configuration's throughput in nnscope
# (nnscope-lab-speed, what the Speed tab measures) vs PyTorch 1.13's DataLoader on Fashion-MNIST,
# with ToTensor + Normalize and with RandomCrop + RandomRotation, num_workers 0, 1, 2; alternating
# rounds, medians, ratios. See bench/lab_speed.py for the options.
#
#   bench/lab_speed.sh [--rounds 3] [--batches 200] [--workers 0,1,2] [--no-build]
#
# Builds the release preset's nnscope-lab-speed unless --no-build (or NNSCOPE_LAB_SPEED is set).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

source "$root/bench/prepare.sh"
if [ -z "${NNSCOPE_LAB_SPEED:-}" ] && [ "$build" = 1 ]; then
    (cd "$root" && cmake --build --preset release -j2 --target nnscope-lab-speed) >&2
fi
export NNSCOPE_LAB_SPEED="${NNSCOPE_LAB_SPEED:-$root/build/release/bench/nnscope-lab-speed}"
exec /usr/bin/python3 "$root/bench/lab_speed.py" ${args[@]+"${args[@]}"}
