// Issue #11: data handles. iht.loadData() reads CSV text, bytes or 'iris'
// into a Dataset that stays in WebAssembly; every call takes it as `data`
// and gives exactly what the same CSV passed as text gives. A data reader
// takes a file piece by piece, split anywhere.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import load, { SparseIhtError } from '../../dist/index.node.mjs';
import { assertIdentical } from './helpers.mjs';

let iht;
before(async () => {
  iht = await load();
});

// 60 rows, 3 features, 3 classes with UTF-8 names; the label in column 2.
const CSV = ['x1,class,x2,x3', ...Array.from({ length: 60 }, (_, i) => {
  const k = i % 3;
  return `${(k + (i % 7) / 10).toFixed(2)},${['α', 'βeta', '日本'][k]},${((i * 13) % 11) / 4},${k * 2 - (i % 5) / 3}`;
})].join('\r\n') + '\r\n';

const OPTIONS = { s: 6, iters: 60, seed: 3, samples: 50 };

describe('loadData', () => {
  test('a handle trains to the same θ as the same CSV passed as text, as bytes and as an ArrayBuffer', () => {
    const text = iht.train({ ...OPTIONS, data: { csv: CSV, name: 'u.csv' }, label: 'class' });
    const bytes = new TextEncoder().encode(CSV);
    for (const source of [CSV, bytes, bytes.buffer]) {
      const data = iht.loadData(source, { label: 'class', name: 'u.csv' });
      try {
        assertIdentical(iht.train({ ...OPTIONS, data }), text);
      } finally {
        data.free();
      }
    }
  });

  test('the handle describes the data set; sweep, describe, estimateL2s and createTrainer take it', () => {
    const data = iht.loadData(CSV, { label: 'class', name: 'u.csv' });
    assert.equal(data.name, 'u.csv');
    assert.equal(data.numSamples, 60);
    assert.equal(data.numFeatures, 3);
    assert.deepEqual([...data.features], ['x1', 'x2', 'x3']);
    assert.deepEqual([...data.classes], ['α', 'βeta', '日本']);
    assert.deepEqual([...data.classCounts], [20, 20, 20]);
    const asText = { data: { csv: CSV, name: 'u.csv' }, label: 'class' };
    assert.deepEqual(iht.describe({ data }), iht.describe(asText));
    assertIdentical(iht.sweep({ iters: 5, step: 0.3, data }), iht.sweep({ iters: 5, step: 0.3, ...asText }));
    assertIdentical(iht.estimateL2s({ samples: 30, data }), iht.estimateL2s({ samples: 30, ...asText }));
    const trainer = iht.createTrainer({ ...OPTIONS, data });
    // The trainer keeps its own reference: freeing the handle does not end the run.
    data.free();
    trainer.advance(OPTIONS.iters);
    assertIdentical(trainer.result(), iht.train({ ...OPTIONS, ...asText }));
    trainer.free();
  });

  test("'iris' gives the built-in data set", () => {
    const data = iht.loadData('iris');
    assert.equal(data.numSamples, 150);
    assertIdentical(iht.train({ ...OPTIONS, data }), iht.train(OPTIONS));
    data.free();
  });

  test('a freed handle is a bad-state error; free() twice is harmless; liveDatasets counts', () => {
    const before = iht.liveDatasets;
    const data = iht.loadData(CSV, { label: 'class' });
    assert.equal(iht.liveDatasets, before + 1);
    data.free();
    data.free();
    assert.equal(data.freed, true);
    assert.equal(iht.liveDatasets, before);
    assert.throws(() => iht.train({ data }), (e) => e instanceof SparseIhtError && e.code === 'bad-state');
  });

  test('label with a handle is an error of the label option (the label was chosen at loading)', () => {
    const data = iht.loadData(CSV, { label: 'class' });
    assert.throws(() => iht.train({ data, label: 'class' }), (e) => e.code === 'bad-option' && e.option === 'label');
    data.free();
    assert.throws(() => iht.loadData(CSV, { label: 'nope' }), (e) => e.code === 'bad-option' && e.option === 'label');
    assert.throws(() => iht.loadData('iris', { label: 'x' }), (e) => e.code === 'bad-option' && e.option === 'label');
  });

  test('bad data: the CSV error with its line and column; bad arguments', () => {
    assert.throws(() => iht.loadData('a,b,label\n1,2,x\n3,oops,y\n'), (error) => {
      assert.ok(error instanceof SparseIhtError);
      assert.equal(error.code, 'bad-data');
      assert.equal(error.option, null);
      assert.equal(error.line, 3);
      assert.equal(error.column, 2);
      assert.match(error.message, /^<csv>: line 3, column 'b': 'oops' is not a number$/);
      return true;
    });
    assert.throws(() => iht.loadData(''), (error) => error.code === 'bad-data');
    assert.throws(() => iht.loadData(42), (error) => error.code === 'bad-option');
    assert.throws(() => iht.loadData(CSV, { lable: 'x' }), (error) => error.code === 'unknown-option' && error.option === 'lable');
    assert.equal(iht.liveDatasets, 0);
  });

  test('text is fed in pieces that never split a surrogate pair', () => {
    // A label with an astral character (two UTF-16 units) across the 1 MiB piece boundary.
    const PIECE = 1 << 20;
    let text = 'a,label\n';
    while (text.length + 4 <= PIECE - 20) text += text.length % 8 ? '1,x\n' : '2,y\n';
    // A row whose emoji begins at the last unit of the first piece.
    text += `${'7'.repeat(PIECE - 1 - text.length - 1)},😀\n3,y\n`;
    assert.equal(text.charCodeAt(PIECE - 1), 0xd83d);
    const data = iht.loadData(text);
    assert.ok(data.classes.includes('😀'), [...data.classes].join(' '));
    const parsed = iht.parseCsv(text);
    assert.deepEqual([...data.classes], parsed.classes);
    data.free();
  });
});

describe('createDataReader', () => {
  test('pieces split anywhere, even inside a UTF-8 character or a CRLF, give the same data set', () => {
    const bytes = new TextEncoder().encode(CSV);
    const whole = iht.loadData(CSV, { label: 'class' });
    const reference = iht.train({ ...OPTIONS, data: whole });
    whole.free();
    for (const size of [1, 2, 3, 5, 64]) {
      const reader = iht.createDataReader({ label: 'class' });
      for (let at = 0; at < bytes.length; at += size) reader.feed(bytes.subarray(at, at + size));
      assert.equal(reader.bytesFed, bytes.length);
      const data = reader.finish();
      assertIdentical(iht.train({ ...OPTIONS, data }), reference, `pieces of ${size} bytes`);
      data.free();
    }
  });

  test('an error is thrown by the piece that makes it certain, with its line; the reader is then done', () => {
    const reader = iht.createDataReader({ name: 'r.csv' });
    reader.feed('a,b,label\n1,2,x\n');
    assert.throws(() => reader.feed('3,4\n5,6,y\n'), (e) => e.code === 'bad-data' && e.line === 3 && /^r\.csv: line 3/.test(e.message));
    assert.throws(() => reader.feed('7,8,x\n'), (e) => e.code === 'bad-state');
    assert.throws(() => reader.finish(), (e) => e.code === 'bad-state');
    reader.free();
  });

  test('a reader dropped without finishing frees its memory', () => {
    for (let i = 0; i < 3; ++i) {
      const reader = iht.createDataReader({ label: 'class' });
      reader.feed(CSV);
      reader.free();
    }
    const heap = iht.heapInUse();
    for (let i = 0; i < 200; ++i) {
      const reader = iht.createDataReader({ label: 'class' });
      reader.feed(CSV);
      if (i % 2) reader.free();
      else reader.finish().free();
    }
    assert.ok(iht.heapInUse() - heap < 64 * 1024, `heap grew by ${iht.heapInUse() - heap} bytes`);
    assert.equal(iht.liveDatasets, 0);
  });
});
