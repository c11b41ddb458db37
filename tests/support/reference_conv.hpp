#pragma once
// An independent double-precision TransformerConv written straight from PyG's code
// (docs/pyg_semantics.md, TransformerConv: forward, and Softmax): per-edge loops over edge_index
// in the user's order, scatter-style max/sum like torch_geometric.utils.softmax, no CSR, no
// graphtx ops. It checks the library's layer and, against PyG's float64 goldens, that graphtx
// reads PyG's semantics the same way.

#include <cmath>
#include <cstdint>
#include <vector>

#include <graphtx/core/tensor.hpp>
#include <graphtx/nn/transformer_conv.hpp>

namespace graphtx::test {

struct ReferenceConvResult {
  Tensor<double, 2> out;    // [N_dst, out_width]
  Tensor<double, 2> alpha;  // [E, H] in edge_index order
};

namespace detail {
// y[N, out] = x[N, in] w^T + b in double; w and b are the layer's float parameters.
template <class Lin>
Tensor<double, 2> ref_linear(Lin const& lin, TensorView<double const, 2> x) {
  auto const& w = lin.weight;
  index_t const out = w.extent(0), in = w.extent(1);
  Tensor<double, 2> y({x.extent(0), out});
  for (index_t n = 0; n < x.extent(0); ++n) {
    for (index_t o = 0; o < out; ++o) {
      double acc = lin.bias.size() > 0 ? static_cast<double>(lin.bias(o)) : 0.0;
      for (index_t k = 0; k < in; ++k) acc += x(n, k) * static_cast<double>(w(o, k));
      y(n, o) = acc;
    }
  }
  return y;
}
}  // namespace detail

template <nn::TransformerConvConfig Cfg>
ReferenceConvResult reference_transformer_conv(nn::TransformerConv<Cfg, host> const& conv,
                                               TensorView<double const, 2> x_src, TensorView<double const, 2> x_dst,
                                               TensorView<std::int64_t const, 2> edge_index,
                                               TensorView<double const, 2> edge_attr) {
  int const H = Cfg.heads, C = Cfg.out;
  index_t const nd = x_dst.extent(0), E = edge_index.extent(1);
  auto q = detail::ref_linear(conv.lin_query, x_dst);  // [N_dst, H*C]
  auto k = detail::ref_linear(conv.lin_key, x_src);    // [N_src, H*C]
  auto v = detail::ref_linear(conv.lin_value, x_src);  // [N_src, H*C]
  Tensor<double, 2> ee({Cfg.edge_dim > 0 ? E : 0, H * C});
  if constexpr (Cfg.edge_dim > 0) ee = detail::ref_linear(conv.lin_edge, edge_attr);

  Tensor<double, 2> score({E, H});
  for (index_t e = 0; e < E; ++e) {
    index_t j = edge_index(0, e), i = edge_index(1, e);
    for (int h = 0; h < H; ++h) {
      double s = 0;
      for (int c = 0; c < C; ++c) {
        double key = k(j, h * C + c) + (Cfg.edge_dim > 0 ? ee(e, h * C + c) : 0.0);
        s += q(i, h * C + c) * key;
      }
      score(e, h) = s / std::sqrt(static_cast<double>(C));
    }
  }
  // softmax grouped by target: scatter max (0 where no edge), exp, scatter sum + 1e-16, divide.
  std::vector<double> mx(static_cast<std::size_t>(nd * H), -INFINITY), sum(static_cast<std::size_t>(nd * H), 0.0);
  for (index_t e = 0; e < E; ++e)
    for (int h = 0; h < H; ++h) {
      auto& m = mx[static_cast<std::size_t>(edge_index(1, e) * H + h)];
      m = std::max(m, score(e, h));
    }
  Tensor<double, 2> alpha({E, H});
  for (index_t e = 0; e < E; ++e)
    for (int h = 0; h < H; ++h) {
      alpha(e, h) = std::exp(score(e, h) - mx[static_cast<std::size_t>(edge_index(1, e) * H + h)]);
      sum[static_cast<std::size_t>(edge_index(1, e) * H + h)] += alpha(e, h);
    }
  for (index_t e = 0; e < E; ++e)
    for (int h = 0; h < H; ++h) alpha(e, h) /= sum[static_cast<std::size_t>(edge_index(1, e) * H + h)] + 1e-16;

  Tensor<double, 2> agg = Tensor<double, 2>::zeros({nd, H * C});
  for (index_t e = 0; e < E; ++e) {
    index_t j = edge_index(0, e), i = edge_index(1, e);
    for (int h = 0; h < H; ++h)
      for (int c = 0; c < C; ++c) {
        double val = v(j, h * C + c) + (Cfg.edge_dim > 0 ? ee(e, h * C + c) : 0.0);
        agg(i, h * C + c) += val * alpha(e, h);
      }
  }
  int const D = Cfg.out_width();
  Tensor<double, 2> out({nd, D});
  for (index_t i = 0; i < nd; ++i)
    for (int d = 0; d < D; ++d) {
      if (Cfg.concat) {
        out(i, d) = agg(i, d);
      } else {
        double s = 0;
        for (int h = 0; h < H; ++h) s += agg(i, h * C + d);
        out(i, d) = s / H;
      }
    }
  if constexpr (Cfg.root_weight) {
    auto xr = detail::ref_linear(conv.lin_skip, x_dst);  // [N_dst, D]
    for (index_t i = 0; i < nd; ++i) {
      if constexpr (Cfg.uses_beta()) {
        double z = 0;
        for (int d = 0; d < D; ++d) {
          z += static_cast<double>(conv.lin_beta.weight(0, d)) * out(i, d);
          z += static_cast<double>(conv.lin_beta.weight(0, D + d)) * xr(i, d);
          z += static_cast<double>(conv.lin_beta.weight(0, 2 * D + d)) * (out(i, d) - xr(i, d));
        }
        double b = 1.0 / (1.0 + std::exp(-z));
        for (int d = 0; d < D; ++d) out(i, d) = b * xr(i, d) + (1.0 - b) * out(i, d);
      } else {
        for (int d = 0; d < D; ++d) out(i, d) += xr(i, d);
      }
    }
  }
  return {std::move(out), std::move(alpha)};
}

}  // namespace graphtx::test
