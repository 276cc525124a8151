// Loads the inputs exported by `sparse_iht_bench export DIR` (manifest.json and
// little-endian binary arrays). `read(name)` returns an ArrayBuffer: fs in
// Node, fetch in the page.
export async function loadWorkloads(read) {
  const manifest = JSON.parse(new TextDecoder().decode(await read('manifest.json')));
  const f64 = async (name) => new Float64Array(await read(name));
  const i32 = async (name) => new Int32Array(await read(name));
  const iht = async (m) => ({
    ...m,
    x: await f64(m.x),
    y: await i32(m.y),
    theta0: await f64(m.theta0),
    loss: await f64(m.loss),
    thetaFinal: await f64(m.thetaFinal),
  });
  const mc = manifest.mc;
  const sw = manifest.sweep;
  return {
    iris: await iht(manifest.iris),
    mlp: await iht(manifest.mlp),
    mc: { ...mc, x: await f64(mc.x), y: await i32(mc.y), pairsData: await f64(mc.pairsFile), ratios: await f64(mc.ratios) },
    sweep: {
      ...sw,
      init: await f64(sw.init),
      trainX: await f64(sw.trainX),
      trainY: await i32(sw.trainY),
      testX: await f64(sw.testX),
      testY: await i32(sw.testY),
      pairs: await f64(sw.pairsFile),
    },
  };
}
