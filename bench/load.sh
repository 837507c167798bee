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

source "$root/bench/prepare.sh"
exec /usr/bin/python3 "$root/bench/load.py" ${args[@]+"${args[@]}"}
