#!/usr/bin/env bash
# The main job until the GUI lands: summarise the bundled default model and run it forward and
# backward on a batch, with every hook firing traced.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="${NNSCOPE_CLI:-$root/build/release/src/nnscope-cli}"
model="$root/resources/models/mlp.safetensors"
"$cli" summary "$model"
"$cli" bench step --model mlp --batch-size 64 --threads 1 --steps 20
