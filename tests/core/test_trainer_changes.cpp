// The trainer's latest support change (Trainer::latest_support_change): the
// indices that entered and left the support at the most recent iteration that
// changed it, checked against set differences of the supports the test reads
// itself, one iteration at a time and across larger advances.
#include <doctest/doctest.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sparse_iht/iris.hpp"
#include "sparse_iht/trainer.hpp"

using namespace sparse_iht;

namespace {

// a \ b, ascending, by way of std::set rather than the sorted-range algorithm
// the trainer uses.
std::vector<int> minus(const std::vector<int>& a, const std::vector<int>& b) {
  const std::set<int> remove(b.begin(), b.end());
  std::set<int> kept;
  for (int i : a) {
    if (remove.count(i) == 0) kept.insert(i);
  }
  return {kept.begin(), kept.end()};
}

std::string shown(const std::optional<SupportChange>& change) {
  if (!change) return "none";
  std::string text = "at " + std::to_string(change->iteration) + " entered";
  for (int i : change->entered) text += " " + std::to_string(i);
  text += ", left";
  for (int i : change->left) text += " " + std::to_string(i);
  return text;
}

bool same(const std::optional<SupportChange>& a, const std::optional<SupportChange>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->iteration == b->iteration && a->entered == b->entered && a->left == b->left);
}

// Runs one iteration at a time to the end and returns, for every iteration k,
// the latest change as the test computes it from the supports (index k: after
// iteration k). Checks the trainer's own account at every step on the way.
std::vector<std::optional<SupportChange>> step_by_step(const RunOptions& options,
                                                       const Dataset& data, int* changes) {
  Trainer trainer(options, data);
  std::vector<std::optional<SupportChange>> latest{std::nullopt};
  CHECK_FALSE(trainer.latest_support_change().has_value());
  *changes = 0;
  while (!trainer.done()) {
    const std::vector<int> before = trainer.support();
    trainer.advance(1);
    if (trainer.iteration() + 1 == static_cast<int>(latest.size())) break;  // no step taken
    const std::vector<int>& after = trainer.support();
    std::optional<SupportChange> expected = latest.back();
    const std::vector<int> entered = minus(after, before);
    const std::vector<int> left = minus(before, after);
    if (!entered.empty() || !left.empty()) {
      expected = SupportChange{trainer.iteration(), entered, left};
      ++*changes;
    }
    const auto& got = trainer.latest_support_change();
    INFO("iteration " << trainer.iteration() << ": expected " << shown(expected) << ", got "
                      << shown(got));
    CHECK(same(got, expected));
    if (got) {
      // The same change as the per-iteration counts IHT reports.
      const auto at = static_cast<std::size_t>(got->iteration);
      CHECK(static_cast<int>(got->entered.size()) == trainer.history().entered[at]);
      CHECK(static_cast<int>(got->left.size()) == trainer.history().left[at]);
    }
    latest.push_back(expected);
  }
  return latest;
}

RunOptions iris_options(int s, int iters) {
  RunOptions options;
  options.s = s;
  options.iters = iters;
  options.step = 0.5;  // fixed: no Monte Carlo estimate to wait for
  return options;
}

}  // namespace

TEST_CASE("support changes: none before the first; with s = n only the biases ever enter") {
  const Dataset data = iris();
  Trainer fresh(iris_options(5, 50), data);
  CHECK(fresh.iteration() == 0);
  CHECK_FALSE(fresh.latest_support_change().has_value());

  // s = n keeps every entry, and the support is the nonzero ones: the biases,
  // zero in θ_0, enter at the first step and nothing changes after it. θ_0's
  // own support is the start of the run, not a change.
  Trainer full(iris_options(15, 40), data);
  CHECK(full.support().size() == 12);
  CHECK_FALSE(full.latest_support_change().has_value());
  full.advance(40);
  CHECK(full.iteration() == 40);
  REQUIRE(full.latest_support_change().has_value());
  CHECK(full.latest_support_change()->iteration == 1);
  CHECK(full.latest_support_change()->entered == std::vector<int>{12, 13, 14});
  CHECK(full.latest_support_change()->left.empty());
}

TEST_CASE("support changes: one iteration at a time, equal to the set differences of supports") {
  const Dataset data = iris();
  SUBCASE("full batch, the paper's model") {
    int changes = 0;
    const auto latest = step_by_step(iris_options(5, 120), data, &changes);
    CHECK(latest.size() == 121);
    // The scenario must hold several changes, and iterations without one after
    // a change, or the checks above would prove little.
    CHECK(changes >= 2);
    CHECK(latest.back().has_value());
    CHECK(latest.back()->iteration < 120);
  }
  SUBCASE("mini-batches and a hidden layer: the support keeps moving") {
    RunOptions options = iris_options(12, 150);
    options.hidden = {4};
    options.batch_size = 16;
    int changes = 0;
    const auto latest = step_by_step(options, data, &changes);
    CHECK(latest.size() == 151);
    CHECK(changes >= 5);
  }
}

namespace {

// The same run in uneven chunks: after each, the trainer's latest change must
// be the one single steps found by that iteration, even when it happened in
// the middle of the chunk or chunks earlier. Returns how many chunks ended
// after their latest change.
int check_chunks(const RunOptions& options, const Dataset& data) {
  int changes = 0;
  const auto latest = step_by_step(options, data, &changes);
  REQUIRE(changes >= 2);
  Trainer chunked(options, data);
  int after_change = 0;
  for (int size : {1, 3, 7, 2, 17, 30, 5, 64, 40}) {
    chunked.advance(size);
    const auto k = static_cast<std::size_t>(chunked.iteration());
    REQUIRE(k < latest.size());
    const auto& got = chunked.latest_support_change();
    INFO("after iteration " << k << ": expected " << shown(latest[k]) << ", got " << shown(got));
    CHECK(same(got, latest[k]));
    if (got && got->iteration < static_cast<int>(k)) ++after_change;
  }
  CHECK(chunked.done());
  return after_change;
}

}  // namespace

TEST_CASE("support changes: advancing many iterations at once keeps the latest change") {
  const Dataset data = iris();
  CHECK(check_chunks(iris_options(5, 120), data) >= 1);
  RunOptions moving = iris_options(12, 150);
  moving.hidden = {4};
  moving.batch_size = 16;
  check_chunks(moving, data);
}
