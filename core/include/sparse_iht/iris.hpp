// The IRIS data set, built in: the 150 rows of the UCI table (including its two
// rows that differ from Fisher's paper, samples 35 and 38), features sepal
// length, sepal width, petal length, petal width (cm), classes Iris-setosa,
// Iris-versicolor, Iris-virginica.
#pragma once

#include "sparse_iht/dataset.hpp"

namespace sparse_iht {

Dataset iris();

}  // namespace sparse_iht
