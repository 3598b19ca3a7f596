/**
 * `cxmetrics report`: read a data directory, compute every measure, print a terminal summary and
 * write the self-contained HTML report (and optionally the JSON of every number).
 */
import { resolve } from "node:path";
import type { Period } from "../../core/time.js";
import { type ReportChart, type ReportData, computeReport } from "./compute.js";
import { loadDataDir } from "./data.js";
import { type EngineSource, loadEngineSource } from "./engine-source.js";
import { renderHtml } from "./html.js";
import { WORKED_EXAMPLE_SCORECARD, readScorecardFile } from "./scorecard.js";
import { renderSvg } from "../svg.js";
import { writeFileAtomic } from "../io.js";
import { reportSummary } from "./summary.js";

export interface ReportOptions {
  /** A data directory read in this process, or tables read through DuckDB or PostgreSQL. */
  dataDir: string;
  engine?: EngineSource | undefined;
  scorecardFile?: string | undefined;
  period: Period;
  timeZone: string;
  asOf?: number | undefined;
  out: string;
  json?: string | undefined;
  slaHours?: number | undefined;
}

/** Progress on stderr, only when it is a terminal (one line, overwritten). */
export function progressReporter(): { step(message: string): void; done(): void } {
  const tty = Boolean(process.stderr.isTTY);
  return {
    step(message) {
      if (tty) process.stderr.write(`\r\x1b[2K… ${message}`);
    },
    done() {
      if (tty) process.stderr.write("\r\x1b[2K");
    },
  };
}

/** Render every chart to SVG (in order; vega views are cheap but not free). */
export async function renderCharts(
  charts: readonly ReportChart[],
  step?: (m: string) => void,
): Promise<Map<string, string>> {
  const svgs = new Map<string, string>();
  for (const c of charts) {
    step?.(`rendering chart ${c.title}`);
    svgs.set(c.id, await renderSvg(c.spec));
  }
  return svgs;
}

/** JSON of the report data: Decimals as exact strings (their toJSON), Maps as objects. */
export function reportJson(data: ReportData): string {
  return `${JSON.stringify(data, (_k, v) => (v instanceof Map ? Object.fromEntries(v) : v), 2)}\n`;
}

/** Run the report; returns the exit code. */
export async function runReport(o: ReportOptions): Promise<number> {
  const progress = progressReporter();
  try {
    const input = o.engine
      ? await loadEngineSource(o.engine, progress.step)
      : loadDataDir(o.dataDir, progress.step);
    for (const s of input.skipped) {
      progress.done();
      console.error(`cxmetrics report: skipping ${s.file}: ${s.reason}`);
    }
    const scorecard = o.scorecardFile
      ? { definition: readScorecardFile(o.scorecardFile), source: o.scorecardFile }
      : {
          definition: WORKED_EXAMPLE_SCORECARD,
          source: "the worked example, examples/scorecard/customer-scorecard.json",
        };
    const { data, charts } = computeReport(input, {
      period: o.period,
      timeZone: o.timeZone,
      scorecard,
      progress: progress.step,
      ...(o.asOf === undefined ? {} : { asOf: o.asOf }),
      ...(o.slaHours === undefined ? {} : { slaHours: o.slaHours }),
    });
    const svgs = await renderCharts(charts, progress.step);
    const html = renderHtml(data, charts, svgs);
    progress.step("writing");
    writeFileAtomic(o.out, html);
    if (o.json) writeFileAtomic(o.json, reportJson(data));
    progress.done();
    console.log(reportSummary(data, Boolean(process.stdout.isTTY)));
    console.log(`\nReport written to ${resolve(o.out)}${o.json ? `; JSON to ${resolve(o.json)}` : ""}`);
    return 0;
  } finally {
    progress.done();
  }
}
