#!/usr/bin/env python3
"""Check files for the runner tests (tests/runner, tests/data/runner), from existing PyG goldens.

Standard library only: safetensors is a JSON header and raw little-endian bytes. Writes

  gps_conv_node.check.safetensors       the node-level golden modules/gps_conv (one GPSConv, no
                                        pooling) in the exporter's check format: x, edge_index,
                                        batch, edge_attr, y (= out [N, 8]), y_f64 (= out_f64)
  gps_molecule_corrupt_y.check.safetensors  models/gps_molecule with y[3, 0] of PyG's prediction
                                        changed by +0.01: --check must fail on it

  python3 tools/make_runner_check_files.py   # from the repository root
"""
import json
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
OUT = DATA / "runner"


def read(path):
    raw = path.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    meta = header.pop("__metadata__", None)
    body = raw[8 + n :]
    tensors = {k: (v["dtype"], v["shape"], body[v["data_offsets"][0] : v["data_offsets"][1]]) for k, v in header.items()}
    return tensors, meta


def write(path, tensors, meta):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        dtype, shape, data = tensors[name]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if meta:
        header["__metadata__"] = meta
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    OUT.mkdir(exist_ok=True)
    t, meta = read(DATA / "modules" / "gps_conv.io.safetensors")
    node = {k: t[k] for k in ("x", "edge_index", "batch", "edge_attr")}
    node["y"], node["y_f64"] = t["out"], t["out_f64"]
    meta = dict(meta or {}, converted_by="tools/make_runner_check_files.py from modules/gps_conv.io.safetensors (out -> y)")
    write(OUT / "gps_conv_node.check.safetensors", node, meta)

    t, meta = read(DATA / "models" / "gps_molecule.io.safetensors")
    dtype, shape, data = t["y"]
    assert dtype == "F32" and shape[1] == 1
    values = list(struct.unpack(f"<{shape[0]}f", data))
    values[3] += 0.01
    t["y"] = (dtype, shape, struct.pack(f"<{shape[0]}f", *values))
    meta = dict(meta or {}, converted_by="tools/make_runner_check_files.py: y[3, 0] += 0.01 (a wrong expected value)")
    write(OUT / "gps_molecule_corrupt_y.check.safetensors", t, meta)


if __name__ == "__main__":
    main()
