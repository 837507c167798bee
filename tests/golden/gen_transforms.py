"""Golden files for tests/data/tst_transforms: torchvision 0.14 transforms on image tensors,
their drawn parameters and reprs, and a DataLoader whose workers transform samples.

Run: /usr/bin/python3 tests/golden/gen_transforms.py (writes tests/golden/transforms/).

cases.safetensors: inputs "input/<name>" (synthetic Fashion-MNIST-like 28x28 images, uint8 and
float, a 3x13x17 colour image, and HxW / HxWxC uint8 arrays for ToTensor) and per case
"case<k>/out". Its metadata "cases" is a JSON list of {input, pipeline, seed, repr, drawn, after}:
`pipeline` is evaluated with torchvision.transforms in scope right after torch.manual_seed(seed);
`drawn` lists what each random transform drew ([name, {key: value}]); `after` is one
torch.randint(0, 2**31, (1,)) draw made after the pipeline, proving the number of draws.

loader.safetensors: DataLoader(dataset, batch_size=4, shuffle=True, num_workers=W,
generator=torch.Generator().manual_seed(seed)) (or without a generator) after
torch.manual_seed(default_seed), over a dataset whose sample i is
(transform(images[i]), labels[i]); "<name>/images" and "<name>/labels" are the batches
concatenated. Metadata "loaders" describes each run.

cli.safetensors: a tiny MNIST-like data set ("cli/images" uint8 [3, 28, 28], "cli/labels") and,
for each run of nnscope-cli transform in metadata "runs" ({index, seed, pipeline, drawn}), the
transformed image "cli<k>/after".
"""

import json
import math
import os
import sys

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.transforms import InterpolationMode  # noqa: F401 (used by eval)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import save_file  # noqa: E402

assert torchvision.__version__.startswith("0.14"), torchvision.__version__
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "transforms")


def garment(kind, n=28):
    """A deterministic Fashion-MNIST-like uint8 image: a garment silhouette with shading."""
    y, x = torch.meshgrid(torch.arange(n, dtype=torch.float64), torch.arange(n, dtype=torch.float64),
                          indexing="ij")
    cx, cy = (n - 1) / 2, (n - 1) / 2
    if kind == 0:  # T-shirt: body plus sleeves
        body = (abs(x - cx) < 7) & (y > 5) & (y < 25)
        sleeves = (abs(x - cx) < 12) & (y > 5) & (y < 11)
        mask = body | sleeves
        shade = 140 + 80 * torch.sin(x / 3.0) * torch.cos(y / 5.0)
    elif kind == 1:  # trouser: two legs
        mask = ((abs(x - cx + 4) < 3.5) | (abs(x - cx - 4) < 3.5)) & (y > 2) & (y < 26)
        mask |= (abs(x - cx) < 7.5) & (y > 2) & (y < 8)
        shade = 90 + 6 * y
    else:  # bag: an ellipse with a handle
        e = ((x - cx) / 11) ** 2 + ((y - cy - 3) / 8) ** 2
        mask = e < 1
        mask |= ((((x - cx) / 6) ** 2 + ((y - 9) / 6) ** 2 - 1).abs() < 0.25) & (y < 9)
        shade = 255 - 120 * e
    img = torch.where(mask, shade, torch.zeros_like(shade))
    # a little texture, deterministic
    img = img + 9 * torch.sin(x * 1.7 + y * 0.9) * mask
    return img.round().clamp(0, 255).to(torch.uint8).unsqueeze(0)


def colour(h=13, w=17):
    y, x = torch.meshgrid(torch.arange(h, dtype=torch.float64), torch.arange(w, dtype=torch.float64),
                          indexing="ij")
    r = (x / (w - 1))
    g = (y / (h - 1))
    b = 0.5 + 0.5 * torch.sin(x * 0.8) * torch.cos(y * 0.6)
    return (torch.stack([r, g, b]) * 255).round().to(torch.uint8)


INPUTS = {}
for k in range(3):
    INPUTS[f"fm{k}_u8"] = garment(k)
    INPUTS[f"fm{k}"] = garment(k).float() / 255
INPUTS["rgb_u8"] = colour()
INPUTS["rgb"] = colour().float() / 255
INPUTS["hw_u8"] = garment(0)[0]                  # numpy HxW, as np.array(PIL image)
INPUTS["hwc_u8"] = colour().permute(1, 2, 0).contiguous()  # numpy HxWxC

# (inputs, pipeline, seeds): every combination becomes one case.
SPECS = [
    # RandomCrop
    (["fm0", "fm1_u8"], "RandomCrop(28, padding=4)", [0, 1, 2, 7]),
    (["fm2"], "RandomCrop(24)", [0, 3]),
    (["fm0"], "RandomCrop((20, 26))", [5]),
    (["fm1"], "RandomCrop([20, 26], padding=(2, 3))", [6]),
    (["fm2"], "RandomCrop(26, padding=[1, 2, 3, 4], fill=0.5)", [8]),
    (["fm2_u8"], "RandomCrop(30, padding=2, fill=128)", [9]),
    (["fm0"], "RandomCrop(32, pad_if_needed=True)", [10]),
    (["fm1"], "RandomCrop((30, 34), pad_if_needed=True, padding_mode='edge')", [11]),
    (["fm0", "fm0_u8"], "RandomCrop(28, padding=5, padding_mode='reflect')", [12, 13]),
    (["fm1", "rgb"], "RandomCrop(12, padding=3, padding_mode='symmetric')", [14]),
    (["rgb_u8"], "RandomCrop((9, 15), padding=(2, 1), padding_mode='edge')", [15]),
    (["rgb"], "RandomCrop((13, 17))", [16]),
    # RandomRotation
    (["fm0", "fm1_u8", "rgb"], "RandomRotation(30)", [0, 1, 2, 3]),
    (["fm2"], "RandomRotation((10, 80))", [4]),
    (["fm0", "fm2_u8", "rgb_u8"], "RandomRotation(180, interpolation=InterpolationMode.BILINEAR)",
     [5, 6]),
    (["fm1", "rgb"], "RandomRotation(45, expand=True)", [7]),
    (["fm0"], "RandomRotation(60, interpolation=InterpolationMode.BILINEAR, expand=True)", [8]),
    (["fm2", "rgb"], "RandomRotation([-20, 35], center=(5, 7))", [9]),
    (["fm0"], "RandomRotation(90, interpolation=InterpolationMode.BILINEAR, fill=1.0)", [10]),
    (["fm1_u8"], "RandomRotation(90, fill=200)", [11]),
    (["rgb"], "RandomRotation(70, interpolation=InterpolationMode.BILINEAR, fill=(0.1, 0.5, 0.9))",
     [12]),
    (["fm2"], "RandomRotation(0)", [13]),
    (["fm0"], "RandomRotation((90, 90))", [14]),
    # flips
    (["fm0", "rgb_u8"], "RandomHorizontalFlip()", [0, 1, 2, 3, 4]),
    (["fm1"], "RandomVerticalFlip(0.5)", [0, 1, 2, 3]),
    (["fm2"], "RandomHorizontalFlip(p=1.0)", [5]),
    (["fm2"], "RandomVerticalFlip(p=0.0)", [6]),
    (["fm0"], "RandomVerticalFlip(0.25)", [7, 8, 9]),
    # Resize
    (["fm0", "fm1_u8"], "Resize(14)", [0]),
    (["fm2", "rgb"], "Resize((20, 33))", [0]),
    (["fm0", "rgb_u8"], "Resize(40, interpolation=InterpolationMode.NEAREST)", [0]),
    (["rgb"], "Resize(17, max_size=20)", [0]),
    (["rgb", "rgb_u8"], "Resize(8)", [0]),
    (["rgb"], "Resize([30, 11], interpolation=InterpolationMode.NEAREST)", [0]),
    (["fm1"], "Resize([56])", [0]),
    (["fm2"], "Resize(28)", [0]),
    (["fm0_u8"], "Resize((9, 50))", [0]),
    # CenterCrop
    (["fm0", "fm1_u8"], "CenterCrop(20)", [0]),
    (["fm2"], "CenterCrop((10, 30))", [0]),
    (["rgb", "rgb_u8"], "CenterCrop(40)", [0]),
    (["rgb"], "CenterCrop([8])", [0]),
    (["rgb"], "CenterCrop((12, 16))", [0]),
    (["fm1"], "CenterCrop(27)", [0]),
    # Normalize, ToTensor
    (["fm0", "fm1"], "Normalize((0.1307,), (0.3081,))", [0]),
    (["rgb"], "Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])", [0]),
    (["rgb"], "Normalize(0.5, 0.25, inplace=True)", [0]),
    (["hw_u8", "hwc_u8"], "ToTensor()", [0]),
    (["hw_u8"], "Compose([ToTensor(), Normalize((0.2860,), (0.3530,))])", [0]),
    # Compose
    (["fm0", "fm1", "fm2"],
     "Compose([RandomCrop(28, padding=4), RandomRotation(30), RandomHorizontalFlip(0.5)])",
     [0, 1, 2, 3, 4, 5]),
    (["fm1_u8"], "Compose([RandomCrop(28, padding=4), RandomRotation(15)])", [20, 21]),
    (["rgb"],
     "Compose([Resize(20), CenterCrop(16), RandomVerticalFlip(), "
     "RandomRotation(10, interpolation=InterpolationMode.BILINEAR), "
     "Normalize((0.5, 0.5, 0.5), (0.2, 0.2, 0.2))])",
     [30, 31]),
    (["hw_u8"], "Compose([RandomCrop(24), ToTensor(), RandomHorizontalFlip()])", [40, 41]),
]


def record_draws():
    """Patches the random transforms so that each application appends what it drew."""
    log = []
    record_draws.log = log

    orig_crop = T.RandomCrop.get_params

    def crop_params(img, output_size):
        i, j, h, w = orig_crop(img, output_size)
        log.append(["RandomCrop", {"top": int(i), "left": int(j)}])
        return i, j, h, w

    T.RandomCrop.get_params = staticmethod(crop_params)

    orig_rot = T.RandomRotation.get_params

    def rot_params(degrees):
        angle = orig_rot(degrees)
        log.append(["RandomRotation", {"angle": angle}])
        return angle

    T.RandomRotation.get_params = staticmethod(rot_params)

    for cls in (T.RandomHorizontalFlip, T.RandomVerticalFlip):
        orig = cls.forward

        def forward(self, img, orig=orig, name=cls.__name__):
            state = torch.get_rng_state()
            flipped = bool(torch.rand(1) < self.p)
            torch.set_rng_state(state)
            log.append([name, {"flipped": flipped}])
            return orig(self, img)

        cls.forward = forward
    return log


class ToTensorOfArray(T.ToTensor):
    """ToTensor that also takes a uint8 tensor [H, W] / [H, W, C] as the numpy array it holds
    (torchvision refuses tensors; nnscope's ToTensor takes them so pipelines run as written)."""

    def __call__(self, pic):
        return T.functional.to_tensor(pic.numpy() if isinstance(pic, torch.Tensor) else pic)

    def __repr__(self):
        return "ToTensor()"


def transforms_env():
    env = {name: getattr(T, name) for name in dir(T) if not name.startswith("_")}
    env["ToTensor"] = ToTensorOfArray
    env["InterpolationMode"] = InterpolationMode
    return env


def to_input(name):
    return INPUTS[name].clone()


def make_cases(log):
    tensors = {f"input/{k}": v for k, v in INPUTS.items()}
    cases = []
    env = transforms_env()
    for inputs, pipeline, seeds in SPECS:
        for inp in inputs:
            for seed in seeds:
                t = eval(pipeline, env)
                img = to_input(inp)
                torch.manual_seed(seed)
                log.clear()
                out = t(img)
                after = int(torch.randint(0, 2**31, (1,)).item())
                k = len(cases)
                tensors[f"case{k}/out"] = out.contiguous()
                cases.append({"input": inp, "pipeline": pipeline, "seed": seed, "repr": repr(t),
                              "drawn": [list(d) for d in log], "after": after,
                              "dtype": str(out.dtype).replace("torch.", "")})
    return tensors, cases


class TransformedTensors(Dataset):
    def __init__(self, images, labels, transform):
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.transform(self.images[i]), self.labels[i]


def make_loaders():
    images = torch.stack([garment(k % 3).float() / 255 for k in range(12)])
    # each sample a little different, so that the order shows in the pixels too
    images = (images + torch.arange(12).view(12, 1, 1, 1) / 1000).clamp(0, 1)
    labels = torch.arange(12) * 7 % 10
    tensors = {"loader/images": images, "loader/labels": labels}
    pipeline = "Compose([RandomCrop(28, padding=4), RandomRotation(15), RandomHorizontalFlip()])"
    env = transforms_env()
    runs = []
    for name, workers, seed, generator in [("w2_s0", 2, 0, True), ("w2_s5", 2, 5, True),
                                            ("w0_s3", 0, 3, True), ("w0_default_s4", 0, 4, False),
                                            ("w2_default_s6", 2, 6, False)]:
        ds = TransformedTensors(images, labels, eval(pipeline, env))
        # The main process's transforms (num_workers=0) draw from the default generator.
        default_seed = 100 + seed
        torch.manual_seed(default_seed)
        if generator:
            loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=workers,
                                generator=torch.Generator().manual_seed(seed))
        else:
            default_seed = seed
            torch.manual_seed(seed)
            loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=workers)
        xs, ys = [], []
        for x, y in loader:
            xs.append(x)
            ys.append(y)
        tensors[f"{name}/images"] = torch.cat(xs)
        tensors[f"{name}/labels"] = torch.cat(ys)
        runs.append({"name": name, "num_workers": workers, "seed": seed, "generator": generator,
                     "default_seed": default_seed,
                     "batch_size": 4, "pipeline": pipeline})
    return tensors, runs


def make_cli():
    """nnscope-cli transform feeds the dataset's uint8 picture as a tensor [H, W]. torchvision's
    rotate fails on a 2-D tensor (its fill mask assumes a channel), so the expected images are
    computed on [1, H, W] and squeezed: the same arithmetic."""
    images = torch.cat([garment(k) for k in range(3)])  # [3, 28, 28] uint8
    labels = torch.tensor([0, 1, 8])
    tensors = {"cli/images": images, "cli/labels": labels}
    env = transforms_env()
    runs = []
    specs = [
        (1, 3, "Compose([RandomCrop(28, padding=4), RandomRotation(30), RandomHorizontalFlip(0.5)])"),
        (2, 41, "Compose([RandomCrop(24), ToTensor(), RandomHorizontalFlip()])"),
        (0, 7, "Compose([ToTensor(), Normalize((0.5,), (0.25,)), "
               "RandomRotation(20, interpolation=InterpolationMode.BILINEAR)])"),
    ]
    log = record_draws.log
    for index, seed, pipeline in specs:
        t = eval(pipeline, env)
        torch.manual_seed(seed)
        log.clear()
        img = images[index]
        if "RandomRotation" in pipeline and not pipeline.startswith("Compose([ToTensor"):
            out = t(img[None])[0]
        else:
            out = t(img)
        k = len(runs)
        tensors[f"cli{k}/after"] = out.contiguous()
        runs.append({"index": index, "seed": seed, "pipeline": pipeline,
                     "drawn": [list(d) for d in log]})
    return tensors, runs


def main():
    os.makedirs(OUT, exist_ok=True)
    log = record_draws()
    tensors, cases = make_cases(log)
    save_file(tensors, os.path.join(OUT, "cases.safetensors"), {"cases": json.dumps(cases)})
    tensors, runs = make_loaders()
    save_file(tensors, os.path.join(OUT, "loader.safetensors"), {"loaders": json.dumps(runs)})
    print(f"{len(cases)} cases, {len(runs)} loader runs")
    tensors, runs = make_cli()
    save_file(tensors, os.path.join(OUT, "cli.safetensors"), {"runs": json.dumps(runs)})


if __name__ == "__main__":
    main()
