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

build=1
args=()
for arg in "$@"; do
    if [ "$arg" = "--no-build" ]; then build=0; else args+=("$arg"); fi
done

if ! /usr/bin/python3 -c "import torch" 2>/dev/null \
    || ! dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q 'install ok installed'; then
    echo "train.sh: installing python3-torch and libopenblas0-pthread" >&2
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q libopenblas0-pthread python3-torch
fi

if [ "$build" = 1 ]; then
    (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release -j2 --target nnscope-cli) >&2
fi

export NNSCOPE_CLI="${NNSCOPE_CLI:-$root/build/release/src/nnscope-cli}"
exec /usr/bin/python3 "$root/bench/train.py" ${args[@]+"${args[@]}"}
