// Independent tasks on several threads, for the sparsity path's main split
// and its cross-validation folds (sweep.cpp). Internal to the core. Without
// SPARSE_IHT_THREADS (the WebAssembly build) every task runs on the calling
// thread, in index order.
#pragma once

#if SPARSE_IHT_THREADS
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>
#endif

namespace sparse_iht {

// A lock for what the tasks share: a mutex, or nothing in a build without threads.
#if SPARSE_IHT_THREADS
using TaskMutex = std::mutex;
using TaskLock = std::lock_guard<std::mutex>;
#else
struct TaskMutex {};
struct TaskLock {
  explicit TaskLock(TaskMutex& /*unused*/) {}
};
#endif

// A gate that tasks wait at until another task opens it (the sparsity path's
// baselines wait for the main path's dense end). Without threads the tasks run
// in index order, so a task that waits runs after the one that opens it, and
// the gate does nothing.
#if SPARSE_IHT_THREADS
class TaskGate {
 public:
  void open() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    opened_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};
#else
struct TaskGate {
  void open() {}
  void wait() {}
};
#endif

#if SPARSE_IHT_THREADS
// The threads a request for `threads` gives `count` tasks: 0 means one per
// core; never more than the tasks, never fewer than one.
inline int worker_count(int threads, int count) {
  const int wanted = threads == 0 ? static_cast<int>(std::thread::hardware_concurrency()) : threads;
  return std::max(1, std::min(wanted, count));
}
#endif

// Runs task(0) … task(count − 1), each once, on worker_count(threads, count)
// threads, the caller's among them. Tasks start in index order, so with one
// thread they run one after the other exactly as a loop would. Once a task
// throws, the tasks not yet started are skipped, and after every thread has
// ended the exception of the lowest-numbered task that threw is rethrown.
template <typename Task>
void run_tasks(int count, int threads, const Task& task) {
#if SPARSE_IHT_THREADS
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(std::max(count, 0)));
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  const auto work = [&] {
    for (int i = next.fetch_add(1); i < count; i = next.fetch_add(1)) {
      if (failed.load()) continue;
      try {
        task(i);
      } catch (...) {
        errors[static_cast<std::size_t>(i)] = std::current_exception();
        failed.store(true);
      }
    }
  };
  std::vector<std::thread> pool;
  const int workers = worker_count(threads, count);
  for (int t = 1; t < workers; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running share the tasks
    }
  }
  work();
  for (std::thread& t : pool) t.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
#else
  // One thread: a plain loop, and an exception ends it where it is thrown.
  (void)threads;
  for (int i = 0; i < count; ++i) task(i);
#endif
}

}  // namespace sparse_iht
