// The data-set sections of `mxai reproduce`. Each runs its stages through ctx.runner (reusing the files in
// ctx.dir/<data set>/ whose stage records match the stage's key) and returns its part of the report.
#pragma once

#include "experiments/reproduce_common.h"
#include "experiments/results.h"

namespace mxai::experiments {

// real npm digits -> beta-TCVAE -> labeler -> generated MNIST32 with exact tangent spaces -> LeNets -> scores.
DatasetResults reproduce_mnist32(const ReproduceContext& ctx);

// Fashion-MNIST -> autoencoder -> LeNets on reconstructions -> scores against the decoder's tangent spaces.
DatasetResults reproduce_fashion_mnist(const ReproduceContext& ctx);

}  // namespace mxai::experiments
