"""Truth for tst_image_input: a small committed PNG preprocessed by torchvision 0.14.

Run: /usr/bin/python3 tests/golden/gen_image_input.py
  writes tests/golden/image_input/photo.png (300x280 RGB, smooth shapes: it compresses well)
  and tests/golden/image_input/photo.safetensors:
    imagenet.uint8  F.center_crop(F.resize(img, 256, BILINEAR, antialias=True), 224) on the
                    uint8 tensor (what the imagenet preset feeds Normalize, before /255)
    imagenet.pil    the same through PIL (transforms.Resize(256) + CenterCrop(224) on the PIL
                    image), which torchvision's classic recipe uses; within one level of the above
    custom.input    Resize(40, antialias) -> CenterCrop(32) -> /255 -> Normalize(mean, std) as
                    float32 [1, 3, 32, 32] with the metadata's mean and std
    grey.input      PIL convert("L"), then Resize(24, antialias) -> CenterCrop(20) -> /255 ->
                    Normalize(0.5, 0.25), float32 [1, 1, 20, 20]
"""

import os
import sys

import numpy as np
import torch
import torchvision.transforms as T
import torchvision.transforms.functional as F
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from goldenlib import save_file  # noqa: E402

OUT = os.path.join(HERE, "image_input")
MEAN = [0.5, 0.4, 0.3]
STD = [0.2, 0.3, 0.4]


def make_image():
    w, h = 300, 280
    y, x = np.mgrid[0:h, 0:w]
    r = (x * 255 // (w - 1)).astype(np.uint8)
    g = (y * 255 // (h - 1)).astype(np.uint8)
    b = ((x + y) * 255 // (w + h - 2)).astype(np.uint8)
    img = Image.fromarray(np.stack([r, g, b], axis=2), "RGB")
    d = ImageDraw.Draw(img)
    d.ellipse((40, 30, 170, 150), fill=(250, 40, 30))
    d.rectangle((150, 120, 280, 260), fill=(20, 200, 90))
    d.line((0, 279, 299, 0), fill=(255, 255, 255), width=3)
    for i in range(0, 300, 12):  # fine stripes: aliasing shows if the filter is wrong
        d.line((i, 0, i, 40), fill=(0, 0, 0), width=1)
    return img


def tensor_pipeline(t, resize, crop):
    t = F.resize(t, resize, T.InterpolationMode.BILINEAR, antialias=True)
    return F.center_crop(t, crop)


def main():
    os.makedirs(OUT, exist_ok=True)
    img = make_image()
    img.save(os.path.join(OUT, "photo.png"), optimize=True)
    t = F.pil_to_tensor(Image.open(os.path.join(OUT, "photo.png")))

    imagenet = tensor_pipeline(t, 256, 224)
    pil = F.pil_to_tensor(T.CenterCrop(224)(T.Resize(256)(img)))
    diff = (imagenet.int() - pil.int()).abs().max().item()
    assert diff <= 1, f"PIL and tensor paths differ by {diff} levels"

    custom = F.normalize(F.convert_image_dtype(tensor_pipeline(t, 40, 32), torch.float32), MEAN, STD)
    grey = F.pil_to_tensor(img.convert("L"))
    grey = F.normalize(F.convert_image_dtype(tensor_pipeline(grey, 24, 20), torch.float32), [0.5], [0.25])
    tensors = {
        "imagenet.uint8": imagenet.contiguous(),
        "imagenet.pil": pil.contiguous(),
        "custom.input": custom.unsqueeze(0).contiguous(),
        "grey.input": grey.unsqueeze(0).contiguous(),
    }
    meta = {"mean": ",".join(map(str, MEAN)), "std": ",".join(map(str, STD))}
    save_file(tensors, os.path.join(OUT, "photo.safetensors"), meta)
    print("PIL vs tensor path: max", diff, "level(s)")


if __name__ == "__main__":
    main()
