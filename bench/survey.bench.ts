/**
 * Survey benchmarks (issue 3; targets in ../shared/BENCHMARKS.md):
 * 1. NPS over 10M scores: Uint8Array vs DuckDB on a TINYINT column, Float64Array (and a plain
 *    array) vs DuckDB on a DOUBLE column, each peer in its best query form. DuckDB's tables are
 *    loaded once, from the same values, before timing: only compute time is compared.
 * 2. Parse + validate 1M survey records: parseSurveyResponses vs z.array(surveyResponseSchema).parse
 *    (all valid), and safeParseSurveyResponses vs z.array(schema).safeParse with 1% invalid records,
 *    checking that exactly the same issues are reported.
 * 3. NPS by segment × month (Europe/Berlin) over 1M records vs the plain array call on the same 1M scores.
 *
 *   node --expose-gc --import tsx bench/survey.bench.ts        (BENCH_SCALE=0.1 for a quick run)
 */
import { writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { z } from "zod";
import { type Accumulator, mapInput } from "../src/core/accumulator.js";
import { byPeriod } from "../src/core/by-period.js";
import { seededRandom } from "../src/core/random.js";
import { zodIssueToInputIssue } from "../src/schemas/parse.js";
import {
  type SurveyResponse,
  parseSurveyResponses,
  safeParseSurveyResponses,
  surveyResponseSchema,
} from "../src/schemas/survey.js";
import { type NpsResult, type NpsState, nps, npsAccumulator } from "../src/survey/nps.js";
import { type CaseResult, compare, peakRssMiB, writeResults } from "./harness.js";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const N_SCORES = Math.round(10_000_000 * SCALE);
const N_RECORDS = Math.round(1_000_000 * SCALE);
const cases: CaseResult[] = [];
const notes: string[] = [];

// Realistic 0–10 distribution: the counts of ../shared/data/survey/responses.csv (survey.json distribution_0_10).
const WEIGHTS = [58, 85, 132, 218, 209, 273, 483, 741, 613, 853, 1335];
function drawScores(n: number, seed: number): Uint8Array {
  const total = WEIGHTS.reduce((a, b) => a + b, 0);
  const table = new Uint8Array(total);
  let k = 0;
  for (const [score, w] of WEIGHTS.entries()) for (let j = 0; j < w; j++) table[k++] = score;
  const rnd = seededRandom(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = table[Math.floor(rnd() * total)]!;
  return out;
}

const near = (a: unknown, b: unknown, name: string) => {
  const x = typeof a === "number" ? a : (a as NpsResult).score!;
  const y = typeof b === "number" ? b : (b as NpsResult).score!;
  if (!(Math.abs(x - y) <= 1e-9)) throw new Error(`${name}: NPS ${y} vs ${x}`);
};

// ---------------------------------------------------------------------------------------------
// 1. NPS over 10M scores
// ---------------------------------------------------------------------------------------------
const u8 = drawScores(N_SCORES, 20260101);
const f64 = Float64Array.from(u8);
const plain = Array.from(u8);
const rssInputs = peakRssMiB();
nps(u8);
nps(f64);
const rssAfterNps = peakRssMiB();

const file = join(tmpdir(), `cxmetrics-survey-bench-${process.pid}.csv`);
{
  const buf = Buffer.allocUnsafe(N_SCORES * 3);
  let p = 0;
  for (let i = 0; i < N_SCORES; i++) {
    const v = u8[i]!;
    if (v === 10) {
      buf[p++] = 49;
      buf[p++] = 48;
    } else buf[p++] = 48 + v;
    buf[p++] = 10;
  }
  writeFileSync(file, buf.subarray(0, p));
}
const inst = await DuckDBInstance.create(":memory:");
const con = await inst.connect();
await con.run(
  `CREATE TABLE t8 AS SELECT s FROM read_csv('${file}', header = false, columns = {'s': 'TINYINT'})`,
);
await con.run("CREATE TABLE tf AS SELECT s::DOUBLE AS d FROM t8");
const duckScalar = async (sql: string): Promise<number> => {
  const r = await con.runAndReadAll(sql);
  return Number(r.getRows()[0]![0]);
};
const DUCK_TINYINT = "SELECT 100.0 * (count_if(s >= 9) - count_if(s <= 6)) / count(*) FROM t8";
const DUCK_DOUBLE_SUM = "SELECT 100.0 * sum((d >= 9)::INT - (d <= 6)::INT) / count(*) FROM tf";
const DUCK_DOUBLE_COUNT_IF = "SELECT 100.0 * (count_if(d >= 9) - count_if(d <= 6)) / count(*) FROM tf";
const NAME_SUM = "DuckDB DOUBLE: 100.0*sum((d>=9)::INT - (d<=6)::INT)/count(*)";
const NAME_COUNT_IF = "DuckDB DOUBLE: 100.0*(count_if(d>=9) - count_if(d<=6))/count(*)";
// DuckDB at its best: the faster of the two DOUBLE forms (3 runs each after a warm-up) is the baseline.
const quickMedian = async (sql: string): Promise<number> => {
  await duckScalar(sql);
  const ts: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    await duckScalar(sql);
    ts.push(performance.now() - t0);
  }
  return ts.sort((a, b) => a - b)[1]!;
};
const doubleBaseline =
  (await quickMedian(DUCK_DOUBLE_SUM)) <= (await quickMedian(DUCK_DOUBLE_COUNT_IF))
    ? NAME_SUM
    : NAME_COUNT_IF;

// a naive JS loop for orientation (no validation)
const naiveLookup = (a: Uint8Array): number => {
  const c = new Int32Array(256);
  for (let i = 0; i < a.length; i++) c[a[i]!]!++;
  return (100 * (c[9]! + c[10]! - c[0]! - c[1]! - c[2]! - c[3]! - c[4]! - c[5]! - c[6]!)) / a.length;
};

const M = `${(N_SCORES / 1e6).toFixed(N_SCORES < 1e6 ? 1 : 0)}M`;
cases.push(
  await compare(
    `NPS, ${M} scores, Uint8Array vs DuckDB TINYINT`,
    [
      { name: "cxmetrics nps(Uint8Array) (validates every byte ≤ 10)", run: () => nps(u8) },
      { name: "JS lookup-table loop, no validation (orientation)", run: () => naiveLookup(u8) },
      {
        name: "DuckDB TINYINT: 100.0*(count_if(s>=9) - count_if(s<=6))/count(*)",
        run: () => duckScalar(DUCK_TINYINT),
      },
    ],
    {
      rounds: 9,
      warmup: 2,
      check: near,
      baseline: "DuckDB TINYINT: 100.0*(count_if(s>=9) - count_if(s<=6))/count(*)",
    },
  ),
);
cases.push(
  await compare(
    `NPS, ${M} scores, Float64Array / number[] vs DuckDB DOUBLE`,
    [
      { name: "cxmetrics nps(Float64Array) (integer 0–10 check in the same pass)", run: () => nps(f64) },
      { name: "cxmetrics nps(number[])", run: () => nps(plain) },
      { name: NAME_SUM, run: () => duckScalar(DUCK_DOUBLE_SUM) },
      { name: NAME_COUNT_IF, run: () => duckScalar(DUCK_DOUBLE_COUNT_IF) },
    ],
    {
      rounds: 9,
      warmup: 2,
      check: near,
      baseline: doubleBaseline,
    },
  ),
);
notes.push(
  `NPS: DuckDB tables t8 (TINYINT) and tf (DOUBLE) are created once before timing from the same ${M} values (written to a temporary CSV and read with read_csv); the timed part is the aggregate query alone (runAndReadAll of one row). The scores follow the 0–10 distribution of shared/data/survey/responses.csv (seeded). Peak RSS: ${rssInputs.toFixed(0)} MiB with the inputs (Uint8Array + Float64Array + number[]), ${rssAfterNps.toFixed(0)} MiB after one nps() call on each typed array (nps copies nothing: the Uint8Array is read through an Int32Array view of the same buffer).`,
);

// ---------------------------------------------------------------------------------------------
// 2. Parse + validate 1M records
// ---------------------------------------------------------------------------------------------
const SEGMENTS = ["enterprise", "mid_market", "smb", "__proto__"];
const CHANNELS = ["email", "web", "in_app", "phone"];
const OFFSETS = ["Z", "+01:00", "+02:00", "-05:00", "+05:30"];
function makeRecords(n: number, seed: number, invalidShare: number): Record<string, unknown>[] {
  const rnd = seededRandom(seed);
  const scores = drawScores(n, seed + 1);
  const start = Date.UTC(2026, 0, 1);
  const out: Record<string, unknown>[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const ms = start + Math.floor(rnd() * 181 * 86_400_000);
    const off = OFFSETS[i % OFFSETS.length]!;
    const sign = off === "Z" ? 0 : off[0] === "+" ? 1 : -1;
    const offMin = sign === 0 ? 0 : sign * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6)));
    const local = new Date(ms + offMin * 60_000).toISOString().slice(0, 19);
    const rec: Record<string, unknown> = {
      id: `R${i}`,
      submittedAt: `${local}${off}`,
      respondentId: `u${Math.floor(rnd() * 200_000)}`,
      segment: SEGMENTS[Math.floor(rnd() * 4)],
      channel: CHANNELS[Math.floor(rnd() * 4)],
      nps: scores[i],
      csat: rnd() < 0.03 ? null : 1 + Math.floor(rnd() * 5),
      ces: rnd() < 0.03 ? null : 1 + Math.floor(rnd() * 7),
      drivers: {
        quality: 1 + Math.floor(rnd() * 5),
        support: 1 + Math.floor(rnd() * 5),
        value: 1 + Math.floor(rnd() * 5),
        ease: 1 + Math.floor(rnd() * 5),
        speed: 1 + Math.floor(rnd() * 5),
      },
    };
    if (rnd() < invalidShare) {
      const k = Math.floor(rnd() * 5);
      if (k === 0) rec.nps = 11;
      else if (k === 1)
        rec.submittedAt = local; // no offset
      else if (k === 2) rec.channel = "fax";
      else if (k === 3) (rec.drivers as Record<string, unknown>).speed = "fast";
      else rec.csat = 4.5;
    }
    out[i] = rec;
  }
  return out;
}

const zodArray = z.array(surveyResponseSchema);
// The peer at its best (BENCHMARKS.md): an idiomatic zod 4 object schema of the same record, without
// our preprocessing for CSV-shaped rows and our own issue codes — the fastest zod formulation.
const plainScore = (min: number, max: number) => z.number().int().min(min).max(max).nullable().optional();
const plainZodArray = z.array(
  z.object({
    id: z.string().min(1),
    submittedAt: z.iso.datetime({ offset: true }),
    respondentId: z.string().nullable().optional(),
    segment: z.string().nullable().optional(),
    channel: z.enum(["email", "web", "in_app", "phone", "sms", "chat", "other"]).nullable().optional(),
    nps: plainScore(0, 10),
    csat: plainScore(1, 5),
    ces: plainScore(1, 7),
    drivers: z.record(z.string(), z.number().int().min(1).max(5)).optional(),
  }),
);
let records: Record<string, unknown>[] | null = makeRecords(N_RECORDS, 7, 0);
const RM = `${(N_RECORDS / 1e6).toFixed(N_RECORDS < 1e6 ? 1 : 0)}M`;
const sameRecords = (a: unknown, b: unknown, name: string) => {
  const x = a as SurveyResponse[];
  const y = b as SurveyResponse[];
  if (x.length !== y.length) throw new Error(`${name}: ${y.length} records vs ${x.length}`);
  for (let i = 0; i < x.length; i += 997) {
    if (JSON.stringify(x[i]) !== JSON.stringify(y[i])) throw new Error(`${name}: record ${i} differs`);
  }
};
cases.push(
  await compare(
    `parse + validate ${RM} survey records (all valid)`,
    [
      { name: "cxmetrics parseSurveyResponses (fast path)", run: () => parseSurveyResponses(records) },
      { name: "z.array(surveyResponseSchema).parse", run: () => zodArray.parse(records) },
      {
        name: "z.array(idiomatic zod object schema).parse (peer at its best)",
        run: () => plainZodArray.parse(records),
      },
    ],
    {
      rounds: 3,
      warmup: 0,
      check: (a, b, name) => (name.startsWith("z.array(idiomatic") ? undefined : sameRecords(a, b, name)),
      baseline: "z.array(idiomatic zod object schema).parse (peer at its best)",
    },
  ),
);
records = null;

let withInvalid: Record<string, unknown>[] | null = makeRecords(N_RECORDS, 8, 0.01);
type Issue = { index: number | null; path: (string | number)[]; code: string; message: string };
const ourIssues = (): Issue[] => {
  const r = safeParseSurveyResponses(withInvalid);
  return r.success ? [] : r.error.issues;
};
const zodIssues = (): Issue[] => {
  const r = zodArray.safeParse(withInvalid);
  if (r.success) return [];
  return r.error.issues.map((i) => {
    const [index, ...rest] = i.path;
    return zodIssueToInputIssue({ ...i, path: rest } as never, index as number);
  });
};
const sameIssues = (a: unknown, b: unknown, name: string) => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  if (x !== y) throw new Error(`${name}: issues differ`);
};
const issueCount = ourIssues().length;
cases.push(
  await compare(
    `validate ${RM} survey records, 1% invalid (every issue listed)`,
    [
      { name: "cxmetrics safeParseSurveyResponses (fast path, zod for the failing records)", run: ourIssues },
      { name: "z.array(surveyResponseSchema).safeParse → issues", run: zodIssues },
    ],
    { rounds: 3, warmup: 0, check: sameIssues, baseline: "z.array(surveyResponseSchema).safeParse → issues" },
  ),
);
withInvalid = null;
notes.push(
  `Parse: records are JSON-shaped objects (id, ISO instant with one of 5 offsets, respondent, segment, channel, nps, csat/ces with 3% null, 5 driver ratings). The zod baseline is the same schema (surveyResponseSchema) run by z.array(…).parse; both produce new records. The 1% invalid case checks that the ${issueCount} issues (index, path, code, message) are identical, in order; the fast path hands each failing record to the zod schema.`,
);

// ---------------------------------------------------------------------------------------------
// 3. NPS by segment × month over 1M records
// ---------------------------------------------------------------------------------------------
const parsed = parseSurveyResponses(makeRecords(N_RECORDS, 9, 0));
const npsColumn = parsed.map((r) => r.nps);

/** A per-segment NPS accumulator (Map of NPS states), for use inside byPeriod. */
function bySegment(): Accumulator<
  SurveyResponse,
  Map<string | null, NpsState>,
  Map<string | null, NpsResult>
> {
  const acc = npsAccumulator();
  return {
    init: () => new Map(),
    add: (m, r, i) => {
      let s = m.get(r.segment);
      if (s === undefined) {
        s = acc.init();
        m.set(r.segment, s);
      }
      acc.add(s, r.nps, i);
      return m;
    },
    merge: (a, b) => {
      for (const [k, s] of b) a.set(k, a.has(k) ? acc.merge(a.get(k)!, s) : s);
      return a;
    },
    result: (m) => new Map([...m].map(([k, s]) => [k, acc.result(s)])),
  };
}
const segmentByMonth = () =>
  byPeriod(parsed, { at: (r) => r.submittedAtMs, period: "month", timeZone: "Europe/Berlin" }, bySegment());
const monthBySegmentTotal = (out: unknown): number => {
  let n = 0;
  for (const p of out as { result: Map<string, NpsResult> }[]) for (const r of p.result.values()) n += r.n;
  return n;
};
cases.push(
  await compare(
    `NPS by segment × month (Europe/Berlin), ${RM} parsed records`,
    [
      { name: "nps(number[]) of the same scores (plain array call)", run: () => nps(npsColumn).n },
      {
        name: "byPeriod(month, Europe/Berlin) × per-segment NPS accumulator",
        run: () => monthBySegmentTotal(segmentByMonth()),
      },
      {
        name: "byPeriod(month, Europe/Berlin) with mapInput(npsAccumulator()) (month only)",
        run: () =>
          byPeriod(
            parsed,
            { at: (r) => r.submittedAtMs, period: "month", timeZone: "Europe/Berlin" },
            mapInput(npsAccumulator(), (r: SurveyResponse) => r.nps),
          ).reduce((n, p) => n + p.result.n, 0),
      },
    ],
    {
      rounds: 7,
      warmup: 2,
      check: (a, b, name) => {
        if (a !== b) throw new Error(`${name}: n ${b} vs ${a}`);
      },
      baseline: "nps(number[]) of the same scores (plain array call)",
    },
  ),
);
notes.push(
  "Segment × month: the grouped run visits each record twice (byPeriod reads the instants into a Float64Array, then folds), looks up the month by binary search over the period starts and the segment in a Map; the plain call only counts one number[] column. The ratio is the price of grouping, not a target.",
);
notes.push(
  `Peak RSS at the end: ${peakRssMiB().toFixed(0)} MiB. Load average at the end: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ")} (absolute times move with other work on the machine; ratios much less).`,
);

writeResults("survey", cases, notes);
console.log("\nwrote bench/results/survey.md");
