#!/usr/bin/env node
/**
 * Builds the WebAssembly SIMD co-moment kernel and writes src/drivers/_kernel-wasm.ts.
 *
 *   node scripts/build-wasm-comoments.mjs [--check]
 *
 * No WAT compiler is available (wabt cannot be installed), so this script encodes the binary
 * module itself with a tiny instruction encoder. The module is small: two exported functions over
 * one exported memory (no imports).
 *
 * Memory layout (all offsets in bytes, chosen by the caller, 64-byte aligned):
 *   mean: k f64 means                    (read by `centre`)
 *   C:    one 128-byte record per tile    (8 v128 accumulators, lanes = even/odd rows)
 *   S:    columns of one chunk, column-major, column c at S + c·STRIDE (CHUNK rows + 64 bytes of pad)
 *
 * centre(k, rows2, meanOff, sOff)      S[c][r] -= mean[c] for c < k, r < rows2 (rows2 even)
 * products(groups, rows2, cOff, sOff)  for each sub-block of SUB rows, for each 4-column group a and
 *                                      2-column group b ≥ 2a (the upper triangle, diagonal tiles whole),
 *                                      C[tile] += Σ_rows x_{4a+u} · x_{2b+v} (u < 4, v < 2) as f64x2
 *
 * `--check` exits non-zero when the generated file is out of date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Rows copied into wasm memory per call; rows per sub-block swept by all tiles (20 columns × 128 rows
// = 20 KiB, in L1); bytes between columns (the pad breaks cache-set aliasing). Overridable for experiments.
const env = typeof process === "undefined" ? {} : process.env;
export const CHUNK = Number(env.WASM_CHUNK || 2048);
export const SUB = Number(env.WASM_SUB || 128);
export const STRIDE = CHUNK * 8 + Number(env.WASM_PAD || 64);

// ---------------------------------------------------------------- encoder
const uleb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (n) => {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const str = (s) => vec([...Buffer.from(s, "utf8")]);

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (d) => [0x0c, ...uleb(d)],
  brIf: (d) => [0x0d, ...uleb(d)],
  get: (i) => [0x20, ...uleb(i)],
  set: (i) => [0x21, ...uleb(i)],
  tee: (i) => [0x22, ...uleb(i)],
  i32: (v) => [0x41, ...sleb(v)],
  add: [0x6a],
  mul: [0x6c],
  ltU: [0x49],
  geU: [0x4f],
  f64load: (offset) => [0x2b, 3, ...uleb(offset)],
  // SIMD (prefix 0xfd, LEB opcode)
  vload: (offset) => [0xfd, ...uleb(0x00), 4, ...uleb(offset)],
  vstore: (offset) => [0xfd, ...uleb(0x0b), 4, ...uleb(offset)],
  vzero: [0xfd, ...uleb(0x0c), ...new Array(16).fill(0)],
  splat: [0xfd, ...uleb(0x14)],
  fadd: [0xfd, ...uleb(0xf0)],
  fsub: [0xfd, ...uleb(0xf1)],
  fmul: [0xfd, ...uleb(0xf2)],
};
const func = (locals, body) => {
  const decl = vec(locals.map(([count, type]) => [...uleb(count), type]));
  const bytes = [...decl, ...body.flat(), ...op.end];
  return [...uleb(bytes.length), ...bytes];
};

// ---------------------------------------------------------------- centre(k, rows2, meanOff, sOff)
function centreBody() {
  const [K, ROWS, MEAN, S] = [0, 1, 2, 3];
  const [c, p, end, m] = [4, 5, 6, 7]; // i32 c, p, end; v128 m
  return [
    op.i32(0),
    op.set(c),
    op.block,
    op.loop,
    // if (c >= k) break
    op.get(c),
    op.get(K),
    op.geU,
    op.brIf(1),
    // m = splat(mean[c])
    op.get(MEAN),
    op.get(c),
    op.i32(8),
    op.mul,
    op.add,
    op.f64load(0),
    op.splat,
    op.set(m),
    // p = S + c*STRIDE; end = p + rows2*8
    op.get(S),
    op.get(c),
    op.i32(STRIDE),
    op.mul,
    op.add,
    op.tee(p),
    op.get(ROWS),
    op.i32(8),
    op.mul,
    op.add,
    op.set(end),
    op.loop,
    op.get(p),
    op.get(p),
    op.vload(0),
    op.get(m),
    op.fsub,
    op.vstore(0),
    op.get(p),
    op.i32(16),
    op.add,
    op.tee(p),
    op.get(end),
    op.ltU,
    op.brIf(0),
    op.end,
    op.get(c),
    op.i32(1),
    op.add,
    op.set(c),
    op.br(0),
    op.end,
    op.end,
  ];
}

// ---------------------------------------------------------------- products(groups, rows2, cOff, sOff)
function productsBody() {
  const [G, ROWS, C, S] = [0, 1, 2, 3];
  // i32 locals
  const r0 = 4; // byte offset of the sub-block's first row
  const len = 5; // bytes in this sub-block
  const a = 6; // 4-column group
  const b = 7; // 2-column group
  const pc = 8; // tile record
  const p = 9; // row pointer into the a-group
  const end = 10;
  const d = 11; // pb - pa
  const t = 12; // pointer into the b-group
  const nb = 13; // number of 2-column groups = 2·G
  // v128 locals
  const acc = [14, 15, 16, 17, 18, 19, 20, 21];
  const x = [22, 23, 24, 25];
  const y = [26, 27];

  const inner = [];
  // x_u = v128.load(p + u·STRIDE)
  for (let u = 0; u < 4; u++) inner.push(op.get(p), op.vload(u * STRIDE), op.set(x[u]));
  inner.push(op.get(p), op.get(d), op.add, op.set(t));
  for (let v = 0; v < 2; v++) inner.push(op.get(t), op.vload(v * STRIDE), op.set(y[v]));
  for (let u = 0; u < 4; u++) {
    for (let v = 0; v < 2; v++) {
      const j = u * 2 + v;
      inner.push(op.get(acc[j]), op.get(x[u]), op.get(y[v]), op.fmul, op.fadd, op.set(acc[j]));
    }
  }
  inner.push(op.get(p), op.i32(16), op.add, op.tee(p), op.get(end), op.ltU, op.brIf(0));

  const tile = [];
  for (let j = 0; j < 8; j++) tile.push(op.vzero, op.set(acc[j]));
  // p = S + a·4·STRIDE + r0; end = p + len; d = (2b − 4a)·STRIDE
  tile.push(
    op.get(S),
    op.get(a),
    op.i32(4 * STRIDE),
    op.mul,
    op.add,
    op.get(r0),
    op.add,
    op.tee(p),
    op.get(len),
    op.add,
    op.set(end),
    op.get(b),
    op.i32(2 * STRIDE),
    op.mul,
    op.get(a),
    op.i32(-4 * STRIDE),
    op.mul,
    op.add,
    op.set(d),
  );
  tile.push(op.loop, ...inner, op.end);
  // C[pc + 16j] += acc_j
  for (let j = 0; j < 8; j++) {
    tile.push(op.get(pc), op.get(pc), op.vload(16 * j), op.get(acc[j]), op.fadd, op.vstore(16 * j));
  }
  tile.push(op.get(pc), op.i32(128), op.add, op.set(pc));

  return [
    op.get(G),
    op.i32(2),
    op.mul,
    op.set(nb),
    op.i32(0),
    op.set(r0),
    // for (r0 = 0; r0 < rows2·8; r0 += SUB·8)
    op.block,
    op.loop,
    op.get(r0),
    op.get(ROWS),
    op.i32(8),
    op.mul,
    op.geU,
    op.brIf(1),
    // len = min(SUB·8, rows2·8 − r0)
    op.get(ROWS),
    op.i32(8),
    op.mul,
    op.get(r0),
    [0x6b], // i32.sub
    op.set(len),
    op.get(len),
    op.i32(SUB * 8),
    op.geU,
    [0x04, 0x40], // if
    op.i32(SUB * 8),
    op.set(len),
    op.end,
    op.get(C),
    op.set(pc),
    op.i32(0),
    op.set(a),
    // for (a = 0; a < G; a++)
    op.block,
    op.loop,
    op.get(a),
    op.get(G),
    op.geU,
    op.brIf(1),
    op.get(a),
    op.i32(2),
    op.mul,
    op.set(b),
    // for (b = 2a; b < 2G; b++)
    op.block,
    op.loop,
    op.get(b),
    op.get(nb),
    op.geU,
    op.brIf(1),
    ...tile,
    op.get(b),
    op.i32(1),
    op.add,
    op.set(b),
    op.br(0),
    op.end,
    op.end,
    op.get(a),
    op.i32(1),
    op.add,
    op.set(a),
    op.br(0),
    op.end,
    op.end,
    op.get(r0),
    op.i32(SUB * 8),
    op.add,
    op.set(r0),
    op.br(0),
    op.end,
    op.end,
  ];
}

// ---------------------------------------------------------------- module
export function buildModule() {
  const type = section(1, vec([[0x60, ...vec([I32, I32, I32, I32]), ...vec([])]]));
  const funcs = section(3, vec([uleb(0), uleb(0)]));
  const memory = section(5, vec([[0x00, ...uleb(1)]])); // min 1 page, no max
  const exports = section(
    7,
    vec([
      [...str("memory"), 0x02, ...uleb(0)],
      [...str("centre"), 0x00, ...uleb(0)],
      [...str("products"), 0x00, ...uleb(1)],
    ]),
  );
  const code = section(
    10,
    vec([
      func(
        [
          [3, I32],
          [1, V128],
        ],
        centreBody(),
      ),
      func(
        [
          [10, I32],
          [14, V128],
        ],
        productsBody(),
      ),
    ]),
  );
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...type,
    ...funcs,
    ...memory,
    ...exports,
    ...code,
  ]);
}

function render(bytes) {
  const hex = Buffer.from(bytes).toString("hex");
  const lines = hex.match(/.{1,100}/g).map((l) => `  "${l}"`);
  return `// Generated by scripts/build-wasm-comoments.mjs — do not edit; rerun the script instead.
/**
 * WebAssembly SIMD (f64x2) co-moment micro-kernel, as hex-encoded module bytes. See
 * scripts/build-wasm-comoments.mjs for the memory layout and the two exported functions.
 *
 * @module
 */

/** Rows copied into wasm memory per chunk. */
export const WASM_CHUNK = ${CHUNK};
/** Bytes between consecutive columns of a chunk in wasm memory. */
export const WASM_STRIDE = ${STRIDE};

/** The module bytes (${bytes.length} bytes), hex-encoded. */
export const WASM_HEX =
${lines.join(" +\n")};
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = buildModule();
  if (!WebAssembly.validate(bytes)) throw new Error("generated module does not validate");
  const out = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "drivers", "_kernel-wasm.ts");
  const text = render(bytes);
  if (process.argv.includes("--check")) {
    const current = readFileSync(out, "utf8");
    if (current !== text) {
      console.error(`${out} is out of date; run node scripts/build-wasm-comoments.mjs`);
      process.exit(1);
    }
    console.log(`${out} is up to date (${bytes.length} bytes)`);
  } else {
    writeFileSync(out, text);
    console.log(`wrote ${out} (${bytes.length} bytes)`);
  }
}
