#!/usr/bin/env bash
# Side-by-side training throughput: `nnscope-cli train` vs PyTorch 1.13 (bench/torch_train.py) on
# Fashion-MNIST, same models, recipe and seed, alternating runs, then a table of medians, the
# ratio and both test accuracies.
#
#   bench/train.sh [--rounds 3] [--models mlp,cnn] [--epochs 1] [--limit N] [--threads 1]
#                  [--workers 0] [--transform PIPELINE] [--malloc both|fair|default] [--no-build]
#   bench/train.sh --grid [--grid-threads 1,2] [--grid-workers 0,1,2] ...
#
# Installs PyTorch from Debian when missing (needs root), builds the release preset unless
# --no-build, and runs both programs on --threads N (PyTorch: OPENBLAS_NUM_THREADS=N and
# torch.set_num_threads(N); nnscope: --threads N) with --workers W DataLoader workers. The fair
# allocator mode (--no-mmap-malloc) runs and prints first. --grid tries every threads x workers
# setting on both sides and reports each side's best and the ratio of the bests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/prepare.sh"
exec /usr/bin/python3 "$root/bench/train.py" ${args[@]+"${args[@]}"}
