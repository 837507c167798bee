"""GUI responsiveness benchmark (issue #5): the longest gap between two iterations of the nnscope
window's event loop while a ~1 GB file opens and the histogram of its largest tensor (250 M
elements) is computed, then while every tensor's statistics stream in. Target: under 50 ms.

Generates, in --dir (default /tmp/nnscope-gui-bench; never committed), once:
  gui.safetensors  ~1 GB: a 240000 x 1024 embedding (246 M float32 elements) and a small stack
  gui.pt           the same state_dict through torch.save (zip), with lm_head.weight tied to
                   wte.weight (one storage, so the file stays ~1 GB)
and runs, --rounds times per file, `nnscope-gap-probe OUT.json FILE` offscreen: the real
window opens the file, selects the largest tensor in the table as a user would, and waits until
its histogram is shown and all statistics have arrived, while a 1 ms timer notes the longest gap
(bench/gap_probe.cpp). Prints each run's JSON line and a table of medians and maxima, with the load
average (on a shared machine a wall-clock gap also measures the wait for a core; the GUI-thread CPU
time within the worst gap says how much of it was the window's own work).

Run through bench/gui.sh, or:
NNSCOPE_GAP_PROBE=build/release/bench/nnscope-gap-probe /usr/bin/python3 bench/gui.py
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load import write_safetensors  # noqa: E402


def state_dict(torch, rows, width=1024, layers=4):
    gen = torch.Generator().manual_seed(0)
    sd = {"wte.weight": torch.empty(rows, width).normal_(0, 0.02, generator=gen)}
    for i in range(layers):
        sd[f"h.{i}.weight"] = torch.empty(width, width).normal_(0, 0.03, generator=gen)
        sd[f"h.{i}.bias"] = torch.zeros(width)
    sd["ln_f.weight"] = torch.ones(width)
    sd["ln_f.bias"] = torch.zeros(width)
    return sd


def generate(directory, rows):
    paths = {"safetensors": os.path.join(directory, "gui.safetensors"),
             "pt": os.path.join(directory, "gui.pt")}
    if all(os.path.exists(p) for p in paths.values()):
        return paths
    import torch
    os.makedirs(directory, exist_ok=True)
    print(f"gui bench: generating {directory} (once)", file=sys.stderr)
    sd = state_dict(torch, rows)
    write_safetensors(sd, paths["safetensors"] + ".tmp")
    os.replace(paths["safetensors"] + ".tmp", paths["safetensors"])
    sd["lm_head.weight"] = sd["wte.weight"]  # tied, as GPT-2's decoder: one storage in the zip
    torch.save(sd, paths["pt"] + ".tmp")
    os.replace(paths["pt"] + ".tmp", paths["pt"])
    return paths


def run(nnscope, path, out):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([nnscope, out, path], env=env,
                            capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise SystemExit(f"nnscope-gap-probe {path} failed ({result.returncode}):\n"
                         f"{result.stderr}")
    with open(out) as f:
        return json.loads(f.readline())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="/tmp/nnscope-gui-bench")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=240000, help="embedding rows (x 1024)")
    parser.add_argument("--files", default="safetensors,pt")
    args = parser.parse_args()
    nnscope = os.environ.get("NNSCOPE_GAP_PROBE")
    if not nnscope:
        raise SystemExit("set NNSCOPE_GAP_PROBE to the nnscope-gap-probe executable (bench/gui.sh does)")
    paths = generate(args.dir, args.rows)
    kinds = [k for k in args.files.split(",") if k]
    results = {k: [] for k in kinds}
    for r in range(args.rounds):  # alternate the files so that machine noise hits both alike
        for kind in kinds:
            record = run(nnscope, paths[kind], os.path.join(args.dir, f"gaps_{kind}.json"))
            results[kind].append(record)
            print(json.dumps(record), flush=True)

    def med(values):
        return statistics.median(values)

    print(f"\n{'file':<16} {'MB':>6} {'gap med/max ms':>15} {'gui cpu ms':>10} "
          f"{'phase':>10} {'tree ms':>8} {'hist ms':>8} {'stats ms':>9}  loadavg")
    for kind, records in results.items():
        gaps = [x["longest_gap_ms"] for x in records]
        worst = max(records, key=lambda x: x["longest_gap_ms"])
        loads = ", ".join(x["loadavg_before"].split()[0] for x in records)
        print(f"{os.path.basename(paths[kind]):<16} {records[0]['bytes'] / 2**20:>6.0f} "
              f"{med(gaps):>7.1f}/{max(gaps):<7.1f} {worst['longest_gap_gui_cpu_ms']:>10.1f} "
              f"{worst['longest_gap_phase']:>10} "
              f"{med([x['time_to_tree_ms'] for x in records]):>8.0f} "
              f"{med([x['time_to_histogram_ms'] for x in records]):>8.0f} "
              f"{med([x['time_to_all_statistics_ms'] for x in records]):>9.0f}  {loads}")


if __name__ == "__main__":
    main()
