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
