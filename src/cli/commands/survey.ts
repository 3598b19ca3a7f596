/**
 * `cxmetrics survey <file>`: NPS, CSAT and CES with their intervals from a file of survey
 * responses, overall, by a grouping column and by calendar period.
 */
import { parseArgs } from "node:util";
import { combine, groupBy, mapInput } from "../../core/accumulator.js";
import { byPeriod } from "../../core/by-period.js";
import { InvalidInputError } from "../../core/errors.js";
import { PERIODS, type Period, checkTimeZone } from "../../core/time.js";
import { type SurveyResponse, parseSurveyResponses, surveyResponseFromCsvRow } from "../../schemas/survey.js";
import { type NpsCiMethod, cesAccumulator, csatAccumulator, npsAccumulator } from "../../survey/index.js";
import { CliError, describeInputError, loadTable } from "../io.js";
import { interval, num, renderTable } from "../table.js";
import type { Command } from "./types.js";

const USAGE = `Usage: cxmetrics survey <file.csv|file.json> [options]

NPS, CSAT and CES with 95% intervals, overall, by group and by period.

Options:
  --by <field>        group by segment or channel
  --period <p>        day | week | month | quarter | year
  --tz <zone>         IANA time zone for periods (default UTC)
  --ci <method>       NPS interval: wald | adjustedWald | bootstrap (default adjustedWald)
  --level <x>         confidence level (default 0.95)
  --json              print the results as JSON

CSV columns: response_id, submitted_at (ISO-8601 with offset), segment, channel, nps (0-10),
csat (1-5), ces (1-7), driver_<name>...; blank cells are "not answered".`;

const GROUP_FIELDS = ["segment", "channel"] as const;

/** The three survey accumulators over validated responses, skipping unanswered questions. */
function surveyAccumulator(ci: NpsCiMethod, level: number) {
  return combine({
    nps: mapInput(npsAccumulator({ ci, level, missing: "omit" }), (r: SurveyResponse) => r.nps),
    csat: mapInput(csatAccumulator({ level, missing: "omit" }), (r: SurveyResponse) => r.csat),
    ces: mapInput(cesAccumulator({ level, missing: "omit" }), (r: SurveyResponse) => r.ces),
  });
}

type SurveyRow = ReturnType<ReturnType<typeof surveyAccumulator>["result"]>;

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

/** Load and validate a survey file; bad rows become one message naming row and column. */
export function loadSurveyResponses(file: string): SurveyResponse[] {
  const table = loadTable(file);
  const input = table.format === "csv" ? table.records.map(surveyResponseFromCsvRow) : table.records;
  try {
    return parseSurveyResponses(input);
  } catch (e) {
    if (e instanceof InvalidInputError) throw describeInputError(table, e, (path) => surveyColumn(path));
    throw e;
  }
}

const COLUMN_NAMES: Record<string, string> = {
  id: "response_id",
  submittedAt: "submitted_at",
  respondentId: "respondent_id",
};
function surveyColumn(path: (string | number)[]): string {
  const [head, sub] = path;
  if (head === "drivers" && sub !== undefined) return `driver_${sub}`;
  return COLUMN_NAMES[String(head)] ?? String(head ?? "");
}

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
      },
    });
    const file = positionals[0];
    if (!file) throw new CliError(`survey: missing <file>\n\n${USAGE}`);
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

    const rows = loadSurveyResponses(file);
    const acc = surveyAccumulator(ci, level);
    const overall = acc.result(rows.reduce((s, r, i) => acc.add(s, r, i), acc.init()));
    const by = values.by as (typeof GROUP_FIELDS)[number] | undefined;
    const groups = by ? [...groupBy(rows, (r) => r[by] ?? "(none)", acc, { order: "key" })] : [];
    const periods = values.period
      ? byPeriod(rows, { at: (r) => r.submittedAtMs, period: values.period as Period, timeZone }, acc)
      : [];

    if (values.json) {
      console.log(
        JSON.stringify(
          {
            file,
            n: rows.length,
            options: { by: by ?? null, period: values.period ?? null, timeZone, ci, level },
            overall,
            groups: groups.map(([key, result]) => ({ key, ...result })),
            periods: periods.map((p) => ({ label: p.label, start: p.start, end: p.end, ...p.result })),
          },
          null,
          2,
        ),
      );
      return 0;
    }
    const pct = Math.round(level * 100);
    const header = HEADER.map((h) => h.replace("95%", `${pct}%`));
    console.log(
      `${file}: ${rows.length} responses · NPS interval: ${ci} · CSAT = top two boxes (Wilson) · CES 1–7, t interval\n`,
    );
    console.log(renderTable(header, tableRows([["overall", overall]])));
    if (by) {
      console.log(`\nby ${by}`);
      console.log(renderTable(header, tableRows(groups)));
    }
    if (values.period) {
      console.log(`\nby ${values.period} (${timeZone})`);
      console.log(renderTable(header, tableRows(periods.map((p) => [p.label, p.result]))));
    }
    const warnings = new Set(
      [...overall.nps.warnings, ...groups.flatMap(([, r]) => r.nps.warnings)].map((w) => w.code),
    );
    if (warnings.has("small_sample"))
      console.log("\nnote: some groups have n < 30; treat their intervals with care.");
    return 0;
  },
};
