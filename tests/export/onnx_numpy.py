"""A NumPy evaluator for the ONNX operators Neural Lab's exporter writes.

python3-onnx 1.12 (Debian 12) has no reference evaluator (onnx.reference came in 1.13)
and Debian has no onnxruntime, so the checks run the graph with this: each operator as the
ONNX operator documentation defines it at opset 13, in the tensors' own dtype (float32),
nodes in graph order. Anything else is refused, so the exporter cannot slip in an
operator this does not understand.
"""

import numpy as np
from onnx import helper, numpy_helper


def _slice(inputs, attributes):
    data, starts, ends = inputs[:3]
    axes = inputs[3] if len(inputs) > 3 else np.arange(len(starts))
    steps = inputs[4] if len(inputs) > 4 else np.ones(len(starts), dtype=np.int64)
    index = [slice(None)] * data.ndim
    for start, end, axis, step in zip(starts, ends, axes, steps):
        index[int(axis)] = slice(int(start), int(end), int(step))
    return data[tuple(index)]


def _gemm(inputs, attributes):
    a, b = inputs[0], inputs[1]
    if attributes.get("transA", 0):
        a = a.T
    if attributes.get("transB", 0):
        b = b.T
    y = np.float32(attributes.get("alpha", 1.0)) * (a @ b)
    if len(inputs) > 2:
        y = y + np.float32(attributes.get("beta", 1.0)) * inputs[2]
    return y


def _leaky_relu(inputs, attributes):
    x = inputs[0]
    return np.where(x < 0, np.float32(attributes.get("alpha", 0.01)) * x, x)


def _softmax(inputs, attributes):
    x = inputs[0]
    axis = attributes.get("axis", -1)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


OPERATORS = {
    "Slice": _slice,
    "Mul": lambda inputs, attributes: inputs[0] * inputs[1],
    "Sin": lambda inputs, attributes: np.sin(inputs[0]),
    "Concat": lambda inputs, attributes: np.concatenate(inputs, axis=attributes["axis"]),
    "Gemm": _gemm,
    "Relu": lambda inputs, attributes: np.maximum(inputs[0], np.float32(0)),
    "LeakyRelu": _leaky_relu,
    "Sigmoid": lambda inputs, attributes: np.float32(1) / (np.float32(1) + np.exp(-inputs[0])),
    "Tanh": lambda inputs, attributes: np.tanh(inputs[0]),
    "Softmax": _softmax,
}


def run(model, feeds):
    """{output name: array} for the graph's outputs, given {input name: array}."""
    values = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    values.update(feeds)
    for node in model.graph.node:
        if node.op_type not in OPERATORS or node.domain not in ("", "ai.onnx"):
            raise NotImplementedError(f"{node.name}: operator {node.op_type}")
        attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        result = OPERATORS[node.op_type]([values[name] for name in node.input], attributes)
        assert len(node.output) == 1
        values[node.output[0]] = result
    return {output.name: values[output.name] for output in model.graph.output}
