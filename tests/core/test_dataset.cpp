#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "errors.hpp"
#include "sparse_iht/dataset.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/trainer.hpp"

using sparse_iht::Dataset;
using sparse_iht::InputError;
using sparse_iht::Split;
using sparse_iht::Standardizer;
using sparse_iht::stratified_split;

namespace {

// Feature 0 holds each sample's original index, so a split can be traced back.
Dataset indexed(const std::vector<int>& labels, int classes) {
  Dataset data;
  data.x.resize(2, static_cast<Eigen::Index>(labels.size()));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    data.x(0, static_cast<Eigen::Index>(i)) = static_cast<double>(i);
    data.x(1, static_cast<Eigen::Index>(i)) = static_cast<double>(i * i % 7);
  }
  data.y = labels;
  data.feature_names = {"index", "other"};
  for (int c = 0; c < classes; ++c) data.class_names.push_back("c" + std::to_string(c));
  return data;
}

std::vector<int> original_indices(const Dataset& part) {
  std::vector<int> out;
  for (Eigen::Index i = 0; i < part.x.cols(); ++i) out.push_back(static_cast<int>(part.x(0, i)));
  return out;
}

bool same(const Dataset& a, const Dataset& b) {
  return a.x.rows() == b.x.rows() && a.x.cols() == b.x.cols() && a.x == b.x && a.y == b.y &&
         a.feature_names == b.feature_names && a.class_names == b.class_names;
}

}  // namespace

TEST_CASE("dataset: class_counts and subset") {
  const Dataset data = indexed({0, 1, 1, 2, 1}, 4);
  CHECK(data.class_counts() == std::vector<int>{1, 3, 1, 0});
  const Dataset sub = data.subset({4, 0, 4});
  CHECK(sub.num_samples() == 3);
  CHECK(original_indices(sub) == std::vector<int>{4, 0, 4});
  CHECK(sub.y == std::vector<int>{1, 0, 1});
  CHECK(sub.feature_names == data.feature_names);
  CHECK(sub.class_names == data.class_names);
  const Dataset none = data.subset({});
  CHECK(none.num_samples() == 0);
  CHECK(none.num_features() == 2);
  CHECK_THROWS_AS(data.subset({5}), std::out_of_range);
  CHECK_THROWS_AS(data.subset({-1}), std::out_of_range);
}

TEST_CASE("split: IRIS at 0.2 gives 120/30 with 10 test samples per class") {
  const Dataset data = sparse_iht::iris();
  const Split split = stratified_split(data, 0.2, 42);
  CHECK(split.train.num_samples() == 120);
  CHECK(split.test.num_samples() == 30);
  CHECK(split.train.class_counts() == std::vector<int>{40, 40, 40});
  CHECK(split.test.class_counts() == std::vector<int>{10, 10, 10});
  CHECK(split.train.num_features() == 4);
  CHECK(split.test.num_features() == 4);
  CHECK(split.train.class_names == data.class_names);
  CHECK(split.test.feature_names == data.feature_names);
}

TEST_CASE("split: disjoint, complete, original order kept, labels carried along") {
  std::vector<int> labels;
  for (int i = 0; i < 60; ++i) labels.push_back((i * 7) % 3);
  const Dataset data = indexed(labels, 3);
  const Split split = stratified_split(data, 0.25, 7);
  const std::vector<int> train = original_indices(split.train);
  const std::vector<int> test = original_indices(split.test);
  CHECK(train.size() + test.size() == 60);
  CHECK(std::is_sorted(train.begin(), train.end()));
  CHECK(std::is_sorted(test.begin(), test.end()));
  std::vector<int> all = train;
  all.insert(all.end(), test.begin(), test.end());
  std::sort(all.begin(), all.end());
  for (int i = 0; i < 60; ++i) CHECK(all[static_cast<std::size_t>(i)] == i);
  for (std::size_t k = 0; k < train.size(); ++k) {
    CHECK(split.train.y[k] == labels[static_cast<std::size_t>(train[k])]);
  }
  for (std::size_t k = 0; k < test.size(); ++k) {
    CHECK(split.test.y[k] == labels[static_cast<std::size_t>(test[k])]);
  }
  CHECK(split.test.class_counts() == std::vector<int>{5, 5, 5});
}

TEST_CASE("split: the same seed gives the same split, another seed another split") {
  const Dataset data = sparse_iht::iris();
  const Split a = stratified_split(data, 0.2, 1234);
  const Split b = stratified_split(data, 0.2, 1234);
  CHECK(same(a.train, b.train));
  CHECK(same(a.test, b.test));
  // Traced by index: IRIS has duplicate rows, so compare which samples moved.
  std::vector<int> labels(150);
  for (int i = 0; i < 150; ++i) labels[static_cast<std::size_t>(i)] = i / 50;
  const Dataset traced = indexed(labels, 3);
  const std::vector<int> first = original_indices(stratified_split(traced, 0.2, 1).test);
  const std::vector<int> again = original_indices(stratified_split(traced, 0.2, 1).test);
  const std::vector<int> other = original_indices(stratified_split(traced, 0.2, 2).test);
  CHECK(first == again);
  CHECK(first != other);
  CHECK_FALSE(same(stratified_split(data, 0.2, 1).test, stratified_split(data, 0.2, 2).test));
}

TEST_CASE("split: test fraction 0 puts every row in train") {
  const Dataset data = sparse_iht::iris();
  const Split split = stratified_split(data, 0.0, 5);
  CHECK(same(split.train, data));
  CHECK(split.test.num_samples() == 0);
  CHECK(split.test.x.cols() == 0);
  CHECK(split.test.num_features() == 4);
  CHECK(split.test.class_names == data.class_names);
  CHECK(split.test.feature_names == data.feature_names);
  // Even a class of one sample is fine when nothing goes to test.
  const Split tiny = stratified_split(indexed({0, 1}, 2), 0.0, 5);
  CHECK(tiny.train.num_samples() == 2);
}

TEST_CASE("split: each class keeps at least one sample on each side") {
  // Class 0: 3 samples, round(0.6) = 1. Class 1: 2 samples, round(1.8) = 2, capped at 1.
  // Class 2: 10 samples, round(0.1) = 0, raised to 1.
  const Dataset data = indexed({0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 3);
  CHECK(stratified_split(data, 0.2, 3).test.class_counts() == std::vector<int>{1, 1, 2});
  CHECK(stratified_split(data, 0.9, 3).test.class_counts() == std::vector<int>{2, 1, 9});
  CHECK(stratified_split(data, 0.01, 3).test.class_counts() == std::vector<int>{1, 1, 1});
}

TEST_CASE("split: bad test fraction or too small a class is an InputError") {
  const Dataset data = sparse_iht::iris();
  CHECK_THROWS_WITH_AS(stratified_split(data, 1.5, 1),
                       "test-fraction: expected a number in [0, 1), got 1.5", InputError);
  CHECK(sparse_iht_test::bad_option_of([&] { (void)stratified_split(data, 1.5, 1); }) ==
        "test-fraction");
  CHECK_THROWS_WITH_AS(stratified_split(data, 1.0, 1), doctest::Contains("got 1"), InputError);
  CHECK_THROWS_WITH_AS(stratified_split(data, -0.1, 1), doctest::Contains("got -0.1"), InputError);
  CHECK(sparse_iht_test::bad_option_of([&] {
          (void)stratified_split(data, std::numeric_limits<double>::quiet_NaN(), 1);
        }) == "test-fraction");
  Dataset lonely = indexed({0, 1, 1, 1}, 2);
  lonely.class_names = {"Iris-setosa", "Iris-versicolor"};
  // The data are fine with test fraction 0: the error names the test share,
  // and says so.
  CHECK_THROWS_WITH_AS(stratified_split(lonely, 0.2, 1),
                       "test-fraction: class 'Iris-setosa' has 1 sample; a stratified split with "
                       "test fraction 0.2 needs at least 2 samples per class (test fraction 0 "
                       "trains on every sample)",
                       InputError);
  CHECK(sparse_iht_test::bad_option_of([&] { (void)stratified_split(lonely, 0.2, 1); }) ==
        "test-fraction");
  CHECK(stratified_split(lonely, 0.0, 1).train.num_samples() == 4);
  // A class with no samples at all cannot appear in both parts either.
  CHECK_THROWS_WITH_AS(stratified_split(indexed({0, 0, 2, 2}, 3), 0.5, 1),
                       doctest::Contains("class 'c1' has 0 samples"), InputError);
}

TEST_CASE("standardizer: zero mean and unit population std on train, train stats on test") {
  const Split split = stratified_split(sparse_iht::iris(), 0.2, 9);
  const Standardizer standardizer = Standardizer::fit(split.train);
  REQUIRE(standardizer.mean.size() == 4);
  REQUIRE(standardizer.scale.size() == 4);
  Dataset train = split.train;
  Dataset test = split.test;
  standardizer.apply(train);
  standardizer.apply(test);
  for (Eigen::Index f = 0; f < 4; ++f) {
    const auto row = train.x.row(f).array();
    const double mean = row.mean();
    const double variance = (row - mean).square().mean();
    CHECK(std::abs(mean) < 1e-12);
    CHECK(std::abs(variance - 1.0) < 1e-12);
    CHECK(standardizer.scale(f) > 0.0);
    // The test set is transformed with the training statistics.
    const double expected = (split.test.x(f, 0) - standardizer.mean(f)) / standardizer.scale(f);
    CHECK(test.x(f, 0) == doctest::Approx(expected).epsilon(1e-15));
  }
  CHECK(train.y == split.train.y);
}

TEST_CASE("standardizer: a constant feature is centred and left unscaled") {
  Dataset data = indexed({0, 1, 0, 1}, 2);
  data.x.row(1).setConstant(0.1);
  const Standardizer standardizer = Standardizer::fit(data);
  CHECK(standardizer.mean(1) == 0.1);
  CHECK(standardizer.scale(1) == 1.0);
  CHECK(standardizer.mean(0) == 1.5);
  CHECK(standardizer.scale(0) == doctest::Approx(std::sqrt(1.25)));
  standardizer.apply(data);
  CHECK(data.x.row(1).isZero(0.0));
}

namespace {

// The documented rule, written independently: round half up (the same as
// round-half-away for these positive values), then at least 1 and at most
// count − 1 unless the fraction is 0.
int documented_test_count(double fraction, int count) {
  if (fraction == 0.0) return 0;
  const int rounded = static_cast<int>(std::floor(fraction * count + 0.5));
  return std::max(1, std::min(count - 1, rounded));
}

}  // namespace

TEST_CASE("split: exact class counts for classes of unequal, odd sizes") {
  // Dyadic fractions make f · count exact, so the halves (2.5, 3.5, 1.5, 6.5)
  // test the rounding itself: floor, ceil or round-half-even would each move one.
  struct Row {
    double fraction;
    std::vector<int> test_counts;  // per class of sizes 5, 7, 2, 13, 10, 6
  };
  const std::vector<int> sizes = {5, 7, 2, 13, 10, 6};
  const std::vector<Row> table = {
      {0.0, {0, 0, 0, 0, 0, 0}},
      {0.125, {1, 1, 1, 2, 1, 1}},   // 0.625, 0.875, 0.25, 1.625, 1.25, 0.75
      {0.25, {1, 2, 1, 3, 3, 2}},    // 1.25, 1.75, 0.5, 3.25, 2.5, 1.5
      {0.375, {2, 3, 1, 5, 4, 2}},   // 1.875, 2.625, 0.75, 4.875, 3.75, 2.25
      {0.5, {3, 4, 1, 7, 5, 3}},     // 2.5, 3.5, 1, 6.5, 5, 3
      {0.75, {4, 5, 1, 10, 8, 5}},   // 3.75, 5.25, 1.5, 9.75, 7.5, 4.5
      {0.875, {4, 6, 1, 11, 9, 5}},  // 4.375, 6.125, 1.75, 11.375, 8.75, 5.25
  };
  // Classes interleaved, so the split cannot rely on contiguous blocks.
  std::vector<int> labels;
  std::vector<int> left = sizes;
  for (bool any = true; any;) {
    any = false;
    for (std::size_t c = 0; c < sizes.size(); ++c) {
      if (left[c] > 0) {
        labels.push_back(static_cast<int>(c));
        --left[c];
        any = true;
      }
    }
  }
  const Dataset data = indexed(labels, static_cast<int>(sizes.size()));
  for (const Row& row : table) {
    for (const std::uint64_t seed : {1ULL, 2ULL, 99ULL, 123456789ULL}) {
      CAPTURE(row.fraction);
      CAPTURE(seed);
      const Split split = stratified_split(data, row.fraction, seed);
      CHECK(split.test.class_counts() == row.test_counts);
      std::vector<int> train_counts(sizes.size());
      for (std::size_t c = 0; c < sizes.size(); ++c) {
        CHECK(row.test_counts[c] == documented_test_count(row.fraction, sizes[c]));
        train_counts[c] = sizes[c] - row.test_counts[c];
      }
      CHECK(split.train.class_counts() == train_counts);
      // Every sample in exactly one part, with its own label.
      std::vector<int> seen(labels.size(), 0);
      for (const Dataset* part : {&split.train, &split.test}) {
        const std::vector<int> members = original_indices(*part);
        for (std::size_t k = 0; k < members.size(); ++k) {
          ++seen[static_cast<std::size_t>(members[k])];
          CHECK(part->y[k] == labels[static_cast<std::size_t>(members[k])]);
        }
      }
      CHECK(std::all_of(seen.begin(), seen.end(), [](int times) { return times == 1; }));
    }
  }
}

TEST_CASE("split: which samples go to test depends on the seed, and only on it") {
  std::vector<int> labels(41);
  for (int i = 0; i < 41; ++i) labels[static_cast<std::size_t>(i)] = i % 3;
  const Dataset data = indexed(labels, 3);
  std::vector<std::vector<int>> tests;
  for (const std::uint64_t seed : {0ULL, 1ULL, 2ULL, 3ULL, 1000ULL}) {
    const std::vector<int> test = original_indices(stratified_split(data, 0.3, seed).test);
    CHECK(test == original_indices(stratified_split(data, 0.3, seed).test));
    for (const auto& earlier : tests) CHECK(test != earlier);
    tests.push_back(test);
  }
  // The features play no part: the same labels with other values split alike.
  Dataset other = data;
  other.x.row(1).setConstant(-4.0);
  other.x.row(0) *= 3.0;
  std::vector<int> traced;
  const Split split = stratified_split(other, 0.3, 2);
  for (Eigen::Index i = 0; i < split.test.x.cols(); ++i) {
    traced.push_back(static_cast<int>(split.test.x(0, i) / 3.0));
  }
  CHECK(traced == tests[2]);
}

TEST_CASE("standardizer: mean and population deviation of exactly the rows it is given") {
  Dataset data = indexed({0, 1, 0, 1}, 2);
  data.x.row(0) << 1.0, 3.0, 5.0, 7.0;    // mean 4, variance (9 + 1 + 1 + 9) / 4 = 5
  data.x.row(1) << -2.0, 2.0, -2.0, 2.0;  // mean 0, deviation 2
  const Standardizer standardizer = Standardizer::fit(data);
  CHECK(standardizer.mean(0) == 4.0);
  CHECK(standardizer.scale(0) == std::sqrt(5.0));
  CHECK(standardizer.mean(1) == 0.0);
  CHECK(standardizer.scale(1) == 2.0);
}

TEST_CASE("pipeline: the standardiser is fitted on the training rows only") {
  // Which rows go to test depends on the labels and the seed alone, so find
  // them first, then make them very different: any leak of a test row into the
  // statistics moves the mean by about 1000 · 0.25.
  std::vector<int> labels(40);
  for (int i = 0; i < 40; ++i) labels[static_cast<std::size_t>(i)] = i % 2;
  sparse_iht::RunOptions options;
  options.test_fraction = 0.25;
  options.seed = 17;
  const std::vector<int> test_rows = original_indices(
      stratified_split(indexed(labels, 2), options.test_fraction, options.seed).test);
  REQUIRE(test_rows.size() == 10);
  Dataset data = indexed(labels, 2);
  for (int i = 0; i < 40; ++i) {
    data.x(0, i) = 0.5 * i - 3.0;
    data.x(1, i) = std::cos(0.7 * i);
  }
  for (const int i : test_rows) {
    data.x(0, i) += 1000.0;
    data.x(1, i) = -500.0 - i;
  }
  const sparse_iht::Problem problem(options, data);
  REQUIRE(problem.standardizer.has_value());
  REQUIRE(problem.train.num_samples() == 30);
  REQUIRE(problem.test.num_samples() == 10);
  const Standardizer& fitted = *problem.standardizer;
  for (Eigen::Index f = 0; f < 2; ++f) {
    // Statistics of the training rows, computed here from the raw data.
    double sum = 0.0;
    int count = 0;
    for (int i = 0; i < 40; ++i) {
      if (std::find(test_rows.begin(), test_rows.end(), i) != test_rows.end()) continue;
      sum += data.x(f, i);
      ++count;
    }
    const double mean = sum / count;
    double squares = 0.0;
    for (int i = 0; i < 40; ++i) {
      if (std::find(test_rows.begin(), test_rows.end(), i) != test_rows.end()) continue;
      squares += (data.x(f, i) - mean) * (data.x(f, i) - mean);
    }
    const double deviation = std::sqrt(squares / count);
    CAPTURE(f);
    CHECK(fitted.mean(f) == doctest::Approx(mean).epsilon(1e-14));
    CHECK(fitted.scale(f) == doctest::Approx(deviation).epsilon(1e-14));
    // Training rows end with mean 0 and deviation 1; test rows are mapped with
    // the training statistics, so they stay far away.
    // The features live in the objectives (features × samples).
    const auto train_row = problem.train_objective->features().row(f).array();
    REQUIRE(train_row.size() == 30);
    CHECK(std::abs(train_row.mean()) < 1e-12);
    CHECK(std::abs((train_row - train_row.mean()).square().mean() - 1.0) < 1e-12);
    const auto& test_x = problem.test_objective->features();
    REQUIRE(test_x.cols() == 10);
    for (Eigen::Index k = 0; k < test_x.cols(); ++k) {
      const double raw = data.x(f, test_rows[static_cast<std::size_t>(k)]);
      CHECK(test_x(f, k) == (raw - fitted.mean(f)) / fitted.scale(f));
    }
  }
  // The split's own data sets keep labels and names, not a second copy of the features.
  CHECK(problem.train.x.rows() == 2);
  CHECK(problem.train.x.cols() == 0);
  CHECK(problem.test.x.size() == 0);
  // --standardize off: the rows as given, and no statistics.
  options.standardize = false;
  const sparse_iht::Problem raw(options, data);
  CHECK_FALSE(raw.standardizer.has_value());
  const auto& raw_test = raw.test_objective->features();
  REQUIRE(raw_test.cols() == 10);
  for (Eigen::Index k = 0; k < raw_test.cols(); ++k) {
    CHECK(raw_test.col(k) == data.x.col(test_rows[static_cast<std::size_t>(k)]));
  }
}

TEST_CASE("standardizer: fitting on sample indices gives the bits of fitting on their copy") {
  // Problem fits on indices to avoid copying the training rows; the numbers
  // (and so every run's) must not change.
  sparse_iht::Rng rng(11);
  for (const int samples : {1, 2, 3, 17, 400}) {
    Dataset data;
    data.x.resize(4, samples + 7);
    for (Eigen::Index i = 0; i < data.x.size(); ++i) data.x.data()[i] = rng.normal() * 1e3 + 7.0;
    data.x.row(2).setConstant(0.1);  // a constant feature
    data.x.row(3) *= 1e-300;         // tiny values
    data.y.assign(static_cast<std::size_t>(samples + 7), 0);
    data.class_names = {"only"};
    std::vector<int> chosen;
    for (int i = 0; i < samples; ++i) chosen.push_back((i * 5 + 3) % (samples + 7));
    const Standardizer copy = Standardizer::fit(data.subset(chosen));
    const Standardizer indexed = Standardizer::fit(data, chosen);
    CAPTURE(samples);
    for (Eigen::Index f = 0; f < 4; ++f) {
      CHECK(copy.mean(f) == indexed.mean(f));
      CHECK(copy.scale(f) == indexed.scale(f));
    }
  }
  Dataset data;
  data.x.resize(2, 3);
  data.x.setZero();
  CHECK_THROWS_AS(Standardizer::fit(data, {}), sparse_iht::InputError);
  CHECK_THROWS_AS(Standardizer::fit(data, {3}), std::out_of_range);
}

TEST_CASE("split: every member of a class is equally likely to be held out") {
  // Classes of 3 with test fraction 1/3 hold out one sample each. Over 3,000
  // seeds each sample must be chosen about 1,000 times; a shuffle that can
  // never leave an element in place (Sattolo's) skews this at once. The one
  // feature is the sample's index, so the test rows name themselves.
  Dataset data;
  data.x = Eigen::MatrixXd(1, 6);
  data.x << 0, 1, 2, 3, 4, 5;
  data.y = {0, 0, 0, 1, 1, 1};
  data.feature_names = {"f"};
  data.class_names = {"a", "b"};
  std::vector<int> chosen(6, 0);
  const int seeds = 3000;
  for (int seed = 1; seed <= seeds; ++seed) {
    const Split split = stratified_split(data, 1.0 / 3.0, static_cast<std::uint64_t>(seed));
    REQUIRE(split.test.num_samples() == 2);
    for (int k = 0; k < 2; ++k) ++chosen[static_cast<std::size_t>(split.test.x(0, k))];
  }
  double chi2 = 0.0;
  for (int c : chosen) chi2 += (c - seeds / 3.0) * (c - seeds / 3.0) / (seeds / 3.0);
  INFO("held-out counts: " << chosen[0] << ", " << chosen[1] << ", " << chosen[2] << " | "
                           << chosen[3] << ", " << chosen[4] << ", " << chosen[5]);
  // 4 degrees of freedom (2 per class); the 1e-6 tail starts near 33.
  CHECK(chi2 < 40.0);
}
