#include "experiments/roar_generated.h"

#include <algorithm>
#include <numeric>

#include "autodiff/ops.h"
#include "experiments/progress.h"

namespace mxai::experiments {

namespace {

struct FirstPoints {
  Dataset data;
  Tensor z;
};

FirstPoints first_of(const ManifoldSplit& split, int64_t n) {
  if (n <= 0 || n >= split.data.size()) return {split.data, split.z};
  std::vector<int64_t> idx(static_cast<size_t>(n));
  std::iota(idx.begin(), idx.end(), 0);
  return {split.data.subset(idx), narrow(split.z, 0, 0, n)};
}

}  // namespace

RoarResults roar_on_generated(const std::shared_ptr<nn::Module>& explainer, const ManifoldSplit& train,
                              const ManifoldSplit& test, const vae::Decoder& decoder,
                              const RoarGeneratedOptions& options) {
  const FirstPoints tr = first_of(train, options.n_train), te = first_of(test, options.n_test);
  if (tr.data.images.shape()[1] * tr.data.images.shape()[2] * tr.data.images.shape()[3] !=
      te.data.images.shape()[1] * te.data.images.shape()[2] * te.data.images.shape()[3])
    throw Error("ROAR: the training images " + shape_str(tr.data.images.shape()) + " and the test images " +
                shape_str(te.data.images.shape()) + " differ in size");
  vae::TangentSpace train_tangent, test_tangent;
  {
    Progress progress("ROAR: tangent spaces of " + std::to_string(tr.data.size() + te.data.size()) + " points", 2,
                      options.roar.quiet);
    train_tangent = vae::tangent_basis(decoder, tr.z);
    progress.update(1);
    test_tangent = vae::tangent_basis(decoder, te.z);
    progress.finish();
  }
  const explain::Model model = [explainer](const Tensor& x) { return explainer->forward(x); };
  MethodContext train_context, test_context;
  const bool cam = std::any_of(options.keys.begin(), options.keys.end(),
                               [](const std::string& k) { return k == "gradcam" || k == "guided_gradcam"; });
  if (cam) train_context.split = test_context.split = layer_split(explainer, options.gradcam_layer);
  train_context.decoder = test_context.decoder = decoder;
  train_context.latents = tr.z;
  test_context.latents = te.z;
  const std::vector<RoarRanking> rankings =
      roar_rankings(model, options.keys, tr.data.images, te.data.images, train_tangent.basis, test_tangent.basis,
                    options.methods, train_context, test_context, options.roar.quiet);
  RoarResults results = run_roar(tr.data, te.data, rankings, options.roar);
  results.settings.push_back({"rankings explained by", "the trained standard classifier, its predicted class"});
  return results;
}

}  // namespace mxai::experiments
