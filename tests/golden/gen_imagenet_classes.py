"""Writes resources/imagenet_classes.txt: the 1,000 ImageNet class names torchvision 0.14 gives its
classification weights (ResNet18_Weights.IMAGENET1K_V1.meta["categories"]), one a line, in class
index order. workflows/predictions names the top-k classes of a 1,000-class output with them.

Run: /usr/bin/python3 tests/golden/gen_imagenet_classes.py
"""

import os

from torchvision.models import ResNet18_Weights

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(os.path.dirname(HERE)), "resources", "imagenet_classes.txt")


def main():
    categories = ResNet18_Weights.IMAGENET1K_V1.meta["categories"]
    assert len(categories) == 1000
    with open(OUT, "w", encoding="utf-8") as f:
        for name in categories:
            assert "\n" not in name
            f.write(name + "\n")


if __name__ == "__main__":
    main()
