// The GEMM block compiled for the avx2 instruction set (see gemm_block.inc).
#define MXAI_ISA avx2
#define Eigen mxai_eigen_avx2
#include "autodiff/isa/gemm_block.inc"
