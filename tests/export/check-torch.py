#!/usr/bin/python3
"""The exports loaded into PyTorch: an nn.Sequential of Linear layers takes the .npz
weights directly and predicts what the app predicts (float64, to 1e-12), and so do the
generated PyTorch snippets for .npz, JSON, CSV and safetensors.

Usage: check-torch.py EXPORT-FIXTURE
Exit status 77 (meson's "skipped") when this Python cannot import numpy or torch.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exportcheck  # noqa: E402

np, torch = exportcheck.require("numpy", "torch")
from torch import nn  # noqa: E402

TOLERANCE = 1e-12


def activation_module(layer):
    name = layer["activation"]
    if name == "identity":
        return None
    return {"relu": nn.ReLU(), "leaky_relu": nn.LeakyReLU(layer["alpha"]),
            "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(), "softmax": nn.Softmax(dim=1)}[name]


def features(case, points):
    x1, x2 = points[:, 0], points[:, 1]
    columns = {"x1": x1, "x2": x2, "x1^2": x1 * x1, "x2^2": x2 * x2, "x1*x2": x1 * x2,
               "sin(x1)": torch.sin(x1), "sin(x2)": torch.sin(x2)}
    return torch.stack([columns[f] for f in case.features], dim=1)


def check_case(checker, case):
    modules, linear_index = [], []
    for layer in case.layers:
        linear_index.append(len(modules))
        modules.append(nn.Linear(layer["inputs"], layer["units"]))
        activation = activation_module(layer)
        if activation is not None:
            modules.append(activation)
    model = nn.Sequential(*modules).double().eval()

    # The .npz arrays are state_dict tensors as they are: only the module index differs.
    with np.load(case.weights("npz"), allow_pickle=False) as npz:
        state = {}
        for n, index in enumerate(linear_index):
            state[f"{index}.weight"] = torch.from_numpy(npz[f"layers.{n}.weight"])
            state[f"{index}.bias"] = torch.from_numpy(npz[f"layers.{n}.bias"])
    model.load_state_dict(state, strict=True)

    points = torch.tensor(case.points, dtype=torch.float64)
    with torch.no_grad():
        outputs = model(features(case, points)).numpy()
    checker.close(case, outputs, "nn.Sequential with the .npz weights", TOLERANCE)

    for format in ("npz", "json", "csv", "safetensors"):
        predict = checker.run_snippet(case, format, "pytorch")
        checker.close(case, [predict(x1, x2) for x1, x2 in case.points],
                      f"snippet-{format}-pytorch", TOLERANCE)


def main():
    torch.set_num_threads(1)
    checker = exportcheck.Checker(sys.argv[1])
    if exportcheck.use_stub_if_missing("safetensors"):
        print("# safetensors is not installed: the snippets use tests/export/stubs/safetensors")
    for case in checker.cases:
        check_case(checker, case)
    return checker.finish()


if __name__ == "__main__":
    sys.exit(main())
