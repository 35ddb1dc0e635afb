// The workload setups, one file per group. Shapes, batch sizes and units follow torch_bench.py.
#pragma once

#include "bench/harness.h"

namespace mxai::bench {

Workload setup_sgemm_2048();
Workload setup_conv2d_forward();   // LeNet conv2: x (128,32,30,30), w (64,32,3,3)
Workload setup_conv2d_backward();  // its input and weight (and bias) gradients
Workload setup_conv2d_backward_input();   // the input gradient alone
Workload setup_conv2d_backward_weight();  // the weight and bias gradients alone
Workload setup_classifier_train_step();
Workload setup_vae_train_step();
Workload setup_pgd_adversarial_train_step();
Workload setup_integrated_gradients();
Workload setup_smoothgrad();
Workload setup_taig_step();
Workload setup_decoder_jacobian();

}  // namespace mxai::bench
