/**
 * The scorecard section: the worked example (examples/scorecard/customer-scorecard.json, bundled)
 * or a `--scorecard` file, evaluated from the data with the library's metric registry. Survey and
 * service metrics the default registry does not (yet) define are registered here under the names
 * the worked example binds to (nps, csat, ces, firstContactResolution, firstResponseTime,
 * resolutionTime, slaAdherence); a registry entry of the library with the same name wins.
 */
import { readFileSync } from "node:fs";
import type { SurveyResponse } from "../../schemas/survey.js";
import type { Ticket } from "../../schemas/ticket.js";
import {
  type MetricContext,
  type MetricDefinition,
  type MetricRegistry,
  createMetricRegistry,
  defaultMetricRegistry,
} from "../../scorecard/index.js";
import { firstContactResolution, responseTimes, slaAdherence } from "../../service/index.js";
import { ces, csat, nps } from "../../survey/index.js";
import workedExample from "../../../examples/scorecard/customer-scorecard.json" with { type: "json" };
import { CliError } from "../io.js";

/** The bundled worked-example scorecard (Acme's customer perspective). */
export const WORKED_EXAMPLE_SCORECARD: unknown = workedExample;

function inWindow(ms: number, ctx: MetricContext): boolean {
  return ctx.period === null || (ms >= ctx.period.from && ms < ctx.period.to);
}

function responses(data: Record<string, unknown>, ctx: MetricContext): SurveyResponse[] {
  const rows = (data.surveyResponses ?? []) as SurveyResponse[];
  return rows.filter((r) => inWindow(r.submittedAtMs, ctx));
}

function tickets(data: Record<string, unknown>, ctx: MetricContext): Ticket[] {
  const rows = (data.tickets ?? []) as Ticket[];
  return rows.filter((t) => inWindow(t.createdAt.getTime(), ctx));
}

const asOfOf = (ctx: MetricContext) => (ctx.asOf === null ? {} : { asOf: new Date(ctx.asOf) });

const FALLBACKS: readonly MetricDefinition[] = [
  {
    name: "nps",
    unit: "points",
    direction: "higherIsBetter",
    kind: "opinion",
    description:
      "Net Promoter Score (−100…100) of the survey responses in the window (cxmetrics/survey nps).",
    field: "score",
    compute: (data, _p, ctx) => nps(responses(data, ctx), (r) => r.nps, { missing: "omit" }),
  },
  {
    name: "csat",
    unit: "percent",
    direction: "higherIsBetter",
    kind: "opinion",
    description: "CSAT: share of satisfied answers (top two boxes of 1–5), in percent.",
    field: "score",
    compute: (data, _p, ctx) => csat(responses(data, ctx), (r) => r.csat, { missing: "omit" }),
  },
  {
    name: "ces",
    unit: "points",
    direction: "higherIsBetter",
    kind: "opinion",
    description: "Customer effort score: mean of 1–7, higher is easier.",
    field: "score",
    compute: (data, _p, ctx) => ces(responses(data, ctx), (r) => r.ces, { missing: "omit" }),
  },
  {
    name: "firstContactResolution",
    unit: "share",
    direction: "higherIsBetter",
    kind: "activity",
    description:
      "Issue-level first-contact resolution rate (7-day reopen window) of the tickets created in the window.",
    field: "rate",
    segmentFilter: "none",
    compute: (data, _p, ctx) => firstContactResolution(tickets(data, ctx), asOfOf(ctx)),
  },
  {
    name: "firstResponseTime",
    unit: "hours",
    direction: "lowerIsBetter",
    kind: "activity",
    description: "First response time in hours (field median by default; mean, quantiles.0.9 …).",
    field: "median",
    segmentFilter: "none",
    compute: (data, _p, ctx) =>
      responseTimes(tickets(data, ctx), { measure: "firstResponse", unit: "hours" }),
  },
  {
    name: "resolutionTime",
    unit: "hours",
    direction: "lowerIsBetter",
    kind: "activity",
    description: "Resolution time in hours of resolved tickets (field median by default).",
    field: "median",
    segmentFilter: "none",
    compute: (data, _p, ctx) => responseTimes(tickets(data, ctx), { measure: "resolution", unit: "hours" }),
  },
  {
    name: "slaAdherence",
    unit: "share",
    direction: "higherIsBetter",
    kind: "activity",
    description: "Share of tickets answered within params.targetHours (default 4 h).",
    field: "rate",
    segmentFilter: "none",
    compute: (data, params, ctx) =>
      slaAdherence(tickets(data, ctx), {
        target: { hours: typeof params.targetHours === "number" ? params.targetHours : 4 },
        ...asOfOf(ctx),
      }),
  },
];

/** The library's registry plus the survey/service fallbacks it does not define. */
export function reportRegistry(): MetricRegistry {
  const r = createMetricRegistry(defaultMetricRegistry);
  for (const def of FALLBACKS) if (!r.has(def.name)) r.register(def);
  return r;
}

/** Read a scorecard JSON file (validated later by evaluateScorecard). */
export function readScorecardFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new CliError(
      `--scorecard ${file}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`--scorecard ${file}: not valid JSON (${(e as Error).message})`);
  }
}
