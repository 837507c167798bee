#!/usr/bin/env bash
# ONNX forward speed, nnscope vs PyTorch 1.13 on the same torchvision models (random weights),
# 224x224, batch 1 and 16, one thread by default: PyTorch exports resnet18 and mobilenet_v2 to
# ONNX, nnscope-onnx-bench runs the ONNX graphs on the engine and bench/onnx_run.py times the
# models in PyTorch, alternating. Prints a table with the speed-up PyTorch time / nnscope time
# (above 1: nnscope faster), as bench/vision_forward.sh does. Usage: bench/onnx_run.sh [BUILD_DIR]  (default build/release; THREADS, RUNS as in
# onnx_run.py). Debian's python3-torch needs libopenblas0-pthread for a fair BLAS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root="$here/.."
# prepare.sh installs PyTorch and OpenBLAS when missing (the comparison is a strawman without
# OpenBLAS); --no-build: this script times a build it is given and builds nothing.
set -- --no-build "$@"
source "$here/prepare.sh"
build=${args[0]:-$here/../build/release}
threads=${THREADS:-1}
runs=${RUNS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$here/onnx_run.py" export "$work" 2>/dev/null
export OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads
printf '| model | batch | nnscope ms | pytorch ms | pytorch / nnscope |\n|---|---|---|---|---|\n'
for model in resnet18 mobilenet_v2; do
    for batch in 1 16; do
        ours=$("$build/bench/nnscope-onnx-bench" "$work/$model.onnx" --batch "$batch" \
            --threads "$threads" --runs "$runs")
        theirs=$(THREADS=$threads RUNS=$runs /usr/bin/python3 "$here/onnx_run.py" time "$model" "$batch")
        a=$(echo "$ours" | sed 's/.*"median_ms": \([0-9.]*\).*/\1/')
        b=$(echo "$theirs" | sed 's/.*"median_ms": \([0-9.]*\).*/\1/')
        printf '| %s | %s | %s | %s | %s |\n' "$model" "$batch" "$a" "$b" \
            "$(echo "scale=2; $b / $a" | bc)"
    done
done
