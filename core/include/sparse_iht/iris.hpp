// The IRIS data set, built in: Fisher's 150 rows, as in R's datasets::iris and
// scikit-learn (the UCI file differs in rows 35 and 38, two documented errors),
// features sepal length, sepal width, petal length, petal width (cm), classes
// Iris-setosa, Iris-versicolor, Iris-virginica (the UCI file's names).
#pragma once

#include "sparse_iht/dataset.hpp"

namespace sparse_iht {

Dataset iris();

}  // namespace sparse_iht
