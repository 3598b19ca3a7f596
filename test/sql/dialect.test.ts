/**
 * Text tests of the generated SQL for every dialect: identifier quoting with hostile names, bound
 * parameters (values never appear in the SQL text), period expressions and aggregate forms.
 * DuckDB and PostgreSQL are also run against real engines (engine tests); BigQuery, Snowflake,
 * ClickHouse and Trino are checked here only.
 */
import { describe, expect, it } from "vitest";
import type { Accumulator } from "../../src/core/accumulator.js";
import { InvalidInputError } from "../../src/core/errors.js";
import {
  DIALECTS,
  type Dialect,
  ParamBinder,
  aggregateQuery,
  customerRetentionQueries,
  histogramMetric,
  periodStartDate,
  quoteIdent,
  readCsv,
  trustedSql,
} from "../../src/sql/index.js";

const HOSTILE = ['"; DROP TABLE x; --', "__proto__", 'a"b', "a`b", "a\\b", "it's", "Ségment ✓", "x) OR (1=1"];

// A histogram metric over a trivial accumulator (count per score), for SQL text only.
const countAcc: Accumulator<never, number[], number[]> = {
  init: () => [0, 0, 0],
  add: (s) => s,
  merge: (a, b) => a.map((x, i) => x + b[i]!),
  result: (s) => [...s],
};
const metric = histogramMetric({
  name: "demo",
  column: "score",
  min: 1,
  max: 3,
  missing: "throw",
  accumulator: countAcc,
  toState: (h) => h.counts,
});

describe("quoteIdent", () => {
  it("doubles double quotes in the SQL-standard dialects", () => {
    for (const d of ["duckdb", "postgres", "snowflake", "trino"] as const) {
      expect(quoteIdent(d, 'a"b')).toBe('"a""b"');
      expect(quoteIdent(d, '"; DROP TABLE x; --')).toBe('"""; DROP TABLE x; --"');
      expect(quoteIdent(d, "__proto__")).toBe('"__proto__"');
    }
  });
  it("escapes backticks and backslashes in BigQuery and ClickHouse", () => {
    for (const d of ["bigquery", "clickhouse"] as const) {
      expect(quoteIdent(d, "a`b")).toBe("`a\\`b`");
      expect(quoteIdent(d, "a\\b")).toBe("`a\\\\b`");
      expect(quoteIdent(d, 'a"b')).toBe('`a"b`');
    }
  });
  it("every quoted name is one identifier: the closing quote is never left unescaped", () => {
    for (const d of DIALECTS) {
      for (const name of HOSTILE) {
        const q = quoteIdent(d, name);
        const open = q[0]!;
        const inner = q.slice(1, -1);
        expect(q.at(-1)).toBe(open);
        if (open === '"') expect(inner.replace(/""/g, "")).not.toContain('"');
        else expect(inner.replace(/\\[\\`]/g, "")).not.toContain("`");
      }
    }
  });
  it("rejects empty names and NUL characters (invalid_option)", () => {
    expect(() => quoteIdent("duckdb", "")).toThrow(InvalidInputError);
    try {
      quoteIdent("postgres", "a\u0000b");
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidInputError).code).toBe("invalid_option");
    }
  });
});

describe("ParamBinder", () => {
  const cases: [Dialect, string, string][] = [
    ["duckdb", "$1", "$2"],
    ["postgres", "$1", "$2"],
    ["snowflake", ":1", ":2"],
    ["bigquery", "@p1", "@p2"],
    ["clickhouse", "{p1:String}", "{p2:String}"],
    ["trino", "?", "?"],
  ];
  it.each(cases)("%s placeholders", (d, first, second) => {
    const b = new ParamBinder(d);
    expect(b.bind("x")).toBe(first);
    expect(b.bind("y")).toBe(second);
    expect(b.params).toEqual(["x", "y"]);
    expect(b.named()).toEqual({ p1: "x", p2: "y" });
  });
  it("reuses a numbered placeholder for the same value, but binds it again for positional `?` (Trino)", () => {
    const pg = new ParamBinder("postgres");
    expect([pg.bind("Europe/Berlin"), pg.bind("Europe/Berlin")]).toEqual(["$1", "$1"]);
    expect(pg.params).toHaveLength(1);
    const trino = new ParamBinder("trino");
    trino.bind("Europe/Berlin");
    trino.bind("Europe/Berlin");
    expect(trino.params).toEqual(["Europe/Berlin", "Europe/Berlin"]);
  });
  it("casts text parameters where engines cannot infer their type", () => {
    expect(new ParamBinder("postgres").text("UTC")).toBe("CAST($1 AS text)");
    expect(new ParamBinder("duckdb").text("UTC")).toBe("CAST($1 AS VARCHAR)");
  });
});

describe("aggregateQuery: hostile names and values never reach the SQL text", () => {
  for (const d of DIALECTS) {
    it(d, () => {
      const zone = "Europe/Berlin'; DROP TABLE x; --";
      const q = aggregateQuery(d, metric, {
        table: ['my"schema', "__proto__"],
        columns: { value: 'score"; DROP TABLE x; --', at: "at`time" },
        by: ["__proto__", 'seg"ment'],
        period: "month",
        timeZone: "UTC",
        where: { 'chan"nel': ["'; DROP TABLE x; --", "__proto__"], "x) OR (1=1": 3 },
      });
      expect(q.sql).not.toContain("'; DROP TABLE x; --'");
      expect(q.params).toContain("'; DROP TABLE x; --");
      expect(q.params).toContain("__proto__");
      expect(q.params).toContain("UTC");
      expect(q.params).toContain(3);
      expect(q.sql).toContain(quoteIdent(d, 'score"; DROP TABLE x; --'));
      expect(q.sql).toContain(quoteIdent(d, 'seg"ment'));
      expect(q.sql).toContain(`${quoteIdent(d, 'my"schema')}.${quoteIdent(d, "__proto__")}`);
      // a time zone is validated (unknown zones throw) and always bound
      expect(() =>
        aggregateQuery(d, metric, { table: "t", columns: { at: "a" }, period: "day", timeZone: zone }),
      ).toThrow(InvalidInputError);
    });
  }
  it("table expressions bind file paths; trustedSql is inserted verbatim", () => {
    const path = "/data/it's; DROP TABLE x.csv";
    const q = aggregateQuery("duckdb", metric, { table: readCsv(path) });
    expect(q.sql).toContain("read_csv(CAST($1 AS VARCHAR))");
    expect(q.params).toEqual([path]);
    const t = aggregateQuery("postgres", metric, { table: trustedSql("SELECT * FROM r WHERE x > 0") });
    expect(t.sql).toContain('FROM (SELECT * FROM r WHERE x > 0) AS "t"');
  });
  it("rejects an unknown dialect, an unknown input role and a period without an instant column", () => {
    expect(() => aggregateQuery("mysql" as Dialect, metric, { table: "t" })).toThrow(
      /expected one of duckdb/,
    );
    expect(() => aggregateQuery("duckdb", metric, { table: "t", columns: { scroe: "x" } })).toThrow(
      /reads value, at/,
    );
    expect(() => aggregateQuery("duckdb", metric, { table: "t", period: "month" })).toThrow(/instant column/);
    expect(() => aggregateQuery("duckdb", metric, { table: 42 as unknown as string })).toThrow(/table name/);
  });
});

describe("dialect functions (documented in docs/scale.md)", () => {
  const fns: Record<Dialect, RegExp[]> = {
    duckdb: [
      /count_if\(/,
      /timezone\(CAST\(\$1 AS VARCHAR\), CAST\(.* AS TIMESTAMPTZ\)\)/,
      /date_trunc\('month'/,
      /strftime\(/,
    ],
    postgres: [
      /count\(\*\) FILTER \(WHERE/,
      /timezone\(CAST\(\$1 AS text\), CAST\(.* AS timestamptz\)\)/,
      /to_char\(/,
    ],
    bigquery: [
      /COUNTIF\(/,
      /DATETIME\(CAST\(.* AS TIMESTAMP\), @p1\)/,
      /DATE_TRUNC\(DATE\(.*\), MONTH\)/,
      /FORMAT_DATE\(/,
      /AS INT64/,
    ],
    snowflake: [
      /COUNT_IF\(/,
      /CONVERT_TIMEZONE\(:1, TO_TIMESTAMP_TZ\(/,
      /AS TIMESTAMP_NTZ/,
      /DATE_TRUNC\('MONTH'/,
      /TO_CHAR\(/,
    ],
    clickhouse: [
      /countIf\(/,
      /toTimeZone\(.*, \{p1:String\}\)/,
      /toStartOfMonth\(/,
      /formatDateTime\(/,
      /toInt64\(/,
    ],
    trino: [
      /count_if\(/,
      /CAST\(at_timezone\(.*, \?\) AS timestamp\(3\)\)/,
      /date_trunc\('month'/,
      /date_format\(/,
    ],
  };
  for (const d of DIALECTS) {
    it(d, () => {
      const q = aggregateQuery(d, metric, {
        table: "responses",
        columns: { value: "score", at: "submitted_at" },
        by: "segment",
        period: "month",
        timeZone: "Europe/Berlin",
      });
      for (const re of fns[d]) expect(q.sql).toMatch(re);
      expect(q.params).toEqual(["Europe/Berlin"]);
    });
  }
  it("weeks by day-of-week arithmetic (ISO Monday start by default; Sunday start on request)", () => {
    expect(periodStartDate("duckdb", "l", "week")).toBe(
      "(CAST(l AS DATE) - CAST((dayofweek(l) + 6) % 7 AS INTEGER))",
    );
    expect(periodStartDate("duckdb", "l", "week", 0)).toBe(
      "(CAST(l AS DATE) - CAST((dayofweek(l) + 7) % 7 AS INTEGER))",
    );
    expect(periodStartDate("postgres", "l", "week")).toContain("extract(dow FROM l)");
    expect(periodStartDate("bigquery", "l", "week")).toBe(
      "DATE_SUB(DATE(l), INTERVAL MOD(EXTRACT(DAYOFWEEK FROM l) + 5, 7) DAY)",
    );
    expect(periodStartDate("snowflake", "l", "week")).toContain("DAYOFWEEKISO(l)");
    expect(periodStartDate("clickhouse", "l", "week")).toContain("toDayOfWeek(l)");
    expect(periodStartDate("trino", "l", "week")).toContain("day_of_week(l)");
    for (const d of DIALECTS)
      for (const p of ["day", "quarter", "year"] as const) expect(periodStartDate(d, "l", p)).toContain("l");
  });
  it("ungrouped queries have no GROUP BY (one row even for an empty table)", () => {
    const q = aggregateQuery("postgres", metric, { table: "t" });
    expect(q.sql).not.toContain("GROUP BY");
  });
});

describe("pipelines are DuckDB/PostgreSQL only", () => {
  it("refuses other dialects with a clear message", () => {
    for (const d of ["bigquery", "snowflake", "clickhouse", "trino"] as const) {
      expect(() => customerRetentionQueries(d, { table: "subs" }, Number.POSITIVE_INFINITY)).toThrow(
        /DuckDB and PostgreSQL/,
      );
    }
  });
  it("quotes hostile column names in the pipeline", () => {
    const q = customerRetentionQueries(
      "postgres",
      { table: "subs", columns: { customerId: '"; DROP TABLE x; --' }, by: "__proto__" },
      Number.POSITIVE_INFINITY,
    );
    expect(q.range.sql).toContain('"""; DROP TABLE x; --" AS c');
    expect(q.events([0, 1, 2]).sql).toContain('"__proto__" AS key');
  });
});
