// Data-parallel training without MPI: two threads stand in for two ranks (their sums meet in memory), so the
// default suite checks what `mpirun -np 2` relies on -- row shares, dropout masks that follow the batch's rows,
// and a training trajectory equal to one process's up to summation order. tests/mpi_*.sh check the real thing.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "experiments/classifier_training.h"
#include "nn/data_parallel.h"

using namespace mxai;

namespace {

// Two parties add their buffers: each call returns when both have contributed, with the sum in both buffers.
class TwoPartySum {
 public:
  template <class T>
  void operator()(T* values, int64_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    const uint64_t round = round_;
    if (!waiting_) {
      first_.assign(values, values + count);
      waiting_ = true;
      changed_.wait(lock, [&] { return round_ != round; });
      std::copy(result_.begin(), result_.begin() + count, values);
    } else {
      // Always first + second, whoever comes first: both parties then hold bit-identical sums.
      result_.resize(static_cast<size_t>(count));
      for (int64_t i = 0; i < count; ++i) result_[i] = first_[i] + static_cast<double>(values[i]);
      for (int64_t i = 0; i < count; ++i) values[i] = static_cast<T>(result_[i]);
      for (int64_t i = 0; i < count; ++i) result_[i] = static_cast<double>(values[i]);
      waiting_ = false;
      ++round_;
      changed_.notify_all();
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<double> first_, result_;
  bool waiting_ = false;
  uint64_t round_ = 0;
};

nn::DataParallel rank_of_two(int rank, TwoPartySum& sum) {
  nn::DataParallel dp;
  dp.rank = rank;
  dp.ranks = 2;
  dp.sum_reals = [&sum](real* v, int64_t n) { sum(v, n); };
  dp.sum_doubles = [&sum](double* v, int64_t n) { sum(v, n); };
  return dp;
}

Dataset random_digits(int64_t n) {
  Generator gen(5);
  Dataset d;
  d.name = "random";
  d.images = rand({n, 1, 28, 28}, gen);
  d.num_classes = 10;
  for (int64_t i = 0; i < n; ++i) d.labels.push_back(static_cast<int64_t>(gen.below(10)));
  return d;
}

}  // namespace

TEST_CASE("a batch's row shares cover it once, differing by at most a row", "[nn][data_parallel]") {
  for (int ranks : {1, 2, 3, 8})
    for (int64_t batch : {0, 1, 7, 128}) {
      int64_t next = 0, smallest = batch, largest = 0;
      for (int r = 0; r < ranks; ++r) {
        nn::DataParallel dp;
        dp.rank = r;
        dp.ranks = ranks;
        const nn::RowRange share = dp.rows(batch);
        CHECK(share.begin == next);
        next += share.count;
        smallest = std::min(smallest, share.count);
        largest = std::max(largest, share.count);
      }
      CHECK(next == batch);
      CHECK(largest - smallest <= 1);
    }
}

TEST_CASE("dropout of a batch's rows equals those rows of the whole batch's dropout", "[nn][dropout][data_parallel]") {
  // 40 rows of 1000 entries span three of the mask's 16384-entry chunks; the split rows cut through a chunk.
  Generator data(1);
  const Tensor x = randn({40, 1000}, data);
  Generator whole_gen(9);
  const Tensor whole = dropout(x, real(0.5), /*training=*/true, whole_gen);
  for (int64_t first : {int64_t{0}, int64_t{17}, int64_t{33}}) {
    Generator gen(9);
    const int64_t rows = 40 - first;
    const Tensor part = dropout(narrow(x, 0, first, rows), real(0.5), /*training=*/true, gen, first);
    const Tensor expected = narrow(whole, 0, first, rows);
    int64_t same = 0, zeros = 0;
    for (int64_t i = 0; i < part.numel(); ++i) {
      same += part.data()[i] == expected.data()[i];
      zeros += part.data()[i] == 0;
    }
    CHECK(same == part.numel());
    CHECK(zeros > part.numel() / 3);  // a real mask, not the identity
  }
}

TEST_CASE("two data-parallel ranks follow one process's LeNet training (dropout, PGD)", "[experiments][data_parallel]") {
  const Dataset data = random_digits(96);
  for (double adv_eps : {0.0, 1.0}) {
    experiments::TrainClassifierOptions o;
    o.epochs = 1;
    o.batch_size = 32;
    o.adv_eps = adv_eps;
    o.adv_steps = 2;
    o.quiet = true;
    o.parallel = nn::DataParallel{};
    std::vector<double> one, rank0, rank1;
    o.on_step = [&](int64_t, double loss) { one.push_back(loss); };
    const auto single = experiments::train_classifier(data, o);

    TwoPartySum sum;
    experiments::TrainClassifierOptions a = o, b = o;
    a.parallel = rank_of_two(0, sum);
    b.parallel = rank_of_two(1, sum);
    a.on_step = [&](int64_t, double loss) { rank0.push_back(loss); };
    b.on_step = [&](int64_t, double loss) { rank1.push_back(loss); };
    experiments::TrainedClassifier trained_b;
    std::thread other([&] { trained_b = experiments::train_classifier(data, b); });
    const auto trained_a = experiments::train_classifier(data, a);
    other.join();

    REQUIRE(one.size() == 3);
    REQUIRE(rank0.size() == 3);
    CHECK(rank0 == rank1);  // both ranks saw the same summed loss
    for (size_t i = 0; i < one.size(); ++i) CHECK(std::abs(rank0[i] - one[i]) < 1e-5);
    // Both ranks end with one model, that of the single process up to rounding.
    const auto pa = trained_a.model->parameters(), pb = trained_b.model->parameters(),
               ps = single.model->parameters();
    double worst = 0;
    int64_t ranks_differ = 0;
    for (size_t t = 0; t < pa.size(); ++t)
      for (int64_t i = 0; i < pa[t].numel(); ++i) {
        ranks_differ += pa[t].data()[i] != pb[t].data()[i];
        worst = std::max(worst, static_cast<double>(std::abs(pa[t].data()[i] - ps[t].data()[i])));
      }
    CHECK(ranks_differ == 0);
    CHECK(worst < 1e-4);
    CHECK(worst > 0);  // the shares really were summed in another order, so the check above is not vacuous
  }
}
