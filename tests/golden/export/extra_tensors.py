# The module tree of model.safetensors in torch.nn (PyTorch 1.13), written by
# nnscope-cli export-pytorch. build(seed) makes it with the initial weights nnscope gives that
# seed, bit for bit: torch.manual_seed(seed), then each module's own initialisation in
# construction order (children first, then the module's extra parameters and buffers).
# Trained weights are not in this script.
import torch
from torch import nn


class Linear1(nn.Linear):
    """Linear at '0'."""

    def __init__(self):
        super().__init__(in_features=4, out_features=3, bias=True)
        self.register_parameter("scale", nn.Parameter(torch.randn(3)))
        self.register_buffer("mask", torch.rand(3))


class Sequential1(nn.Sequential):
    """Sequential at '2'."""

    def __init__(self):
        super().__init__(
            nn.Linear(in_features=3, out_features=2, bias=True),
        )
        self.register_parameter("big", nn.Parameter(torch.randn(5, 7, dtype=torch.float64)))
        self.register_buffer("offset", torch.full((), 0.5))
        self.register_buffer("u", torch.rand(20, dtype=torch.float64))


class Net(nn.Sequential):
    def __init__(self):
        super().__init__(
            Linear1(),
            nn.GELU(approximate='none'),
            Sequential1(),
        )
        self.register_parameter("frozen", nn.Parameter(torch.randn(2, 2), requires_grad=False))
        self.register_buffer("counts", torch.arange(6).reshape((2, 3)))
        self.register_buffer("eye", torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
        self.register_buffer("scratch", torch.randn(17), persistent=False)


def build(seed=5):
    torch.manual_seed(seed)
    return Net()


if __name__ == "__main__":
    print(build())
