/** `cxmetrics report`: the whole customer perspective of a data directory as one HTML file. */
import { parseInstant } from "../../core/time.js";
import { CliError } from "../io.js";
import { numberOption, parseOptions, periodOption, timeZoneOption } from "../report/args.js";
import type { EngineSource } from "../report/engine-source.js";
import { runReport } from "../report/index.js";
import type { Command } from "./types.js";

const USAGE = `Usage: cxmetrics report --data <dir> [--scorecard scorecard.json] [--period month] [--tz Europe/Berlin]
                        [--as-of 2026-07-01T00:00:00Z] [--sla-hours 4] [--out report.html] [--json out.json]
       cxmetrics report --engine duckdb --data <dir|file.parquet|file.duckdb> [options]
       cxmetrics report --engine postgres --url postgres://… [--schema public] [options]

Reads the CSV/JSON files of <dir> it recognises by their header — survey responses, subscriptions,
orders, support tickets — validates them, computes every measure and writes one self-contained HTML
report (charts embedded as SVG; nothing is fetched when it is viewed; prints well). With --engine the
tables are read through DuckDB (Parquet, CSV and NDJSON files, or the tables of a DuckDB database
file) or PostgreSQL (the tables of one schema), recognised by their columns in the same way.

Options:
  --data <dir>          directory with the data files (required unless --engine postgres)
  --engine <e>          memory (default) | duckdb | postgres: read the tables through a database
                        (needs the optional package @duckdb/node-api or pg)
  --url <url>           PostgreSQL connection string (--engine postgres)
  --schema <name>       PostgreSQL schema whose tables are read (default public)
  --scorecard <file>    balanced-scorecard definition (JSON); default: the worked example
  --period <p>          day, week, month (default), quarter or year: trends and the scorecard period
  --tz <zone>           IANA time zone of the calendar periods (default UTC)
  --as-of <instant>     data export instant (default: 1 ms after the latest instant in the data);
                        the scorecard reports the last period complete at it
  --sla-hours <h>       first-response target for SLA adherence (default 4)
  --out <file>          HTML report (default report.html)
  --json <file>         also write every number as JSON

Exit codes: 0 ok, 2 bad input (the message names file, row and column), 1 other errors.`;

export const reportCommand: Command = {
  summary: "HTML report of the customer perspective (scorecard, say, do, worth, service, why)",
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseOptions("report", args, {
      data: { type: "string" },
      scorecard: { type: "string" },
      period: { type: "string" },
      tz: { type: "string" },
      "as-of": { type: "string" },
      "sla-hours": { type: "string" },
      out: { type: "string" },
      json: { type: "string" },
      engine: { type: "string" },
      url: { type: "string" },
      schema: { type: "string" },
    });
    const engineName = values.engine ?? "memory";
    if (!["memory", "duckdb", "postgres"].includes(engineName))
      throw new CliError(`report: --engine must be one of memory, duckdb, postgres; found "${engineName}"`);
    const dataDir = values.data ?? positionals[0];
    if (positionals.length > (values.data ? 0 : 1))
      throw new CliError(`report: unexpected argument "${positionals.at(-1)}"`);
    let engine: EngineSource | undefined;
    if (engineName === "postgres") {
      if (!values.url) throw new CliError(`report: --engine postgres needs --url postgres://…\n\n${USAGE}`);
      if (dataDir) throw new CliError("report: --engine postgres reads the tables of --schema; drop --data");
      engine = { engine: "postgres", url: values.url, schema: values.schema };
    } else {
      if (!dataDir) throw new CliError(`report: --data <dir> is required\n\n${USAGE}`);
      if (values.url !== undefined || values.schema !== undefined)
        throw new CliError("report: --url and --schema go with --engine postgres");
      if (engineName === "duckdb") engine = { engine: "duckdb", data: dataDir };
    }
    const timeZone = timeZoneOption("report", values.tz);
    let asOf: number | undefined;
    if (values["as-of"] !== undefined) {
      try {
        asOf = parseInstant(values["as-of"], { timeZone, fn: "report" });
      } catch {
        throw new CliError(
          `report: --as-of is "${values["as-of"]}"; expected an ISO-8601 instant such as 2026-07-01T00:00:00Z`,
        );
      }
    }
    const slaHours = numberOption("report", "sla-hours", values["sla-hours"], 4);
    if (!(slaHours > 0)) throw new CliError("report: --sla-hours must be > 0");
    return runReport({
      dataDir:
        dataDir ?? (engine?.engine === "postgres" ? `PostgreSQL schema ${engine.schema ?? "public"}` : ""),
      engine,
      scorecardFile: values.scorecard,
      period: periodOption("report", values.period),
      timeZone,
      asOf,
      out: values.out ?? "report.html",
      json: values.json,
      slaHours,
    });
  },
};
