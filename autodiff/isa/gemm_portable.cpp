// The GEMM block compiled for the portable instruction set (see gemm_block.inc).
#define MXAI_ISA portable
#define Eigen mxai_eigen_portable
#include "autodiff/isa/gemm_block.inc"
