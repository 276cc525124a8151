// The sparsity path (issue #13) in sparse-iht's WebAssembly bench module, used
// the same way in Node (bench/run.mjs) and in the page (bench/pages/path.html):
// run(workload, { budgetMs, validate }) → { times: [ms per run], output }.
// No TensorFlow.js peer: nothing else computes this path.
//
//   path-iris        sparse_iht::sweep on IRIS with `cv = 5` and the defaults
//                    otherwise (warm starts, both baselines); about a second a run.
//   sweep-certified  sparse_iht::sweep on IRIS with the default (certified) step,
//                    cold starts and no baselines (issue #18); tens of milliseconds.
//
// output (with validate): what the native bench reports of its run, as plain
// arrays: { s, trainLoss, cvMeanLoss, chosenS, minS, baselines }.
const now = () => performance.now();

// M: the bench module (createBenchModule()).
export function makePathRunner(M) {
  return {
    run(workload, { budgetMs = 300, validate = false } = {}) {
      const entry = { 'path-iris': 'pathIris', 'sweep-certified': 'sweepCertified' }[workload];
      if (!entry) throw new Error(`the WebAssembly bench runs path-iris and sweep-certified, not ${workload}`);
      const times = [];
      let result = null;
      const start = now();
      do {
        const t0 = now();
        result = M[entry]();
        times.push(now() - t0);
      } while (now() - start < budgetMs && times.length < 2000);
      const output = validate
        ? {
            s: Array.from(result.s),
            trainLoss: Array.from(result.trainLoss),
            cvMeanLoss: result.cvMeanLoss ? Array.from(result.cvMeanLoss) : null,
            chosenS: result.chosenS ?? null,
            minS: result.minS ?? null,
            baselines: result.baselines,
          }
        : null;
      return { times, output };
    },
  };
}
