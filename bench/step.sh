#!/usr/bin/env bash
# Side-by-side training-step benchmark: nnscope-cli bench step vs PyTorch 1.13 (bench/torch_step.py)
# on the bundled mlp and cnn, alternating runs, then a table of medians and ratios.
#
#   bench/step.sh [--rounds 5] [--steps 200] [--batch-size 64] [--threads 1|1,2]
#                 [--malloc both|fair|default] [--breakdown] [--no-build]
#
# Installs PyTorch from Debian when missing (needs root), builds the release preset unless
# --no-build, and runs both programs on --threads N (PyTorch: OPENBLAS_NUM_THREADS=N and
# torch.set_num_threads(N); nnscope: --threads N). The fair allocator mode (--no-mmap-malloc) runs
# and prints first; the tables give GFLOP/s of the step's GEMM work (bench/README.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

source "$root/bench/prepare.sh"
exec /usr/bin/python3 "$root/bench/step.py" ${args[@]+"${args[@]}"}
