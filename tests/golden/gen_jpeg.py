"""Truth for tst_jpeg_file: tiny JPEG files cut from image_input/photo.png, and PIL's decoding
of them (Debian's PIL decodes through the same libjpeg62-turbo the data library links).

Run: /usr/bin/python3 tests/golden/gen_jpeg.py (after gen_image_input.py)
  writes tests/golden/jpeg/rgb.jpg   37x29 RGB, quality 85, 4:2:0 chroma subsampling (odd sizes
                                     exercise the upsampling at the edges)
         tests/golden/jpeg/grey.jpg  24x20 greyscale, quality 90
         tests/golden/jpeg/cmyk.jpg  8x6 CMYK (Adobe): a colour space the reader refuses in words
         tests/golden/jpeg/jpeg.safetensors  rgb and grey: PIL's pixels as uint8 [C, H, W]
"""

import os
import sys

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from goldenlib import save_file  # noqa: E402

OUT = os.path.join(HERE, "jpeg")


def chw(img):
    a = np.asarray(img)
    if a.ndim == 2:
        a = a[:, :, None]
    return torch.from_numpy(np.ascontiguousarray(a.transpose(2, 0, 1)))


def main():
    os.makedirs(OUT, exist_ok=True)
    photo = Image.open(os.path.join(HERE, "image_input", "photo.png")).convert("RGB")
    rgb = photo.crop((120, 100, 157, 129))
    rgb.save(os.path.join(OUT, "rgb.jpg"), quality=85, subsampling=2)
    grey = photo.convert("L").crop((30, 20, 54, 40))
    grey.save(os.path.join(OUT, "grey.jpg"), quality=90)
    photo.crop((0, 0, 8, 6)).convert("CMYK").save(os.path.join(OUT, "cmyk.jpg"), quality=90)
    tensors = {
        "rgb": chw(Image.open(os.path.join(OUT, "rgb.jpg"))),
        "grey": chw(Image.open(os.path.join(OUT, "grey.jpg"))),
    }
    assert tensors["rgb"].shape == (3, 29, 37) and tensors["grey"].shape == (1, 20, 24)
    save_file(tensors, os.path.join(OUT, "jpeg.safetensors"), {})


if __name__ == "__main__":
    main()
