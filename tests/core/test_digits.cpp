#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "sparse_iht/cli.hpp"
#include "sparse_iht/csv.hpp"
#include "sparse_iht/digits.hpp"
#include "sparse_iht/error.hpp"
#include "sparse_iht/iris.hpp"
#include "sparse_iht/trainer.hpp"

#ifndef SPARSE_IHT_TEST_DATA
#define SPARSE_IHT_TEST_DATA "tests/data"
#endif

using sparse_iht::Dataset;
using sparse_iht::ErrorCode;
using sparse_iht::InputError;
using sparse_iht::RunOptions;

namespace {

// The table's text for some images, as core/src/digits_table.cpp holds it.
std::string text_of(const Dataset& d) {
  static const char* symbols = "0123456789abcdefg";
  std::string text;
  for (int i = 0; i < d.num_samples(); ++i) {
    for (int p = 0; p < d.num_features(); ++p) text += symbols[static_cast<int>(d.x(p, i))];
    text += static_cast<char>('0' + d.y[static_cast<std::size_t>(i)]);
  }
  return text;
}

std::string error_of(const std::string& text) {
  try {
    sparse_iht::digits_from_text(text);
  } catch (const InputError& e) {
    CHECK(e.code() == ErrorCode::bad_data);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("digits: the built-in table is tests/data/real/digits.csv, value for value") {
  // That CSV holds the values of scikit-learn's digits.csv.gz unchanged, with
  // a header and the labels written d0 … d9 (tests/data/real/README.md).
  const Dataset csv = sparse_iht::load_csv_file(SPARSE_IHT_TEST_DATA "/real/digits.csv", "");
  const Dataset d = sparse_iht::digits();
  REQUIRE(d.num_samples() == 1797);
  REQUIRE(d.num_features() == 64);
  REQUIRE(csv.num_samples() == 1797);
  REQUIRE(csv.num_features() == 64);
  CHECK(d.x == csv.x);
  CHECK(d.feature_names == csv.feature_names);
  REQUIRE(csv.class_names.size() == 10);
  for (int i = 0; i < 1797; ++i) {
    const auto k = static_cast<std::size_t>(i);
    CHECK(csv.class_names[static_cast<std::size_t>(csv.y[k])] ==
          "d" + d.class_names[static_cast<std::size_t>(d.y[k])]);
  }
}

TEST_CASE("digits: 1,797 images of 8 × 8 counts from 0 to 16, classes 0 … 9") {
  const Dataset d = sparse_iht::digits();
  CHECK(d.num_classes() == 10);
  CHECK(d.class_names ==
        std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
  // The test part of the UCI set, as scikit-learn counts it.
  CHECK(d.class_counts() == std::vector<int>{178, 182, 177, 183, 181, 182, 181, 179, 174, 180});
  CHECK(d.image_shape == std::vector<int>{8, 8});
  CHECK(d.feature_names.front() == "p0_0");
  CHECK(d.feature_names[9] == "p1_1");
  CHECK(d.feature_names.back() == "p7_7");
  CHECK(d.x.minCoeff() == 0.0);
  CHECK(d.x.maxCoeff() == 16.0);
  // The first image, a 0: its second row is 0 0 13 15 10 15 5 0.
  CHECK(d.y[0] == 0);
  CHECK(d.x(10, 0) == 13.0);
  CHECK(d.x(13, 0) == 15.0);
  CHECK(d.x(14, 0) == 5.0);
  // The last image is an 8.
  CHECK(d.y[1796] == 8);
}

TEST_CASE("digits: the table's text reads back to the same data set") {
  const Dataset d = sparse_iht::digits();
  const std::string text = text_of(d);
  CHECK(text.size() == 1797U * 65U);
  const Dataset again = sparse_iht::digits_from_text(text);
  CHECK(again.x == d.x);
  CHECK(again.y == d.y);
  CHECK(again.image_shape == d.image_shape);
  CHECK(again.default_hidden == d.default_hidden);
  CHECK(again.default_s_percent == d.default_s_percent);
}

TEST_CASE("digits: text of another form is bad data") {
  std::string text = text_of(sparse_iht::digits());
  CHECK(error_of(text.substr(1)).find("expected 1797 images of 65 characters, got 116804") !=
        std::string::npos);
  std::string bad_pixel = text;
  bad_pixel[65 + 3] = 'h';  // image 2, pixel 4
  CHECK(error_of(bad_pixel) == "digits: image 2: pixel 4 is not one of 0-9, a-g");
  std::string bad_label = text;
  bad_label[64] = 'x';
  CHECK(error_of(bad_label) == "digits: image 1: its label is not a digit");
  // 'g' is 16, the largest count; '0' and '9' are the ends of the digits.
  text[0] = 'g';
  CHECK(sparse_iht::digits_from_text(text).x(0, 0) == 16.0);
}

TEST_CASE("digits: its default network is 64 → 32 → 10 with s = 10 % of n") {
  const Dataset d = sparse_iht::digits();
  RunOptions o;
  auto described = sparse_iht::describe_model(o, d);
  CHECK(described.architecture.sizes == std::vector<int>{64, 32, 10});
  CHECK(described.architecture.num_params() == 2410);
  CHECK(described.default_s == 241);
  CHECK(described.image_shape == std::vector<int>{8, 8});
  // Explicit options win: no hidden layer (n = 650, so s = 65), or another width.
  o.hidden = std::vector<int>{};
  described = sparse_iht::describe_model(o, d);
  CHECK(described.architecture.sizes == std::vector<int>{64, 10});
  CHECK(described.default_s == 65);
  o.hidden = std::vector<int>{16, 8};
  CHECK(sparse_iht::describe_model(o, d).architecture.sizes == std::vector<int>{64, 16, 8, 10});
  // IRIS keeps the paper's network and s = 5.
  const auto iris = sparse_iht::describe_model(RunOptions{}, sparse_iht::iris());
  CHECK(iris.architecture.sizes == std::vector<int>{4, 3});
  CHECK(iris.default_s == 5);
  CHECK(iris.image_shape.empty());
}

TEST_CASE("digits: a run takes the default s unless s is given") {
  RunOptions o;
  o.data = "digits";
  o.iters = 1;
  const Dataset d = sparse_iht::load_dataset(o);
  const sparse_iht::TrainResult r = sparse_iht::train(o, d);
  CHECK(r.n == 2410);
  CHECK(r.s == 241);
  CHECK(r.support.size() == 241U);
  CHECK(r.architecture.sizes == std::vector<int>{64, 32, 10});
  o.s = 100;
  CHECK(sparse_iht::train(o, d).s == 100);
}

TEST_CASE("digits: the split keeps the image shape and the defaults") {
  const Dataset d = sparse_iht::digits();
  const Dataset part = d.subset({3, 1, 4});
  CHECK(part.image_shape == d.image_shape);
  CHECK(part.default_hidden == d.default_hidden);
  CHECK(part.default_s_percent == 10);
  CHECK(part.x.col(0) == d.x.col(3));
  const Dataset empty = sparse_iht::empty_like(d);
  CHECK(empty.num_samples() == 0);
  CHECK(empty.x.rows() == 64);
  CHECK(empty.image_shape == d.image_shape);
}

TEST_CASE("digits: its labels are fixed, so --label is an error") {
  RunOptions o;
  o.data = "digits";
  o.label = "digit";
  try {
    sparse_iht::load_dataset(o);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(e.option() == "label");
    CHECK(std::string(e.what()).find("the built-in digits data set's label is fixed") !=
          std::string::npos);
  }
}

TEST_CASE("digits: the command line") {
  std::ostringstream out, err;
  const int status = sparse_iht::run_cli({"train", "--data", "digits", "--iters", "2"}, out, err);
  CHECK(status == 0);
  CHECK(err.str().empty());
  const std::string text = out.str();
  CHECK(text.find("digits: 1797 samples, 64 features (8 × 8 images), 10 classes") !=
        std::string::npos);
  CHECK(text.find("64 -> 32 -> 10 (tanh hidden") != std::string::npos);
  CHECK(text.find("n = 2410 parameters, s = 241") != std::string::npos);
  std::ostringstream help, none;
  CHECK(sparse_iht::run_cli({"train", "--help"}, help, none) == 0);
  CHECK(help.str().find("iris|digits|FILE.csv") != std::string::npos);
  CHECK(help.str().find("5; digits: 10 % of n") != std::string::npos);
  std::ostringstream l_out, l_err;
  CHECK(sparse_iht::run_cli({"lipschitz", "--data", "digits", "--samples", "2", "--json"}, l_out,
                            l_err) == 0);
  CHECK(l_out.str().find("\"s\":241,\"n\":2410") != std::string::npos);
}

TEST_CASE("trainer: predictions are the test split's first samples, in the data set's units") {
  const Dataset d = sparse_iht::digits();
  RunOptions o;
  o.iters = 30;
  sparse_iht::Trainer trainer(o, d);
  trainer.run();
  const auto parts = sparse_iht::stratified_split_indices(d, o.test_fraction, o.seed);
  const sparse_iht::SamplePredictions p = trainer.predictions(5);
  CHECK(p.on_test);
  CHECK(p.num_features == 64);
  REQUIRE(p.y.size() == 5U);
  REQUIRE(p.x.size() == 5U * 64U);
  for (std::size_t j = 0; j < 5; ++j) {
    const int sample = parts.test[j];
    CHECK(p.y[j] == d.y[static_cast<std::size_t>(sample)]);
    for (int f = 0; f < 64; ++f) {
      // Standardised for training, and back: the counts to rounding.
      CHECK(p.x[j * 64 + static_cast<std::size_t>(f)] ==
            doctest::Approx(d.x(f, sample)).epsilon(1e-12));
    }
  }
  // Every test sample: the predicted classes give the result's test accuracy.
  const sparse_iht::SamplePredictions all = trainer.predictions(100000);
  REQUIRE(all.predicted.size() == parts.test.size());
  int correct = 0;
  for (std::size_t j = 0; j < all.predicted.size(); ++j) correct += all.predicted[j] == all.y[j];
  CHECK(static_cast<double>(correct) / static_cast<double>(all.y.size()) ==
        trainer.result().test_accuracy.value());
  CHECK(trainer.predictions(0).x.empty());
  // Without a test set, the training split.
  o.test_fraction = 0;
  o.standardize = false;
  sparse_iht::Trainer no_test(o, d);
  const sparse_iht::SamplePredictions t = no_test.predictions(2);
  CHECK_FALSE(t.on_test);
  CHECK(t.x[1] == d.x(1, 0));
}
