// nn::GlobalAddPool / GlobalMeanPool / GlobalMaxPool on the host against PyG (bodies in
// tests/nn/pooling_cases.hpp).

#include "nn/pooling_cases.hpp"

namespace pc = graphtx::test::pooling_cases;
using graphtx::host;

TEST_CASE("global pools match PyG (empty graph in the middle and trailing)", "[nn][pooling][pyg]") { pc::golden_pools<host>(); }
TEST_CASE("global pools match PyG with batch=None", "[nn][pooling][pyg]") { pc::golden_pools_batch_none<host>(); }
TEST_CASE("global pools give 0 for empty graphs", "[nn][pooling]") { pc::empty_graphs_give_zero<host>(); }
TEST_CASE("global pools counts: profiled == static (nothing)", "[nn][pooling][profile]") { pc::counts_match<host>(); }
TEST_CASE("global pools have an empty state_dict", "[nn][pooling][io]") { pc::empty_state_dict<host>(); }
TEST_CASE("global pools name a ptr of the wrong length", "[nn][pooling][errors]") { pc::bad_ptr_is_named<host>(); }
