/**
 * Co-moment kernels (internal to `drivers/`): Σ (x_i − m_i)(x_j − m_j) over n rows for every pair of
 * k columns, given the means m. Two implementations give the same sums up to rounding:
 *
 * - WebAssembly SIMD (f64x2), used when `WebAssembly` is available and the input is large enough
 *   to pay for the copy: rows are copied in chunks of {@link WASM_CHUNK} into wasm memory, centred
 *   there, and swept by a 4×2 register-blocked micro-kernel in sub-blocks of 128 rows (built by
 *   scripts/build-wasm-comoments.mjs);
 * - plain JavaScript: rows in blocks copied centred into a column-major scratch buffer, the upper
 *   triangle swept 4×4 column pairs at a time.
 *
 * Both sum each block of rows into fresh accumulators before adding it to the running total, so the
 * rounding error grows with the block length plus the number of blocks, not with n.
 *
 * @module
 */
import { WASM_CHUNK, WASM_HEX, WASM_STRIDE } from "./_kernel-wasm.js";

/** Which kernel {@link crossProducts} uses: `"auto"` (default) picks WebAssembly when it is available. */
export type KernelEngine = "auto" | "js" | "wasm";

let defaultEngine: KernelEngine = "auto";

/**
 * Set the engine {@link crossProducts} uses when none is passed (benchmarks and tests compare the
 * two; the library never calls this). Returns the previous setting.
 */
export function setKernelEngine(engine: KernelEngine): KernelEngine {
  const previous = defaultEngine;
  defaultEngine = engine;
  return previous;
}

/** Below this many values (n·k) the JavaScript kernel is used: the wasm copy does not pay. */
const WASM_MIN_VALUES = 1 << 15;

// ------------------------------------------------------------------------------------ means

/** Sum of the first `n` values, four running sums (finite iff every value is finite, barring overflow). */
export function sumColumn(col: ArrayLike<number>, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += col[i]!;
    s1 += col[i + 1]!;
    s2 += col[i + 2]!;
    s3 += col[i + 3]!;
  }
  for (; i < n; i++) s0 += col[i]!;
  return s0 + s1 + (s2 + s3);
}

/** Column means (0 when n = 0). */
export function columnMeans(columns: ArrayLike<number>[], n: number): Float64Array {
  const mean = new Float64Array(columns.length);
  for (let c = 0; c < columns.length; c++) mean[c] = n > 0 ? sumColumn(columns[c]!, n) / n : 0;
  return mean;
}

// ------------------------------------------------------------------------------------ dispatch

/**
 * Full symmetric k×k matrix (row-major) of summed cross-products of deviations from `mean` over the
 * first `n` rows of complete, finite `columns`.
 */
export function crossProducts(
  columns: ArrayLike<number>[],
  n: number,
  mean: Float64Array,
  engine: KernelEngine = defaultEngine,
): Float64Array {
  if (engine === "wasm" || (engine === "auto" && n * columns.length >= WASM_MIN_VALUES)) {
    const w = wasmKernel();
    if (w !== null && reserve(w, layout(columns.length).need)) return crossProductsWasm(w, columns, n, mean);
    if (engine === "wasm") throw new Error("WebAssembly SIMD is not available");
  }
  return crossProductsJs(columns, n, mean);
}

/** Whether the WebAssembly SIMD kernel can run here. */
export function wasmAvailable(): boolean {
  return wasmKernel() !== null;
}

// ------------------------------------------------------------------------------------ wasm

interface WasmExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  centre(k: number, rows2: number, meanOff: number, sOff: number): void;
  products(groups: number, rows2: number, cOff: number, sOff: number): void;
}
interface WasmNamespace {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

let wasm: WasmExports | null | undefined;

function wasmKernel(): WasmExports | null {
  if (wasm !== undefined) return wasm;
  wasm = null;
  const WA = (globalThis as { WebAssembly?: WasmNamespace }).WebAssembly;
  if (WA === undefined) return wasm;
  try {
    const bytes = new Uint8Array(WASM_HEX.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(WASM_HEX.slice(2 * i, 2 * i + 2), 16);
    wasm = new WA.Instance(new WA.Module(bytes), {}).exports as WasmExports;
  } catch {
    wasm = null; // no SIMD support (or wasm disabled by policy): the JavaScript kernel is used
  }
  return wasm;
}

const align64 = (x: number) => Math.ceil(x / 64) * 64;

/** Byte layout of wasm memory for k columns: means, tile accumulators, one chunk of columns. */
function layout(k: number) {
  const q = Math.ceil(k / 4) * 4;
  const groups = q / 4;
  const tiles = groups * (groups + 1); // 4-column groups a × 2-column groups b ≥ 2a
  const cOff = align64(k * 8);
  const sOff = align64(cOff + tiles * 128);
  return { q, groups, meanOff: 0, cOff, sOff, need: sOff + q * WASM_STRIDE };
}

/** Grow the memory to `need` bytes; false when the runtime refuses (the JavaScript kernel is used). */
function reserve(w: WasmExports, need: number): boolean {
  const have = w.memory.buffer.byteLength;
  if (need <= have) return true;
  try {
    w.memory.grow(Math.ceil((need - have) / 65536));
    return true;
  } catch {
    return false;
  }
}

function crossProductsWasm(
  w: WasmExports,
  columns: ArrayLike<number>[],
  n: number,
  mean: Float64Array,
): Float64Array {
  const k = columns.length;
  const { q, groups, meanOff, cOff, sOff, need } = layout(k);
  const F = new Float64Array(w.memory.buffer);
  F.set(mean, meanOff / 8);
  F.fill(0, cOff / 8, sOff / 8);
  // padding columns stay zero: `centre` only touches the first k
  F.fill(0, (sOff + k * WASM_STRIDE) / 8, need / 8);
  const total = new Float64Array(q * q);
  const c0 = cOff / 8;
  for (let r0 = 0; r0 < n; r0 += WASM_CHUNK) {
    const len = Math.min(WASM_CHUNK, n - r0);
    const rows2 = len + (len & 1);
    for (let c = 0; c < k; c++) {
      const col = columns[c]!;
      const o = (sOff + c * WASM_STRIDE) / 8;
      if (col instanceof Float64Array) F.set(col.subarray(r0, r0 + len), o);
      else for (let i = 0; i < len; i++) F[o + i] = col[r0 + i]!;
      if (rows2 > len) F[o + len] = mean[c]!; // an odd last row pairs with a zero deviation
    }
    w.centre(k, rows2, meanOff, sOff);
    w.products(groups, rows2, cOff, sOff);
    let t = c0;
    for (let a = 0; a < groups; a++) {
      for (let b = 2 * a; b < 2 * groups; b++) {
        for (let u = 0; u < 4; u++) {
          const row = (4 * a + u) * q + 2 * b;
          total[row] = total[row]! + (F[t]! + F[t + 1]!);
          total[row + 1] = total[row + 1]! + (F[t + 2]! + F[t + 3]!);
          F[t] = 0;
          F[t + 1] = 0;
          F[t + 2] = 0;
          F[t + 3] = 0;
          t += 4;
        }
      }
    }
  }
  return symmetric(total, q, k);
}

function symmetric(C: Float64Array, q: number, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const v = C[i * q + j]!;
      out[i * k + j] = v;
      out[j * k + i] = v;
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------ JavaScript

const BLOCK = 2048;

function center(
  S: Float64Array,
  o: number,
  col: ArrayLike<number>,
  r0: number,
  len: number,
  m: number,
): void {
  if (col instanceof Float64Array) {
    S.set(col.subarray(r0, r0 + len), o);
    const end = o + len;
    for (let i = o; i < end; i++) S[i] = S[i]! - m;
  } else {
    for (let i = 0; i < len; i++) S[o + i] = col[r0 + i]! - m;
  }
}

function tileDiagonal(S: Float64Array, B: number, len: number, a: number, C: Float64Array, q: number): void {
  let s00 = 0;
  let s01 = 0;
  let s02 = 0;
  let s03 = 0;
  let s11 = 0;
  let s12 = 0;
  let s13 = 0;
  let s22 = 0;
  let s23 = 0;
  let s33 = 0;
  const o0 = a * B;
  const o1 = o0 + B;
  const o2 = o1 + B;
  const o3 = o2 + B;
  for (let i = 0; i < len; i++) {
    const x0 = S[o0 + i]!;
    const x1 = S[o1 + i]!;
    const x2 = S[o2 + i]!;
    const x3 = S[o3 + i]!;
    s00 += x0 * x0;
    s01 += x0 * x1;
    s02 += x0 * x2;
    s03 += x0 * x3;
    s11 += x1 * x1;
    s12 += x1 * x2;
    s13 += x1 * x3;
    s22 += x2 * x2;
    s23 += x2 * x3;
    s33 += x3 * x3;
  }
  const r = a * q + a;
  C[r] = C[r]! + s00;
  C[r + 1] = C[r + 1]! + s01;
  C[r + 2] = C[r + 2]! + s02;
  C[r + 3] = C[r + 3]! + s03;
  C[r + q + 1] = C[r + q + 1]! + s11;
  C[r + q + 2] = C[r + q + 2]! + s12;
  C[r + q + 3] = C[r + q + 3]! + s13;
  C[r + 2 * q + 2] = C[r + 2 * q + 2]! + s22;
  C[r + 2 * q + 3] = C[r + 2 * q + 3]! + s23;
  C[r + 3 * q + 3] = C[r + 3 * q + 3]! + s33;
}

function tile4x4(
  S: Float64Array,
  B: number,
  len: number,
  a: number,
  b: number,
  C: Float64Array,
  q: number,
): void {
  let s00 = 0;
  let s01 = 0;
  let s02 = 0;
  let s03 = 0;
  let s10 = 0;
  let s11 = 0;
  let s12 = 0;
  let s13 = 0;
  let s20 = 0;
  let s21 = 0;
  let s22 = 0;
  let s23 = 0;
  let s30 = 0;
  let s31 = 0;
  let s32 = 0;
  let s33 = 0;
  const a0 = a * B;
  const a1 = a0 + B;
  const a2 = a1 + B;
  const a3 = a2 + B;
  const b0 = b * B;
  const b1 = b0 + B;
  const b2 = b1 + B;
  const b3 = b2 + B;
  for (let i = 0; i < len; i++) {
    const x0 = S[a0 + i]!;
    const x1 = S[a1 + i]!;
    const x2 = S[a2 + i]!;
    const x3 = S[a3 + i]!;
    const y0 = S[b0 + i]!;
    const y1 = S[b1 + i]!;
    const y2 = S[b2 + i]!;
    const y3 = S[b3 + i]!;
    s00 += x0 * y0;
    s01 += x0 * y1;
    s02 += x0 * y2;
    s03 += x0 * y3;
    s10 += x1 * y0;
    s11 += x1 * y1;
    s12 += x1 * y2;
    s13 += x1 * y3;
    s20 += x2 * y0;
    s21 += x2 * y1;
    s22 += x2 * y2;
    s23 += x2 * y3;
    s30 += x3 * y0;
    s31 += x3 * y1;
    s32 += x3 * y2;
    s33 += x3 * y3;
  }
  let at = a * q + b;
  C[at] = C[at]! + s00;
  C[at + 1] = C[at + 1]! + s01;
  C[at + 2] = C[at + 2]! + s02;
  C[at + 3] = C[at + 3]! + s03;
  at += q;
  C[at] = C[at]! + s10;
  C[at + 1] = C[at + 1]! + s11;
  C[at + 2] = C[at + 2]! + s12;
  C[at + 3] = C[at + 3]! + s13;
  at += q;
  C[at] = C[at]! + s20;
  C[at + 1] = C[at + 1]! + s21;
  C[at + 2] = C[at + 2]! + s22;
  C[at + 3] = C[at + 3]! + s23;
  at += q;
  C[at] = C[at]! + s30;
  C[at + 1] = C[at + 1]! + s31;
  C[at + 2] = C[at + 2]! + s32;
  C[at + 3] = C[at + 3]! + s33;
}

/** The JavaScript kernel (also the fallback when WebAssembly is unavailable). */
export function crossProductsJs(columns: ArrayLike<number>[], n: number, mean: Float64Array): Float64Array {
  const k = columns.length;
  const q = Math.ceil(k / 4) * 4;
  const B = Math.max(1, Math.min(BLOCK, n));
  const S = new Float64Array(q * B);
  const C = new Float64Array(q * q);
  for (let r0 = 0; r0 < n; r0 += B) {
    const len = Math.min(B, n - r0);
    for (let c = 0; c < k; c++) center(S, c * B, columns[c]!, r0, len, mean[c]!);
    for (let a = 0; a < q; a += 4) {
      tileDiagonal(S, B, len, a, C, q);
      for (let b = a + 4; b < q; b += 4) tile4x4(S, B, len, a, b, C, q);
    }
  }
  return symmetric(C, q, k);
}
