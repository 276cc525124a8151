// Issue #5, memory: one loaded module runs train, sweep (iters 20) and
// estimateL2s 1,000 times each, with failing calls and stepwise trainers in
// between, and the wasm heap must not grow: iht.heapInUse() (bytes held by
// live malloc allocations) after a warm-up and at the end, and the size of the
// module's WebAssembly.Memory, which only ever grows. The numbers are printed
// (they are quoted in the README).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import load from '../../dist/index.node.mjs';

// The module's memory is not part of the API: catch it as the module is
// instantiated.
let memory = null;
const findMemory = (instance) =>
  Object.values(instance?.exports ?? {}).find((e) => e instanceof WebAssembly.Memory) ?? null;
const { instantiate } = WebAssembly;
WebAssembly.instantiate = async function patched(...args) {
  const result = await instantiate.apply(this, args);
  memory ??= findMemory(result.instance ?? result);
  return result;
};
const iht = await load();
WebAssembly.instantiate = instantiate;

const ROUNDS = 1000;
const CSV = 'a,b,label\n' + Array.from({ length: 30 }, (_, i) => `${i % 7},${(i * 3) % 5},${'xyz'[i % 3]}`).join('\n');

function round(i) {
  const t = iht.train({ iters: 20, samples: 20 });
  assert.equal(t.history.loss.length, t.iterations + 1);
  // A fixed step mostly (an auto step adds an L_2s estimate per s, as train does).
  const s = iht.sweep(i % 10 === 0 ? { iters: 20, samples: 20 } : { iters: 20, step: 0.5 });
  assert.equal(s.points.length, 15);
  const l = iht.estimateL2s({ samples: 50 });
  assert.equal(l.ratios.length, 50);
  // Cheap extras on the same heap: CSV data, failures, a stepwise trainer.
  iht.train({ iters: 5, step: 0.5, data: { csv: CSV } });
  assert.throws(() => iht.train({ s: 0 }), /--s/);
  assert.throws(() => iht.train({ data: { csv: 'a,b,label\n1,2\n' } }), /expected 3 fields/);
  assert.throws(() => iht.createTrainer({ s: 99 }), /--s/);
  const trainer = iht.createTrainer({ iters: 20, step: 0.5 });
  trainer.advance(10);
  trainer.state();
  trainer.history(5);
  trainer.result();
  trainer.free();
}

// Every figure a comparison relies on must be there: NaN and undefined fail no
// `<=` assertion, so a measurement that disappeared would pass unseen.
function assertMeasured(figures) {
  for (const [name, value] of Object.entries(figures)) {
    assert.ok(Number.isFinite(value), `${name} is ${value}, not a measured number`);
  }
}

const fmt = (bytes) => `${bytes} B`;
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

test(`train, sweep and estimateL2s ${ROUNDS} times: the wasm heap does not grow`, (t) => {
  assert.ok(memory, 'the WebAssembly.Memory of the module was not found');
  for (let i = 0; i < 20; ++i) round(i); // warm-up: caches, allocator pools
  const heapBefore = iht.heapInUse();
  const memoryBefore = memory.buffer.byteLength;
  const samples = [];
  const start = performance.now();
  for (let i = 1; i <= ROUNDS; ++i) {
    round(i);
    if (i % 250 === 0) samples.push(`${i}: ${fmt(iht.heapInUse())}`);
  }
  const seconds = (performance.now() - start) / 1000;
  const heapAfter = iht.heapInUse();
  const memoryAfter = memory.buffer.byteLength;
  const report = [
    `${ROUNDS} rounds in ${seconds.toFixed(1)} s`,
    `heapInUse after warm-up ${fmt(heapBefore)}, at the end ${fmt(heapAfter)} (${samples.join(', ')})`,
    `WebAssembly memory ${mib(memoryBefore)} -> ${mib(memoryAfter)}`,
    `live trainers ${iht.liveTrainers}`,
  ];
  for (const line of report) {
    t.diagnostic(line);
    console.log(`memory: ${line}`);
  }
  assertMeasured({ heapBefore, heapAfter, memoryBefore, memoryAfter, liveTrainers: iht.liveTrainers });
  assert.equal(iht.liveTrainers, 0);
  // A leak of even one small allocation per round would be ≥ 16 KB here.
  assert.ok(heapAfter - heapBefore <= 4096,
    `heapInUse grew by ${heapAfter - heapBefore} bytes over ${ROUNDS} rounds`);
  assert.ok(memoryAfter - memoryBefore <= 2 ** 20,
    `WebAssembly memory grew from ${mib(memoryBefore)} to ${mib(memoryAfter)}`);
});

test('unfreed trainers show up in heapInUse (the measure works)', () => {
  const before = iht.heapInUse();
  const trainers = Array.from({ length: 10 }, () => iht.createTrainer({ iters: 5, step: 0.5 }));
  const during = iht.heapInUse();
  assertMeasured({ before, during });
  const held = during - before;
  assert.ok(held > 10 * 1024, `10 live trainers hold only ${held} bytes`);
  for (const trainer of trainers) trainer.free();
  assert.ok(iht.heapInUse() - before <= 0, 'freeing them gives the memory back');
});

test('1,000 failing calls of every entry point leave the heap where it was', () => {
  const BAD = 'a,b,label\n1,2,x\n3,y\n';
  const LONG = 'a file name long enough to need a heap allocation of its own.csv';
  const failing = [
    () => iht.parseCsv(BAD),
    () => iht.parseCsv(BAD, { name: LONG, label: 'label' }),
    () => iht.train({ data: { csv: BAD, name: LONG } }),
    () => iht.train({ s: 0 }),
    () => iht.sweep({ cv: 1 }),
    () => iht.estimateL2s({ samples: 0 }),
    () => iht.describe({ hidden: [0] }),
  ];
  const once = () => {
    for (const call of failing) assert.throws(call);
  };
  for (let i = 0; i < 20; ++i) once(); // warm-up
  const before = iht.heapInUse();
  for (let i = 0; i < 1000; ++i) once();
  const growth = iht.heapInUse() - before;
  assertMeasured({ before, growth });
  assert.ok(growth <= 0, `1,000 rounds of failing calls grew the heap by ${growth} bytes`);
});
