"""PyG models of the families the exporter supports, built as PyG users build them, and small
example batches. Used by the tests and by examples/exported/make_examples.py."""
import torch
import torch.nn.functional as F
from torch import nn

import torch_geometric.nn as pyg
from torch_geometric.data import Batch, Data
from torch_geometric.nn import (MLP, GINEConv, GPSConv, TransformerConv, global_add_pool, global_max_pool,
                                global_mean_pool)


def molecule_batch(sizes=(9, 1, 6, 11, 5), seed=0, int_features=True, node_dim=6, edge_dim=3):
    """Random molecule-like graphs (chains with a few rings, both edge directions): OGB-like int64 x
    [N, 9] and edge_attr [E, 3], or float x [N, node_dim] and edge_attr [E, edge_dim]."""
    g = torch.Generator().manual_seed(seed)
    datas = []
    for n in sizes:
        src = list(range(n - 1))
        dst = list(range(1, n))
        if n >= 5:
            src.append(0)
            dst.append(4)
        ei = torch.tensor([src + dst, dst + src], dtype=torch.long).reshape(2, -1)
        e = ei.shape[1]
        if int_features:
            dims = [119, 5, 12, 12, 10, 6, 6, 2, 2]
            x = torch.stack([torch.randint(0, min(d, 8), (n,), generator=g) for d in dims], dim=1)
            ea = torch.stack([torch.randint(0, d, (e,), generator=g) for d in (5, 6, 2)], dim=1)
        else:
            x = torch.randn(n, node_dim, generator=g)
            ea = torch.randn(e, edge_dim, generator=g)
        datas.append(Data(x=x, edge_index=ei, edge_attr=ea))
    return Batch.from_data_list(datas)


def zinc_batch(sizes=(7, 3, 10, 5), seed=1):
    """ZINC-like: x [N, 1] int64 atom types (< 28), edge_attr [E] int64 bond types (< 4)."""
    b = molecule_batch(sizes, seed)
    g = torch.Generator().manual_seed(seed + 10)
    b.x = torch.randint(0, 28, (b.num_nodes, 1), generator=g)
    b.edge_attr = torch.randint(0, 4, (b.edge_index.shape[1],), generator=g)
    return b


def randomize(model, seed=0):
    """Random biases and norm statistics so that every parameter and buffer matters."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.copy_(0.3 * torch.randn(p.shape, generator=g))
        for m in model.modules():
            if isinstance(m, nn.BatchNorm1d):
                m.running_mean.copy_(0.3 * torch.randn(m.running_mean.shape, generator=g))
                m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=g))
                m.num_batches_tracked.fill_(3)
            if isinstance(m, GINEConv):
                m.eps.fill_(0.25)
    return model.eval()


class GPS(nn.Module):
    """PyG's examples/graph_gps.py without the positional encodings: Embedding encoders on ZINC's
    atom and bond types, GPSConv(GINEConv) layers, global_add_pool, a Sequential head."""

    def __init__(self, channels=16, num_layers=2, heads=4):
        super().__init__()
        self.node_emb = nn.Embedding(28, channels)
        self.edge_emb = nn.Embedding(4, channels)
        self.convs = nn.ModuleList()
        for _ in range(num_layers):
            mlp = nn.Sequential(nn.Linear(channels, channels), nn.ReLU(), nn.Linear(channels, channels))
            self.convs.append(GPSConv(channels, GINEConv(mlp), heads=heads, attn_type="multihead"))
        self.mlp = nn.Sequential(nn.Linear(channels, channels // 2), nn.ReLU(), nn.Linear(channels // 2, channels // 4),
                                 nn.ReLU(), nn.Linear(channels // 4, 1))

    def forward(self, x, edge_index, edge_attr, batch):
        x = self.node_emb(x.squeeze(-1))
        edge_attr = self.edge_emb(edge_attr)
        for conv in self.convs:
            x = conv(x, edge_index, batch, edge_attr=edge_attr)
        x = global_add_pool(x, batch)
        return self.mlp(x)


class GPSMolecule(nn.Module):
    """An OGB-molecule GPS model: AtomEncoder/BondEncoder, GPSConv(GINEConv) x L, global_add_pool,
    MLP head (tools/graphtx_pyg.py's GPSMolecule, parameterised)."""

    def __init__(self, hidden=16, layers=2, heads=2, norm="batch_norm"):
        super().__init__()
        from ogb.graphproppred.mol_encoder import AtomEncoder, BondEncoder
        self.atom_encoder = AtomEncoder(hidden)
        self.bond_encoder = BondEncoder(hidden)
        self.convs = nn.ModuleList([
            GPSConv(hidden, GINEConv(nn.Sequential(nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, hidden))),
                    heads=heads, norm=norm) for _ in range(layers)])
        self.mlp = MLP([hidden, hidden // 2, 1])

    def forward(self, x, edge_index, edge_attr, batch):
        x = self.atom_encoder(x)
        edge_attr = self.bond_encoder(edge_attr)
        for conv in self.convs:
            x = conv(x, edge_index, batch, edge_attr=edge_attr)
        x = global_add_pool(x, batch)
        return self.mlp(x)


class EdgeBlock(nn.Module):
    def __init__(self, cin, out=4, heads=2, edge_dim=3):
        super().__init__()
        self.conv = TransformerConv(cin, out, heads=heads, concat=True, beta=True, edge_dim=edge_dim)
        self.norm = nn.LayerNorm(out * heads)

    def forward(self, x, edge_index, edge_attr):
        return F.relu(self.norm(self.conv(x, edge_index, edge_attr)))


class EdgeTransformer(nn.Module):
    """TransformerConv blocks with edge features and beta, residuals after the first, max pooling and
    an MLP head (Linear-GELU-Linear)."""

    def __init__(self, in_dim=6, edge_dim=3, hidden=16, heads=2, layers=3, num_out=2):
        super().__init__()
        c = hidden // heads
        self.blocks = nn.ModuleList([EdgeBlock(in_dim, c, heads, edge_dim)] +
                                    [EdgeBlock(hidden, c, heads, edge_dim) for _ in range(layers - 1)])
        self.head = nn.Sequential(nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, num_out))

    def forward(self, x, edge_index, edge_attr, batch):
        x = self.blocks[0](x, edge_index, edge_attr)
        for b in self.blocks[1:]:
            x = x + b(x, edge_index, edge_attr)
        return self.head(global_max_pool(x, batch))


class NodeTransformer(nn.Module):
    """A node-level model (no pooling): an edge Linear encoder, TransformerConv with edge features
    and mean over heads, a residual TransformerConv, an MLP head with a per-graph LayerNorm."""

    def __init__(self, in_dim=6, edge_dim=3, hidden=8, out=3):
        super().__init__()
        self.edge_lin = nn.Linear(edge_dim, 4)
        self.conv1 = TransformerConv(in_dim, hidden, heads=3, concat=False, edge_dim=4)
        self.conv2 = TransformerConv(hidden, hidden, heads=2, concat=False, edge_dim=4, root_weight=True)
        self.act = nn.ELU(alpha=0.5)
        self.head = MLP([hidden, hidden, out], norm="layer_norm", act="gelu")

    def forward(self, x, edge_index, edge_attr, batch):
        edge_attr = self.edge_lin(edge_attr)
        x = self.act(self.conv1(x, edge_index, edge_attr))
        x = x + self.conv2(x, edge_index, edge_attr)
        x = F.dropout(x, p=0.2, training=self.training)
        return self.head(x, batch)


def pyg_sequential(in_dim=6, hidden=8):
    """torch_geometric.nn.Sequential of TransformerConvs, activations and a readout head."""
    return pyg.Sequential("x, edge_index, batch", [
        (TransformerConv(in_dim, hidden // 2, heads=2), "x, edge_index -> x"),
        nn.ReLU(),
        (TransformerConv(hidden, hidden, heads=2, concat=False, beta=True), "x, edge_index -> x"),
        nn.LeakyReLU(0.2),
        (global_mean_pool, "x, batch -> x"),
        nn.Linear(hidden, 1),
    ])


def seed_model(hidden=16, layers=3, heads=2):
    """tools/graphtx_pyg.py's GraphTransformer (the seed class: trailing unused conv and LayerNorm)."""
    import os
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
    from graphtx_pyg import GraphTransformer
    return GraphTransformer(input_dim=9, hidden_dim=hidden, dropout=0.1, num_conv_layers=layers, heads=heads)


class DataModel(nn.Module):
    """forward(self, data) as many PyG users write it, with a flattened regression output."""

    def __init__(self, in_dim=6, hidden=8):
        super().__init__()
        self.conv = TransformerConv(in_dim, hidden, heads=2, concat=False, edge_dim=3)
        self.lin = nn.Linear(hidden, 1)

    def forward(self, data):
        x, edge_index, edge_attr, batch = data.x, data.edge_index, data.edge_attr, data.batch
        x = F.relu(self.conv(x, edge_index, edge_attr))
        x = global_mean_pool(x, batch)
        return self.lin(x).squeeze(-1)


class TwoPools(nn.Module):
    """A readout of mean and max pools side by side (torch.cat of two global pools)."""

    def __init__(self, in_dim=6, hidden=8):
        super().__init__()
        self.conv = TransformerConv(in_dim, hidden // 2, heads=2)
        self.head = nn.Linear(2 * hidden, 2)

    def forward(self, x, edge_index, batch):
        x = F.relu(self.conv(x, edge_index))
        x = torch.cat([global_mean_pool(x, batch), global_max_pool(x, batch)], dim=-1)
        return self.head(x)
