// The papers' claims, checked on our numbers. Every verdict comes from a statistic over the evaluation points and
// its bootstrap 95% interval (explain/paired_comparison.h): "holds" and "does not hold" only when the interval
// excludes 0, "tie" otherwise, so a difference in the fourth decimal of two means is not called a win.
#pragma once

#include <cstdint>

#include "experiments/results.h"

namespace mxai::experiments {

// Bordt et al.'s claims on one data set, from section.models' per-point tangent fractions (all models scored at
// the same points): every method beats a random vector; IG and SmoothGrad beat the raw gradient; adversarial
// training aligns the gradient. On MNIST32 the IG claim is judged on the path-averaged gradient, which is what the
// reference's MNIST code computes; the multiplied IG is reported beside it. `seed`: the bootstrap's stream.
void add_manifold_findings(DatasetResults& section, uint64_t seed);

// Simpson et al.'s claims, from taig.methods (ig_optimal and the others at the same points) and the diagnostics:
// the optimised base-point reaches median mu >= 0.9 and beats every other method, its base-points are not
// degenerate (judged on the lower quartiles of ||x - alpha|| and F(x) - F(alpha)), and, as the TAIG paper reports
// on MNIST, the gradient methods beat IG with every standard base-point.
void add_taig_findings(TaigResults& taig, uint64_t seed);

}  // namespace mxai::experiments
