#include "sparse_iht/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sparse_iht/error.hpp"
#include "sparse_iht/random.hpp"

namespace sparse_iht {
namespace {

// The shortest decimal text that reads back as the same double, so messages
// show "0.2" rather than "0.20000000000000001".
std::string shortest(double value) {
  char buffer[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

// A class name as it appears in a one-line message: line ends and tabs
// escaped, long names cut at a character boundary (a quoted CSV label may hold
// a line break and be up to a line long).
std::string shown_name(const std::string& name) {
  constexpr std::size_t kMax = 60;
  std::size_t end = std::min(name.size(), kMax);
  while (end > 0 && end < name.size() && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) {
    --end;
  }
  std::string out;
  for (std::size_t i = 0; i < end; ++i) {
    const char c = name[i];
    out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : std::string(1, c);
  }
  if (end < name.size()) out += "...";
  return out;
}

void check_sizes(const Dataset& data) {
  if (data.x.cols() != static_cast<Eigen::Index>(data.y.size())) {
    throw std::invalid_argument("dataset: " + std::to_string(data.x.cols()) +
                                " feature columns but " + std::to_string(data.y.size()) +
                                " labels");
  }
}

void check_labels(const Dataset& data) {
  check_sizes(data);
  const int classes = data.num_classes();
  for (std::size_t i = 0; i < data.y.size(); ++i) {
    if (data.y[i] < 0 || data.y[i] >= classes) {
      throw std::invalid_argument("dataset: label " + std::to_string(data.y[i]) + " of sample " +
                                  std::to_string(i) + " is outside [0, " + std::to_string(classes) +
                                  ")");
    }
  }
}

}  // namespace

std::vector<int> Dataset::class_counts() const {
  check_labels(*this);
  std::vector<int> counts(class_names.size(), 0);
  for (const int label : y) ++counts[static_cast<std::size_t>(label)];
  return counts;
}

Dataset empty_like(const Dataset& data) {
  Dataset out;
  out.feature_names = data.feature_names;
  out.class_names = data.class_names;
  out.image_shape = data.image_shape;
  out.default_hidden = data.default_hidden;
  out.default_s_percent = data.default_s_percent;
  out.x.resize(data.x.rows(), 0);
  return out;
}

Dataset Dataset::subset(const std::vector<int>& indices) const {
  check_sizes(*this);
  Dataset out = empty_like(*this);
  out.x.resize(x.rows(), static_cast<Eigen::Index>(indices.size()));
  out.y.reserve(indices.size());
  const int n = num_samples();
  for (std::size_t k = 0; k < indices.size(); ++k) {
    const int i = indices[k];
    if (i < 0 || i >= n) {
      throw std::out_of_range("Dataset::subset: index " + std::to_string(i) + " is outside [0, " +
                              std::to_string(n) + ")");
    }
    out.x.col(static_cast<Eigen::Index>(k)) = x.col(i);
    out.y.push_back(y[static_cast<std::size_t>(i)]);
  }
  return out;
}

Split stratified_split(const Dataset& data, double test_fraction, std::uint64_t seed) {
  const SplitIndices parts = stratified_split_indices(data, test_fraction, seed);
  return Split{data.subset(parts.train), data.subset(parts.test)};
}

std::vector<std::vector<int>> stratified_folds(const Dataset& data, const std::vector<int>& samples,
                                               int k, std::uint64_t seed) {
  if (k < 2)
    throw InputError::bad_option("cv", "expected at least 2 folds, got " + std::to_string(k));
  const std::size_t classes = data.class_names.size();
  std::vector<std::vector<int>> members(classes);
  for (const int i : samples)
    members[static_cast<std::size_t>(data.y[static_cast<std::size_t>(i)])].push_back(i);
  for (std::size_t c = 0; c < classes; ++c) {
    const auto count = members[c].size();
    if (count > 0 && count < static_cast<std::size_t>(k)) {
      throw InputError::bad_option(
          "cv", "class '" + shown_name(data.class_names[c]) + "' has " + std::to_string(count) +
                    (count == 1 ? " training sample" : " training samples") + ", fewer than the " +
                    std::to_string(k) + " folds");
    }
  }
  std::vector<std::vector<int>> folds(static_cast<std::size_t>(k));
  Rng rng(seed);
  for (std::size_t c = 0; c < classes; ++c) {
    std::vector<int>& m = members[c];
    for (std::size_t i = m.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(rng.below(i));
      std::swap(m[i - 1], m[j]);
    }
    for (std::size_t i = 0; i < m.size(); ++i)
      folds[i % static_cast<std::size_t>(k)].push_back(m[i]);
  }
  for (auto& fold : folds) std::sort(fold.begin(), fold.end());
  return folds;
}

SplitIndices stratified_split_indices(const Dataset& data, double test_fraction,
                                      std::uint64_t seed) {
  // Written so that NaN fails too.
  if (!(test_fraction >= 0.0 && test_fraction < 1.0)) {
    throw InputError::bad_option("test-fraction",
                                 "expected a number in [0, 1), got " + shortest(test_fraction));
  }
  const std::vector<int> counts = data.class_counts();
  const std::size_t n = data.y.size();
  std::vector<bool> in_test(n, false);

  if (test_fraction > 0.0) {
    for (std::size_t c = 0; c < counts.size(); ++c) {
      if (counts[c] < 2) {
        // The data are fine for training (with test fraction 0): the option
        // that cannot hold on them is the test share, which the error names.
        throw InputError::bad_option(
            "test-fraction",
            "class '" + shown_name(data.class_names[c]) + "' has " + std::to_string(counts[c]) +
                (counts[c] == 1 ? " sample" : " samples") +
                "; a stratified split with test fraction " + shortest(test_fraction) +
                " needs at least 2 samples per class (test fraction 0 trains "
                "on every sample)");
      }
    }
    // One generator for the whole split, classes taken in class order, so the
    // split depends on the seed alone.
    Rng rng(seed);
    std::vector<int> members;
    for (std::size_t c = 0; c < counts.size(); ++c) {
      members.clear();
      for (std::size_t i = 0; i < n; ++i) {
        if (data.y[i] == static_cast<int>(c)) members.push_back(static_cast<int>(i));
      }
      for (std::size_t i = members.size() - 1; i > 0; --i) {
        const auto j = static_cast<std::size_t>(rng.below(i + 1));
        std::swap(members[i], members[j]);
      }
      const int count = counts[c];
      long take = std::lround(test_fraction * count);
      if (take < 1) take = 1;
      if (take > count - 1) take = count - 1;
      for (long k = 0; k < take; ++k) in_test[static_cast<std::size_t>(members[k])] = true;
    }
  }

  SplitIndices parts;
  for (std::size_t i = 0; i < n; ++i) {
    (in_test[i] ? parts.test : parts.train).push_back(static_cast<int>(i));
  }
  return parts;
}

Standardizer Standardizer::fit(const Dataset& train) {
  const Eigen::Index features = train.x.rows();
  const Eigen::Index samples = train.x.cols();
  if (samples == 0) throw InputError("standardize: the training set has no samples");
  Standardizer out;
  out.mean.resize(features);
  out.scale.resize(features);
  for (Eigen::Index f = 0; f < features; ++f) {
    const auto row = train.x.row(f);
    // An exactly constant feature gets its value as the mean, so it centres to
    // exact zeros instead of rounding noise that a tiny scale would blow up.
    if ((row.array() == row(0)).all()) {
      out.mean(f) = row(0);
      out.scale(f) = 1.0;
      continue;
    }
    const double mean = row.mean();
    const double variance = (row.array() - mean).square().mean();
    const double deviation = std::sqrt(variance);
    out.mean(f) = mean;
    out.scale(f) = deviation > 0.0 && std::isfinite(deviation) ? deviation : 1.0;
  }
  return out;
}

Standardizer Standardizer::fit(const Dataset& data, const std::vector<int>& samples) {
  const Eigen::Index features = data.x.rows();
  const std::size_t count = samples.size();
  if (count == 0) throw InputError("standardize: the training set has no samples");
  for (const int i : samples) {
    if (i < 0 || i >= data.x.cols()) {
      throw std::out_of_range("Standardizer::fit: sample " + std::to_string(i) +
                              " is outside the data set");
    }
  }
  // The loops add in sample order, as Eigen reduces a row of a column-major
  // matrix (one element at a time: the row is strided), so the bits are those
  // of fit(data.subset(samples)); tests/core/test_dataset.cpp checks it.
  Standardizer out;
  out.mean.resize(features);
  out.scale.resize(features);
  const double n = static_cast<double>(count);
  for (Eigen::Index f = 0; f < features; ++f) {
    const auto value = [&](std::size_t k) { return data.x(f, samples[k]); };
    const double first = value(0);
    bool constant = true;
    double sum = first;
    for (std::size_t k = 1; k < count; ++k) {
      const double v = value(k);
      constant = constant && v == first;
      sum += v;
    }
    if (constant) {
      out.mean(f) = first;
      out.scale(f) = 1.0;
      continue;
    }
    const double mean = sum / n;
    double squares = (first - mean) * (first - mean);
    for (std::size_t k = 1; k < count; ++k) {
      const double d = value(k) - mean;
      squares += d * d;
    }
    const double deviation = std::sqrt(squares / n);
    out.mean(f) = mean;
    out.scale(f) = deviation > 0.0 && std::isfinite(deviation) ? deviation : 1.0;
  }
  return out;
}

void Standardizer::apply(Dataset& data) const {
  if (data.x.rows() != mean.size() || data.x.rows() != scale.size()) {
    throw std::invalid_argument("Standardizer::apply: fitted on " + std::to_string(mean.size()) +
                                " features, data has " + std::to_string(data.x.rows()));
  }
  data.x.colwise() -= mean;
  data.x.array().colwise() /= scale.array();
}

}  // namespace sparse_iht
