#!/usr/bin/env python3
"""The seed model in PyTorch Geometric served by Triton 2.51 through PyTriton (the Python route,
for the side-by-side with the graphtx backend): same weights file, same inputs and output names,
dynamic batching; each Execute's requests are merged into one PyG Batch like the graphtx backend does.

    pyg_server.py --weights model.safetensors --http-port 19000 --grpc-port 19001 [--threads 2]

Needs torch, torch_geometric, nvidia-pytriton and numpy < 2 (and LD_LIBRARY_PATH with the libpython
of this interpreter, for PyTriton's stub).
"""
import argparse
import os
import sys

import numpy as np
import torch
from safetensors.torch import load_file
from torch_geometric.data import Batch, Data

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
from graphtx_pyg import GraphTransformer  # noqa: E402

from pytriton.model_config import DynamicBatcher, ModelConfig, Tensor  # noqa: E402
from pytriton.triton import Triton, TritonConfig  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--weights", required=True)
ap.add_argument("--http-port", type=int, default=19000)
ap.add_argument("--grpc-port", type=int, default=19001)
ap.add_argument("--metrics-port", type=int, default=19002)
ap.add_argument("--threads", type=int, default=2)
a = ap.parse_args()
torch.set_num_threads(a.threads)
model = GraphTransformer(9, 256, 0.0, 10, 32)
model.load_state_dict(load_file(a.weights))
model.eval()


def infer(requests):
    graphs = []
    for r in requests:
        x = torch.from_numpy(np.ascontiguousarray(r["x"][0]))
        ei = torch.from_numpy(np.ascontiguousarray(r["edge_index"][0]))
        graphs.append(Data(x=x, edge_index=ei))
    b = Batch.from_data_list(graphs)
    with torch.inference_mode():
        y = model(b.x, b.edge_index, b.batch, num_graphs=len(graphs)).numpy()
    return [{"y": y[i:i + 1]} for i in range(len(graphs))]


cfg = TritonConfig(http_address="127.0.0.1", http_port=a.http_port, grpc_address="127.0.0.1",
                   grpc_port=a.grpc_port, metrics_port=a.metrics_port, allow_gpu_metrics=False)
with Triton(config=cfg) as triton:
    triton.bind(model_name="pyg_seed", infer_func=infer,
                inputs=[Tensor(name="x", dtype=np.float32, shape=(-1, 9)),
                        Tensor(name="edge_index", dtype=np.int64, shape=(2, -1))],
                outputs=[Tensor(name="y", dtype=np.float32, shape=(1,))],
                config=ModelConfig(max_batch_size=256, batcher=DynamicBatcher(max_queue_delay_microseconds=2000)))
    print("pyg_server: serving pyg_seed", flush=True)
    triton.serve()
