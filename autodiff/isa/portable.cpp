// The per-ISA kernels (kernels.h) compiled for the portable instruction set.
#define MXAI_ISA portable
#define Eigen mxai_eigen_portable
#include "autodiff/isa/gemm_block.inc"
#include "autodiff/isa/elementwise_block.inc"
