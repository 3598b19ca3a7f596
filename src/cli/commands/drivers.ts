/** `cxmetrics drivers`: key-driver analysis and importance–performance grid of survey responses. */
import { importancePerformance } from "../../drivers/index.js";
import type { SurveyResponse } from "../../schemas/survey.js";
import { CliError } from "../io.js";
import { fileArgument, parseOptions, printJson } from "../report/args.js";
import { loadKind } from "../report/data.js";
import { num, renderTable } from "../table.js";
import type { Command } from "./types.js";

const USAGE = `Usage: cxmetrics drivers <responses.csv> [--outcome nps|csat|ces] [--json]

Regresses the outcome (default nps, the 0–10 likelihood to recommend) on every driver_<name> rating
column: R², each driver's LMG share of R² (Shapley value), standardized beta, Pearson r with its
p-value, mean rating, and its importance–performance quadrant (cut lines at the drivers' means).
Rows with a missing value are left out (listwise).`;

export const driversCommand: Command = {
  summary: "key drivers of NPS/CSAT/CES (LMG, betas, correlations) and importance–performance quadrants",
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseOptions("drivers", args, {
      outcome: { type: "string" },
      json: { type: "boolean" },
    });
    const file = fileArgument("drivers", positionals, USAGE);
    const outcome = values.outcome ?? "nps";
    if (outcome !== "nps" && outcome !== "csat" && outcome !== "ces")
      throw new CliError(`drivers: --outcome is "${outcome}"; expected nps, csat or ces`);
    const rows = loadKind<SurveyResponse>(file, "responses");
    const names = [...new Set(rows.flatMap((r) => Object.keys(r.drivers)))];
    if (names.length === 0) throw new CliError(`drivers: ${file} has no driver_<name> rating columns`);
    const drivers: Record<string, (number | null)[]> = {};
    for (const n of names) drivers[n] = rows.map((r) => (Object.hasOwn(r.drivers, n) ? r.drivers[n]! : null));
    const ipa = importancePerformance({
      outcome: rows.map((r) => r[outcome]),
      drivers,
      outcomeName: outcome,
    });
    const kd = ipa.keyDrivers;
    if (values.json) {
      const { spec: _spec, ...rest } = ipa;
      return printJson(rest);
    }
    console.log(
      `${kd.outcome} on ${names.length} drivers, n = ${kd.n} complete rows (${kd.excluded.missing} left out): R² = ${num(kd.r2, 3)}, adjusted ${num(kd.adjustedR2, 3)}`,
    );
    console.log();
    console.log(
      renderTable(
        ["Rank", "Driver", "LMG", "Share of R²", "Std. beta", "r", "p", "Mean rating", "Quadrant"],
        [...kd.drivers]
          .sort((a, b) => a.rank - b.rank)
          .map((d) => {
            const q = ipa.drivers.find((x) => x.name === d.name)!;
            return [
              d.rank,
              d.name,
              num(d.lmg, 4),
              d.lmg === null || kd.r2 === 0 ? "—" : `${((d.lmg / kd.r2) * 100).toFixed(1)}%`,
              num(d.standardizedBeta, 3),
              num(d.pearson.r, 3),
              d.pValue === null ? "—" : d.pValue < 0.001 ? "<0.001" : num(d.pValue, 3),
              num(q.performance, 2),
              q.quadrant,
            ];
          }),
      ),
    );
    return 0;
  },
};
