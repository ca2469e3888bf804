"""safetensors.torch.load_file, as the tests' stand-in (see __init__.py)."""

import torch

from . import read


def load_file(filename, device="cpu"):
    return {name: torch.from_numpy(array).to(device) for name, array in read(filename).items()}
