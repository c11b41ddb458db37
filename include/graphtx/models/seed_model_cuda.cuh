#pragma once
/// \file
/// \brief The seed model on the GPU, compiled once. nvcc is slow: instantiating
/// GraphTransformer<seed_config, cuda> in every .cu file would cost minutes each. Include this
/// header instead of instantiating the model yourself, and link the one TU that holds
/// `template class graphtx::GraphTransformer<graphtx::seed_config, graphtx::cuda>;`
/// (graphtx's examples and tests: examples/support/seed_model_cuda.cu). Do the same for your
/// own configurations: one explicit instantiation, `extern template` everywhere else.

#include <graphtx/cuda.hpp>

extern template class graphtx::GraphTransformer<graphtx::seed_config, graphtx::cuda>;
