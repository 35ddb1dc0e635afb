// The per-ISA kernels (kernels.h) compiled for the avx2 instruction set.
#define MXAI_ISA avx2
#define Eigen mxai_eigen_avx2
#include "autodiff/isa/gemm_block.inc"
#include "autodiff/isa/elementwise_block.inc"
