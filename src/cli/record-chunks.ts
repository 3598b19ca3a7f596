/**
 * Cutting a CSV or NDJSON byte stream into chunks that end on record boundaries, so each chunk can
 * be parsed on its own (by a stream worker, src/cli/stream-parallel.ts) with the result the whole
 * stream would give.
 *
 * CSV (RFC 4180 as csv-parse reads it with its default quote and escape, `"` and `""`): a record
 * delimiter ends a record only outside quotes. Every quote that csv-parse accepts opens or closes a
 * quoted field or is half of an escaped `""`, so "outside quotes" is "an even number of `"` bytes
 * since the start of the data" — tracked across chunks. The record delimiter is the one csv-parse
 * discovers (the first `\r\n`, `\n` or `\r` outside quotes); with `\r\n`, a bare `\n` is field text and
 * never a boundary. A malformed quote breaks the parity only after the point where csv-parse itself
 * reports the error, so every chunk up to the first bad one starts on a true record boundary.
 *
 * NDJSON: a line ends at `\n` (JSON text cannot hold a raw line break, so quotes do not matter).
 *
 * @module
 */

/** A CSV record delimiter, as csv-parse discovers it. */
export type RecordDelimiter = "\n" | "\r\n" | "\r";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into chunks of at least `target` bytes (except the last) that end just after
 * a record delimiter. Feed it buffers with {@link push}; call {@link end} for the rest. Work is
 * linear in the input: each quote and each candidate delimiter is looked at once.
 */
export class RecordChunker {
  private parts: Buffer[] = [];
  private pendingLength = 0;
  /** Parity of the quotes in the pending bytes (0 even: outside quotes at the scan position). */
  private parity = 0;
  /** The last byte pushed (to see a `\r\n` split across two buffers). */
  private lastByte = -1;
  private readonly splitByte: number;
  private readonly crlf: boolean;
  private readonly quoted: boolean;

  /**
   * @param delimiter the record delimiter (`"\n"` for NDJSON)
   * @param quoted track CSV quotes (false for NDJSON)
   * @param target minimum chunk size in bytes (≥ 1)
   * @param headroom bytes left free at the start of every chunk's buffer (the worker copies the
   *   CSV header row there)
   */
  constructor(
    delimiter: RecordDelimiter,
    quoted: boolean,
    private readonly target: number,
    private readonly headroom = 0,
  ) {
    this.splitByte = delimiter === "\r" ? CR : LF;
    this.crlf = delimiter === "\r\n";
    this.quoted = quoted;
  }

  /** Bytes pushed but not yet returned in a chunk. */
  get pending(): number {
    return this.pendingLength;
  }

  /**
   * Add the next bytes; returns the chunks they complete (each a fresh buffer of its own, with
   * `headroom` bytes free at its start, safe to transfer to a worker).
   */
  push(buf: Buffer): Buffer[] {
    const out: Buffer[] = [];
    const n = buf.length;
    let start = 0; // first byte of buf not yet in a chunk
    let pos = 0; // parity is known up to pos
    let nextQuote = this.quoted ? indexOrEnd(buf, QUOTE, 0) : n;
    while (pos < n) {
      // A split here would give a chunk of at least `target` bytes.
      const need = start + Math.max(0, this.target - this.pendingLength - 1);
      const at = buf.indexOf(this.splitByte, Math.max(pos, need));
      const stop = at === -1 ? n : at;
      while (nextQuote < stop) {
        this.parity ^= 1;
        nextQuote = indexOrEnd(buf, QUOTE, nextQuote + 1);
      }
      pos = stop;
      if (at === -1) break;
      pos = at + 1;
      const prev = at > 0 ? buf[at - 1]! : this.lastByte;
      if (this.parity === 0 && (!this.crlf || prev === CR)) {
        out.push(this.take(buf.subarray(start, at + 1)));
        start = at + 1;
      }
    }
    if (start < n) {
      this.parts.push(buf.subarray(start));
      this.pendingLength += n - start;
    }
    if (n > 0) this.lastByte = buf[n - 1]!;
    return out;
  }

  /** The bytes after the last chunk (a last record without a final delimiter), or `null` when none. */
  end(): Buffer | null {
    if (this.pendingLength === 0) return null;
    return this.take(Buffer.alloc(0));
  }

  private take(tail: Buffer): Buffer {
    const size = this.headroom + this.pendingLength + tail.length;
    const chunk = Buffer.allocUnsafeSlow(size); // not from the shared pool: its ArrayBuffer can be transferred
    let o = this.headroom;
    for (const p of this.parts) o += p.copy(chunk, o);
    tail.copy(chunk, o);
    this.parts = [];
    this.pendingLength = 0;
    return chunk;
  }
}

function indexOrEnd(buf: Buffer, byte: number, from: number): number {
  const i = buf.indexOf(byte, from);
  return i === -1 ? buf.length : i;
}

/**
 * How many lines csv-parse counts in `buf` (data that starts and ends outside quotes): every `\r`
 * and `\n` byte, except that a `\r\n` record delimiter (outside quotes) counts once. Adding this
 * over the chunks before a chunk gives the line number csv-parse would report for an error in it.
 */
export function csvLineBreaks(buf: Buffer, delimiter: RecordDelimiter): number {
  const lf = countByte(buf, LF);
  const cr = countByte(buf, CR);
  if (delimiter !== "\r\n" || cr === 0 || lf === 0) return lf + cr;
  if (buf.indexOf(QUOTE) === -1) return lf + cr - countCrlf(buf);
  let pairs = 0;
  let inQuotes = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (c === CR && !inQuotes && buf[i + 1] === LF) {
      pairs++;
      i++;
    }
  }
  return lf + cr - pairs;
}

function countByte(buf: Buffer, byte: number): number {
  let n = 0;
  for (let i = buf.indexOf(byte); i !== -1; i = buf.indexOf(byte, i + 1)) n++;
  return n;
}

function countCrlf(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf("\r\n"); i !== -1; i = buf.indexOf("\r\n", i + 2)) n++;
  return n;
}

/**
 * The start of a CSV file as csv-parse reads it: a UTF-8 byte-order mark, blank lines, then the
 * header record. Returns where the header record starts and ends (just after its delimiter) and the
 * delimiter; `null` when more bytes are needed (unless `atEnd`). At the end of the file without a
 * complete header record, `end` is the length (the header is the rest, or there is none).
 * Returns `"unsupported"` for a UTF-16 byte-order mark (the caller reads such a file on one thread).
 */
export function findCsvHeader(
  buf: Buffer,
  atEnd: boolean,
): { start: number; end: number; delimiter: RecordDelimiter } | null | "unsupported" {
  if (!atEnd && buf.length < 3) return null;
  if (buf[0] === 0xff && buf[1] === 0xfe) return "unsupported";
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let delimiter: RecordDelimiter | null = null;
  let start = i; // start of the current line
  let inQuotes = false;
  for (; i < buf.length; i++) {
    const c = buf[i];
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (!inQuotes && (c === CR || c === LF)) {
      if (delimiter === null) {
        if (c === CR && i + 1 === buf.length && !atEnd) return null;
        delimiter = c === LF ? "\n" : buf[i + 1] === LF ? "\r\n" : "\r";
      }
      const len = delimiter.length;
      if (!isDelimiterAt(buf, i, delimiter)) continue;
      if (i > start) return { start, end: i + len, delimiter };
      i += len - 1;
      start = i + 1;
    }
  }
  if (!atEnd) return null;
  return { start, end: buf.length, delimiter: delimiter ?? "\n" };
}

function isDelimiterAt(buf: Buffer, i: number, d: RecordDelimiter): boolean {
  if (d === "\n") return buf[i] === LF;
  if (d === "\r") return buf[i] === CR;
  return buf[i] === CR && buf[i + 1] === LF;
}
