/**
 * Fold a large array in several threads: each worker rebuilds the accumulator from its module
 * specifier and export name, folds a contiguous slice, and sends back its state (plain JSON); the
 * states are merged in slice order with the accumulator's own `merge`, so the result object is the
 * one `fold` returns.
 *
 * Node: `worker_threads` (loaded with a dynamic import inside the call, so this module stays
 * browser-safe); typed arrays are shared through a `SharedArrayBuffer` (no copy per worker).
 * Deno and browsers: Web Workers (module workers from a Blob URL) when `globalThis.Worker` exists;
 * slices are copied to each worker (a `SharedArrayBuffer` needs cross-origin isolation there).
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { foldState } from "../core/accumulator.js";
import { CxMetricsError, type ErrorCode, InvalidInputError, invalidOption } from "../core/errors.js";

/**
 * An accumulator named so a worker can rebuild it: `(await import(module))[accumulator](...args)`.
 * `module` should be a URL (`new URL("./my-acc.js", import.meta.url).href`) or a bare specifier the
 * worker can resolve (`"cxmetrics/survey"`). `args` must be structured-cloneable (plain data).
 *
 * @example
 * { module: "cxmetrics/survey", accumulator: "npsAccumulator", args: [{ ci: "wald" }] }
 */
export interface AccumulatorRef {
  module: string;
  accumulator: string;
  args?: readonly unknown[];
}

/** Options for {@link parallelFold}. */
export interface ParallelFoldOptions {
  /**
   * Number of workers (default: the number of logical CPUs). `0` or `1` folds on the calling thread.
   */
  workers?: number;
  /**
   * Below this many values the fold runs on the calling thread (default {@link PARALLEL_THRESHOLD}:
   * starting workers and loading the module costs more than folding fewer values; measured in
   * bench/scale.bench.ts).
   */
  threshold?: number;
  /**
   * A function each worker calls (and awaits) before importing the accumulator module, named like
   * the accumulator: e.g. a module loader for TypeScript sources in tests
   * (`{ module: "tsx/esm/api", accumulator: "register" }`).
   */
  preload?: AccumulatorRef;
}

/**
 * Default size threshold (values) below which a one-shot {@link parallelFold} does not start workers.
 * Measured on the 2-core reference machine (bench/results/scale.md): starting two Node workers and
 * importing the module costs ≈ 30–80 ms per call, while one thread folds NPS scores with
 * `npsAccumulator` at ≈ 4–13 ns per value; one-shot workers were slower than `fold` at every size
 * up to 10M values (1.2–2.1×), so they are off below 20M. A {@link createWorkerPool} pays the start-up
 * once and is faster from ≈ 100k values.
 */
export const PARALLEL_THRESHOLD = 20_000_000;

/** @internal */
export type Values<In> = Float64Array | Uint8Array | ArrayLike<In>;

/** @internal One worker's share of a fold. */
export interface Task {
  module: string;
  accumulator: string;
  args: unknown[];
  preload: { module: string; accumulator: string; args: unknown[] } | null;
  /** "f64"/"u8": a shared or transferred buffer; "array": a plain array slice. */
  kind: "f64" | "u8" | "array";
  buffer?: ArrayBufferLike;
  byteOffset?: number;
  length?: number;
  values?: unknown[];
  /** Slice [start, end) of the whole input; `offset` is the index of element 0 of `values`/buffer. */
  start: number;
  end: number;
  offset: number;
}

/** @internal A worker's answer. */
export type Reply =
  | { ok: true; state: unknown }
  | { ok: false; error: { name: string; message: string; code?: string; issues?: unknown } };

// The worker body: the same text runs as a Node eval worker (CommonJS wrapper) and as a module Web Worker.
const WORKER_BODY = `
const cxmPreloaded = new Set();
async function cxmRun(task) {
  try {
    const key = task.preload ? task.preload.module + "#" + task.preload.accumulator : "";
    if (task.preload && !cxmPreloaded.has(key)) {
      const p = await import(task.preload.module);
      await p[task.preload.accumulator](...task.preload.args);
      cxmPreloaded.add(key);
    }
    const mod = await import(task.module);
    const make = mod[task.accumulator];
    if (typeof make !== "function") throw new TypeError(task.module + " has no export " + task.accumulator);
    const acc = make(...task.args);
    let values;
    if (task.kind === "f64") values = new Float64Array(task.buffer, task.byteOffset, task.length);
    else if (task.kind === "u8") values = new Uint8Array(task.buffer, task.byteOffset, task.length);
    else values = task.values;
    let state = acc.init();
    const off = task.offset;
    for (let i = task.start; i < task.end; i++) state = acc.add(state, values[i - off], i);
    return { ok: true, state };
  } catch (e) {
    return { ok: false, error: { name: e && e.name, message: String(e && e.message), code: e && e.code, issues: e && e.issues } };
  }
}`;

/** A one-shot Node worker: the task comes as workerData. */
const NODE_WORKER = `${WORKER_BODY}
const { parentPort, workerData } = require("node:worker_threads");
cxmRun(workerData).then((r) => parentPort.postMessage(r));`;

/** A long-lived Node worker: one task per message (used by worker pools). */
export const NODE_POOL_WORKER = `${WORKER_BODY}
const { parentPort } = require("node:worker_threads");
parentPort.on("message", (task) => { cxmRun(task).then((r) => parentPort.postMessage(r)); });`;

/** A module Web Worker: one task per message (per-call and pooled). */
export const WEB_WORKER = `${WORKER_BODY}
self.onmessage = (ev) => { cxmRun(ev.data).then((r) => self.postMessage(r)); };`;

/**
 * @internal Import a Node built-in at run time. The specifier is built from parts so bundlers
 * (tsup/esbuild with a neutral platform, Vite for browsers) leave it alone: it only runs under Node.
 */
export function nodeBuiltin(name: string): Promise<unknown> {
  const specifier = ["node", name].join(":");
  return import(/* @vite-ignore */ specifier);
}

/** @internal */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string" && !("Deno" in globalThis);
}

function resolveSpecifier(spec: string): string {
  const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
  if (/^[a-z][a-z0-9+.-]*:/i.test(spec) || typeof resolve !== "function") return spec;
  try {
    return resolve(spec);
  } catch {
    return spec;
  }
}

/** @internal */
export async function loadAccumulator<In, S, Out>(ref: AccumulatorRef): Promise<Accumulator<In, S, Out>> {
  const mod = (await import(/* @vite-ignore */ resolveSpecifier(ref.module))) as Record<string, unknown>;
  const make = mod[ref.accumulator];
  if (typeof make !== "function")
    invalidOption("parallelFold", "accumulator", `an export of ${ref.module}`, ref.accumulator);
  return (make as (...a: unknown[]) => Accumulator<In, S, Out>)(...(ref.args ?? []));
}

/** @internal */
export async function defaultWorkers(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (typeof nav?.hardwareConcurrency === "number") return nav.hardwareConcurrency;
  if (isNode()) {
    const os = (await nodeBuiltin("os")) as {
      availableParallelism?: () => number;
      cpus: () => unknown[];
    };
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  return 2;
}

function rethrow(error: { name: string; message: string; code?: string; issues?: unknown }): never {
  let e: Error;
  if (error.name === "InvalidInputError" && Array.isArray(error.issues)) {
    e = new InvalidInputError(error.issues as InvalidInputError["issues"], {
      code: (error.code ?? "invalid_record") as ErrorCode,
    });
  } else if (typeof error.code === "string") {
    e = new CxMetricsError(error.code as ErrorCode, error.message);
  } else e = new Error(error.message);
  Object.defineProperty(e, "message", { value: error.message });
  if (error.name) Object.defineProperty(e, "name", { value: error.name });
  throw e;
}

/**
 * Fold `values` with an accumulator in `workers` threads and merge the states; the same result as
 * `fold(values, acc)` (exactly, for accumulators whose merge is exact, as the survey counts are).
 * Errors thrown in a worker (an invalid value, naming its index in the whole input) are re-thrown here.
 *
 * Pays only for large inputs: below `threshold` values (default {@link PARALLEL_THRESHOLD}) it folds
 * on the calling thread. Float64Array/Uint8Array inputs are shared (a SharedArrayBuffer is used as is;
 * other buffers are copied into one, once); other array-likes are sliced and copied to each worker.
 *
 * @example
 * const r = await parallelFold(scores, { module: "cxmetrics/survey", accumulator: "npsAccumulator" }, { workers: 2 });
 * r.score
 */
export async function parallelFold<In, S, Out>(
  values: Values<In>,
  ref: AccumulatorRef,
  options?: ParallelFoldOptions,
): Promise<Out> {
  const acc = await loadAccumulator<In, S, Out>(ref);
  return acc.result(await parallelFoldStateWith(values, ref, acc, options));
}

/** Like {@link parallelFold} but returns the merged state (for merging with other states later). */
export async function parallelFoldState<In, S>(
  values: Values<In>,
  ref: AccumulatorRef,
  options?: ParallelFoldOptions,
): Promise<S> {
  const acc = await loadAccumulator<In, S, unknown>(ref);
  return parallelFoldStateWith(values, ref, acc, options);
}

/** @internal The shared implementation; `runner` runs the tasks (one-shot workers by default, or a pool). */
export async function parallelFoldStateWith<In, S, Out>(
  values: Values<In>,
  ref: AccumulatorRef,
  acc: Accumulator<In, S, Out>,
  options?: ParallelFoldOptions,
  runner?: (tasks: { task: Task; transfer: ArrayBuffer[] }[]) => Promise<Reply[]>,
): Promise<S> {
  const fn = "parallelFold";
  const n = values?.length;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    invalidOption(fn, "values", "a Float64Array, Uint8Array or array-like", values);
  }
  const requested = options?.workers ?? (await defaultWorkers());
  if (!Number.isInteger(requested) || requested < 0)
    invalidOption(fn, "workers", "a non-negative integer", requested);
  const threshold = options?.threshold ?? PARALLEL_THRESHOLD;
  if (!(threshold >= 0)) invalidOption(fn, "threshold", "a non-negative number", threshold);
  const k = Math.min(requested, Math.max(1, Math.floor(n / 1024)));
  const node = isNode();
  const web = !node && typeof (globalThis as { Worker?: unknown }).Worker === "function";
  if (k <= 1 || n < threshold || (!node && !web)) return foldState(values as ArrayLike<In>, acc);

  const base: Omit<Task, "kind" | "start" | "end" | "offset"> = {
    module: resolveSpecifier(ref.module),
    accumulator: ref.accumulator,
    args: [...(ref.args ?? [])],
    preload: options?.preload
      ? {
          module: resolveSpecifier(options.preload.module),
          accumulator: options.preload.accumulator,
          args: [...(options.preload.args ?? [])],
        }
      : null,
  };
  const bounds: [number, number][] = [];
  for (let w = 0; w < k; w++) bounds.push([Math.floor((n * w) / k), Math.floor((n * (w + 1)) / k)]);
  const typed = values instanceof Float64Array ? "f64" : values instanceof Uint8Array ? "u8" : null;
  const hasSab = typeof SharedArrayBuffer === "function";
  let shared: Float64Array | Uint8Array | null = null;
  if (typed !== null && node && hasSab) {
    const v = values as Float64Array | Uint8Array;
    if (v.buffer instanceof SharedArrayBuffer) shared = v;
    else {
      const sab = new SharedArrayBuffer(v.byteLength);
      shared = typed === "f64" ? new Float64Array(sab) : new Uint8Array(sab);
      shared.set(v);
    }
  }
  const tasks: { task: Task; transfer: ArrayBuffer[] }[] = bounds.map(([start, end]) => {
    if (shared !== null) {
      return {
        task: {
          ...base,
          kind: typed!,
          buffer: shared.buffer,
          byteOffset: shared.byteOffset,
          length: shared.length,
          start,
          end,
          offset: 0,
        },
        transfer: [],
      };
    }
    if (typed !== null) {
      const part = (values as Float64Array | Uint8Array).slice(start, end);
      return {
        task: {
          ...base,
          kind: typed,
          buffer: part.buffer,
          byteOffset: 0,
          length: part.length,
          start,
          end,
          offset: start,
        },
        transfer: [part.buffer as ArrayBuffer],
      };
    }
    const part = Array.prototype.slice.call(values, start, end) as unknown[];
    return { task: { ...base, kind: "array", values: part, start, end, offset: start }, transfer: [] };
  });
  const replies = runner ? await runner(tasks) : node ? await runNode(tasks) : await runWeb(tasks);
  let state = acc.init();
  for (const r of replies) {
    if (!r.ok) rethrow(r.error);
  }
  for (const r of replies) if (r.ok) state = acc.merge(state, r.state as S);
  return state;
}

/** The part of `node:worker_threads` used here (structural: src/ compiles without Node types). */
interface NodeWorkerThreads {
  Worker: new (
    code: string,
    options: { eval: true; workerData: unknown; transferList: ArrayBuffer[] },
  ) => {
    once(event: "message", f: (r: Reply) => void): void;
    once(event: "error", f: (e: Error) => void): void;
    once(event: "exit", f: (code: number) => void): void;
    terminate(): Promise<number>;
  };
}

async function runNode(tasks: { task: Task; transfer: ArrayBuffer[] }[]): Promise<Reply[]> {
  const wt = (await nodeBuiltin("worker_threads")) as NodeWorkerThreads;
  return Promise.all(
    tasks.map(
      ({ task, transfer }) =>
        new Promise<Reply>((resolve, reject) => {
          const w = new wt.Worker(NODE_WORKER, { eval: true, workerData: task, transferList: transfer });
          let done = false;
          w.once("message", (r: Reply) => {
            done = true;
            resolve(r);
            void w.terminate();
          });
          w.once("error", (e) => {
            done = true;
            reject(e);
          });
          w.once("exit", (code) => {
            if (!done) reject(new Error(`parallelFold: worker exited with code ${code} before replying`));
          });
        }),
    ),
  );
}

async function runWeb(tasks: { task: Task; transfer: ArrayBuffer[] }[]): Promise<Reply[]> {
  const G = globalThis as unknown as {
    Worker: new (
      url: string,
      opts: { type: "module" },
    ) => {
      postMessage(m: unknown, transfer?: ArrayBuffer[]): void;
      onmessage: ((ev: { data: Reply }) => void) | null;
      onerror: ((ev: { message?: string }) => void) | null;
      terminate(): void;
    };
    Blob: new (parts: string[], opts: { type: string }) => unknown;
    URL: { createObjectURL(b: unknown): string; revokeObjectURL(u: string): void };
  };
  const url = G.URL.createObjectURL(new G.Blob([WEB_WORKER], { type: "text/javascript" }));
  try {
    return await Promise.all(
      tasks.map(
        ({ task, transfer }) =>
          new Promise<Reply>((resolve, reject) => {
            const w = new G.Worker(url, { type: "module" });
            w.onmessage = (ev) => {
              resolve(ev.data);
              w.terminate();
            };
            w.onerror = (ev) => {
              w.terminate();
              reject(new Error(`parallelFold: worker failed: ${ev.message ?? "unknown error"}`));
            };
            w.postMessage(task, transfer);
          }),
      ),
    );
  } finally {
    G.URL.revokeObjectURL(url);
  }
}
