/**
 * The survey stream in worker threads: the main thread reads the file and cuts it into chunks that
 * end on record boundaries (src/cli/record-chunks.ts: CSV quotes tracked across chunks, NDJSON
 * lines); `node:worker_threads` workers parse each chunk with the single-thread path's csv-parse
 * options and header, validate every record with the same per-record check, fold the chunk into the
 * survey accumulator's overall / by-group / by-period states and post the states back; the main
 * thread merges them in chunk order with the accumulator's own `merge`. The states are counts, so the
 * result objects — and the command's output — are byte-identical to the single-thread stream's and
 * the in-memory path's.
 *
 * Back-pressure: at most `maxInFlight` chunks (default two per worker) are out at once; reading
 * waits for the oldest to be merged, so memory stays bounded by a few chunks plus each worker's heap.
 *
 * Errors are the single-thread path's: a worker stops at its chunk's first problem (a CSV syntax
 * error, bad JSON, or a record the survey schema rejects) and reports it with its position in the
 * chunk; the main thread turns it into the file's row / line number once every earlier chunk has been
 * merged (so the problem reported is the first in the file), stops reading, and throws the same
 * one-line {@link CliError}. (When a CSV file has a bad record and, a few records after it, a syntax
 * error, the single-thread stream can report the syntax error: its csv-parse runs up to a read
 * buffer ahead of validation. This path always reports the first problem in file order.)
 *
 * The worker is this module itself: a worker thread that imports it with the marker in `workerData`
 * runs the chunk loop (the `isMainThread` guard at the end). The CLI imports this module with a
 * dynamic `import()`, so the bundler (tsup, ESM code splitting) emits it as a chunk of its own, which
 * is what `new Worker(new URL(import.meta.url))` loads in dist/; from TypeScript sources (tests, `node
 * --import tsx`) the worker registers tsx first.
 *
 * @module
 */
import { createReadStream, realpathSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { CsvError, parse } from "csv-parse/sync";
import type { InputIssue } from "../core/errors.js";
import type { SurveyResponse } from "../schemas/survey.js";
import { fastParseSurveyResponse, surveyResponseFromCsvRow } from "../schemas/survey.js";
import {
  type SurveyRow,
  type SurveySettings,
  surveyAccumulator,
  surveyFoldOptions,
} from "./commands/survey-fold.js";
import { CliError, checkHeader } from "./io.js";
import { RecordChunker, type RecordDelimiter, csvLineBreaks, findCsvHeader } from "./record-chunks.js";
import {
  type FoldStates,
  type FoldStreamResult,
  StreamFold,
  type StreamFormat,
  type StreamProgress,
  csvRecord,
  fileSize,
  readError,
  surveyIssuesError,
  surveyRecordIssues,
} from "./stream.js";

/**
 * Streamed files at least this large use workers by default (`--workers auto`), on a machine with
 * two or more cores. Measured on the 2-core reference machine (bench/stream.bench.ts,
 * bench/results/stream.md): two workers cost ≈ 0.4 s to start (each imports the survey schema and
 * the calendar code); in four runs on a machine shared with other jobs (load 2–7) they took
 * 1.1–1.7× the one-thread time at 1–4 MiB, 0.95–1.5× at 6–12 MiB, 0.65–0.99× at 36 MiB (1.0× only
 * while other jobs kept both cores busy) and 0.60–0.86× at 617 MiB.
 */
export const STREAM_WORKERS_THRESHOLD_BYTES = 32 * 1024 * 1024;

/** The most workers `--workers auto` starts (the main thread reads and cuts the file meanwhile). */
export const MAX_AUTO_STREAM_WORKERS = 4;

/**
 * Largest default chunk (bytes) handed to a worker: about 16,000 rows of a typical survey CSV. A
 * worker holds one chunk's parsed records at a time; on 10M rows, 1 MiB chunks took 356 MiB peak
 * RSS and 60 s against 492 MiB and 64 s for 4 MiB chunks. A smaller file gets smaller chunks (about
 * eight per worker, at least 64 KiB) so every worker has work.
 */
export const STREAM_CHUNK_BYTES = 1024 * 1024;

/** The default chunk size for a file of `bytes` bytes and `workers` workers. */
function defaultChunkBytes(bytes: number, workers: number): number {
  return Math.min(STREAM_CHUNK_BYTES, Math.max(64 * 1024, Math.ceil(bytes / (8 * workers))));
}

/** A header longer than this (an unclosed quote in it?) is read on one thread instead. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

const MARK = "cxmetrics:stream-worker";

/**
 * Can this build start stream workers? Not when this module is the process's entry script (a CLI
 * bundle built without code splitting): a worker would run the whole command again.
 */
export function streamWorkersAvailable(): boolean {
  try {
    const self = realpathSync(fileURLToPath(import.meta.url));
    const entry = process.argv[1];
    return entry === undefined || realpathSync(entry) !== self;
  } catch {
    return true;
  }
}

/**
 * The number of workers `--workers auto` uses for a streamed file of `bytes` bytes: 1 (the
 * single-thread stream) below {@link STREAM_WORKERS_THRESHOLD_BYTES}, on a one-core machine, or when
 * workers are not available; otherwise the number of cores, at most {@link MAX_AUTO_STREAM_WORKERS}.
 */
export function autoStreamWorkers(bytes: number, cores: number = availableParallelism()): number {
  if (bytes < STREAM_WORKERS_THRESHOLD_BYTES || cores < 2 || !streamWorkersAvailable()) return 1;
  return Math.min(cores, MAX_AUTO_STREAM_WORKERS);
}

/** Options of {@link parallelSurveyFold}. */
export interface ParallelStreamOptions {
  /** Number of worker threads (≥ 1). */
  workers: number;
  /**
   * Minimum chunk size in bytes (default: an eighth of the file per worker, from 64 KiB to
   * {@link STREAM_CHUNK_BYTES}; tests use a few bytes).
   */
  chunkBytes?: number;
  /** Chunks read but not yet merged, at most (default two per worker). */
  maxInFlight?: number;
  /** Read-stream buffer size (default 1 MiB). */
  highWaterMark?: number;
  /** Called at most every `progressIntervalMs` while reading, and once at the end. */
  onProgress?: (p: StreamProgress) => void;
  /** Minimum time between two `onProgress` calls (default 500 ms). */
  progressIntervalMs?: number;
  /** Called with a CSV file's column names before any record (may throw to stop). */
  onHeader?: (columns: string[]) => void;
  /** Workers to use (and leave running) instead of starting `workers` new ones. */
  pool?: StreamWorkerPool;
}

/** What a worker is told about a file before its chunks (plain data). */
interface WorkerInit {
  format: StreamFormat;
  settings: SurveySettings;
  /** CSV: the header record's bytes (copied in front of every chunk) and its trimmed column names. */
  header: Uint8Array | null;
  columns: string[] | null;
  delimiter: RecordDelimiter;
}

/** A chunk's first problem, positioned within the chunk. */
type ChunkProblem =
  | { kind: "csv"; message: string; line: number | null }
  | { kind: "json"; line: number; message: string }
  | { kind: "record"; index: number; issues: InputIssue[] }
  | { kind: "internal"; message: string };

/** A worker's reply for one chunk: line breaks in it (for line numbers) and its states or problem. */
type ChunkReply = {
  id: number;
  lines: number;
  states: FoldStates<unknown> | null;
  problem: ChunkProblem | null;
};

/**
 * Fold a survey CSV/NDJSON file in `workers` worker threads; the result of `foldStream` over the
 * single-thread stream (`readRecords` → `surveyResponses`), and the same errors. Returns `null` when
 * the file must be read on one thread instead (a UTF-16 CSV, or a header of more than 16 MiB).
 *
 * @example
 * // illustrative
 * const r = await parallelSurveyFold("big.csv", "csv", settings, { workers: 2 });
 * r?.overall.nps.score
 */
export async function parallelSurveyFold(
  file: string,
  format: StreamFormat,
  settings: SurveySettings,
  options: ParallelStreamOptions,
): Promise<FoldStreamResult<SurveyRow> | null> {
  const workers = options.pool?.size ?? options.workers;
  if (!Number.isInteger(workers) || workers < 1)
    throw new CliError(`survey: --workers must be a non-negative integer; found ${workers}`);
  const maxInFlight = Math.max(1, options.maxInFlight ?? 2 * workers);
  const totalBytes = fileSize(file);
  const chunkBytes = Math.max(1, options.chunkBytes ?? defaultChunkBytes(totalBytes, workers));
  const fold = new StreamFold(surveyAccumulator(settings.ci, settings.level), surveyFoldOptions(settings));
  const source = createReadStream(file, { highWaterMark: options.highWaterMark ?? 1024 * 1024 });

  const interval = options.progressIntervalMs ?? 500;
  let lastProgress = Date.now();
  const progress = (force: boolean) => {
    if (options.onProgress === undefined) return;
    const now = Date.now();
    if (!force && now - lastProgress < interval) return;
    lastProgress = now;
    // Bytes of the chunks merged so far (the file read ahead of them by at most maxInFlight chunks).
    options.onProgress({ bytes: force ? source.bytesRead : st.mergedBytes, totalBytes, rows: fold.n });
  };

  const st = {
    /** Added to a line number inside a worker's buffer to give the file's line number. */
    lineOffset: 0,
    nextId: 0,
    nextMerge: 0,
    /** The first chunk known to have a problem: later chunks are not needed. */
    stopAt: Number.POSITIVE_INFINITY,
    failure: null as Error | null,
    wake: null as (() => void) | null,
    /** File bytes before the first chunk (BOM, header) and in the chunks merged. */
    mergedBytes: 0,
    headroom: 0,
  };
  const chunkSizes = new Map<number, number>();
  const replies = new Map<number, ChunkReply>();
  const signal = () => {
    const w = st.wake;
    st.wake = null;
    w?.();
  };
  const waitForReply = () => new Promise<void>((resolve) => (st.wake = resolve));

  // Replies arrive in any order; states are merged in chunk order.
  const onReply = (r: ChunkReply) => {
    replies.set(r.id, r);
    if (r.problem !== null) st.stopAt = Math.min(st.stopAt, r.id);
    for (let next = replies.get(st.nextMerge); next !== undefined; next = replies.get(st.nextMerge)) {
      replies.delete(st.nextMerge);
      if (next.problem !== null) {
        st.failure ??= problemError(file, format, next.problem, fold.n, st.lineOffset);
        break;
      }
      fold.merge(next.states as FoldStates<SurveyState>);
      st.mergedBytes += chunkSizes.get(st.nextMerge) ?? 0;
      chunkSizes.delete(st.nextMerge);
      st.lineOffset += next.lines;
      st.nextMerge++;
    }
    progress(false);
    signal();
  };
  const onCrash = (e: Error) => {
    st.failure ??= e;
    signal();
  };

  let init: WorkerInit = { format, settings, header: null, columns: null, delimiter: "\n" };
  let pool: StreamWorkerPool | null = null;
  let job = -1;
  const stopped = () => st.failure !== null || st.stopAt !== Number.POSITIVE_INFINITY;
  const dispatch = async (chunks: Buffer[]) => {
    for (const chunk of chunks) {
      while (!stopped() && st.nextId - st.nextMerge >= maxInFlight) await waitForReply();
      if (stopped()) return;
      if (pool === null) {
        pool = options.pool ?? new StreamWorkerPool(workers);
        job = pool.begin(init, onReply, onCrash);
      }
      chunkSizes.set(st.nextId, chunk.length - st.headroom);
      pool.send(job, st.nextId++, chunk);
    }
  };

  let chunker: RecordChunker | null = format === "ndjson" ? new RecordChunker("\n", false, chunkBytes) : null;
  // CSV: read the header on this thread, then hand the bytes after it to the chunker.
  let head: Buffer = Buffer.alloc(0);
  const startCsv = async (h: CsvHeader) => {
    init = csvInit(file, head, h, settings, options.onHeader);
    // Worker line numbers count the header copy in front of each chunk; the file's count the BOM,
    // blank lines and header before the first chunk.
    st.lineOffset =
      csvLineBreaks(head.subarray(0, h.end), h.delimiter) -
      csvLineBreaks(head.subarray(h.start, h.end), h.delimiter);
    st.headroom = h.end - h.start;
    st.mergedBytes = h.end;
    chunker = new RecordChunker(h.delimiter, true, chunkBytes, st.headroom);
    await dispatch(chunker.push(head.subarray(h.end)));
  };

  try {
    try {
      for await (const buf of source as AsyncIterable<Buffer>) {
        if (chunker !== null) await dispatch(chunker.push(buf));
        else {
          head = head.length === 0 ? buf : Buffer.concat([head, buf]);
          const h = findCsvHeader(head, false);
          if (h === "unsupported" || (h === null && head.length > MAX_HEADER_BYTES)) return null;
          if (h !== null) await startCsv(h);
        }
        if (stopped()) break;
      }
      if (!stopped()) {
        if (chunker === null) {
          const h = findCsvHeader(head, true);
          if (h === "unsupported" || h === null) return null;
          await startCsv(h);
        }
        const last = (chunker as RecordChunker | null)?.end() ?? null;
        if (last !== null) await dispatch([last]);
      }
    } catch (e) {
      throw readError(file, e);
    }
    while (st.failure === null && st.nextMerge < Math.min(st.nextId, st.stopAt + 1)) await waitForReply();
    if (st.failure !== null) throw st.failure;
    progress(true);
    return fold.result();
  } finally {
    source.destroy();
    const p = pool as StreamWorkerPool | null;
    p?.finish(job);
    if (p !== null && p !== options.pool) await p.close();
  }
}

type SurveyState = ReturnType<ReturnType<typeof surveyAccumulator>["init"]>;
type CsvHeader = { start: number; end: number; delimiter: RecordDelimiter };

/** Parse the start of a CSV file (BOM, blank lines, header record) and check the header, on the main thread. */
function csvInit(
  file: string,
  prefix: Buffer,
  h: CsvHeader,
  settings: SurveySettings,
  onHeader: ((columns: string[]) => void) | undefined,
): WorkerInit {
  let rows: string[][];
  try {
    rows = parse(prefix.subarray(0, h.end), CSV_OPTIONS) as string[][];
  } catch (e) {
    throw readError(file, e);
  }
  const raw = rows[0];
  if (raw === undefined) throw new CliError(`${file}: the file is empty (expected a header row)`);
  const columns = raw.map((c) => c.trim());
  checkHeader(file, columns);
  onHeader?.(columns);
  return {
    format: "csv",
    settings,
    header: new Uint8Array(prefix.subarray(h.start, h.end)),
    columns,
    delimiter: h.delimiter,
  };
}

/** The one-line error for a chunk's problem, positioned in the whole file. */
function problemError(
  file: string,
  format: StreamFormat,
  p: ChunkProblem,
  rowsBefore: number,
  lineOffset: number,
): Error {
  switch (p.kind) {
    case "record":
      return surveyIssuesError(file, format, rowsBefore + p.index, p.issues);
    case "json":
      return new CliError(`${file}: line ${lineOffset + p.line}: not valid JSON (${p.message})`);
    case "csv": {
      // csv-parse names one line ("on line N", "at line N"): renumber it for the whole file.
      const message =
        p.line === null
          ? p.message
          : p.message.replace(new RegExp(`\\bline ${p.line}(?!\\d)`), `line ${lineOffset + p.line}`);
      return new CliError(`${file}: ${message}`);
    }
    default:
      return new Error(`stream worker failed: ${p.message}`);
  }
}

/** The csv-parse options of the single-thread stream and of `loadTable`. */
const CSV_OPTIONS = { bom: true, skip_empty_lines: true, relax_column_count: false } as const;

// ---------------------------------------------------------------------------------------------
// Main-thread side of the workers
// ---------------------------------------------------------------------------------------------

/**
 * Stream workers that can be reused for several files (one file at a time): each file is a job
 * whose settings and header are sent to every worker first. {@link parallelSurveyFold} starts its
 * own pool unless one is given (the tests share one: starting workers from TypeScript sources takes
 * about a second).
 */
export class StreamWorkerPool {
  private readonly workers: { w: Worker; outstanding: number }[] = [];
  private closed = false;
  private job = 0;
  private handler: { job: number; onReply(r: ChunkReply): void; onCrash(e: Error): void } | null = null;
  private crash: Error | null = null;

  /** Start `size` workers. */
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new CliError(`survey: --workers must be a non-negative integer; found ${size}`);
    for (let i = 0; i < size; i++) {
      const w = startWorker();
      const slot = { w, outstanding: 0 };
      w.on("message", (r: ChunkReply & { job: number }) => {
        slot.outstanding--;
        if (this.handler?.job === r.job) this.handler.onReply(r);
      });
      w.on("error", (e: Error) => this.fail(e));
      w.on("exit", (code) => {
        if (!this.closed) this.fail(new Error(`stream worker exited with code ${code}`));
      });
      w.unref();
      this.workers.push(slot);
    }
  }

  private fail(e: Error): void {
    this.crash ??= e;
    this.handler?.onCrash(e);
  }

  /** Start a job: every worker gets `init`; replies go to `onReply` until {@link finish}. */
  begin(init: WorkerInit, onReply: (r: ChunkReply) => void, onCrash: (e: Error) => void): number {
    if (this.closed) throw new Error("stream worker pool is closed");
    const job = ++this.job;
    this.handler = { job, onReply, onCrash };
    for (const s of this.workers) {
      s.w.ref();
      s.w.postMessage({ type: "init", job, init });
    }
    if (this.crash !== null) onCrash(this.crash);
    return job;
  }

  /** Send a chunk to the worker with the fewest chunks outstanding (the chunk's buffer is transferred). */
  send(job: number, id: number, chunk: Buffer): void {
    let best = this.workers[0]!;
    for (const s of this.workers) if (s.outstanding < best.outstanding) best = s;
    best.outstanding++;
    const buffer = chunk.buffer as ArrayBuffer;
    best.w.postMessage({ type: "chunk", job, id, buffer, offset: chunk.byteOffset, length: chunk.length }, [
      buffer,
    ]);
  }

  /** End a job: later replies to it are dropped; idle workers no longer keep the process alive. */
  finish(job: number): void {
    if (this.handler?.job !== job) return;
    this.handler = null;
    for (const s of this.workers) s.w.unref();
  }

  /** Terminate the workers. */
  async close(): Promise<void> {
    this.closed = true;
    this.handler = null;
    await Promise.all(this.workers.map((s) => s.w.terminate()));
  }
}

/**
 * Start a worker on this module. From TypeScript sources (a `.ts` URL: tests, `node --import tsx`)
 * the worker registers tsx's loader first (Node 20 workers do not inherit the parent's `--import` hooks).
 */
function startWorker(): Worker {
  const self = import.meta.url;
  const workerData = { mark: MARK };
  if (!self.endsWith(".ts")) return new Worker(new URL(self), { workerData });
  const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
  let tsx = "tsx/esm/api";
  try {
    if (typeof resolve === "function") tsx = resolve(tsx);
  } catch {
    // resolved from the working directory by the worker
  }
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(self)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

// ---------------------------------------------------------------------------------------------
// Worker side
// ---------------------------------------------------------------------------------------------

/** Thrown out of csv-parse's `on_record` to stop at a bad record. */
const STOP = Symbol("stop");

/** A chunk parser for a worker: the same records, checks and fold as the single-thread stream. */
function chunkParser(init: WorkerInit): (buf: Buffer) => Omit<ChunkReply, "id"> {
  const acc = surveyAccumulator(init.settings.ci, init.settings.level);
  const foldOptions = surveyFoldOptions(init.settings);
  if (init.format === "ndjson") {
    return (buf) => {
      const lines = buf.toString("utf8").split(/\r\n|\r|\n/);
      const fold = new StreamFold(acc, foldOptions);
      for (let k = 0; k < lines.length; k++) {
        const text = lines[k]!;
        if (text.trim() === "") continue;
        let rec: unknown;
        try {
          rec = JSON.parse(text);
        } catch (e) {
          const problem = { kind: "json" as const, line: k + 1, message: (e as Error).message };
          return { lines: lines.length - 1, states: null, problem };
        }
        const r = fastParseSurveyResponse(rec);
        if (r === undefined) {
          const problem = { kind: "record" as const, index: fold.n, issues: surveyRecordIssues(rec) };
          return { lines: lines.length - 1, states: null, problem };
        }
        fold.add(r);
      }
      return { lines: lines.length - 1, states: fold.states(), problem: null };
    };
  }
  const header = Buffer.from(init.header!);
  const columns = init.columns!;
  const delimiter = init.delimiter;
  const check = (raw: string[]) => {
    const input = surveyResponseFromCsvRow(csvRecord(columns, raw));
    return { ok: fastParseSurveyResponse(input), input };
  };
  return (buf) => {
    header.copy(buf, 0);
    const lines = csvLineBreaks(buf.subarray(header.length), delimiter);
    const fold = new StreamFold(acc, foldOptions);
    let records: string[][];
    try {
      // The whole chunk at once (csv-parse's `on_record` would build an info object per record: +45 %).
      records = parse(buf, CSV_OPTIONS) as string[][];
    } catch (e) {
      if (!(e instanceof CsvError)) throw e;
      // A bad record before the syntax error comes first: look for one, record by record.
      const bad = firstBadRecord(buf, check);
      if (bad !== null) return { lines, states: null, problem: { kind: "record", ...bad } };
      // The line csv-parse names, counted in this buffer (header copy + chunk).
      const at = (e as unknown as { lines?: unknown }).lines;
      const line = typeof at === "number" ? at : null;
      return { lines, states: null, problem: { kind: "csv", message: e.message, line } };
    }
    for (let k = 1; k < records.length; k++) {
      const { ok, input } = check(records[k]!);
      if (ok === undefined)
        return {
          lines,
          states: null,
          problem: { kind: "record", index: k - 1, issues: surveyRecordIssues(input) },
        };
      fold.add(ok);
    }
    return { lines, states: fold.states(), problem: null };
  };
}

/** The first record (after the header copy) that fails `check`, parsing up to csv-parse's first error. */
function firstBadRecord(
  buf: Buffer,
  check: (raw: string[]) => { ok: SurveyResponse | undefined; input: unknown },
): { index: number; issues: InputIssue[] } | null {
  let k = -1;
  let bad: { index: number; issues: InputIssue[] } | null = null;
  try {
    parse(buf, {
      ...CSV_OPTIONS,
      on_record: (raw: string[]) => {
        if (k++ < 0) return null;
        const { ok, input } = check(raw);
        if (ok === undefined) {
          bad = { index: k - 1, issues: surveyRecordIssues(input) };
          throw STOP;
        }
        return null;
      },
    });
  } catch {
    // the syntax error, or STOP
  }
  return bad;
}

type WorkerMessage =
  | { type: "init"; job: number; init: WorkerInit }
  | { type: "chunk"; job: number; id: number; buffer: ArrayBuffer; offset: number; length: number };

function runWorker(): void {
  const port = parentPort!;
  let current: { job: number; parse: (buf: Buffer) => Omit<ChunkReply, "id"> } | null = null;
  port.on("message", (m: WorkerMessage) => {
    if (m.type === "init") {
      current = { job: m.job, parse: chunkParser(m.init) };
      return;
    }
    let reply: ChunkReply & { job: number };
    try {
      if (current?.job !== m.job) throw new Error(`chunk of job ${m.job} before its settings`);
      reply = { job: m.job, id: m.id, ...current.parse(Buffer.from(m.buffer, m.offset, m.length)) };
    } catch (e) {
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      reply = { job: m.job, id: m.id, lines: 0, states: null, problem: { kind: "internal", message } };
    }
    port.postMessage(reply);
  });
}

if (!isMainThread && (workerData as { mark?: unknown } | null)?.mark === MARK) runWorker();
