"""Load-time benchmark: how long nnscope takes to show a large model file's tree, next to
torch.load (and safetensors' safe_open when that package is installed) on the same files.

Generates, in --dir (default /tmp/nnscope-load-bench; never committed):
  big.safetensors        ~1 GB state_dict of a GPT-2-like stack (float32)
  big_zip.pt             ~500 MB torch.save(state_dict), zip format
  big_legacy.pt          ~250 MB torch.save(..., _use_new_zipfile_serialization=False)
  big_script.pt          ~250 MB torch.jit.save of a scripted stack of Linear layers
then times, alternating the tools round by round so that machine noise hits all alike:
  nnscope   `nnscope-cli summary FILE --json --timing`: open_ms (io::open_model inside the
            process: the tree, shapes and roles, no tensor data), its CPU time, and total_ms
            (with the JSON printed)
  torch     torch.load / torch.jit.load in a fresh python process, timed inside it (reads every
            tensor: PyTorch 1.13 has no lazy load)
  safe_open safetensors.safe_open + keys() + get_slice shapes, when the package exists
Prints a table of medians (wall clock and CPU time: on a shared machine the wall clock mostly
measures the wait for a core) and the ratios. Targets (issue #4): the 1 GB safetensors tree in under
100 ms, the 500 MB PyTorch zip in under 300 ms.

Run through bench/load.sh, or: NNSCOPE_CLI=build/dev/src/nnscope-cli /usr/bin/python3 bench/load.py
"""

import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import time

MB = 1 << 20


def stack_state_dict(torch, target_bytes, width=1024):
    """A transformer-like state_dict (per layer: LayerNorms, attention, MLP) of about the target
    size in float32; values are not initialised beyond torch.empty, which is enough for a tree."""
    layer_bytes = 4 * (12 * width * width + 13 * width)
    layers = max(1, target_bytes // layer_bytes)
    sd = {}
    for i in range(layers):
        p = f"transformer.h.{i}."
        sd[p + "ln_1.weight"] = torch.ones(width)
        sd[p + "ln_1.bias"] = torch.zeros(width)
        sd[p + "attn.c_attn.weight"] = torch.empty(width, 3 * width).normal_()
        sd[p + "attn.c_attn.bias"] = torch.zeros(3 * width)
        sd[p + "attn.c_proj.weight"] = torch.empty(width, width).normal_()
        sd[p + "attn.c_proj.bias"] = torch.zeros(width)
        sd[p + "ln_2.weight"] = torch.ones(width)
        sd[p + "ln_2.bias"] = torch.zeros(width)
        sd[p + "mlp.c_fc.weight"] = torch.empty(width, 4 * width).normal_()
        sd[p + "mlp.c_fc.bias"] = torch.zeros(4 * width)
        sd[p + "mlp.c_proj.weight"] = torch.empty(4 * width, width).normal_()
        sd[p + "mlp.c_proj.bias"] = torch.zeros(width)
        sd[p + "attn.bias"] = torch.ones(1, 1, 8, 8)  # a buffer, as GPT-2 has
    return sd


def write_safetensors(sd, path):
    """Streams the file: header, then each tensor's bytes (no second copy in memory)."""
    header, offset = {}, 0
    for name, t in sd.items():
        n = t.numel() * t.element_size()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + n]}
        offset += n
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for t in sd.values():
            f.write(t.contiguous().numpy().tobytes())


def generate(directory, sizes):
    import torch
    import torch.nn as nn

    os.makedirs(directory, exist_ok=True)
    files = {}
    path = os.path.join(directory, "big.safetensors")
    if not os.path.exists(path):
        write_safetensors(stack_state_dict(torch, sizes["safetensors"]), path)
    files["safetensors"] = path
    path = os.path.join(directory, "big_zip.pt")
    if not os.path.exists(path):
        torch.save(stack_state_dict(torch, sizes["zip"]), path)
    files["pytorch-zip"] = path
    path = os.path.join(directory, "big_legacy.pt")
    if not os.path.exists(path):
        torch.save(stack_state_dict(torch, sizes["legacy"]), path,
                   _use_new_zipfile_serialization=False)
    files["pytorch-legacy"] = path
    path = os.path.join(directory, "big_script.pt")
    if not os.path.exists(path):
        width = 1024
        layers = max(1, sizes["torchscript"] // (4 * (width * width + width)))
        model = nn.Sequential(*[nn.Linear(width, width) for _ in range(layers)])
        torch.jit.save(torch.jit.script(model), path)
    files["torchscript"] = path
    return files


def run_nnscope(cli, path):
    start = time.perf_counter()
    result = subprocess.run([cli, "summary", path, "--json", "--timing"], capture_output=True,
                            text=True)
    wall = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        raise SystemExit(f"nnscope-cli failed on {path}: {result.stderr}")
    summary = json.loads(result.stdout)
    timing = dict(item.split("=") for item in result.stderr.split("timing:")[1].split())
    return {"open": float(timing["open_ms"]), "open_cpu": float(timing["open_cpu_ms"]),
            "total": float(timing["total_ms"]), "wall": wall, "tensors": len(summary["tensors"])}


TORCH_LOAD = """
import sys, time, torch
path, kind = sys.argv[1], sys.argv[2]
start, cpu = time.perf_counter(), time.process_time()
if kind == "torchscript":
    obj = torch.jit.load(path)
    n = len(list(obj.state_dict()))
elif kind == "safetensors":
    from safetensors import safe_open
    with safe_open(path, framework="pt") as f:
        n = sum(len(f.get_slice(k).get_shape()) >= 0 for k in f.keys())
else:
    obj = torch.load(path)
    n = len(obj)
print((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000, n)
"""


def run_python(path, kind):
    result = subprocess.run([sys.executable, "-c", TORCH_LOAD, path, kind], capture_output=True,
                            text=True)
    if result.returncode != 0:
        raise SystemExit(f"python failed on {path}: {result.stderr[-2000:]}")
    ms, cpu_ms, _ = result.stdout.split()
    return float(ms), float(cpu_ms)


def have_safetensors():
    return subprocess.run([sys.executable, "-c", "import safetensors"],
                          capture_output=True).returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default="/tmp/nnscope-load-bench")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--safetensors-mb", type=int, default=1024)
    parser.add_argument("--zip-mb", type=int, default=500)
    parser.add_argument("--legacy-mb", type=int, default=250)
    parser.add_argument("--torchscript-mb", type=int, default=250)
    parser.add_argument("--json", action="store_true", help="print the medians as JSON too")
    args = parser.parse_args()
    cli = os.environ.get("NNSCOPE_CLI")
    if not cli or not os.path.exists(cli):
        raise SystemExit("set NNSCOPE_CLI to the nnscope-cli to time")

    sizes = {"safetensors": args.safetensors_mb * MB, "zip": args.zip_mb * MB,
             "legacy": args.legacy_mb * MB, "torchscript": args.torchscript_mb * MB}
    print(f"generating files in {args.dir} (once)", file=sys.stderr)
    files = generate(args.dir, sizes)
    safe = have_safetensors()

    times = {kind: {key: [] for key in ("open", "open_cpu", "total", "wall", "torch", "torch_cpu",
                                        "safe_open", "safe_open_cpu")}
             for kind in files}
    tensors = {}
    for kind, path in files.items():  # warm the page cache: every tool then reads from memory
        run_nnscope(cli, path)
        with open(path, "rb") as f:
            while f.read(64 * MB):
                pass
    for r in range(args.rounds):
        for kind, path in files.items():
            # Alternate which tool goes first each round.
            order = ["nnscope", "python"] if r % 2 == 0 else ["python", "nnscope"]
            for tool in order:
                if tool == "nnscope":
                    t = run_nnscope(cli, path)
                    tensors[kind] = t["tensors"]
                    for key in ("open", "open_cpu", "total", "wall"):
                        times[kind][key].append(t[key])
                else:
                    tool = "torch" if kind != "safetensors" else "safe_open"
                    if tool == "safe_open" and not safe:
                        continue
                    ms, cpu_ms = run_python(path, kind)
                    times[kind][tool].append(ms)
                    times[kind][tool + "_cpu"].append(cpu_ms)
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)

    med = lambda v: statistics.median(v) if v else None  # noqa: E731
    rows = []
    for kind, path in files.items():
        t = times[kind]
        ref = med(t["torch"]) or med(t["safe_open"])
        ref_cpu = med(t["torch_cpu"]) or med(t["safe_open_cpu"])
        rows.append({
            "file": os.path.basename(path), "format": kind,
            "size_mb": round(os.path.getsize(path) / MB), "tensors": tensors[kind],
            "nnscope_open_ms": med(t["open"]), "nnscope_open_cpu_ms": med(t["open_cpu"]),
            "nnscope_summary_ms": med(t["total"]), "nnscope_process_ms": med(t["wall"]),
            "torch_load_ms": med(t["torch"]), "torch_load_cpu_ms": med(t["torch_cpu"]),
            "safe_open_ms": med(t["safe_open"]), "safe_open_cpu_ms": med(t["safe_open_cpu"]),
            "ratio": (ref / med(t["open"])) if ref else None,
            "cpu_ratio": (ref_cpu / max(med(t["open_cpu"]), 0.01)) if ref_cpu else None,
        })
    fmt = lambda v: "-" if v is None else f"{v:.1f}"  # noqa: E731
    ratio_text = lambda v: "-" if v is None else f"{v:.0f}x"  # noqa: E731
    print(f"\nmedians of {args.rounds} rounds, ms (wall / CPU); ratio = python / nnscope open")
    print(f"{'file':16} {'format':15} {'MB':>5} {'tensors':>7} {'open':>15} {'summary':>8} "
          f"{'process':>8} {'torch.load':>16} {'safe_open':>14} {'ratio':>11}")
    pair = lambda a, b: f"{fmt(a)} / {fmt(b)}" if a is not None else "-"  # noqa: E731
    for row in rows:
        ref, ref_cpu = ((row["torch_load_ms"], row["torch_load_cpu_ms"])
                        if row["torch_load_ms"] is not None
                        else (row["safe_open_ms"], row["safe_open_cpu_ms"]))
        print(f"{row['file']:16} {row['format']:15} {row['size_mb']:>5} {row['tensors']:>7} "
              f"{pair(row['nnscope_open_ms'], row['nnscope_open_cpu_ms']):>15} "
              f"{fmt(row['nnscope_summary_ms']):>8} {fmt(row['nnscope_process_ms']):>8} "
              f"{pair(row['torch_load_ms'], row['torch_load_cpu_ms']):>16} "
              f"{pair(row['safe_open_ms'], row['safe_open_cpu_ms']):>14} "
              f"{ratio_text(row['ratio']) + ' / ' + ratio_text(row['cpu_ratio']):>11}")
    if not safe:
        print("(safetensors python package not installed: safe_open not timed)")
    targets = {"safetensors": 100, "pytorch-zip": 300}
    for row in rows:
        if row["format"] in targets:
            ok = row["nnscope_open_ms"] < targets[row["format"]]
            print(f"target {row['format']}: open < {targets[row['format']]} ms: "
                  f"{'met' if ok else 'MISSED'} (wall {row['nnscope_open_ms']:.1f} ms, "
                  f"CPU {row['nnscope_open_cpu_ms']:.1f} ms)")
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
