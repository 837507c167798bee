#!/usr/bin/env bash
# Load-time benchmark: `nnscope-cli summary --json --timing` (open time measured inside the
# process) vs torch.load / torch.jit.load (and safetensors' safe_open when installed) on a ~1 GB
# safetensors file, a ~500 MB PyTorch zip, a legacy .pt and a TorchScript archive generated once
# in /tmp. Alternating rounds, medians, ratios; see bench/load.py for the options.
#
#   bench/load.sh [--rounds 7] [--dir /tmp/nnscope-load-bench] [--no-build]
#
# Builds the release preset's nnscope-cli unless --no-build (or NNSCOPE_CLI is set).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

build=1
args=()
for arg in "$@"; do
    if [ "$arg" = "--no-build" ]; then build=0; else args+=("$arg"); fi
done

if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
    echo "load.sh: PyTorch is needed to write the files and to compare: apt-get install python3-torch" >&2
    exit 1
fi
if [ -z "${NNSCOPE_CLI:-}" ] && [ "$build" = 1 ]; then
    (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release -j2 --target nnscope-cli) >&2
fi

export NNSCOPE_CLI="${NNSCOPE_CLI:-$root/build/release/src/nnscope-cli}"
exec /usr/bin/python3 "$root/bench/load.py" ${args[@]+"${args[@]}"}
