/**
 * The library's metrics, registered for scorecard bindings. Only domains that exist are imported;
 * each registration says which records it reads and which field it reports by default.
 *
 * @module
 */
import { InsufficientDataError, invalidOption } from "../core/errors.js";
import { type Period, parseInstant } from "../core/time.js";
import { customerRetention, mrrMovements, repeatPurchase } from "../retention/index.js";
import type { SurveyResponse } from "../schemas/survey.js";
import type { Ticket } from "../schemas/ticket.js";
import { firstContactResolution, responseTimes, slaAdherence } from "../service/index.js";
import { ces, csat, nps } from "../survey/index.js";
import {
  type MetricContext,
  type MetricData,
  type MetricDefinition,
  type MetricRegistry,
  createMetricRegistry,
  freezeRegistry,
} from "./registry.js";

const PERIODS: readonly Period[] = ["day", "week", "month", "quarter", "year"];

function calendarPeriod(name: string, params: Readonly<Record<string, unknown>>): Period {
  const p = params.period ?? "month";
  if (typeof p !== "string" || !(PERIODS as readonly string[]).includes(p))
    invalidOption(name, "params.period", PERIODS.join(" | "), p);
  return p as Period;
}

function need<T>(name: string, data: MetricData, key: string): readonly T[] {
  const rows = data[key];
  if (rows === undefined) throw new InsufficientDataError(`${name}: no ${key} in the data`, `data.${key}`);
  return rows as readonly T[];
}

/** Window options for the subscription metrics: periods from the window's first to its last instant. */
function windowOptions(ctx: MetricContext) {
  const o: { timeZone: string; from?: number; to?: number; asOf?: number } = { timeZone: ctx.timeZone };
  if (ctx.period) {
    o.from = ctx.period.from;
    o.to = ctx.period.to - 1;
  }
  if (ctx.asOf !== null) o.asOf = ctx.asOf;
  return o;
}

/** The last complete period row (or the last row) of a per-period series; `null` when empty. */
function lastRow<R extends { incomplete?: boolean }>(rows: readonly R[]): R | null {
  for (let i = rows.length - 1; i >= 0; i--) if (!rows[i]!.incomplete) return rows[i]!;
  return rows[rows.length - 1] ?? null;
}

function subscriptionSeries(
  name: string,
  field: string,
  unit: string,
  direction: MetricDefinition["direction"],
  description: string,
  movements: boolean,
): MetricDefinition {
  return {
    name,
    unit,
    direction,
    kind: "activity",
    description: `${description} Reads data.subscriptions; params.period (calendar granularity, default "month"); reports the last complete period of the window.`,
    field,
    compute(data, params, ctx) {
      const subs = need<Parameters<typeof customerRetention>[0][number]>(name, data, "subscriptions");
      const period = calendarPeriod(name, params);
      const opts = { ...windowOptions(ctx), period };
      if (subs.length === 0) return null;
      const rows = movements ? mrrMovements(subs, opts) : customerRetention(subs, opts);
      return lastRow<{ incomplete?: boolean }>(rows);
    },
  };
}

function ordersMetric(name: string, field: string, unit: string, description: string): MetricDefinition {
  return {
    name,
    unit,
    direction: "higherIsBetter",
    kind: "activity",
    description: `${description} Reads data.orders over the whole window.`,
    field,
    compute(data, _params, ctx) {
      const orders = need<Parameters<typeof repeatPurchase>[0][number]>(name, data, "orders");
      let rows = orders;
      if (ctx.period) {
        const { from, to } = ctx.period;
        rows = orders.filter((r, i) => {
          const t = parseInstant(r.orderedAt, {
            timeZone: ctx.timeZone,
            index: i,
            path: ["orderedAt"],
            fn: name,
          });
          return t >= from && t < to;
        });
      }
      return { ...repeatPurchase(rows, { timeZone: ctx.timeZone, period: "year" }).total, n: rows.length };
    },
  };
}

function inWindow(ms: number, ctx: MetricContext): boolean {
  return ctx.period === null || (ms >= ctx.period.from && ms < ctx.period.to);
}

function responses(data: MetricData, ctx: MetricContext): SurveyResponse[] {
  const rows: readonly SurveyResponse[] = data.surveyResponses ?? [];
  return rows.filter((r) => inWindow(r.submittedAtMs, ctx));
}

function tickets(data: MetricData, ctx: MetricContext): Ticket[] {
  const rows: readonly Ticket[] = data.tickets ?? [];
  return rows.filter((t) => inWindow(t.createdAt.getTime(), ctx));
}

const asOfOf = (ctx: MetricContext) => (ctx.asOf === null ? {} : { asOf: new Date(ctx.asOf) });

/** Survey (cxmetrics/survey) and service (cxmetrics/service) metrics, computed over the window. */
const SURVEY_AND_SERVICE_METRICS: readonly MetricDefinition[] = [
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

/**
 * Definitions of the library metrics available to bindings: retention and revenue retention
 * (subscriptions), repeat purchase (orders), NPS / CSAT / CES (survey responses) and first-contact
 * resolution, response and resolution times, SLA adherence (tickets) (see docs/scorecard.md for the list).
 *
 * @example
 * LIBRARY_METRICS.map((d) => d.name) //=> ["customerRetentionRate", …]
 */
export const LIBRARY_METRICS: readonly MetricDefinition[] = [
  subscriptionSeries(
    "customerRetentionRate",
    "retentionRate",
    "share",
    "higherIsBetter",
    "Customer retention rate (E − N) / S.",
    false,
  ),
  subscriptionSeries(
    "customerChurnRate",
    "churnRate",
    "share",
    "lowerIsBetter",
    "Customer churn rate C / S (params.churnDenominator is not read; use field churnRates.startPlusNew etc.).",
    false,
  ),
  subscriptionSeries(
    "netRevenueRetention",
    "netRevenueRetention",
    "share",
    "higherIsBetter",
    "Net revenue retention (start + expansion − contraction − churn) / start.",
    true,
  ),
  subscriptionSeries(
    "grossRevenueRetention",
    "grossRevenueRetention",
    "share",
    "higherIsBetter",
    "Gross revenue retention (start − contraction − churn) / start.",
    true,
  ),
  ordersMetric(
    "repeatPurchaseRate",
    "repeatPurchaseRate",
    "share",
    "Share of buyers with two or more orders in the window.",
  ),
  ordersMetric(
    "purchaseFrequency",
    "purchaseFrequency",
    "orders per buyer",
    "Orders per buyer in the window.",
  ),
  ordersMetric(
    "averageOrderValue",
    "averageOrderValue",
    "currency",
    "Revenue per order in the window (as a float).",
  ),
  ...SURVEY_AND_SERVICE_METRICS,
];

/**
 * The library's metrics, read-only. Copy it to add your own:
 * `createMetricRegistry(defaultMetricRegistry).register({...})`.
 *
 * @example
 * defaultMetricRegistry.names() //=> ["averageOrderValue", "ces", "csat", "customerChurnRate", …]
 */
export const defaultMetricRegistry: MetricRegistry = /* @__PURE__ */ (() => {
  const r = createMetricRegistry();
  for (const def of LIBRARY_METRICS) r.register(def);
  return freezeRegistry(r);
})();
