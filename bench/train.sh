#!/usr/bin/env bash
# Side-by-side training throughput: `nnscope-cli train` vs PyTorch 1.13 (bench/torch_train.py) on
# Fashion-MNIST, same models, recipe and seed, alternating runs, then a table of medians, the
# ratio and both test accuracies.
#
#   bench/train.sh [--rounds 3] [--models mlp,cnn] [--epochs 1] [--limit N] [--no-build]
#
# Installs PyTorch from Debian when missing (needs root), builds the release preset unless
# --no-build, and runs PyTorch on one thread (OPENBLAS_NUM_THREADS=1, torch.set_num_threads(1)).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/prepare.sh"
exec /usr/bin/python3 "$root/bench/train.py" ${args[@]+"${args[@]}"}
