#!/usr/bin/env bash
# GUI responsiveness benchmark: the longest gap between GUI event-loop iterations of the real
# nnscope window (offscreen) while a ~1 GB safetensors file and a ~1 GB PyTorch zip open and the
# histogram of their 250 M-element tensor is computed. See bench/gui.py for the options.
#
#   bench/gui.sh [--rounds 3] [--dir /tmp/nnscope-gui-bench] [--no-build]
#
# Builds the release preset's nnscope-gap-probe (the real window with a timer, bench/gap_probe.cpp)
# unless --no-build (or NNSCOPE_GAP_PROBE is set).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# prepare.sh installs PyTorch when missing; the build here is of the window, not of nnscope-cli.
gui_build=1
for arg in "$@"; do [ "$arg" = "--no-build" ] && gui_build=0; done
source "$root/bench/prepare.sh" "$@" --no-build

if [ -z "${NNSCOPE_GAP_PROBE:-}" ] && [ "$gui_build" = 1 ]; then
    (cd "$root" && cmake --preset release >/dev/null &&
        cmake --build --preset release -j2 --target nnscope-gap-probe) >&2
fi
export NNSCOPE_GAP_PROBE="${NNSCOPE_GAP_PROBE:-$root/build/release/bench/nnscope-gap-probe}"
exec /usr/bin/python3 "$root/bench/gui.py" ${args[@]+"${args[@]}"}
