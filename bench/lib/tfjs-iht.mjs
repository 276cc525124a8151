// The TensorFlow.js peer: the same full-batch IHT as sparse-iht, written the
// way a TF.js user would (autodiff for the gradient, then top-k by magnitude,
// then a mask), in float32 (TF.js has no float64 on these backends). Works in
// Node and in the browser: `tf` is passed in. Inputs come from the native
// export (bench/native_bench.cpp), so θ_0, the data and the Monte Carlo points
// are those of sparse-iht.

// Mean softmax cross-entropy of the dense network with flat parameters θ
// (layout of docs/method.md §1: per layer W row by row, then b), tanh hidden layers.
function makeLoss(tf, sizes, x, onehot) {
  return (theta) => {
    let a = x;
    let offset = 0;
    for (let l = 0; l + 1 < sizes.length; ++l) {
      const inputs = sizes[l];
      const outputs = sizes[l + 1];
      const w = theta.slice(offset, outputs * inputs).reshape([outputs, inputs]);
      offset += outputs * inputs;
      const b = theta.slice(offset, outputs);
      offset += outputs;
      const z = tf.matMul(a, w, false, true).add(b);
      a = l + 2 < sizes.length ? tf.tanh(z) : z;
    }
    return tf.losses.softmaxCrossEntropy(onehot, a);
  };
}

// Full-batch IHT: θ_{k+1} = H_s(θ_k − γ∇f(θ_k)), H_s by tf.topk of |·| and a
// scatterND mask. `data`: { sizes, x: Float64Array (samples × features), y,
// theta0, s, step }.
export function makeIht(tf, data) {
  const samples = data.y.length;
  const x = tf.tensor2d(Float32Array.from(data.x), [samples, data.sizes[0]]);
  const onehot = tf.oneHot(tf.tensor1d(Int32Array.from(data.y), 'int32'), data.sizes.at(-1)).toFloat();
  const n = data.theta0.length;
  const valueAndGrad = tf.valueAndGrad(makeLoss(tf, data.sizes, x, onehot));
  const ones = tf.ones([data.s]);
  const stepSize = tf.scalar(data.step);
  const step = (theta) =>
    tf.tidy(() => {
      const { value, grad } = valueAndGrad(theta);
      const next = theta.sub(grad.mul(stepSize));
      const { indices } = tf.topk(next.abs(), data.s);
      const mask = tf.scatterND(indices.expandDims(1), ones, [n]);
      return { theta: next.mul(mask), loss: value };
    });
  return {
    n,
    theta0: () => tf.tensor1d(Float32Array.from(data.theta0)),
    // k iterations from θ (disposed); returns the new θ. With `losses`, records f(θ_j).
    async run(theta, k, losses = null) {
      for (let i = 0; i < k; ++i) {
        const r = step(theta);
        theta.dispose();
        theta = r.theta;
        if (losses) losses.push((await r.loss.data())[0]);
        r.loss.dispose();
      }
      return theta;
    },
    // f(θ) and ∇f(θ) as arrays.
    async valueAndGrad(theta) {
      const { value, grad } = valueAndGrad(theta);
      const out = { loss: (await value.data())[0], grad: await grad.data() };
      value.dispose();
      grad.dispose();
      return out;
    },
    dispose() {
      tf.dispose([x, onehot, ones, stepSize]);
    },
  };
}

// Monte Carlo ratios ‖∇f(x) − ∇f(y)‖ / ‖x − y‖ for a one-layer network (the
// IRIS 4 → 3 model of workloads (c) and (d)), batched: `batch` pairs, i.e.
// 2·batch parameter vectors, per matrix product, since f of a sum over
// independent points has their gradients as its rows. `pairs`: Float64Array
// of count × {x, y} × n.
export function makeMonteCarlo(tf, data, batch = 2000) {
  const [inputs, classes] = data.sizes;
  const samples = data.y.length;
  const n = classes * (inputs + 1);
  const xt = tf.tensor2d(Float32Array.from(data.x), [samples, inputs]).transpose();  // inputs × samples
  const labels = tf.oneHot(tf.tensor1d(Int32Array.from(data.y), 'int32'), classes).toFloat();  // samples × classes
  // Σ_p f(θ_p) for P parameter vectors (rows of thetas, P × n).
  const total = (thetas) => {
    const p = thetas.shape[0];
    const w = thetas.slice([0, 0], [p, classes * inputs]).reshape([p * classes, inputs]);
    const b = thetas.slice([0, classes * inputs], [p, classes]).reshape([p, classes, 1]);
    const z = tf.matMul(w, xt).reshape([p, classes, samples]).add(b).transpose([0, 2, 1]);  // P × samples × classes
    const logp = tf.logSoftmax(z);
    return logp.mul(labels).sum().neg().div(samples);
  };
  const grad = tf.grad(total);
  return {
    // Ratios of pairs [first, first + count) of `pairs`.
    async ratios(pairs, count) {
      const out = new Float64Array(count);
      for (let first = 0; first < count; first += batch) {
        const m = Math.min(batch, count - first);
        const r = tf.tidy(() => {
          const pts = tf.tensor2d(Float32Array.from(pairs.subarray(2 * first * n, 2 * (first + m) * n)), [2 * m, n]);
          const g = grad(pts).reshape([m, 2, n]);
          const xy = pts.reshape([m, 2, n]);
          const dg = g.slice([0, 0, 0], [m, 1, n]).sub(g.slice([0, 1, 0], [m, 1, n])).norm('euclidean', [1, 2]);
          const dx = xy.slice([0, 0, 0], [m, 1, n]).sub(xy.slice([0, 1, 0], [m, 1, n])).norm('euclidean', [1, 2]);
          return dg.div(dx);
        });
        out.set(await r.data(), first);
        r.dispose();
      }
      return out;
    },
    dispose() {
      tf.dispose([xt, labels]);
    },
  };
}

// The sparsity sweep of workload (d) with the library's protocol: for the dense
// run (s = n) and every s < n, the step 0.9 / L̂_2s from that s's 1000 Monte
// Carlo pairs, θ_0 = H_s(init), `iters` IHT steps, then train and test loss and
// accuracy. (sparse-iht also records per-iteration accuracy and checks
// HT-stability; this peer skips that extra work.)
export async function sweep(tf, d) {
  const n = d.n;
  const mc = makeMonteCarlo(tf, { sizes: [4, 3], x: d.trainX, y: d.trainY });
  const order = [n, ...Array.from({ length: n - 1 }, (_, i) => i + 1)];
  const points = [];
  for (const s of order) {
    const pairs = d.pairs.subarray((s - 1) * d.pairsPerS * 2 * n, s * d.pairsPerS * 2 * n);
    const ratios = await mc.ratios(pairs, d.pairsPerS);
    const l2s = ratios.reduce((a, b) => Math.max(a, b), 0);
    const step = d.stepFactor / l2s;
    // θ_0 = H_s(init): the s largest magnitudes, ties to the lower index.
    const order0 = Array.from(d.init.keys()).sort((a, b) => Math.abs(d.init[b]) - Math.abs(d.init[a]) || a - b);
    const theta0 = new Float64Array(n);
    for (const i of order0.slice(0, s)) theta0[i] = d.init[i];
    const train = makeIht(tf, { sizes: [4, 3], x: d.trainX, y: d.trainY, theta0, s, step });
    const theta = await train.run(train.theta0(), d.iters);
    const trainEval = await train.valueAndGrad(theta);
    const test = makeIht(tf, { sizes: [4, 3], x: d.testX, y: d.testY, theta0, s, step });
    const testEval = await test.valueAndGrad(theta);
    const accuracy = async (x, y) => {
      const predicted = tf.tidy(() => {
        const w = theta.slice(0, 12).reshape([3, 4]);
        const b = theta.slice(12, 3);
        return tf.matMul(tf.tensor2d(Float32Array.from(x), [y.length, 4]), w, false, true).add(b).argMax(1);
      });
      const labels = await predicted.data();
      predicted.dispose();
      return labels.reduce((c, p, j) => c + (p === y[j] ? 1 : 0), 0) / y.length;
    };
    points.push({
      s,
      step,
      l2s,
      trainLoss: trainEval.loss,
      testLoss: testEval.loss,
      trainAccuracy: await accuracy(d.trainX, d.trainY),
      testAccuracy: await accuracy(d.testX, d.testY),
    });
    theta.dispose();
    train.dispose();
    test.dispose();
  }
  mc.dispose();
  return points;
}
