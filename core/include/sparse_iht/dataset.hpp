// A labelled data set, the seeded stratified split and standardisation of
// docs/method.md §1.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

namespace sparse_iht {

struct Dataset {
  // One column per sample: features × samples, so a dense layer is W·X.
  Eigen::MatrixXd x;
  // Class index of each sample, in [0, class_names.size()).
  std::vector<int> y;
  std::vector<std::string> feature_names;
  std::vector<std::string> class_names;
  // The features as an image of rows × columns pixels, row by row, when they
  // form one (digits: {8, 8}); empty otherwise.
  std::vector<int> image_shape;
  // The network a run builds when its options leave it open: these hidden
  // layers when they give no `hidden`, and s = default_s_percent % of n (at
  // least 1) when they give no s. Empty and 0 (IRIS, CSV files): the paper's
  // single layer and s = min(5, n). Digits: {32} and 10.
  std::vector<int> default_hidden;
  int default_s_percent = 0;

  int num_samples() const { return static_cast<int>(y.size()); }
  int num_features() const { return static_cast<int>(x.rows()); }
  int num_classes() const { return static_cast<int>(class_names.size()); }
  // Samples in each class, indexed by class.
  std::vector<int> class_counts() const;
  // The samples at the given indices, in that order, with the names, the
  // image shape and the defaults.
  Dataset subset(const std::vector<int>& indices) const;
};

struct Split {
  Dataset train;
  Dataset test;  // empty (zero samples) when test_fraction is 0
};

// Stratified split: within each class the samples are shuffled with Rng(seed)
// and round(test_fraction · count) of them (at least 1 and at most count − 1
// when 0 < test_fraction < 1) go to the test set. Sample order within each
// part follows the original order. test_fraction 0 puts every row in train.
// Throws InputError if test_fraction is outside [0, 1), or if a class has too
// few samples to appear in both parts.
Split stratified_split(const Dataset& data, double test_fraction, std::uint64_t seed);

// The same split as sample indices into `data`, without copying any feature:
// stratified_split(d, f, s) is { d.subset(i.train), d.subset(i.test) } for
// i = stratified_split_indices(d, f, s).
struct SplitIndices {
  std::vector<int> train;
  std::vector<int> test;
};
SplitIndices stratified_split_indices(const Dataset& data, double test_fraction,
                                      std::uint64_t seed);

// K stratified folds of some samples (indices into data): within each class,
// in class order, the class's samples are shuffled with one Rng(seed) and dealt
// to the folds in turn, so fold sizes per class differ by at most one. Each
// fold is ascending. Throws InputError::bad_option("cv", …) when k < 2 or a
// class among the samples has fewer than k of them.
std::vector<std::vector<int>> stratified_folds(const Dataset& data, const std::vector<int>& samples,
                                               int k, std::uint64_t seed);

// A data set with `data`'s names, image shape and defaults, no samples, and an
// x with the features' rows and no columns.
Dataset empty_like(const Dataset& data);

// Feature-wise standardisation with the training set's mean and population
// standard deviation (a constant feature is centred and left unscaled).
struct Standardizer {
  Eigen::VectorXd mean;
  Eigen::VectorXd scale;
  static Standardizer fit(const Dataset& train);
  // fit(data.subset(samples)) without the copy, with the same arithmetic, so
  // the same bits.
  static Standardizer fit(const Dataset& data, const std::vector<int>& samples);
  void apply(Dataset& data) const;
};

}  // namespace sparse_iht
