"""A stand-in for the safetensors package (which Debian does not ship), for the tests only.

It reads files as the format's specification describes them, so that the generated
snippets can run here: an unsigned little-endian 64-bit header size, a JSON header mapping
each tensor name to its dtype, shape and [begin, end) byte offsets into the data that
follows (plus an optional "__metadata__" of strings), then the raw little-endian data.
"""

import json

_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4",
           "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}


def read(path):
    """{name: numpy array} of the file at path."""
    import numpy

    with open(path, "rb") as f:
        data = f.read()
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + size].decode("utf-8"))
    header.pop("__metadata__", None)
    body = data[8 + size:]
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        array = numpy.frombuffer(body[begin:end], dtype=_DTYPES[entry["dtype"]])
        tensors[name] = array.reshape(entry["shape"]).copy()
    return tensors
