"""A stand-in for onnxruntime (which Debian does not ship), for the tests only.

InferenceSession runs the model with tests/export/onnx_numpy.py, a NumPy evaluator of the
operators Neural Lab's ONNX exporter writes, so that the generated snippet can run here.
"""

import onnx

import onnx_numpy


class InferenceSession:
    def __init__(self, path, providers=None):
        self._model = onnx.load(path)

    def run(self, output_names, input_feed):
        outputs = onnx_numpy.run(self._model, input_feed)
        if output_names is None:
            return list(outputs.values())
        return [outputs[name] for name in output_names]
