#!/usr/bin/python3
"""The ONNX exports as the onnx package sees them, and what they compute.

onnx.checker.check_model (full check) and strict shape inference accept every model; the
graph has the documented inputs, outputs, named nodes and initializers; evaluated in
float32 (tests/export/onnx_numpy.py: python3-onnx 1.12 has no reference evaluator and
Debian no onnxruntime) it reproduces the app's predictions to 1e-5; and the generated
onnxruntime snippet runs (on the same evaluator when onnxruntime is missing).

Usage: check-onnx.py EXPORT-FIXTURE
Exit status 77 (meson's "skipped") when this Python cannot import numpy or onnx.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exportcheck  # noqa: E402

np, onnx = exportcheck.require("numpy", "onnx")
from onnx import numpy_helper, shape_inference  # noqa: E402

import onnx_numpy  # noqa: E402

TOLERANCE = 1e-5
ACTIVATION_OPS = {"relu": "Relu", "leaky_relu": "LeakyRelu", "sigmoid": "Sigmoid",
                  "tanh": "Tanh", "softmax": "Softmax", "identity": None}


def dims(value_info):
    shape = value_info.type.tensor_type.shape
    return [d.dim_param if d.HasField("dim_param") else d.dim_value for d in shape.dim]


def check_case(checker, case):
    path = case.weights("onnx")
    model = onnx.load(path)
    n_out = case.info["outputs"]

    try:
        onnx.checker.check_model(model, full_check=True)
        checker.check(True, "")
    except onnx.checker.ValidationError as error:
        checker.check(False, f"{case.name}: check_model: {error}")
    try:
        inferred = shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        checker.check(True, "")
    except Exception as error:  # onnx raises several types here
        checker.check(False, f"{case.name}: strict shape inference: {error}")
        inferred = model

    checker.check(model.ir_version == 7, f"{case.name}: ir_version {model.ir_version}")
    checker.check([(o.domain, o.version) for o in model.opset_import] == [("", 13)],
                  f"{case.name}: opset {model.opset_import}")
    checker.check(model.producer_name == "Neural Lab", f"{case.name}: producer")
    graph = model.graph
    checker.check([(i.name, dims(i)) for i in graph.input] == [("input", ["N", 2])],
                  f"{case.name}: inputs {[(i.name, dims(i)) for i in graph.input]}")
    checker.check([(o.name, dims(o)) for o in graph.output] == [("output", ["N", n_out])],
                  f"{case.name}: outputs {[(o.name, dims(o)) for o in graph.output]}")
    for value in inferred.graph.value_info:
        if value.name == "features":
            checker.check(dims(value) == ["N", len(case.features)],
                          f"{case.name}: inferred features shape {dims(value)}")

    # Named layers, in order: Gemm, then the activation unless it is the identity.
    names = [node.name for node in graph.node]
    checker.check(len(set(names)) == len(names), f"{case.name}: node names repeat: {names}")
    expected = []
    for n, layer in enumerate(case.layers):
        prefix = "output" if n + 1 == len(case.layers) else f"hidden{n + 1}"
        expected.append(f"{prefix}/Gemm")
        if ACTIVATION_OPS[layer["activation"]]:
            expected.append(f"{prefix}/{ACTIVATION_OPS[layer['activation']]}")
    layer_nodes = [name for name in names if not name.startswith("features/")]
    checker.check(layer_nodes == expected, f"{case.name}: layer nodes {layer_nodes}")
    checker.check("features/Concat" in names, f"{case.name}: no features/Concat")

    # The initializers are the .npz weights rounded to float32.
    initializers = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    with np.load(case.weights("npz"), allow_pickle=False) as npz:
        for n in range(len(case.layers)):
            for kind in ("weight", "bias"):
                name = f"layers.{n}.{kind}"
                checker.check(name in initializers and initializers[name].dtype == np.float32
                              and np.array_equal(initializers[name], npz[name].astype(np.float32)),
                              f"{case.name}: initializer {name}")

    points = np.array(case.points, dtype=np.float32)
    outputs = onnx_numpy.run(model, {"input": points})
    checker.check(outputs["output"].dtype == np.float32
                  and outputs["output"].shape == (len(points), n_out),
                  f"{case.name}: output {outputs['output'].dtype} {outputs['output'].shape}")
    checker.close(case, outputs["output"], "ONNX model in float32", TOLERANCE)

    predict = checker.run_snippet(case, "onnx", "numpy")
    checker.close(case, [predict(x1, x2) for x1, x2 in case.points], "snippet-onnx-numpy",
                  TOLERANCE)


def main():
    checker = exportcheck.Checker(sys.argv[1])
    if exportcheck.use_stub_if_missing("onnxruntime"):
        print("# onnxruntime is not installed: the snippet runs on tests/export/onnx_numpy.py")
    for case in checker.cases:
        check_case(checker, case)
    return checker.finish()


if __name__ == "__main__":
    sys.exit(main())
