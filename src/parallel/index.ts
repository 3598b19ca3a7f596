/**
 * `cxmetrics/parallel`: fold large arrays in worker threads (Node `worker_threads`, Web Workers in
 * Deno and browsers) and merge the accumulator states. See docs/scale.md for when it pays.
 *
 * @module parallel
 */
export {
  type AccumulatorRef,
  PARALLEL_THRESHOLD,
  type ParallelFoldOptions,
  parallelFold,
  parallelFoldState,
} from "./parallel-fold.js";
export { POOL_THRESHOLD, type WorkerPool, type WorkerPoolOptions, createWorkerPool } from "./worker-pool.js";
