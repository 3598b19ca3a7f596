/**
 * A pool of long-lived workers for repeated parallel folds: worker start-up, module loading and
 * JIT warm-up are paid once instead of on every call (on the 2-core reference machine a one-shot
 * `parallelFold` spends ≈ 55–80 ms starting workers).
 *
 * @module
 */
import { invalidOption } from "../core/errors.js";
import {
  type AccumulatorRef,
  NODE_POOL_WORKER,
  type ParallelFoldOptions,
  type Reply,
  type Task,
  type Values,
  WEB_WORKER,
  defaultWorkers,
  isNode,
  loadAccumulator,
  nodeBuiltin,
  parallelFoldStateWith,
} from "./parallel-fold.js";

/**
 * Default size threshold of a pool's `fold` (values): below it the fold runs on the calling thread.
 * On the 2-core reference machine a 2-worker pool folded NPS scores in 0.56–0.73× the one-thread time
 * from 100k values on (Uint8Array); a Float64Array that is not already on a SharedArrayBuffer is
 * copied once per call, which ate the gain at 10M (1.2×).
 */
export const POOL_THRESHOLD = 100_000;

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** Number of workers (default: the number of logical CPUs). */
  workers?: number;
  /** Called in each worker before its first task (see {@link ParallelFoldOptions.preload}). */
  preload?: AccumulatorRef;
}

/** A pool of workers; `close()` it when done (idle Node workers do not keep the process alive). */
export interface WorkerPool {
  /** Number of workers. */
  readonly size: number;
  /** `parallelFold` on the pool's workers (`threshold` default {@link POOL_THRESHOLD}; `workers` ≤ pool size). */
  fold<Out = unknown, In = number>(
    values: Values<In>,
    ref: AccumulatorRef,
    options?: Omit<ParallelFoldOptions, "preload">,
  ): Promise<Out>;
  /** Like `fold` but returns the merged state. */
  foldState<In, S>(
    values: Values<In>,
    ref: AccumulatorRef,
    options?: Omit<ParallelFoldOptions, "preload">,
  ): Promise<S>;
  /** Terminate the workers. */
  close(): Promise<void>;
}

interface PoolWorker {
  run(task: Task, transfer: ArrayBuffer[]): Promise<Reply>;
  terminate(): Promise<void>;
}

interface NodeWorkerLike {
  postMessage(m: unknown, transfer?: ArrayBuffer[]): void;
  once(event: "message", f: (r: Reply) => void): void;
  once(event: "error", f: (e: Error) => void): void;
  off(event: "error", f: (e: Error) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

/**
 * Start `workers` long-lived workers (Node `worker_threads`, or module Web Workers where
 * `globalThis.Worker` exists). Each `fold` splits the input over them exactly as `parallelFold` does.
 *
 * @example
 * const pool = await createWorkerPool({ workers: 2 });
 * try {
 *   for (const chunk of chunks) total = await pool.fold(chunk, { module: "cxmetrics/survey", accumulator: "npsAccumulator" });
 * } finally { await pool.close(); }
 */
export async function createWorkerPool(options?: WorkerPoolOptions): Promise<WorkerPool> {
  const size = options?.workers ?? (await defaultWorkers());
  if (!Number.isInteger(size) || size < 1)
    invalidOption("createWorkerPool", "workers", "a positive integer", size);
  const node = isNode();
  const web = !node && typeof (globalThis as { Worker?: unknown }).Worker === "function";
  if (!node && !web)
    invalidOption("createWorkerPool", "runtime", "Node worker_threads or Web Workers", "neither");
  const workers: PoolWorker[] = [];
  let blobUrl: string | null = null;
  if (node) {
    const wt = (await nodeBuiltin("worker_threads")) as {
      Worker: new (code: string, o: { eval: true }) => NodeWorkerLike;
    };
    for (let i = 0; i < size; i++) {
      const w = new wt.Worker(NODE_POOL_WORKER, { eval: true });
      w.unref();
      let chain: Promise<unknown> = Promise.resolve();
      workers.push({
        run(task, transfer) {
          const next = chain.then(
            () =>
              new Promise<Reply>((resolve, reject) => {
                const onError = (e: Error) => reject(e);
                w.once("error", onError);
                w.once("message", (r) => {
                  w.off("error", onError);
                  w.unref();
                  resolve(r);
                });
                w.ref();
                w.postMessage(task, transfer);
              }),
          );
          chain = next.catch(() => undefined);
          return next;
        },
        async terminate() {
          await w.terminate();
        },
      });
    }
  } else {
    const G = globalThis as unknown as {
      Worker: new (
        url: string,
        o: { type: "module" },
      ) => {
        postMessage(m: unknown, transfer?: ArrayBuffer[]): void;
        onmessage: ((ev: { data: Reply }) => void) | null;
        onerror: ((ev: { message?: string }) => void) | null;
        terminate(): void;
      };
      Blob: new (parts: string[], o: { type: string }) => unknown;
      URL: { createObjectURL(b: unknown): string; revokeObjectURL(u: string): void };
    };
    blobUrl = G.URL.createObjectURL(new G.Blob([WEB_WORKER], { type: "text/javascript" }));
    for (let i = 0; i < size; i++) {
      const w = new G.Worker(blobUrl, { type: "module" });
      let chain: Promise<unknown> = Promise.resolve();
      workers.push({
        run(task, transfer) {
          const next = chain.then(
            () =>
              new Promise<Reply>((resolve, reject) => {
                w.onmessage = (ev) => resolve(ev.data);
                w.onerror = (ev) =>
                  reject(new Error(`worker pool: worker failed: ${ev.message ?? "unknown error"}`));
                w.postMessage(task, transfer);
              }),
          );
          chain = next.catch(() => undefined);
          return next;
        },
        async terminate() {
          w.terminate();
        },
      });
    }
  }
  let closed = false;
  const runner = (tasks: { task: Task; transfer: ArrayBuffer[] }[]) => {
    if (closed) invalidOption("WorkerPool.fold", "pool", "an open pool", "a closed pool");
    return Promise.all(tasks.map(({ task, transfer }, i) => workers[i % size]!.run(task, transfer)));
  };
  const withPreload = (o: Omit<ParallelFoldOptions, "preload"> | undefined): ParallelFoldOptions => {
    const workersWanted = Math.min(o?.workers ?? size, size);
    return {
      ...o,
      workers: workersWanted,
      threshold: o?.threshold ?? POOL_THRESHOLD,
      ...(options?.preload ? { preload: options.preload } : {}),
    };
  };
  return {
    size,
    async fold<Out, In>(values: Values<In>, ref: AccumulatorRef, o?: Omit<ParallelFoldOptions, "preload">) {
      const acc = await loadAccumulator<In, unknown, Out>(ref);
      return acc.result(await parallelFoldStateWith(values, ref, acc, withPreload(o), runner));
    },
    async foldState<In, S>(
      values: Values<In>,
      ref: AccumulatorRef,
      o?: Omit<ParallelFoldOptions, "preload">,
    ) {
      const acc = await loadAccumulator<In, S, unknown>(ref);
      return parallelFoldStateWith(values, ref, acc, withPreload(o), runner);
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
      if (blobUrl !== null)
        (globalThis as unknown as { URL: { revokeObjectURL(u: string): void } }).URL.revokeObjectURL(blobUrl);
    },
  };
}
