#!/bin/sh
# Makes the README's screenshots: the DataLoader lab on its drop_last preset, the training
# workspace after 60 steps, a torchvision ResNet-18 (random weights, no download) saved with
# torch.save, opened by `nnscope --screenshot`, and the Builder and Indexing pages on their
# starting examples. Needs /usr/bin/python3 with torch and torchvision
# (only here, never at run time) and a built nnscope (default: the dev preset's).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
nnscope=${NNSCOPE:-$here/../../build/dev/ui/nnscope}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A palette of 128 colours keeps the PNG small in the repository and the text sharp.
quantize() {
    /usr/bin/python3 - "$1" "$2" <<'PY'
import sys
from PIL import Image
Image.open(sys.argv[1]).convert("RGB").quantize(colors=128).save(sys.argv[2], optimize=True)
PY
    echo "wrote $2"
}
/usr/bin/python3 - "$tmp/resnet18.pt" <<'PY'
import sys, torch, torchvision
torch.manual_seed(0)
torch.save(torchvision.models.resnet18().state_dict(), sys.argv[1])
PY
NNSCOPE_THEME=light "$nnscope" --screenshot "$tmp/full.png" "$tmp/resnet18.pt"
quantize "$tmp/full.png" "$here/resnet18.png"
NNSCOPE_THEME=light "$nnscope" --lab-preset drop-last --screenshot "$tmp/lab.png"
quantize "$tmp/lab.png" "$here/lab.png"
# The training workspace: 60 steps of the mlp on Fashion-MNIST (Debian's dataset-fashion-mnist),
# evaluated on 1000 test images every 20 steps.
cat > "$tmp/train.json" <<'JSON'
{"model": "mlp", "loader": {"dataset": "fashion-mnist", "batch_size": 64, "shuffle": true},
 "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9}, "seed": 0, "eval_every": 20,
 "eval_limit": 1000}
JSON
NNSCOPE_THEME=light "$nnscope" --train "$tmp/train.json" --steps 60 --screenshot "$tmp/train.png"
quantize "$tmp/train.png" "$here/train.png"
# The Builder (page 5) and Indexing (page 6) pages on the examples they open with.
for page in 5:builder 6:indexing; do
    NNSCOPE_THEME=light "$nnscope" --screenshot "$tmp/${page#*:}.png" --page "${page%%:*}" \
        --width 1280
    quantize "$tmp/${page#*:}.png" "$here/${page#*:}.png"
done
