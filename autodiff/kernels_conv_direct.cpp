// Stride-1 convolutions computed straight from the image, without an im2col matrix.
//
// The trick is to index the output by "wide" positions q = oi * Wp + oj over the padded input width Wp instead of
// the output width OW. Tap (c, ki, kj) of output q then reads the input at c*Hp*Wp + ki*d*Wp + kj*d + q: for
// consecutive q that is a contiguous run of the input, so a SIMD register tile can load it directly. The wide
// positions with oj >= OW are wrapped-around junk; they are computed and dropped on the store, which costs
// (Wp - OW) / Wp of the arithmetic (7% for LeNet's 30-wide conv2) and saves the im2col pass and the GEMM's packing
// of it (about 20% of the time of the im2col + Eigen path at that shape).
//
// The register tile is `Rows` output channels x `Vectors` SIMD vectors of wide positions, accumulated over all
// taps and written once. With AVX-512 that is 8 x 48 floats, 24 of the 32 vector registers, and runs at about 95% of the
// core's peak FMA rate when its operands are in L1. The weight gradient has its own tile (see weight_tile_body).
// The tile functions are compiled for AVX-512, AVX2 and SSE with target attributes and picked at run time
// (autodiff/simd.h), so the rest of the file, and of mxai, stays at the portable baseline (cmake/mxai_isa.cmake).
//
// LeNet's conv2 (32 -> 64 channels, 3x3, 30x30) on one core: im2col + Eigen GEMM ran at 108 GFLOPS forward and
// 102 backward, these kernels at 175 and 150.
#include <omp.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "autodiff/kernels.h"

namespace mxai::kernels {

namespace {

// out (Rows, V L) = bias (Rows) + sum over taps k of w[k] (Rows) (x) image[taps[k] .. + V L), L lanes per vector.
template <int Bytes, int Rows, int V>
[[gnu::always_inline]] inline void tile_body(const real* image, const int64_t* taps, int64_t K, const real* w,
                                             const real* bias, real* out) {
  typedef real Vec __attribute__((vector_size(Bytes)));
  constexpr int L = Bytes / sizeof(real);
  Vec acc[Rows][V];
#pragma GCC unroll 16
  for (int r = 0; r < Rows; ++r)
    for (int v = 0; v < V; ++v) acc[r][v] = Vec{} + bias[r];
  for (int64_t k = 0; k < K; ++k) {
    const real* src = image + taps[k];
    Vec a[V];
    for (int v = 0; v < V; ++v) __builtin_memcpy(&a[v], src + v * L, Bytes);
    // The taps of one input row are neighbours in memory; together they request the next panel's lines. Without
    // this the tile waits on L2 for its unaligned loads (measured 146 -> 175 GFLOPS on one core).
    __builtin_prefetch(src + V * L + (k % V) * L);
    const real* wk = w + k * Rows;
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r)
      for (int v = 0; v < V; ++v) acc[r][v] += a[v] * wk[r];  // one FMA (-ffp-contract=fast)
  }
  for (int r = 0; r < Rows; ++r)
    for (int v = 0; v < V; ++v) __builtin_memcpy(out + (r * V + v) * L, &acc[r][v], Bytes);
}

using TileFn = void (*)(const real*, const int64_t*, int64_t, const real*, const real*, real*);

// Two tiles per instruction set: a wide one (several channels, all registers busy) and a narrow one of a single
// channel for convolutions with very few outputs, such as the input gradient of a first layer on grey images,
// which would otherwise fill 1 of the wide tile's 8 rows.
#if defined(__x86_64__)
[[gnu::target("avx512f")]] void tile_avx512(const real* image, const int64_t* taps, int64_t K, const real* w,
                                            const real* bias, real* out) {
  tile_body<64, 8, 3>(image, taps, K, w, bias, out);
}
[[gnu::target("avx512f")]] void tile_avx512_narrow(const real* image, const int64_t* taps, int64_t K, const real* w,
                                                   const real* bias, real* out) {
  tile_body<64, 1, 12>(image, taps, K, w, bias, out);
}
[[gnu::target("avx2,fma")]] void tile_avx2(const real* image, const int64_t* taps, int64_t K, const real* w,
                                           const real* bias, real* out) {
  tile_body<32, 4, 3>(image, taps, K, w, bias, out);
}
[[gnu::target("avx2,fma")]] void tile_avx2_narrow(const real* image, const int64_t* taps, int64_t K, const real* w,
                                                  const real* bias, real* out) {
  tile_body<32, 1, 8>(image, taps, K, w, bias, out);
}
#endif
void tile_portable(const real* image, const int64_t* taps, int64_t K, const real* w, const real* bias, real* out) {
  tile_body<16, 4, 3>(image, taps, K, w, bias, out);
}
void tile_portable_narrow(const real* image, const int64_t* taps, int64_t K, const real* w, const real* bias,
                          real* out) {
  tile_body<16, 1, 8>(image, taps, K, w, bias, out);
}

struct TileKernel {
  TileFn fn;
  int rows;    // output channels per tile
  int pixels;  // wide positions per tile
};

// The tile for O output channels: the narrow one when the wide one would leave at least half its rows empty.
TileKernel tile_kernel(int64_t O) {
  constexpr int f = sizeof(real);
#if defined(__x86_64__)
  if (simd_level() == SimdLevel::avx512) return O <= 4 ? TileKernel{tile_avx512_narrow, 1, 12 * 64 / f}
                                                       : TileKernel{tile_avx512, 8, 3 * 64 / f};
  if (simd_level() == SimdLevel::avx2) return O <= 2 ? TileKernel{tile_avx2_narrow, 1, 8 * 32 / f}
                                                     : TileKernel{tile_avx2, 4, 3 * 32 / f};
#endif
  return O <= 2 ? TileKernel{tile_portable_narrow, 1, 8 * 16 / f} : TileKernel{tile_portable, 4, 3 * 16 / f};
}

constexpr int kMaxTileValues = 8 * 3 * 64 / 4;  // the largest tile: 8 rows x 48 floats (the narrow one has 192)

// Everything about one direct convolution that does not depend on the image.
struct Plan {
  DirectConv d;
  TileKernel kernel;
  int64_t Hp, Wp, OH, OW;
  int64_t wide;        // wide output positions, (OH - 1) * Wp + OW
  int64_t panels;      // tiles of kernel.pixels wide positions
  int64_t reach;       // reals a padded image must hold: the last tap plus every panel's full width
  std::vector<int64_t> taps;
  std::vector<real> weights;  // (groups, taps, rows), zero past the last output channel
  std::vector<real> bias;     // (groups * rows), zero where there is none
};

Plan make_plan(const DirectConv& d, const real* w, bool adjoint, const real* bias) {
  Plan p{d, tile_kernel(d.O), 0, 0, 0, 0, 0, 0, 0, {}, {}, {}};
  p.Hp = d.H + 2 * d.pad_h;
  p.Wp = d.W + 2 * d.pad_w;
  p.OH = d.OH();
  p.OW = d.OW();
  p.wide = (p.OH - 1) * p.Wp + p.OW;
  p.panels = (p.wide + p.kernel.pixels - 1) / p.kernel.pixels;
  const int64_t K = d.C * d.KH * d.KW, rows = p.kernel.rows, groups = (d.O + rows - 1) / rows;
  p.taps.resize(K);
  for (int64_t c = 0; c < d.C; ++c)
    for (int64_t ki = 0; ki < d.KH; ++ki)
      for (int64_t kj = 0; kj < d.KW; ++kj)
        p.taps[(c * d.KH + ki) * d.KW + kj] = c * p.Hp * p.Wp + ki * d.dilation * p.Wp + kj * d.dilation;
  p.reach = p.taps.back() + p.panels * p.kernel.pixels;
  if (!w) return p;
  p.weights.assign(groups * K * rows, real(0));
  for (int64_t o = 0; o < d.O; ++o)
    for (int64_t c = 0; c < d.C; ++c)
      for (int64_t ki = 0; ki < d.KH; ++ki)
        for (int64_t kj = 0; kj < d.KW; ++kj) {
          // The adjoint's weight is stored (C_adj = d.O, O_adj = d.C, KH, KW) and used flipped in space.
          const real value = adjoint ? w[((c * d.O + o) * d.KH + (d.KH - 1 - ki)) * d.KW + (d.KW - 1 - kj)]
                                     : w[((o * d.C + c) * d.KH + ki) * d.KW + kj];
          const int64_t k = (c * d.KH + ki) * d.KW + kj;
          p.weights[((o / rows) * K + k) * rows + o % rows] = value;
        }
  p.bias.assign(groups * rows, real(0));
  if (bias) std::copy_n(bias, d.O, p.bias.begin());
  return p;
}

// Copies image (C,H,W) into the zero-padded (C,Hp,Wp) layout the taps index, with zeros up to p.reach.
void pad_image(const Plan& p, const real* image, real* padded) {
  const DirectConv& d = p.d;
  std::fill_n(padded, p.reach, real(0));
  for (int64_t c = 0; c < d.C; ++c)
    for (int64_t i = 0; i < d.H; ++i)
      for (int64_t j = 0; j < d.W; ++j)  // a loop, not copy_n: rows are short, a memmove call per row costs more
        padded[(c * p.Hp + i + d.pad_h) * p.Wp + d.pad_w + j] = image[(c * d.H + i) * d.W + j];
}

// Output panels [first, last) of one image: y (O, OH, OW) from its padded input. Channel groups outside, panels
// inside: a group's packed weights (9 KB at LeNet's conv2) stay in L1 while the image streams past from L2.
void run_panels(const Plan& p, const real* padded, real* y, int64_t first, int64_t last) {
  const int64_t K = static_cast<int64_t>(p.taps.size()), rows = p.kernel.rows, pixels = p.kernel.pixels;
  const int64_t plane = p.OH * p.OW;
  alignas(64) real tile[kMaxTileValues];
  for (int64_t g = 0; g * rows < p.d.O; ++g) {
    const int64_t live = std::min(rows, p.d.O - g * rows);
    for (int64_t panel = first; panel < last; ++panel) {
      const int64_t q0 = panel * pixels, q1 = std::min(q0 + pixels, p.wide);
      p.kernel.fn(padded + q0, p.taps.data(), K, p.weights.data() + g * K * rows, p.bias.data() + g * rows, tile);
      // Keep the positions that are real outputs: runs of one output row each.
      for (int64_t q = q0; q < q1;) {
        const int64_t oi = q / p.Wp, oj = q % p.Wp;
        if (oj >= p.OW) {
          q += p.Wp - oj;
          continue;
        }
        const int64_t run = std::min(p.OW - oj, q1 - q);
        for (int64_t r = 0; r < live; ++r) {
          const real* from = tile + r * pixels + (q - q0);
          real* to = y + (g * rows + r) * plane + oi * p.OW + oj;
          for (int64_t i = 0; i < run; ++i) to[i] = from[i];
        }
        q += run;
      }
    }
  }
}


// The weight gradient gw (O, C*KH*KW) = sum over images and output pixels of gy (O) (x) the input at the taps. Here
// the vectors run over output channels instead: the tile is kWeightTaps taps x V vectors of channels, and each output
// pixel adds the broadcast input value at every tap times the pixel's gradient for all channels, read from a
// transposed copy of gy (pixels, channels). Output pixels are visited exactly, so no junk positions are involved.
constexpr int kWeightTaps = 6;

// acc (kWeightTaps, V L) += sum over pixels i of in[r][offsets[i]] * gyt[i] (V L), accumulating in place.
template <int Bytes, int V>
[[gnu::always_inline]] inline void weight_tile_body(const real* const* in, const int64_t* offsets, int64_t count,
                                                    const real* gyt, int64_t ld, real* acc_io) {
  typedef real Vec __attribute__((vector_size(Bytes)));
  constexpr int L = Bytes / sizeof(real);
  Vec acc[kWeightTaps][V];
  for (int r = 0; r < kWeightTaps; ++r)
    for (int v = 0; v < V; ++v) __builtin_memcpy(&acc[r][v], acc_io + r * ld + v * L, Bytes);
  for (int64_t i = 0; i < count; ++i) {
    Vec g[V];
    for (int v = 0; v < V; ++v) __builtin_memcpy(&g[v], gyt + i * ld + v * L, Bytes);
    const int64_t q = offsets[i];
#pragma GCC unroll 8
    for (int r = 0; r < kWeightTaps; ++r) {
      const real a = in[r][q];
      for (int v = 0; v < V; ++v) acc[r][v] += g[v] * a;
    }
  }
  for (int r = 0; r < kWeightTaps; ++r)
    for (int v = 0; v < V; ++v) __builtin_memcpy(acc_io + r * ld + v * L, &acc[r][v], Bytes);
}

using WeightTileFn = void (*)(const real* const*, const int64_t*, int64_t, const real*, int64_t, real*);

#if defined(__x86_64__)
[[gnu::target("avx512f")]] void weight_tile_avx512_4(const real* const* in, const int64_t* offsets, int64_t count,
                                                     const real* gyt, int64_t ld, real* acc) {
  weight_tile_body<64, 4>(in, offsets, count, gyt, ld, acc);
}
[[gnu::target("avx512f")]] void weight_tile_avx512_2(const real* const* in, const int64_t* offsets, int64_t count,
                                                     const real* gyt, int64_t ld, real* acc) {
  weight_tile_body<64, 2>(in, offsets, count, gyt, ld, acc);
}
[[gnu::target("avx512f")]] void weight_tile_avx512_1(const real* const* in, const int64_t* offsets, int64_t count,
                                                     const real* gyt, int64_t ld, real* acc) {
  weight_tile_body<64, 1>(in, offsets, count, gyt, ld, acc);
}
[[gnu::target("avx2,fma")]] void weight_tile_avx2_2(const real* const* in, const int64_t* offsets, int64_t count,
                                                   const real* gyt, int64_t ld, real* acc) {
  weight_tile_body<32, 2>(in, offsets, count, gyt, ld, acc);
}
[[gnu::target("avx2,fma")]] void weight_tile_avx2_1(const real* const* in, const int64_t* offsets, int64_t count,
                                                   const real* gyt, int64_t ld, real* acc) {
  weight_tile_body<32, 1>(in, offsets, count, gyt, ld, acc);
}
#endif
void weight_tile_portable_2(const real* const* in, const int64_t* offsets, int64_t count, const real* gyt,
                            int64_t ld, real* acc) {
  weight_tile_body<16, 2>(in, offsets, count, gyt, ld, acc);
}
void weight_tile_portable_1(const real* const* in, const int64_t* offsets, int64_t count, const real* gyt,
                            int64_t ld, real* acc) {
  weight_tile_body<16, 1>(in, offsets, count, gyt, ld, acc);
}

struct WeightTileKernel {
  WeightTileFn fn;
  int64_t channels;  // output channels per tile, V vectors
};

// The widest tile that the output channels fill: fewer vectors when there are few channels.
WeightTileKernel weight_tile_kernel(int64_t O) {
  const auto fits = [O](int64_t lanes) { return O > lanes; };
#if defined(__x86_64__)
  if (simd_level() == SimdLevel::avx512) {
    constexpr int64_t L = 64 / sizeof(real);
    if (fits(2 * L)) return {weight_tile_avx512_4, 4 * L};
    if (fits(L)) return {weight_tile_avx512_2, 2 * L};
    return {weight_tile_avx512_1, L};
  }
  if (simd_level() == SimdLevel::avx2) {
    constexpr int64_t L = 32 / sizeof(real);
    if (fits(L)) return {weight_tile_avx2_2, 2 * L};
    return {weight_tile_avx2_1, L};
  }
#endif
  constexpr int64_t L = 16 / sizeof(real);
  if (fits(L)) return {weight_tile_portable_2, 2 * L};
  return {weight_tile_portable_1, L};
}

// Adds one image's weight gradient, for the tap blocks [first, last), into acc (K rounded up to kWeightTaps,
// channels rounded up to the tile): input is the padded image, gyt its output gradient transposed to
// (pixels, channels) with the same row length.
void weight_blocks(const Plan& p, const WeightTileKernel& kernel, const real* input, const int64_t* offsets,
                   const real* gyt, int64_t ld, real* acc, int64_t first, int64_t last) {
  const int64_t K = static_cast<int64_t>(p.taps.size()), pixels = p.OH * p.OW;
  // Pixels in chunks, so a chunk of gyt stays in L1 while every tap block passes over it.
  const int64_t chunk = std::max<int64_t>(1, 8192 / ld);
  for (int64_t i0 = 0; i0 < pixels; i0 += chunk) {
    const int64_t count = std::min(chunk, pixels - i0);
    for (int64_t block = first; block < last; ++block) {
      const real* in[kWeightTaps];
      for (int r = 0; r < kWeightTaps; ++r) {
        const int64_t k = block * kWeightTaps + r;
        in[r] = input + p.taps[std::min(k, K - 1)];  // past the last tap: a valid duplicate, summed and dropped
      }
      for (int64_t o0 = 0; o0 < ld; o0 += kernel.channels)
        kernel.fn(in, offsets + i0, count, gyt + i0 * ld + o0, ld, acc + block * kWeightTaps * ld + o0);
    }
  }
}


// dst (16,16) = src (16,16)^T, rows `src_stride` and `dst_stride` apart: the weight gradient's transposed copy of
// the output gradient. In registers, as L x L blocks of L-lane vectors: log2(L) rounds, each swapping the
// off-diagonal halves of every 2b x 2b block between row pairs (j, j + b). Each swap is a two-source permute
// (vpermt2ps/pd) with an index vector: lanes 0..L-1 pick from the first row of the pair, L..2L-1 from the second.
#if defined(__x86_64__)
#if MXAI_DOUBLE
using Vec512 = __m512d;
[[gnu::target("avx512f")]] inline Vec512 permute(Vec512 x, __m512i index, Vec512 y) {
  return _mm512_permutex2var_pd(x, index, y);
}
#else
using Vec512 = __m512;
[[gnu::target("avx512f")]] inline Vec512 permute(Vec512 x, __m512i index, Vec512 y) {
  return _mm512_permutex2var_ps(x, index, y);
}
#endif

[[gnu::target("avx512f")]] void transpose16_avx512(const real* src, int64_t src_stride, real* dst,
                                                   int64_t dst_stride) {
  constexpr int L = 64 / sizeof(real);
  for (int bi = 0; bi < 16; bi += L)
    for (int bj = 0; bj < 16; bj += L) {
      Vec512 a[L];
      for (int r = 0; r < L; ++r) __builtin_memcpy(&a[r], src + (bi + r) * src_stride + bj, 64);
      for (int b = L / 2; b >= 1; b /= 2) {
        alignas(64) int32_t lo32[16], hi32[16];  // float: 16 lanes of int32 indices
        alignas(64) int64_t lo64[8], hi64[8];    // double: 8 lanes of int64 indices
        for (int e = 0; e < L; ++e) {
          const int chunk = e / (2 * b) * (2 * b), pos = e % (2 * b);
          const int lo = pos < b ? chunk + pos : L + chunk + pos - b, hi = pos < b ? chunk + b + pos : L + chunk + pos;
          if constexpr (sizeof(real) == 4) lo32[e] = lo, hi32[e] = hi;
          else lo64[e] = lo, hi64[e] = hi;
        }
        __m512i lo, hi;
        if constexpr (sizeof(real) == 4) lo = _mm512_load_si512(lo32), hi = _mm512_load_si512(hi32);
        else lo = _mm512_load_si512(lo64), hi = _mm512_load_si512(hi64);
        for (int j = 0; j < L; ++j)
          if ((j & b) == 0) {
            const Vec512 x = a[j], y = a[j + b];
            a[j] = permute(x, lo, y);
            a[j + b] = permute(x, hi, y);
          }
      }
      for (int r = 0; r < L; ++r) __builtin_memcpy(dst + (bj + r) * dst_stride + bi, &a[r], 64);
    }
}
#endif

// gyt (pixels, ld) = g (O, pixels)^T, zero in the columns from O to ld (a multiple of 16).
// Channels outside: 16 rows of g are read front to back at a time, few enough streams for the hardware prefetcher
// (pixels outside made it wait on memory for every block: 64 streams at LeNet's conv2).
void transpose_gradient(const real* g, int64_t O, int64_t pixels, int64_t ld, real* gyt) {
  for (int64_t o0 = 0; o0 < ld; o0 += 16) {
    const int64_t no = std::max<int64_t>(0, std::min<int64_t>(16, O - o0));
    for (int64_t i0 = 0; i0 < pixels; i0 += 16) {
      const int64_t ni = std::min<int64_t>(16, pixels - i0);
#if defined(__x86_64__)
      if (ni == 16 && no == 16 && simd_level() == SimdLevel::avx512) {
        transpose16_avx512(g + o0 * pixels + i0, pixels, gyt + i0 * ld + o0, ld);
        continue;
      }
#endif
      // Edges (and CPUs without AVX-512): through a small buffer, so both sides still move whole lines.
      real block[16][16];
      for (int64_t o = 0; o < 16; ++o)
        for (int64_t i = 0; i < 16; ++i) block[i][o] = o < no && i < ni ? g[(o0 + o) * pixels + i0 + i] : real(0);
      for (int64_t i = 0; i < ni; ++i)
        for (int64_t o = 0; o < 16; ++o) gyt[(i0 + i) * ld + o0 + o] = block[i][o];
    }
  }
}
}  // namespace

void conv2d_direct(const DirectConv& d, const real* x, const real* w, bool adjoint, const real* bias, real* y) {
  const Plan p = make_plan(d, w, adjoint, bias);
  const int64_t in_size = d.C * d.H * d.W, out_size = d.O * p.OH * p.OW;
  const bool padded = d.pad_h > 0 || d.pad_w > 0;
  // Without padding an image is read in place, unless its last panel would read past the end of the batch.
  auto input_of = [&](int64_t n, real* buffer) -> const real* {
    if (!padded && n * in_size + p.reach <= d.N * in_size) return x + n * in_size;
    pad_image(p, x + n * in_size, buffer);
    return buffer;
  };
  const int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  const int64_t macs = d.N * out_size * d.C * d.KH * d.KW;
  if (d.N >= 2 * threads || threads == 1) {
#pragma omp parallel for schedule(dynamic, 1) if (threads > 1 && d.N > 1 && macs > (1 << 18))
    for (int64_t n = 0; n < d.N; ++n) {
      const real* input = input_of(n, scratch(0, p.reach));
      run_panels(p, input, y + n * out_size, 0, p.panels);
    }
    return;
  }
  // Few images: split each image's panels between the threads instead.
  for (int64_t n = 0; n < d.N; ++n) {
    const real* input = input_of(n, scratch(0, p.reach));
#pragma omp parallel for schedule(dynamic, 1) if (macs > (1 << 18))
    for (int64_t panel = 0; panel < p.panels; panel += 4)
      run_panels(p, input, y + n * out_size, panel, std::min(panel + 4, p.panels));
  }
}

namespace {

// The weight (and bias) gradient of a direct convolution, accumulated image by image: one instance per call, shared
// by the threads, each adding its images into its own partial sums.
struct WeightGradient {
  const DirectConv& d;
  const real *x, *gy;
  bool with_bias;
  Plan p;
  WeightTileKernel kernel;
  int64_t K, blocks, pixels, ld, in_size, out_size, acc_size;
  std::vector<int64_t> offsets;  // output pixel -> its position in the padded input
  std::vector<real> acc;         // per part: (blocks * kWeightTaps, ld), taps by channels
  std::vector<double> bias_sum;  // per part: (O)

  WeightGradient(const DirectConv& d_, const real* x_, const real* gy_, bool bias, int parts)
      : d(d_), x(x_), gy(gy_), with_bias(bias), p(make_plan(d_, nullptr, false, nullptr)),
        kernel(weight_tile_kernel(d_.O)) {
    K = static_cast<int64_t>(p.taps.size());
    blocks = (K + kWeightTaps - 1) / kWeightTaps;
    // Rows of the transposed gradient: whole tiles of channels and whole 16-blocks of the transpose (powers of 2).
    const int64_t row = std::max<int64_t>(16, kernel.channels);
    pixels = p.OH * p.OW;
    ld = (d.O + row - 1) / row * row;
    in_size = d.C * d.H * d.W;
    out_size = d.O * pixels;
    acc_size = blocks * kWeightTaps * ld;
    offsets.resize(pixels);
    for (int64_t i = 0; i < pixels; ++i) offsets[i] = (i / p.OW) * p.Wp + i % p.OW;
    acc.assign(parts * acc_size, real(0));
    bias_sum.assign(parts * d.O, 0.0);
  }

  // Image n's padded input (or the image itself) into pad_buffer, its transposed output gradient into gyt
  // ((pixels + 1) * ld reals), and its per-channel gradient sums into part's bias sums while the rows are in cache.
  const real* prepare(int64_t n, real* pad_buffer, real* gyt, int part) {
    transpose_gradient(gy + n * out_size, d.O, pixels, ld, gyt);
    if (with_bias) {
      real* image_sum = gyt + pixels * ld;  // the extra row
      std::fill_n(image_sum, ld, real(0));
      for (int64_t i = 0; i < pixels; ++i)
        for (int64_t o = 0; o < ld; ++o) image_sum[o] += gyt[i * ld + o];
      for (int64_t o = 0; o < d.O; ++o) bias_sum[part * d.O + o] += image_sum[o];
    }
    if (d.pad_h == 0 && d.pad_w == 0) return x + n * in_size;
    pad_image(p, x + n * in_size, pad_buffer);
    return pad_buffer;
  }

  // Adds all of image n into part's sums (scratch slots 0 and 1 of the calling thread).
  void add_image(int64_t n, int part) {
    real* gyt = scratch(1, (pixels + 1) * ld);
    const real* input = prepare(n, scratch(0, p.reach), gyt, part);
    weight_blocks(p, kernel, input, offsets.data(), gyt, ld, acc.data() + part * acc_size, 0, blocks);
  }

  // Sums the parts in order (the same bits every run) and writes gw (O, K) and gb (O).
  void finish(int parts, real* gw, real* gb) {
    for (int t = 1; t < parts; ++t) {
      for (int64_t i = 0; i < acc_size; ++i) acc[i] += acc[t * acc_size + i];
      for (int64_t o = 0; o < d.O; ++o) bias_sum[o] += bias_sum[t * d.O + o];
    }
    for (int64_t o = 0; o < d.O; ++o)
      for (int64_t k = 0; k < K; ++k) gw[o * K + k] = acc[k * ld + o];
    if (gb)
      for (int64_t o = 0; o < d.O; ++o) gb[o] = static_cast<real>(bias_sum[o]);
  }
};

}  // namespace

void conv2d_weight_direct(const DirectConv& d, const real* x, const real* gy, real* gw, real* gb) {
  const int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  const bool parallel = threads > 1 && d.N * d.O * d.OH() * d.OW() * d.C * d.KH * d.KW > (1 << 18);
  if (parallel && d.N >= 2 * threads) {
    // A partial sum per thread over a fixed share of the images.
    WeightGradient wg(d, x, gy, gb != nullptr, threads);
#pragma omp parallel num_threads(threads)
    {
      const int t = omp_get_thread_num();
#pragma omp for schedule(static)
      for (int64_t n = 0; n < d.N; ++n) wg.add_image(n, t);
    }
    wg.finish(threads, gw, gb);
    return;
  }
  // Few images: the threads split the tap blocks, whose sums are disjoint.
  WeightGradient wg(d, x, gy, gb != nullptr, 1);
  for (int64_t n = 0; n < d.N; ++n) {
    real* gyt = scratch(1, (wg.pixels + 1) * wg.ld);
    const real* input = wg.prepare(n, scratch(0, wg.p.reach), gyt, 0);
#pragma omp parallel for schedule(dynamic, 1) if (parallel)
    for (int64_t block = 0; block < wg.blocks; ++block)
      weight_blocks(wg.p, wg.kernel, input, wg.offsets.data(), gyt, wg.ld, wg.acc.data(), block, block + 1);
  }
  wg.finish(1, gw, gb);
}

void conv2d_backward_direct(const DirectConv& d, const real* x, const real* w, const real* gy, real* gx, real* gw,
                            real* gb) {
  const int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  const Plan input_plan = make_plan(d.adjoint(), w, true, nullptr);
  const int64_t image_in = d.C * d.H * d.W, image_out = d.O * d.OH() * d.OW();
  WeightGradient wg(d, x, gy, gb != nullptr, threads);
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
#pragma omp for schedule(static)
    for (int64_t n = 0; n < d.N; ++n) {
      real* padded_gy = scratch(2, input_plan.reach);
      pad_image(input_plan, gy + n * image_out, padded_gy);
      run_panels(input_plan, padded_gy, gx + n * image_in, 0, input_plan.panels);
      wg.add_image(n, t);  // gy's image is still in L2
    }
  }
  wg.finish(threads, gw, gb);
}

}  // namespace mxai::kernels
