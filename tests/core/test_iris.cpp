#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sparse_iht/csv.hpp"
#include "sparse_iht/iris.hpp"

#ifndef SPARSE_IHT_TEST_DATA
#define SPARSE_IHT_TEST_DATA "tests/data"
#endif

using sparse_iht::Dataset;

TEST_CASE("iris: 150 samples, 4 features, 3 classes of 50") {
  const Dataset data = sparse_iht::iris();
  CHECK(data.num_samples() == 150);
  CHECK(data.num_features() == 4);
  CHECK(data.num_classes() == 3);
  CHECK(data.x.rows() == 4);
  CHECK(data.x.cols() == 150);
  CHECK(data.class_counts() == std::vector<int>{50, 50, 50});
  CHECK(data.feature_names ==
        std::vector<std::string>{"sepal_length", "sepal_width", "petal_length", "petal_width"});
  CHECK(data.class_names ==
        std::vector<std::string>{"Iris-setosa", "Iris-versicolor", "Iris-virginica"});
  // The UCI file lists the classes in blocks of 50.
  for (int i = 0; i < 150; ++i) CHECK(data.y[static_cast<std::size_t>(i)] == i / 50);
}

TEST_CASE("iris: spot values, including Fisher's rows 35 and 38") {
  const Dataset data = sparse_iht::iris();
  // Row 1 (1-based): 5.1, 3.5, 1.4, 0.2, setosa.
  CHECK(data.x(0, 0) == 5.1);
  CHECK(data.x(1, 0) == 3.5);
  CHECK(data.x(2, 0) == 1.4);
  CHECK(data.x(3, 0) == 0.2);
  // Row 35: Fisher's 4.9, 3.1, 1.5, 0.2 (the UCI file has petal width 0.1).
  CHECK(data.x(0, 34) == 4.9);
  CHECK(data.x(1, 34) == 3.1);
  CHECK(data.x(2, 34) == 1.5);
  CHECK(data.x(3, 34) == 0.2);
  // Row 38: Fisher's 4.9, 3.6, 1.4, 0.1 (the UCI file has 4.9, 3.1, 1.5, 0.1).
  CHECK(data.x(0, 37) == 4.9);
  CHECK(data.x(1, 37) == 3.6);
  CHECK(data.x(2, 37) == 1.4);
  CHECK(data.x(3, 37) == 0.1);
  // Row 51, the first versicolor: 7.0, 3.2, 4.7, 1.4.
  CHECK(data.x(0, 50) == 7.0);
  CHECK(data.x(1, 50) == 3.2);
  CHECK(data.x(2, 50) == 4.7);
  CHECK(data.x(3, 50) == 1.4);
  CHECK(data.y[50] == 1);
  // Row 150, the last virginica: 5.9, 3.0, 5.1, 1.8.
  CHECK(data.x(0, 149) == 5.9);
  CHECK(data.x(1, 149) == 3.0);
  CHECK(data.x(2, 149) == 5.1);
  CHECK(data.x(3, 149) == 1.8);
  CHECK(data.y[149] == 2);
}

TEST_CASE("iris: the built-in table is the UCI file with its two documented errors corrected") {
  const Dataset built_in = sparse_iht::iris();
  Dataset corrected = sparse_iht::load_csv_file(SPARSE_IHT_TEST_DATA "/iris_uci.csv");
  CHECK(corrected.feature_names == built_in.feature_names);
  CHECK(corrected.class_names == built_in.class_names);
  CHECK(corrected.y == built_in.y);
  REQUIRE(corrected.x.rows() == built_in.x.rows());
  REQUIRE(corrected.x.cols() == built_in.x.cols());
  CHECK(corrected.x != built_in.x);
  // The errata of the UCI repository, and R's and scikit-learn's values.
  corrected.x(3, 34) = 0.2;
  corrected.x(1, 37) = 3.6;
  corrected.x(2, 37) = 1.4;
  CHECK(corrected.x == built_in.x);
}
