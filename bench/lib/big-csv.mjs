// A deterministic CSV of about `bytes` bytes for memory measurements (issue
// #11): 32 numeric features written with 6 decimals (about 9 bytes a number,
// so the parsed matrix is about 0.85× the file) and a label from 4 classes.
// Written in 1 MiB pieces, so generating 100 MB needs no 100 MB string.
import { closeSync, openSync, writeSync } from 'node:fs';

export const FEATURES = 32;

export function writeBigCsv(path, bytes) {
  const fd = openSync(path, 'w');
  let written = 0;
  let rows = 0;
  let state = 0x2545f491;
  const next = () => {
    // xorshift32: any fixed sequence will do; the values only fill the cells.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  try {
    const header = `${Array.from({ length: FEATURES }, (_, i) => `f${i}`).join(',')},label\n`;
    writeSync(fd, header);
    written += header.length;
    while (written < bytes) {
      const lines = [];
      let size = 0;
      while (size < 1 << 20 && written + size < bytes) {
        const cells = [];
        for (let j = 0; j < FEATURES; ++j) cells.push((next() * 10 - 5).toFixed(6));
        const line = `${cells.join(',')},class${rows % 4}\n`;
        lines.push(line);
        size += line.length;
        rows += 1;
      }
      const piece = lines.join('');
      writeSync(fd, piece);
      written += piece.length;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes: written, rows };
}
