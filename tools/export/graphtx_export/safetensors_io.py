"""A minimal safetensors writer and reader (the format: 8-byte little-endian header length, a JSON
header of {name: {dtype, shape, data_offsets}}, the raw little-endian data). Written here so that the
exporter needs only torch and torch_geometric; files load with `safetensors.torch.load_file`."""
import json
import struct

import torch

_DTYPES = {
    torch.float32: "F32",
    torch.float64: "F64",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
    torch.int32: "I32",
    torch.int16: "I16",
    torch.int8: "I8",
    torch.uint8: "U8",
    torch.bool: "BOOL",
}
_FROM = {v: k for k, v in _DTYPES.items()}


def _raw(t):
    t = t.detach().to("cpu").contiguous()
    if t.numel() == 0:
        return b""
    u = t.reshape(-1).view(torch.uint8)  # the bytes in memory order (little-endian where torch runs)
    try:
        return u.numpy().tobytes()
    except Exception:  # torch without numpy
        return bytes(u.tolist())


def save_file(tensors, path, metadata=None):
    """Writes {name: tensor} in the order given (sorted by name, as safetensors itself does)."""
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        if t.dtype not in _DTYPES:
            raise ValueError(f"safetensors: tensor {name!r} has unsupported dtype {t.dtype}")
        b = _raw(t)
        header[name] = {"dtype": _DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in sorted(metadata.items())}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # data section aligned to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def load_file(path):
    """{name: tensor} of a safetensors file (for tests and tools)."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        dtype = _FROM[info["dtype"]]
        raw = bytearray(data[a:b])
        t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"]).clone()
    return out
