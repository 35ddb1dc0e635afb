// The per-ISA kernels (kernels.h) compiled for the avx512 instruction set.
#define MXAI_ISA avx512
#define Eigen mxai_eigen_avx512
#include "autodiff/isa/gemm_block.inc"
#include "autodiff/isa/elementwise_block.inc"
