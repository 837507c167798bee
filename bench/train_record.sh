#!/usr/bin/env bash
# What `nnscope-cli train --record` costs: plain `train` against `train --record` on every step,
# side by side with PyTorch 1.13 without and with forward / full backward hooks that copy each
# tensor (bench/train_record_torch.py), alternating runs, then the medians and the ratios.
#
#   bench/train_record.sh [--rounds 5] [--models mlp,cnn] [--limit 12800] [--no-build]
#
# Installs PyTorch from Debian when missing (needs root) and builds the release preset unless
# --no-build (or NNSCOPE_CLI names a binary).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/prepare.sh"
exec /usr/bin/python3 "$root/bench/train_record.py" ${args[@]+"${args[@]}"}
