#!/usr/bin/env bash
# Checkpoint comparison benchmark: `nnscope-cli diff A B` on two ~800 MB safetensors files (12
# float32 tensors of 4096 x 4096, B = A + 0.01 noise) generated once in /tmp by PyTorch, with the
# same figures computed by PyTorch (torch.load of both, float64 per tensor) beside it. Prints wall
# and CPU time of each and nnscope's peak anonymous memory (sampled from /proc every 20 ms): the
# files are memory-mapped and read chunk by chunk, so it stays near the chunk buffers whatever
# the file size.
#
#   bench/diff.sh [--no-build]      (NNSCOPE_CLI overrides the release build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/prepare.sh"
dir=/tmp/nnscope-diff-bench
mkdir -p "$dir"
if [ ! -f "$dir/b.safetensors" ]; then
    /usr/bin/python3 - "$dir" "$root/tests/golden" <<'PY'
import sys, torch
sys.path.insert(0, sys.argv[2])
import goldenlib
g = torch.Generator().manual_seed(0)
a = {f"layer{i}.weight": torch.randn(4096, 4096, generator=g) for i in range(12)}
goldenlib.save_file(a, sys.argv[1] + "/a.safetensors")
for t in a.values():
    t.add_(0.01 * torch.randn(4096, 4096, generator=g))
goldenlib.save_file(a, sys.argv[1] + "/b.safetensors")
PY
fi

"$NNSCOPE_CLI" diff "$dir/a.safetensors" "$dir/b.safetensors" > "$dir/out.txt" &
pid=$!
peak=0
start=$(date +%s.%N)
while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$v" ] && [ "$v" -gt "$peak" ] && peak=$v
    sleep 0.02
done
wait "$pid"
end=$(date +%s.%N)
echo "nnscope-cli diff: wall $(echo "$end - $start" | bc) s, peak RssAnon ${peak} kB"
/usr/bin/time -f "nnscope-cli diff: cpu %U s user, %S s sys, max RSS %M kB (mapped pages count)" \
    "$NNSCOPE_CLI" diff "$dir/a.safetensors" "$dir/b.safetensors" > /dev/null

/usr/bin/time -f "torch (load both, float64 figures): cpu %U s user, wall %e s, max RSS %M kB" \
    /usr/bin/python3 - "$dir" "$root/tests/golden" <<'PY'
import sys, torch
import torch.nn.functional as F
sys.path.insert(0, sys.argv[2])
import goldenlib
a = goldenlib.load_file(sys.argv[1] + "/a.safetensors")[0]
b = goldenlib.load_file(sys.argv[1] + "/b.safetensors")[0]
for name in a:
    x, y = a[name].double().flatten(), b[name].double().flatten()
    d = y - x
    (d.abs().max(), torch.linalg.norm(d) / torch.linalg.norm(x), F.cosine_similarity(x, y, dim=0),
     (x != y).sum(), torch.histc(d, 64, d.min().item(), d.max().item()))
PY
