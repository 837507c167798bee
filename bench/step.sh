#!/usr/bin/env bash
# Side-by-side training-step benchmark: nnscope-cli bench step vs PyTorch 1.13 (bench/torch_step.py)
# on the bundled mlp and cnn, alternating runs, then a table of medians and ratios.
#
#   bench/step.sh [--rounds 5] [--steps 200] [--batch-size 64] [--threads 1] [--no-build]
#
# Installs PyTorch from Debian when missing (needs root), builds the release preset unless
# --no-build, and runs PyTorch on one thread (OPENBLAS_NUM_THREADS=1, torch.set_num_threads(1)).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

source "$root/bench/prepare.sh"
exec /usr/bin/python3 "$root/bench/step.py" ${args[@]+"${args[@]}"}
