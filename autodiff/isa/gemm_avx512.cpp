// The GEMM block compiled for the avx512 instruction set (see gemm_block.inc).
#define MXAI_ISA avx512
#define Eigen mxai_eigen_avx512
#include "autodiff/isa/gemm_block.inc"
