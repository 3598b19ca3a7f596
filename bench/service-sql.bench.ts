/**
 * Service metrics pushed down to DuckDB: response times with exact quantiles by channel × month.
 *
 *   node --expose-gc --import tsx bench/service-sql.bench.ts        (BENCH_SCALE=0.1 for 200k tickets)
 *
 * 2M tickets (channel mixture of log-normal first-response times, whole milliseconds; 3 % unanswered)
 * in a DuckDB table (VARCHAR channel, TIMESTAMPTZ instants), created before timing. Contenders, by
 * channel × UTC month, p = 0.5 and 0.9:
 * - cxmetrics `responseTimesSql()` through `runMetric` (count, exact sum, min, max and the order
 *   statistics at the Hyndman–Fan positions from the group's sorted list; interpolated in JavaScript);
 * - hand-written DuckDB SQL: `quantile_cont(ms, [0.5, 0.9])`, `avg`, `min`, `max` grouped by channel and
 *   `date_trunc('month', …)` (DuckDB's type-7 quantile; what an analyst would write);
 * - in memory: `responseTimes(tickets, { by: "channel", period: "month" })` on the same tickets as
 *   `Date` records (the rows already in the process: no reading from the database).
 * Answers checked: pushdown toEqual in memory; hand-written quantiles equal to 1e-9 relative.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { seededRandom } from "../src/core/random.js";
import type { Ticket } from "../src/schemas/ticket.js";
import { responseTimes } from "../src/service/response-times.js";
import { duckdbEngine, runMetric } from "../src/sql/index.js";
import { responseTimesSql } from "../src/sql/service.js";
import { compare, peakRssMiB, writeResults } from "./harness.js";

const scale = Number(process.env.BENCH_SCALE ?? "1");
const n = Math.round(2_000_000 * scale);
const rnd = seededRandom(11);
const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
const CHANNELS = ["chat", "email", "phone", "social"];
const MEDIANS_MS = [3 * 60_000, 9 * 60_000, 2.2 * 3_600_000, 2.8 * 3_600_000];
const T0 = Date.UTC(2025, 0, 1);
const SPAN = 365 * 86_400_000;

const tickets: Ticket[] = [];
const lines = ["ticket_id,issue_id,channel,priority,created_at,first_response_at,resolved_at,reopened_at"];
for (let i = 0; i < n; i++) {
  const ch = i & 3;
  const created = T0 + Math.floor(rnd() * SPAN);
  const answered = rnd() >= 0.03;
  const f = answered ? created + Math.round(MEDIANS_MS[ch]! * Math.exp(1.1 * normal())) : null;
  tickets.push({
    ticketId: `T${i}`,
    issueId: null,
    customerId: null,
    channel: CHANNELS[ch]!,
    priority: null,
    createdAt: new Date(created),
    firstResponseAt: f === null ? null : new Date(f),
    resolvedAt: null,
    reopenedAt: null,
  });
  lines.push(
    `T${i},,${CHANNELS[ch]},,${new Date(created).toISOString()},${f === null ? "" : new Date(f).toISOString()},,`,
  );
}
const dir = mkdtempSync(join(tmpdir(), "cxm-service-sql-"));
const csv = join(dir, "tickets.csv");
writeFileSync(csv, `${lines.join("\n")}\n`);
lines.length = 0;

const con = await (await DuckDBInstance.create()).connect();
await con.run(
  `CREATE TABLE tickets AS SELECT * FROM read_csv('${csv}', header = true, columns = {` +
    `'ticket_id': 'VARCHAR', 'issue_id': 'VARCHAR', 'channel': 'VARCHAR', 'priority': 'VARCHAR', ` +
    `'created_at': 'TIMESTAMPTZ', 'first_response_at': 'TIMESTAMPTZ', 'resolved_at': 'TIMESTAMPTZ', 'reopened_at': 'TIMESTAMPTZ'})`,
);
rmSync(dir, { recursive: true, force: true });
await con.run("SET TimeZone = 'UTC'");
const engine = duckdbEngine(con);
const opts = { unit: "hours", quantiles: [0.5, 0.9] } as const;
const grouping = { by: "channel", period: "month", timeZone: "UTC" } as const;

type Row = { channel: string; month: string; q: number[] };
const handWritten = async (): Promise<Row[]> => {
  const r = await con.runAndReadAll(
    `SELECT channel, strftime(date_trunc('month', created_at), '%Y-%m') AS month, count(*) AS n, ` +
      `avg(ms) / 3600000 AS mean, quantile_cont(ms, [0.5, 0.9]) AS q, min(ms), max(ms) FROM (` +
      `SELECT channel, created_at, epoch_ms(first_response_at) - epoch_ms(created_at) AS ms FROM tickets ` +
      `WHERE first_response_at IS NOT NULL) GROUP BY ALL ORDER BY channel, month`,
  );
  return r.getRowObjectsJS().map((o) => ({
    channel: String(o.channel),
    month: String(o.month),
    q: (o.q as number[]).map((x) => Number(x) / 3_600_000),
  }));
};
const pushdown = () =>
  runMetric(engine, responseTimesSql(opts), { table: "tickets", columns: { at: "created_at" }, ...grouping });
const inMemory = () => responseTimes(tickets, { ...opts, ...grouping });

const check = (a: unknown, b: unknown, name: string) => {
  if (name.startsWith("in memory")) {
    if (!isDeepStrictEqual(a, b)) throw new Error("pushdown and in-memory results differ");
    return;
  }
  // a: pushdown Map<channel, PeriodResult[]>; b: hand-written rows
  const got = a as Map<string, { label: string; result: { quantiles: Record<string, number | null> } }[]>;
  for (const row of b as Row[]) {
    const per = got.get(row.channel)?.find((p) => p.label === row.month);
    const q = per?.result.quantiles;
    [0.5, 0.9].forEach((p, k) => {
      const x = q?.[String(p)];
      const y = row.q[k]!;
      if (x === undefined || x === null || Math.abs(x - y) > 1e-9 * Math.abs(y))
        throw new Error(`${name}: ${row.channel} ${row.month} p${p}: ${x} vs ${y}`);
    });
  }
};

const c1 = await compare(
  `response times by channel × month, exact p50/p90, ${(n / 1e6).toFixed(1)}M tickets`,
  [
    { name: "cxmetrics responseTimesSql (DuckDB pushdown)", run: pushdown },
    { name: "hand-written DuckDB SQL (quantile_cont, avg, min, max)", run: handWritten },
    { name: "in memory: responseTimes on Date records", run: inMemory },
  ],
  { rounds: 5, warmup: 1, baseline: "hand-written DuckDB SQL (quantile_cont, avg, min, max)", check },
);
con.closeSync();

writeResults(
  "service-sql",
  [c1],
  [
    "The pushdown's result is the in-memory object (`isDeepStrictEqual`, every float); DuckDB's own `quantile_cont` agrees to 1e-9 relative.",
    "DuckDB runs on both cores; the in-memory contender on one core from records already in the process.",
    "The pushdown sorts each group's times once (`list(v ORDER BY v)`, shared by every order statistic) and returns two values per quantile; `quantile_cont` selects without a full sort.",
    `Peak RSS ${peakRssMiB().toFixed(0)} MiB (the ticket records, the CSV text while loading, DuckDB). BENCH_SCALE=${scale}.`,
  ],
);
