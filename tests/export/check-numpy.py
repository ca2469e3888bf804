#!/usr/bin/python3
"""The exports as NumPy reads them: .npz, JSON, CSV and safetensors, and the NumPy snippets.

numpy.load opens the .npz without pickle; its arrays have the documented names, dtypes and
shapes, and a forward pass written here from them reproduces the app's predictions to
1e-12. The JSON, CSV and safetensors files hold exactly the same doubles. Archives NumPy
writes itself (np.savez, np.savez_compressed, Fortran order) import back bit for bit. The
generated NumPy snippets, run as they are, predict what the app predicts.

Usage: check-numpy.py EXPORT-FIXTURE
Exit status 77 (meson's "skipped") when this Python cannot import numpy.
"""

import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exportcheck  # noqa: E402

(np,) = exportcheck.require("numpy")

TOLERANCE = 1e-12


def activate(name, alpha, u):
    if name == "identity":
        return u
    if name == "relu":
        return np.maximum(u, 0.0)
    if name == "leaky_relu":
        return np.where(u > 0.0, u, alpha * u)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-u))
    if name == "tanh":
        return np.tanh(u)
    if name == "softmax":
        e = np.exp(u - u.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    raise ValueError(name)


def forward(case, weights, points):
    """The network on all points at once: features, then u = z Wᵀ + b and z = F(u)."""
    x1, x2 = points[:, 0], points[:, 1]
    columns = {"x1": x1, "x2": x2, "x1^2": x1 * x1, "x2^2": x2 * x2, "x1*x2": x1 * x2,
               "sin(x1)": np.sin(x1), "sin(x2)": np.sin(x2)}
    z = np.stack([columns[f] for f in case.features], axis=1)
    for n, layer in enumerate(case.layers):
        u = z @ weights[f"layers.{n}.weight"].T + weights[f"layers.{n}.bias"]
        z = activate(layer["activation"], layer["alpha"], u)
    return z


def same(a, b):
    """Bit for bit, so -0.0 and 0.0 differ."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))


def read_safetensors(path):
    """The format as specified: u64 little-endian header size, JSON header, raw data."""
    with open(path, "rb") as f:
        data = f.read()
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + size].decode("utf-8"))
    body = data[8 + size:]
    metadata = header.pop("__metadata__")
    tensors, end = {}, 0
    for name, entry in sorted(header.items(), key=lambda item: item[1]["data_offsets"][0]):
        begin, stop = entry["data_offsets"]
        assert begin == end, f"{name} does not follow the previous tensor"
        assert entry["dtype"] == "F64", entry["dtype"]
        tensors[name] = np.frombuffer(body[begin:stop], dtype="<f8").reshape(entry["shape"])
        end = stop
    assert end == len(body), "the tensors do not fill the data"
    assert size % 8 == 0 and all(isinstance(v, str) for v in metadata.values())
    return tensors, metadata


def read_json(path):
    with open(path) as f:
        exported = json.load(f)
    weights = {}
    for n, layer in enumerate(exported["layers"]):
        weights[f"layers.{n}.weight"] = np.array(layer["weight"], dtype=np.float64)
        weights[f"layers.{n}.bias"] = np.array(layer["bias"], dtype=np.float64)
    return exported, weights


def read_csv(path, reference):
    weights = {name: np.zeros_like(array) for name, array in reference.items()}
    rows = 0
    with open(path, newline="") as f:
        reader = csv.reader(f)
        assert next(reader) == ["layer", "kind", "to", "from", "value"]
        for layer, kind, to, source, value in reader:
            tensor = weights[f"layers.{layer}.{kind}"]
            if kind == "weight":
                tensor[int(to), int(source)] = float(value)
            else:
                assert source == ""
                tensor[int(to)] = float(value)
            rows += 1
    return weights, rows


def check_case(checker, case):
    n_layers = len(case.layers)
    points = np.array(case.points)

    # numpy.load, no pickle: names, dtypes, shapes, the strings.
    with np.load(case.weights("npz"), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    expected = {f"layers.{n}.{kind}" for n in range(n_layers) for kind in ("weight", "bias")}
    checker.check(set(arrays) == expected | {"features", "activations", "alphas"},
                  f"{case.name}: npz members {sorted(arrays)}")
    weights = {name: arrays[name] for name in expected}
    for n, layer in enumerate(case.layers):
        w, b = weights[f"layers.{n}.weight"], weights[f"layers.{n}.bias"]
        checker.check(w.dtype == np.float64 and w.shape == (layer["units"], layer["inputs"])
                      and w.flags.c_contiguous, f"{case.name}: layers.{n}.weight {w.dtype}"
                      f" {w.shape}")
        checker.check(b.dtype == np.float64 and b.shape == (layer["units"],),
                      f"{case.name}: layers.{n}.bias {b.dtype} {b.shape}")
    checker.check(arrays["features"].dtype.kind == "U"
                  and list(arrays["features"]) == case.features,
                  f"{case.name}: features {arrays['features']!r}")
    checker.check(list(arrays["activations"]) == [layer["activation"] for layer in case.layers],
                  f"{case.name}: activations {arrays['activations']!r}")
    checker.check(list(arrays["alphas"]) == [layer["alpha"] for layer in case.layers],
                  f"{case.name}: alphas {arrays['alphas']!r}")
    checker.close(case, forward(case, weights, points), "numpy forward from the .npz",
                  TOLERANCE)

    # The other files hold the same doubles.
    exported, from_json = read_json(case.weights("json"))
    checker.check(exported["format"] == "neural-lab-weights" and exported["version"] == 1
                  and exported["features"] == case.features,
                  f"{case.name}: JSON header")
    checker.check(all(same(from_json[k], weights[k]) for k in expected),
                  f"{case.name}: JSON weights equal the .npz's")
    from_csv, rows = read_csv(case.weights("csv"), weights)
    checker.check(rows == sum(w.size for w in weights.values()),
                  f"{case.name}: CSV has {rows} rows")
    checker.check(all(same(from_csv[k], weights[k]) for k in expected),
                  f"{case.name}: CSV weights equal the .npz's")
    tensors, metadata = read_safetensors(case.weights("safetensors"))
    checker.check(set(tensors) == expected
                  and all(same(tensors[k], weights[k]) for k in expected),
                  f"{case.name}: safetensors tensors equal the .npz's")
    checker.check(metadata["features"] == ",".join(case.features)
                  and metadata["activations"].split(",") == list(arrays["activations"]),
                  f"{case.name}: safetensors metadata {metadata}")

    # Archives written by NumPy itself import back exactly.
    for how, save in (("np.savez", np.savez), ("np.savez_compressed", np.savez_compressed)):
        path = os.path.join(checker.tmp.name, f"{case.name}-numpy.npz")
        save(path, **weights)
        checker.import_back(case, path, how)
    path = os.path.join(checker.tmp.name, f"{case.name}-fortran.npz")
    np.savez(path, **{k: np.asfortranarray(v) for k, v in weights.items()},
             features=np.array(case.features))
    checker.import_back(case, path, "np.savez of Fortran-order arrays")
    checker.import_back(case, case.weights("npz"), "the exported .npz")
    checker.import_back(case, case.weights("json"), "the exported JSON")

    # The NumPy snippets, as generated.
    for format in ("npz", "json", "csv", "safetensors"):
        predict = checker.run_snippet(case, format, "numpy")
        checker.close(case, [predict(x1, x2) for x1, x2 in case.points],
                      f"snippet-{format}-numpy", TOLERANCE)


def main():
    checker = exportcheck.Checker(sys.argv[1])
    if exportcheck.use_stub_if_missing("safetensors"):
        print("# safetensors is not installed: the snippets use tests/export/stubs/safetensors")
    for case in checker.cases:
        check_case(checker, case)
    return checker.finish()


if __name__ == "__main__":
    sys.exit(main())
