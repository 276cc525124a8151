// The contestants that run inside JavaScript — sparse-iht's WebAssembly bench
// module and TensorFlow.js on its CPU and WebAssembly backends — behind one
// interface, used the same way in Node (bench/run.mjs) and in the page
// (bench/page.html): run(contestant, workload, { budgetMs, validate }) →
// { times: [ms per run], output }.
//
// One run of each workload:
//   iris, mlp  IHT from θ_0: ∇f(θ_0) untimed (sparse-iht: prepare(); TF.js: it is
//              part of its first step), then `iterations` timed steps, each one
//              gradient evaluation, θ − γ∇f, H_s;
//   mc         10,000 Monte Carlo pairs (TF.js: in batches of 2,000 pairs);
//   sweep      the whole sparsity sweep.
import { makeIht, makeMonteCarlo, sweep } from './tfjs-iht.mjs';

const now = () => performance.now();

// M: the bench module (createBenchModule()).
export function makeRunners({ tf, M, W }) {
  const modules = new Map();
  const state = (module) => {
    if (!modules.has(module)) modules.set(module, { benches: {}, mc: null });
    return modules.get(module);
  };

  // sparse-iht: repeated runs until budgetMs (at least one).
  function sparseIht(M, workload, { budgetMs = 300, validate = false } = {}) {
    const st = state(M);
    const bench = (name) => (st.benches[name] ??= new M.IhtBench(name));
    const times = [];
    let output = null;
    const once = () => {
      if (workload === 'iris' || workload === 'mlp') {
        const b = bench(workload);
        b.prepare();
        const t0 = now();
        b.advance(W[workload].iterations);
        return now() - t0;
      }
      if (workload === 'mc') {
        st.mc ??= new M.McBench();
        const t0 = now();
        const ratios = st.mc.run();
        const t = now() - t0;
        output = Array.from(ratios);
        return t;
      }
      if (workload === 'sweep') {
        const t0 = now();
        const losses = M.sweep();
        const t = now() - t0;
        output = Array.from(losses);
        return t;
      }
      throw new Error(`unknown workload ${workload}`);
    };
    const start = now();
    do times.push(once());
    while (now() - start < budgetMs && times.length < 2000);
    if (validate && (workload === 'iris' || workload === 'mlp')) output = Array.from(bench(workload).losses());
    return { times, output: validate ? output : null };
  }

  // TensorFlow.js on `backend`: one run (they take 0.1–30 s).
  async function tfjs(backend, workload, { validate = false, short = false } = {}) {
    if (tf.getBackend() !== backend) await tf.setBackend(backend);
    await tf.ready();
    if (workload === 'iris' || workload === 'mlp') {
      const w = W[workload];
      // A short (warm-up) run: the whole IRIS run, one MLP step.
      const iterations = short && workload === 'mlp' ? 1 : w.iterations;
      const iht = makeIht(tf, w);
      // The MLP's steps take seconds, so reading each loss back costs nothing
      // measurable; IRIS records its trajectory in a separate, untimed run.
      const losses = workload === 'mlp' && !short ? [] : null;
      const theta0 = iht.theta0();
      const t0 = now();
      const theta = await iht.run(theta0, iterations, losses);
      await theta.data();
      const t = now() - t0;
      let output = null;
      if (losses) {
        losses.push((await iht.valueAndGrad(theta)).loss);
        output = { losses, support: supportOf(await theta.data()) };
      } else if (validate) {
        const trajectory = [];
        const last = await iht.run(iht.theta0(), w.iterations, trajectory);
        trajectory.push((await iht.valueAndGrad(last)).loss);
        output = { losses: trajectory, support: supportOf(await last.data()) };
        last.dispose();
      }
      theta.dispose();
      iht.dispose();
      return { times: [t], output };
    }
    if (workload === 'mc') {
      const mc = makeMonteCarlo(tf, W.mc);
      const count = short ? 2000 : W.mc.pairs;  // warm-up: one batch
      const t0 = now();
      const ratios = await mc.ratios(W.mc.pairsData, count);
      const t = now() - t0;
      mc.dispose();
      return { times: [t], output: validate ? Array.from(ratios) : null };
    }
    if (workload === 'sweep') {
      const t0 = now();
      const points = await sweep(tf, W.sweep);
      const t = now() - t0;
      return { times: [t], output: validate ? points : null };
    }
    throw new Error(`unknown workload ${workload}`);
  }

  return {
    async run(contestant, workload, options = {}) {
      if (contestant === 'sparse-iht') return sparseIht(M, workload, options);
      if (contestant === 'tfjs-cpu') return tfjs('cpu', workload, options);
      if (contestant === 'tfjs-wasm') return tfjs('wasm', workload, options);
      throw new Error(`unknown contestant ${contestant}`);
    },
    tfInfo() {
      return { version: tf.version.tfjs, backends: Object.keys(tf.engine().registryFactory), flags: tf.env().getFlags() };
    },
  };
}

function supportOf(theta) {
  const support = [];
  theta.forEach((v, i) => {
    if (v !== 0) support.push(i);
  });
  return support;
}
