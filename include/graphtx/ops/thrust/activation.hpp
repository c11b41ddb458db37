#pragma once
/// \file
/// \brief Thrust-backed activations (one work item per element): relu, gelu, elu, leaky_relu,
/// silu, sigmoid, tanh, with the float formulas of the host backend (ops/host/activation.hpp,
/// torch's CPU kernels). The math functions are the C library's (erff, expf, expm1f, tanhf) in
/// the Thrust-OMP build, so it matches the host backend bitwise there; on the GPU they are CUDA's
/// (within 2 ulp; nvcc may also contract a multiply and an add into one FMA).

#include <math.h>

#include <graphtx/ops/thrust/for_each_index.hpp>

namespace graphtx::ops::thrust_backend {

struct relu_fn {
  float const* x;
  float* y;
  // NaN stays NaN (x > 0 is false, x != x keeps it) and -0.0 stays -0.0, as torch's clamp_min.
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    float v = x[t];
    y[t] = (v < 0.0f) ? 0.0f : v;
  }
};
template <class Policy>
void relu(Policy const& policy, float const* x, float* y, index_t n) {
  for_each_index(policy, n, relu_fn{x, y});
}

/// x * 0.5 * (1 + erf(x * M_SQRT1_2)) or, with `tanh_approximation`,
/// 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))), in float (torch's CPU forms).
struct gelu_fn {
  float const* x;
  float* y;  // may alias x
  bool tanh_approximation;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    float const v = x[t];
    if (!tanh_approximation) {
      constexpr float k_alpha = static_cast<float>(0.707106781186547524400844362104849039);  // M_SQRT1_2
      y[t] = v * 0.5f * (1.0f + ::erff(v * k_alpha));
    } else {
      constexpr float k_beta = static_cast<float>(0.797884560802865355879892119868763737);  // sqrt(2/pi)
      constexpr float k_kappa = 0.044715f;
      float const cube = v * v * v;
      float const inner = k_beta * (v + k_kappa * cube);
      y[t] = 0.5f * v * (1.0f + ::tanhf(inner));
    }
  }
};
template <class Policy>
void gelu(Policy const& policy, float const* x, float* y, index_t n, bool tanh_approximation) {
  for_each_index(policy, n, gelu_fn{x, y, tanh_approximation});
}

/// x <= 0 ? expm1(x) * alpha : x (torch's form; NaN takes the second branch and stays NaN).
struct elu_fn {
  float const* x;
  float* y;
  float alpha;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    float const v = x[t];
    y[t] = v <= 0.0f ? ::expm1f(v) * alpha : v;
  }
};
template <class Policy>
void elu(Policy const& policy, float const* x, float* y, index_t n, float alpha) {
  for_each_index(policy, n, elu_fn{x, y, alpha});
}

/// x > 0 ? x : x * negative_slope (NaN * slope is NaN).
struct leaky_relu_fn {
  float const* x;
  float* y;
  float negative_slope;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    float const v = x[t];
    y[t] = v > 0.0f ? v : v * negative_slope;
  }
};
template <class Policy>
void leaky_relu(Policy const& policy, float const* x, float* y, index_t n, float negative_slope) {
  for_each_index(policy, n, leaky_relu_fn{x, y, negative_slope});
}

/// x / (1 + exp(-x)) (torch's form; silu(-inf) is NaN as in torch).
struct silu_fn {
  float const* x;
  float* y;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const {
    float const v = x[t];
    y[t] = v / (1.0f + ::expf(-v));
  }
};
template <class Policy>
void silu(Policy const& policy, float const* x, float* y, index_t n) {
  for_each_index(policy, n, silu_fn{x, y});
}

/// 1 / (1 + exp(-x)).
struct sigmoid_fn {
  float const* x;
  float* y;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const { y[t] = 1.0f / (1.0f + ::expf(-x[t])); }
};
template <class Policy>
void sigmoid(Policy const& policy, float const* x, float* y, index_t n) {
  for_each_index(policy, n, sigmoid_fn{x, y});
}

struct tanh_fn {
  float const* x;
  float* y;
  GRAPHTX_HOST_DEVICE void operator()(index_t t) const { y[t] = ::tanhf(x[t]); }
};
/// tanh elementwise. Named `tanh_activation`, not `tanh`: a `tanh` template in this namespace
/// would hide ::tanh from every unqualified call inside it.
template <class Policy>
void tanh_activation(Policy const& policy, float const* x, float* y, index_t n) {
  for_each_index(policy, n, tanh_fn{x, y});
}

}  // namespace graphtx::ops::thrust_backend
