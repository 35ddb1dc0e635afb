// Everything in the explanation core, for callers that want it all.
#pragma once

#include "explain/attribution.h"
#include "explain/baselines.h"
#include "explain/input_x_gradient.h"
#include "explain/integrated_gradients.h"
#include "explain/noise_tunnel.h"
#include "explain/paired_comparison.h"
#include "explain/pgd.h"
#include "explain/quadrature.h"
#include "explain/saliency.h"
#include "explain/summary_statistics.h"
#include "explain/taig.h"
#include "explain/taig_objective.h"
#include "explain/tangent_alignment.h"
#include "explain/target.h"
