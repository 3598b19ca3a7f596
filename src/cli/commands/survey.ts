/**
 * `cxmetrics survey <file>`: NPS, CSAT and CES with their intervals from a file of survey
 * responses, overall, by a grouping column and by calendar period.
 *
 * Three ways to compute the same tables (the printed output and `--json` are identical):
 * - in memory (default for small files): load, validate every record, fold;
 * - streaming (`--stream`, or automatically for CSV/NDJSON files of 64 MiB or more): records are
 *   read, validated and folded one at a time in bounded memory (src/cli/stream.ts), in worker
 *   threads for large files (`--workers`, src/cli/stream-parallel.ts);
 * - in a database (`--engine duckdb` on a CSV/Parquet file, `--engine postgres --url … --table …`):
 *   the accumulators' states are computed by SQL aggregates (`cxmetrics/sql` `runMetric`) and
 *   finalised by the same accumulators.
 */
import { parseArgs } from "node:util";
import { type Accumulator, compareKeys, groupBy } from "../../core/accumulator.js";
import { type PeriodResult, byPeriod } from "../../core/by-period.js";
import { InvalidInputError } from "../../core/errors.js";
import { PERIODS, type Period, checkTimeZone } from "../../core/time.js";
import { type SurveyResponse, parseSurveyResponses, surveyResponseFromCsvRow } from "../../schemas/survey.js";
import type { AggregateSqlMetric, SqlEngine, SqlRow, TableSource } from "../../sql/index.js";

/** The SQL layer, loaded only when an engine is asked for (keeps the CLI's start-up small). */
type SqlModule = typeof import("../../sql/index.js");
const loadSql = (): Promise<SqlModule> => import("../../sql/index.js");
import type { NpsCiMethod } from "../../survey/index.js";
import { basename } from "node:path";
import { CliError, describeInputError, loadTable } from "../io.js";
import { engineError, optionalPackage } from "../engines.js";
import {
  STREAM_THRESHOLD_BYTES,
  type StreamProgress,
  fileSize,
  foldStream,
  readRecords,
  stderrProgress,
  streamFormat,
  surveyColumn,
  surveyResponses,
} from "../stream.js";
import { interval, num, renderTable } from "../table.js";
import {
  GROUP_FIELDS,
  type GroupField,
  type SurveyRow,
  type SurveySettings,
  accumulatorOptions,
  groupKey,
  surveyAccumulator,
  surveyFoldOptions,
} from "./survey-fold.js";
import type { Command } from "./types.js";

/** The worker-thread stream, loaded only when used (and emitted as its own chunk: it is the workers' entry). */
type ParallelModule = typeof import("../stream-parallel.js");
const loadParallel = (): Promise<ParallelModule> => import("../stream-parallel.js");

const USAGE = `Usage: cxmetrics survey <file.csv|file.ndjson|file.json> [options]
       cxmetrics survey --engine duckdb <file.csv|file.parquet> [options]
       cxmetrics survey --engine postgres --url postgres://… [--table responses] [options]

NPS, CSAT and CES with 95% intervals, overall, by group and by period.

Options:
  --by <field>        group by segment or channel
  --period <p>        day | week | month | quarter | year
  --tz <zone>         IANA time zone for periods (default UTC)
  --ci <method>       NPS interval: wald | adjustedWald | bootstrap (default adjustedWald)
  --level <x>         confidence level (default 0.95)
  --json              print the results as JSON
  --stream            read the file as a stream in bounded memory (automatic for CSV and
                      NDJSON files of 64 MiB or more; a .json array cannot be streamed)
  --workers <n>       parse a streamed file in n worker threads; 0 or 1: one thread; 2 or more
                      implies --stream (default auto: workers for streamed files of 32 MiB or
                      more on a machine with 2 or more cores)
  --engine <e>        memory (default) | duckdb | postgres: compute in a database with the
                      same definitions (needs the optional package @duckdb/node-api or pg)
  --url <url>         PostgreSQL connection string (--engine postgres)
  --table <name>      PostgreSQL table, optionally schema.table (default responses)

CSV columns: response_id, submitted_at (ISO-8601 with offset), segment, channel, nps (0-10),
csat (1-5), ces (1-7), driver_<name>...; blank cells are "not answered". The database engines
read the columns submitted_at, nps, csat, ces, segment and channel (and do not validate ids or
channels: validate with the default engine).`;

const ENGINES = ["memory", "duckdb", "postgres"] as const;
type Engine = (typeof ENGINES)[number];

/** Everything the command prints. */
interface SurveyReport {
  n: number;
  overall: SurveyRow;
  groups: [string, SurveyRow][];
  periods: PeriodResult<SurveyRow>[];
}

type Settings = SurveySettings;

function tableRows(entries: [string, SurveyRow][]) {
  return entries.map(([key, r]) => [
    key,
    r.nps.n,
    num(r.nps.score),
    interval(r.nps.ci),
    num(r.csat.score),
    interval(r.csat.ci),
    num(r.ces.score, 2),
    interval(r.ces.ci, 2),
  ]);
}

const HEADER = ["", "n", "NPS", "95% CI", "CSAT %", "95% CI", "CES", "95% CI"];

const SCORE_COLUMNS = ["nps", "csat", "ces"];

/** A survey CSV must have at least one score column, named exactly; otherwise every score would be empty. */
function requireScoreColumns(file: string, columns: readonly string[]): void {
  if (columns.some((c) => SCORE_COLUMNS.includes(c))) return;
  const near = columns.filter((c) => SCORE_COLUMNS.includes(c.trim().toLowerCase()));
  const hint =
    near.length > 0
      ? ` (found ${near.map((c) => `"${c}"`).join(", ")}: column names are case-sensitive)`
      : "";
  throw new CliError(`${basename(file)}: no score column; expected at least one of nps, csat, ces${hint}`);
}

/** Load and validate a survey file; bad rows become one message naming row and column. */
export function loadSurveyResponses(file: string): SurveyResponse[] {
  const table = loadTable(file);
  if (table.format === "csv") requireScoreColumns(file, table.columns);
  const input = table.format === "csv" ? table.records.map(surveyResponseFromCsvRow) : table.records;
  try {
    return parseSurveyResponses(input);
  } catch (e) {
    if (e instanceof InvalidInputError) throw describeInputError(table, e, surveyColumn);
    throw e;
  }
}

function inMemoryReport(file: string, s: Settings): SurveyReport {
  const rows = loadSurveyResponses(file);
  const acc = surveyAccumulator(s.ci, s.level);
  const overall = acc.result(rows.reduce((st, r, i) => acc.add(st, r, i), acc.init()));
  const groups = s.by ? [...groupBy(rows, groupKey(s.by), acc, { order: "key" })] : [];
  const periods = s.period
    ? byPeriod(rows, { at: (r) => r.submittedAtMs, period: s.period, timeZone: s.timeZone }, acc)
    : [];
  return { n: rows.length, overall, groups, periods };
}

/**
 * Stream the file: in `workers` worker threads when that is 2 or more (`undefined`: decided by the
 * file's size, `autoStreamWorkers`), else on this thread. Both give the same report and errors.
 */
async function streamingReport(
  file: string,
  s: Settings,
  workers: number | undefined,
): Promise<SurveyReport> {
  const format = streamFormat(file);
  if (format === null)
    throw new CliError(
      `${file}: only CSV and NDJSON (.ndjson, .jsonl) files can be streamed; write one record per line`,
    );
  const progress = stderrProgress(file);
  const common = {
    ...(progress ? { onProgress: (p: StreamProgress) => progress.update(p) } : {}),
    onHeader: (columns: string[]) => requireScoreColumns(file, columns),
  };
  try {
    if (workers === undefined || workers >= 2) {
      const parallel = await loadParallel();
      const n = workers ?? parallel.autoStreamWorkers(fileSize(file));
      if (n >= 2 && !parallel.streamWorkersAvailable())
        throw new CliError("survey: this build of the CLI cannot start worker threads; use --workers 1", 1);
      if (n >= 2) {
        const report = await parallel.parallelSurveyFold(file, format, s, { workers: n, ...common });
        if (report !== null) return report;
      }
    }
    const records = readRecords(file, format, common);
    return await foldStream(
      surveyResponses(file, format, records),
      surveyAccumulator(s.ci, s.level),
      surveyFoldOptions(s),
    );
  } finally {
    progress?.done();
  }
}

/** `--workers`: "auto" (undefined) or a non-negative integer. */
function parseWorkers(value: string | undefined): number | undefined {
  if (value === undefined || value === "auto") return undefined;
  if (!/^\d+$/.test(value))
    throw new CliError(`survey: --workers must be a non-negative integer or auto; found "${value}"`);
  return Number(value);
}

// ---------------------------------------------------------------------------------------------
// SQL engines
// ---------------------------------------------------------------------------------------------

// biome-ignore lint/suspicious/noExplicitAny: the parts' own state and result types
type AnyMetric = AggregateSqlMetric<any, any>;
interface Counted<O> {
  rows: number;
  result: O;
}

/**
 * NPS, CSAT and CES in one query: the three metrics' aggregates side by side (aliases prefixed
 * `nps_`, `csat_`, `ces_`), each part's state rebuilt from its own columns and finalised by its
 * own accumulator. The result carries the row count (`n` of the report) beside the results.
 */
function surveySql(
  sql: SqlModule,
  s: Settings,
): AggregateSqlMetric<Counted<Record<string, unknown>>, Counted<SurveyRow>> {
  const o = accumulatorOptions(s.ci, s.level);
  const parts: [string, AnyMetric][] = [
    ["nps", sql.npsSql(o.nps)],
    ["csat", sql.csatSql(o.rating)],
    ["ces", sql.cesSql(o.rating)],
  ];
  const each = <R>(f: (name: string, m: AnyMetric) => R): Record<string, R> =>
    Object.fromEntries(parts.map(([name, m]) => [name, f(name, m)]));
  const accumulator: Accumulator<never, Counted<Record<string, unknown>>, Counted<SurveyRow>> = {
    init: () => ({ rows: 0, result: each((_, m) => m.accumulator.init()) }),
    add: (st) => st,
    merge: (a, b) => ({
      rows: a.rows + b.rows,
      result: each((name, m) => m.accumulator.merge(a.result[name], b.result[name])),
    }),
    result: (st) => ({
      rows: st.rows,
      result: each((name, m) => m.accumulator.result(st.result[name])) as SurveyRow,
    }),
  };
  return {
    kind: "aggregate",
    name: "survey",
    inputs: { nps: "nps", csat: "csat", ces: "ces" },
    aggregates: (d, input) =>
      parts.flatMap(([name, m]) =>
        m.aggregates(d, () => input(name)).map((a) => ({ alias: `${name}_${a.alias}`, sql: a.sql })),
      ),
    state(row: SqlRow, where: string) {
      const rows = Number(row.n_rows ?? 0);
      return {
        rows,
        result: each((name, m) => {
          const view: Record<string, unknown> = { n_rows: row.n_rows };
          const prefix = `${name}_`;
          for (const k of Object.keys(row)) if (k.startsWith(prefix)) view[k.slice(prefix.length)] = row[k];
          return m.state(view, where);
        }),
      };
    },
    accumulator,
  };
}

async function sqlReport(
  sql: SqlModule,
  engine: SqlEngine,
  table: TableSource,
  s: Settings,
): Promise<SurveyReport> {
  if (s.ci === "bootstrap")
    throw new CliError(
      "survey: --ci bootstrap resamples rows and cannot run in a database; use wald or adjustedWald, or the default engine",
    );
  const { runMetric } = sql;
  const metric = surveySql(sql, s);
  const overall = await runMetric(engine, metric, { table });
  let groups: [string, SurveyRow][] = [];
  if (s.by) {
    const m = await runMetric(engine, metric, { table, by: s.by });
    groups = [...m]
      .map(([k, r]): [string, SurveyRow] => [k === null ? "(none)" : String(k), r.result])
      .sort((a, b) => compareKeys(a[0], b[0]));
  }
  let periods: PeriodResult<SurveyRow>[] = [];
  if (s.period) {
    const series = await runMetric(engine, metric, {
      table,
      columns: { at: "submitted_at" },
      period: s.period,
      timeZone: s.timeZone,
    });
    periods = series.map((p) => ({ start: p.start, end: p.end, label: p.label, result: p.result.result }));
  }
  return { n: overall.rows, overall: overall.result, groups, periods };
}

async function duckdbReport(file: string, s: Settings): Promise<SurveyReport> {
  fileSize(file); // a missing file is the usual one-line error
  const lower = file.toLowerCase();
  const sql = await loadSql();
  const table = lower.endsWith(".parquet")
    ? sql.readParquet(file)
    : lower.endsWith(".csv")
      ? sql.readCsv(file)
      : null;
  if (table === null) throw new CliError(`${file}: --engine duckdb reads .csv and .parquet files`);
  type DuckDB = typeof import("@duckdb/node-api");
  const { DuckDBInstance } = await optionalPackage<DuckDB>("@duckdb/node-api", "survey", "duckdb");
  const instance = await DuckDBInstance.create();
  const con = await instance.connect();
  try {
    return await sqlReport(sql, sql.duckdbEngine(con), table, s);
  } catch (e) {
    throw engineError(file, e);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

async function postgresReport(url: string, tableName: string, s: Settings): Promise<SurveyReport> {
  type Pg = typeof import("pg");
  const mod = await optionalPackage<Pg & { default?: Pg }>("pg", "survey", "postgres");
  const pg = mod.default ?? mod;
  const sql = await loadSql();
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new CliError(`survey: cannot connect to PostgreSQL (${(e as Error).message})`, 1);
  }
  const table = tableName.includes(".") ? tableName.split(".") : tableName;
  try {
    return await sqlReport(sql, sql.postgresEngine(client), table, s);
  } catch (e) {
    throw engineError(`table ${tableName}`, e);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------------

export const surveyCommand: Command = {
  summary: "NPS, CSAT and CES with intervals, by segment and period",
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        by: { type: "string" },
        period: { type: "string" },
        tz: { type: "string", default: "UTC" },
        ci: { type: "string", default: "adjustedWald" },
        level: { type: "string", default: "0.95" },
        json: { type: "boolean", default: false },
        stream: { type: "boolean", default: false },
        workers: { type: "string", default: "auto" },
        engine: { type: "string", default: "memory" },
        url: { type: "string" },
        table: { type: "string", default: "responses" },
      },
    });
    const engine = values.engine as Engine;
    if (!ENGINES.includes(engine))
      throw new CliError(`survey: --engine must be one of ${ENGINES.join(", ")}; found "${values.engine}"`);
    const file = positionals[0];
    if (engine === "postgres") {
      if (!values.url) throw new CliError(`survey: --engine postgres needs --url postgres://…\n\n${USAGE}`);
    } else if (!file) throw new CliError(`survey: missing <file>\n\n${USAGE}`);
    if (values.stream && engine !== "memory")
      throw new CliError(
        "survey: --stream reads the file in this process; it does not combine with --engine",
      );
    const workers = parseWorkers(values.workers);
    if (workers !== undefined && engine !== "memory")
      throw new CliError(
        "survey: --workers reads the file in this process; it does not combine with --engine",
      );
    if (values.by !== undefined && !(GROUP_FIELDS as readonly string[]).includes(values.by))
      throw new CliError(`survey: --by must be one of ${GROUP_FIELDS.join(", ")}; found "${values.by}"`);
    if (values.period !== undefined && !PERIODS.includes(values.period as Period))
      throw new CliError(`survey: --period must be one of ${PERIODS.join(", ")}; found "${values.period}"`);
    const ci = values.ci as NpsCiMethod;
    if (!["wald", "adjustedWald", "bootstrap"].includes(ci))
      throw new CliError(`survey: --ci must be wald, adjustedWald or bootstrap; found "${values.ci}"`);
    const level = Number(values.level);
    if (!(level > 0 && level < 1))
      throw new CliError(`survey: --level must be a number in (0, 1); found "${values.level}"`);
    const timeZone = values.tz ?? "UTC";
    try {
      checkTimeZone("survey", timeZone);
    } catch {
      throw new CliError(`survey: --tz "${timeZone}" is not a known IANA time zone (e.g. Europe/Berlin)`);
    }
    const settings: Settings = {
      ci,
      level,
      by: values.by as GroupField | undefined,
      period: values.period as Period | undefined,
      timeZone,
    };

    let source: string;
    let report: SurveyReport;
    if (engine === "postgres") {
      const tableName = values.table ?? "responses";
      source = tableName;
      report = await postgresReport(values.url!, tableName, settings);
    } else if (engine === "duckdb") {
      source = file!;
      report = await duckdbReport(file!, settings);
    } else {
      source = file!;
      const stream =
        values.stream ||
        (workers !== undefined && workers >= 2) ||
        (streamFormat(file!) !== null && fileSize(file!) >= STREAM_THRESHOLD_BYTES);
      report = stream ? await streamingReport(file!, settings, workers) : inMemoryReport(file!, settings);
    }
    print(source, report, settings, values.json ?? false);
    return 0;
  },
};

function print(file: string, report: SurveyReport, s: Settings, json: boolean): void {
  const { n, overall, groups, periods } = report;
  const { by, ci, level, timeZone } = s;
  if (json) {
    console.log(
      JSON.stringify(
        {
          file,
          n,
          options: { by: by ?? null, period: s.period ?? null, timeZone, ci, level },
          overall,
          groups: groups.map(([key, result]) => ({ key, ...result })),
          periods: periods.map((p) => ({ label: p.label, start: p.start, end: p.end, ...p.result })),
        },
        null,
        2,
      ),
    );
    return;
  }
  const pct = Math.round(level * 100);
  const header = HEADER.map((h) => h.replace("95%", `${pct}%`));
  console.log(
    `${file}: ${n} responses · NPS interval: ${ci} · CSAT = top two boxes (Wilson) · CES 1–7, t interval\n`,
  );
  console.log(renderTable(header, tableRows([["overall", overall]])));
  if (by) {
    console.log(`\nby ${by}`);
    console.log(renderTable(header, tableRows(groups)));
  }
  if (s.period) {
    console.log(`\nby ${s.period} (${timeZone})`);
    console.log(renderTable(header, tableRows(periods.map((p) => [p.label, p.result]))));
  }
  const warnings = new Set(
    [...overall.nps.warnings, ...groups.flatMap(([, r]) => r.nps.warnings)].map((w) => w.code),
  );
  if (warnings.has("small_sample"))
    console.log("\nnote: some groups have n < 30; treat their intervals with care.");
}
