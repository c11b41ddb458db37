"""Shared PyG-side helpers for graphtx's tools: the seed model as a PyTorch module and
deterministic molecule-like batches. Python is for tools/ only; graphtx itself never needs it."""
import torch
from torch import nn
from torch_geometric.nn import TransformerConv, global_mean_pool


class GraphTransformer(nn.Module):
    """The seed model (ryienh/gnn-dataflow GraphTransformer), restated: num_conv_layers + 1 convs and
    num_conv_layers LayerNorms are built; forward runs convs[0..L-1] and lns[0..L-2]."""

    def __init__(self, input_dim, hidden_dim, dropout, num_conv_layers, heads):
        super().__init__()
        self.num_conv_layers = num_conv_layers
        self.convs = nn.ModuleList([TransformerConv(input_dim, hidden_dim, heads=heads, concat=False)])
        self.lns = nn.ModuleList()
        for _ in range(num_conv_layers):
            self.convs.append(TransformerConv(hidden_dim, hidden_dim, heads=heads, concat=False))
            self.lns.append(nn.LayerNorm(hidden_dim))
        self.conv_dropout = nn.Dropout(p=dropout)
        self.relu = nn.ReLU()
        self.post_mp = nn.Sequential(nn.Linear(hidden_dim, 1))

    def node_forward(self, x, edge_index):
        x = x.to(self.post_mp[0].weight.dtype)
        for i in range(self.num_conv_layers):
            x = self.convs[i](x, edge_index)
            x = self.relu(x)
            x = self.conv_dropout(x)
            if i != self.num_conv_layers - 1:
                x = self.lns[i](x)
        return x

    def forward(self, x, edge_index, batch, num_graphs=None):
        h = self.node_forward(x, edge_index)
        return self.post_mp(global_mean_pool(h, batch, size=num_graphs))


def make_molecule(gen, n):
    """One molecule-like graph of n atoms: a tree (chains and branches, valence <= 4) plus ring
    closures; bonds as (i, j), (j, i) pairs; OGB-like integer atom features [n, 9]."""
    degree = [0] * n
    in_ring = [0] * n
    bonds = []
    for k in range(1, n):
        parent = k - 1
        if torch.rand(1, generator=gen).item() < 0.3 or degree[parent] >= 4:
            for _ in range(8):
                p = int(torch.randint(0, k, (1,), generator=gen))
                if degree[p] < 4:
                    parent = p
                    break
        bonds.append((min(parent, k), max(parent, k)))
        degree[parent] += 1
        degree[k] += 1
    if n >= 5:
        rings = int(0.119 * (n - 2) + torch.rand(1, generator=gen).item())
        made, tries = 0, 0
        while made < rings and tries < 4 * rings + 8:
            tries += 1
            a = int(torch.randint(0, n, (1,), generator=gen))
            b = a + (5 if torch.rand(1, generator=gen).item() < 0.6 else 4)
            if b >= n or (a, b) in bonds or degree[a] >= 4 or degree[b] >= 4:
                continue
            bonds.append((a, b))
            degree[a] += 1
            degree[b] += 1
            for t in range(a, b + 1):
                in_ring[t] = 1
            made += 1
    ei = []
    for a, b in bonds:
        ei += [(a, b), (b, a)]
    edge_index = torch.tensor(ei, dtype=torch.long).t().contiguous() if ei else torch.zeros(2, 0, dtype=torch.long)
    elements = [6, 6, 6, 6, 6, 6, 6, 7, 7, 8, 8, 9, 16, 17]
    x = torch.zeros(n, 9, dtype=torch.long)
    for a in range(n):
        z = elements[int(torch.randint(0, len(elements), (1,), generator=gen))]
        x[a, 0] = z - 1
        x[a, 1] = int(torch.rand(1, generator=gen).item() < 0.03)
        x[a, 2] = degree[a]
        x[a, 3] = 6 if torch.rand(1, generator=gen).item() < 0.02 else 5
        x[a, 4] = max(0, {6: 4, 7: 3, 8: 2}.get(z, 1) - degree[a])
        x[a, 6] = 2 if in_ring[a] else int(torch.randint(1, 4, (1,), generator=gen))
        x[a, 7] = int(in_ring[a] and torch.rand(1, generator=gen).item() < 0.7)
        x[a, 8] = in_ring[a]
    return x, edge_index


def make_molecule_batch(num_graphs, seed, sizes=None, exact_num_nodes=None):
    """Batch of molecule-like graphs: x [N, 9] int64, edge_index [2, E] int64, batch [N] int64.
    With exact_num_nodes the sizes are nudged to hit N exactly (the seed batch: 512 graphs, 7170)."""
    gen = torch.Generator().manual_seed(seed)
    if sizes is None:
        sizes = []
        for _ in range(num_graphs):
            if torch.rand(1, generator=gen).item() < 0.01:
                sizes.append(1)
            else:
                sizes.append(int(torch.randint(4, 15, (1,), generator=gen)) + int(torch.randint(0, 11, (1,), generator=gen)))
        if exact_num_nodes is not None:
            total = sum(sizes)
            while total != exact_num_nodes:
                g = int(torch.randint(0, num_graphs, (1,), generator=gen))
                if total < exact_num_nodes and sizes[g] < 60 and sizes[g] != 1:
                    sizes[g] += 1
                    total += 1
                elif total > exact_num_nodes and sizes[g] > 2:
                    sizes[g] -= 1
                    total -= 1
    xs, eis, bs = [], [], []
    offset = 0
    for g, n in enumerate(sizes):
        if n == 0:
            continue
        x, ei = make_molecule(gen, n)
        xs.append(x)
        eis.append(ei + offset)
        bs.append(torch.full((n,), g, dtype=torch.long))
        offset += n
    x = torch.cat(xs) if xs else torch.zeros(0, 9, dtype=torch.long)
    ei = torch.cat(eis, dim=1) if eis else torch.zeros(2, 0, dtype=torch.long)
    b = torch.cat(bs) if bs else torch.zeros(0, dtype=torch.long)
    return x, ei, b


# ---- shared by make_module_goldens.py (and later PyG-side tools) ----

def randomize_module(module, gen, bias_scale=0.5, num_batches_tracked=7):
    """Make every parameter and buffer matter: random biases (PyG and torch zero-initialise many),
    norm affine weights around 1, BatchNorm running_mean ~ N(0, 0.5^2), running_var ~ U(0.5, 2) and
    num_batches_tracked set to an int. Other weights keep their (seeded) default initialisation."""
    from torch_geometric.nn import LayerNorm as PygLayerNorm
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("bias"):  # also MultiheadAttention's in_proj_bias
                p.copy_(torch.randn(p.shape, generator=gen) * bias_scale)
        for m in module.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.LayerNorm, PygLayerNorm)) and getattr(m, "weight", None) is not None:
                m.weight.copy_(1.0 + 0.2 * torch.randn(m.weight.shape, generator=gen))
            if isinstance(m, nn.BatchNorm1d) and m.running_mean is not None:
                m.running_mean.copy_(0.5 * torch.randn(m.running_mean.shape, generator=gen))
                m.running_var.copy_(0.5 + 1.5 * torch.rand(m.running_var.shape, generator=gen))
                m.num_batches_tracked.fill_(num_batches_tracked)


def make_node_batch(gen, sizes, edges_per_node=2):
    """Batch of random graphs (graph g has sizes[g] nodes; 0 gives an empty graph that keeps its id).
    In every graph of n >= 2 nodes: ~edges_per_node * n random edges, one self-loop, one edge
    repeated three times, and the graph's last node receives no edge (it still sends). Single-node
    graphs have no edges. Edges are grouped by graph as PyG's DataLoader makes them, unsorted inside.
    Returns edge_index [2, E] int64, batch [N] int64, ptr [G + 1] int64."""
    eis, bs = [], []
    offset = 0
    for g, n in enumerate(sizes):
        bs.append(torch.full((n,), g, dtype=torch.long))
        if n >= 2:
            e = edges_per_node * n
            src = torch.randint(0, n, (e,), generator=gen)
            dst = torch.randint(0, n - 1, (e,), generator=gen)
            loop = int(torch.randint(0, n - 1, (1,), generator=gen))
            ei = torch.stack([src, dst])
            extra = torch.tensor([[loop, src[0], src[0]], [loop, dst[0], dst[0]]])
            ei = torch.cat([ei[:, :e // 2], extra, ei[:, e // 2:]], dim=1)
            eis.append(ei + offset)
        offset += n
    edge_index = torch.cat(eis, dim=1) if eis else torch.zeros(2, 0, dtype=torch.long)
    batch = torch.cat(bs) if bs else torch.zeros(0, dtype=torch.long)
    ptr = torch.zeros(len(sizes) + 1, dtype=torch.long)
    ptr[1:] = torch.cumsum(torch.tensor(sizes, dtype=torch.long), 0)
    return edge_index.contiguous(), batch, ptr


def make_bond_features(gen, edge_index):
    """OGB-like int64 bond features [E, 3] for make_molecule's edge_index, whose edges come in
    (a, b), (b, a) pairs: both directions get the same row. Columns and OGB table sizes
    (get_bond_feature_dims(): 5, 6, 2): bond type (0 single .. 3 aromatic), stereo (0 mostly),
    is_conjugated."""
    pairs = edge_index.shape[1] // 2
    u = torch.rand(pairs, generator=gen)
    bond_type = torch.where(u < 0.6, 0, torch.where(u < 0.75, 1, torch.where(u < 0.8, 2, 3)))
    stereo = torch.where(torch.rand(pairs, generator=gen) < 0.9, 0,
                         torch.randint(1, 6, (pairs,), generator=gen))
    conj = (torch.rand(pairs, generator=gen) < 0.4).long()
    attr = torch.stack([bond_type, stereo, conj], dim=1).long()
    return attr.repeat_interleave(2, dim=0).contiguous()


class GPSMolecule(nn.Module):
    """OGB-molecule GPS model: AtomEncoder/BondEncoder(16), 3 GPSConv(16, GINEConv(MLP), heads=2)
    (defaults: batch_norm, relu, multihead attention), global_add_pool, MLP([16, 8, 1])."""

    def __init__(self, hidden=16, layers=3, heads=2):
        super().__init__()
        from ogb.graphproppred.mol_encoder import AtomEncoder, BondEncoder
        from torch_geometric.nn import GINEConv, GPSConv, MLP
        self.atom_encoder = AtomEncoder(hidden)
        self.bond_encoder = BondEncoder(hidden)
        self.convs = nn.ModuleList([
            GPSConv(hidden, GINEConv(nn.Sequential(nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, hidden))),
                    heads=heads) for _ in range(layers)])
        self.mlp = MLP([hidden, 8, 1])

    def forward(self, x, edge_index, edge_attr, batch):
        from torch_geometric.nn import global_add_pool
        x = self.atom_encoder(x)
        edge_attr = self.bond_encoder(edge_attr)
        for conv in self.convs:
            x = conv(x, edge_index, batch, edge_attr=edge_attr)
        x = global_add_pool(x, batch)
        return self.mlp(x)


class EdgeTransformerBlock(nn.Module):
    """relu(LayerNorm(TransformerConv(cin, 4, heads=2, concat, beta, edge_dim=3)))."""

    def __init__(self, cin, out=4, heads=2, edge_dim=3):
        super().__init__()
        self.conv = TransformerConv(cin, out, heads=heads, concat=True, beta=True, edge_dim=edge_dim)
        self.norm = nn.LayerNorm(out * heads)

    def forward(self, x, edge_index, edge_attr):
        return torch.relu(self.norm(self.conv(x, edge_index, edge_attr)))


class EdgeTransformer(nn.Module):
    """Blocks 6 -> 8 -> 8 -> 8 (residual after the first), global_max_pool, Linear-GELU-Linear head."""

    def __init__(self, in_dim=6, edge_dim=3, num_out=2):
        super().__init__()
        self.blocks = nn.ModuleList([EdgeTransformerBlock(in_dim, edge_dim=edge_dim),
                                     EdgeTransformerBlock(8, edge_dim=edge_dim),
                                     EdgeTransformerBlock(8, edge_dim=edge_dim)])
        self.head = nn.Sequential(nn.Linear(8, 8), nn.GELU(), nn.Linear(8, num_out))

    def forward(self, x, edge_index, edge_attr, batch):
        from torch_geometric.nn import global_max_pool
        x = self.blocks[0](x, edge_index, edge_attr)
        for b in self.blocks[1:]:
            x = x + b(x, edge_index, edge_attr)
        x = global_max_pool(x, batch)
        return self.head(x)


def save_file_sorted_metadata(tensors, path, metadata=None):
    """safetensors.torch.save_file, then the header rewritten with __metadata__'s keys sorted.
    safetensors keeps metadata in a Rust HashMap, so its key order (and the file's bytes) changes from
    run to run; sorted, the files are byte-for-byte reproducible. Tensor entries, offsets, data and the
    header's length are unchanged."""
    import json
    import struct
    from safetensors.torch import save_file
    save_file(tensors, path, metadata=metadata)
    if not metadata:
        return
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    raw = blob[8:8 + n].decode("utf-8")
    header = json.loads(raw)
    header["__metadata__"] = dict(sorted(header["__metadata__"].items()))
    body = json.dumps(header, separators=(",", ":"), ensure_ascii=False)
    assert len(body.encode("utf-8")) == len(raw.rstrip(" ").encode("utf-8")), "header length changed"
    new = body.encode("utf-8") + b" " * (n - len(body.encode("utf-8")))
    with open(path, "wb") as f:
        f.write(blob[:8] + new + blob[8 + n:])
