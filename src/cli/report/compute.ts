/**
 * Every measure of the report, computed from the validated data: plain, JSON-serialisable data
 * (Decimal money is written as exact strings by its toJSON) plus the chart specs to render.
 */
import type { Accumulator } from "../../core/accumulator.js";
import { byPeriod } from "../../core/by-period.js";
import { type Period, addPeriods, periodLabel, periodStart } from "../../core/time.js";
import type { ChartOptions, VegaLiteSpec } from "../../charts/index.js";
import {
  barChart,
  cohortHeatmapChart,
  importancePerformanceChart,
  mrrWaterfallChart,
  scoreDistributionChart,
  scoreTrendChart,
  scorecardStatusChart,
  survivalCurveChart,
} from "../../charts/index.js";
import {
  bgNbdModel,
  clvFormula,
  customerLifetimeValue,
  fitBgNbd,
  fitGammaGamma,
  rfmSummary,
} from "../../clv/index.js";
import { importancePerformance } from "../../drivers/index.js";
import {
  cohortRetention,
  customerRetention,
  kaplanMeier,
  mrrMovements,
  repeatPurchase,
  subscriptionLifetimes,
} from "../../retention/index.js";
import type { Order } from "../../schemas/order.js";
import type { SurveyResponse } from "../../schemas/survey.js";
import { type ScorecardEvaluation, evaluateScorecard } from "../../scorecard/index.js";
import { firstContactResolution, responseTimes, slaAdherence } from "../../service/index.js";
import { type CesResult, type CsatResult, type NpsResult, ces, csat, nps } from "../../survey/index.js";
import type { ReportInput } from "./data.js";
import { reportRegistry } from "./scorecard.js";

/** Options of {@link computeReport}. */
export interface ComputeOptions {
  period: Period;
  timeZone: string;
  /** Data as-of (epoch ms); default 1 ms after the latest instant in the data. */
  asOf?: number;
  /** Scorecard definition (parsed JSON) and where it came from. */
  scorecard: { definition: unknown; source: string };
  /** SLA target for first responses, hours (default 4). */
  slaHours?: number;
  progress?: (message: string) => void;
}

/** A chart of the report: where it goes, its spec, and the SVG mark classes it must contain. */
export interface ReportChart {
  id: string;
  section: SectionId;
  title: string;
  caption: string;
  spec: VegaLiteSpec;
  marks: string[];
}

export type SectionId = "scorecard" | "say" | "do" | "worth" | "service" | "why";

/** A score with its interval, as the report shows it. */
export interface ScoreCell {
  score: number | null;
  ci: { lower: number; upper: number; level: number; method: string } | null;
  n: number;
}

export interface ReportData {
  meta: {
    title: string;
    generatedAt: string;
    dataDir: string;
    files: ReportInput["files"];
    skipped: ReportInput["skipped"];
    period: Period;
    timeZone: string;
    asOf: string;
    /** The last period that ended at or before asOf: the scorecard and waterfall report it. */
    lastComplete: { label: string; from: string; to: string };
    previous: { label: string; from: string; to: string };
    counts: {
      responses: number | null;
      subscriptions: number | null;
      orders: number | null;
      tickets: number | null;
    };
  };
  scorecard: { source: string; evaluation: ScorecardEvaluation } | { source: string; error: string } | null;
  say: {
    overall: { nps: ScoreCell; csat: ScoreCell; ces: ScoreCell };
    byPeriod: { label: string; partial: boolean; nps: ScoreCell; csat: ScoreCell; ces: ScoreCell }[];
    bySegment: { segment: string; nps: ScoreCell; csat: ScoreCell; ces: ScoreCell }[];
    distributions: { nps: number[]; csat: number[]; ces: number[] };
  } | null;
  do: {
    retention:
      | {
          label: string;
          startingCustomers: number;
          newCustomers: number;
          churnedCustomers: number;
          endingCustomers: number;
          retentionRate: number | null;
          churnRate: number | null;
        }[]
      | null;
    mrr: {
      label: string;
      startingMrr: string;
      new: string;
      expansion: string;
      reactivation: string;
      contraction: string;
      churn: string;
      endingMrr: string;
      netRevenueRetention: number | null;
      grossRevenueRetention: number | null;
      quickRatio: number | null;
    } | null;
    cohorts: { cohort: string; size: number; share: (number | null)[] }[] | null;
    survival: {
      n: number;
      events: number;
      censored: number;
      unit: string;
      median: number | null;
      at12: number | null;
    } | null;
    repeatPurchase: {
      total: {
        orders: number;
        buyers: number;
        repeatBuyers: number;
        repeatPurchaseRate: number | null;
        purchaseFrequency: number | null;
        averageOrderValue: string | null;
        revenue: string;
      };
      byPeriod: { label: string; orders: number; buyers: number; repeatPurchaseRate: number | null }[];
    } | null;
  } | null;
  worth: {
    model: {
      customers: number;
      repeatBuyers: number;
      bgNbd: { r: number; alpha: number; a: number; b: number; logLikelihood: number };
      gammaGamma: { p: number; q: number; v: number; meanSpend: number | null };
      horizonMonths: number;
      monthlyDiscountRate: number;
      total: number | null;
      mean: number | null;
      deciles: { decile: string; mean: number }[];
      top: { customerId: string; value: number; expectedPurchases: number; expectedSpend: number }[];
      notes: string[];
    } | null;
    formula: {
      inputs: { monthlyMarginPerCustomer: string; monthlyRetentionRate: number; monthlyDiscountRate: number };
      variants: { variant: string; formula: string; value: string }[];
    } | null;
    notes: string[];
  } | null;
  service: {
    fcr: { rate: number | null; resolved: number; resolvedFirstContact: number; n: number; invalid: number };
    firstResponse: {
      n: number;
      mean: number | null;
      median: number | null;
      p90: number | null;
      p95: number | null;
      unanswered: number;
    };
    resolution: {
      n: number;
      mean: number | null;
      median: number | null;
      p90: number | null;
      p95: number | null;
      unanswered: number;
    };
    sla: { targetHours: number; met: number; breached: number; pending: number; rate: number | null };
    byChannel: {
      channel: string;
      tickets: number;
      fcr: number | null;
      medianFirstResponse: number | null;
      sla: number | null;
    }[];
    invalidTickets: { id: string; reasons: string[] }[];
  } | null;
  why: {
    outcome: string;
    n: number;
    r2: number;
    adjustedR2: number | null;
    drivers: {
      name: string;
      lmg: number | null;
      share: number | null;
      standardizedBeta: number;
      pearson: number;
      pValue: number | null;
      rank: number;
      performance: number;
      quadrant: string;
    }[];
    cut: { importance: number; performance: number };
  } | null;
  notes: string[];
}

const collect = <T>(): Accumulator<T, T[], T[]> => ({
  init: () => [],
  add: (s, x) => {
    s.push(x);
    return s;
  },
  merge: (a, b) => a.concat(b),
  result: (s) => s,
});

function cell(r: NpsResult | CsatResult | CesResult): ScoreCell {
  return {
    score: r.score,
    ci: r.ci ? { lower: r.ci.lower, upper: r.ci.upper, level: r.ci.level, method: r.ci.method } : null,
    n: r.n,
  };
}

function sayScores(rows: readonly SurveyResponse[]) {
  return {
    nps: nps(rows, (r) => r.nps, { missing: "omit" }),
    csat: csat(rows, (r) => r.csat, { missing: "omit" }),
    ces: ces(rows, (r) => r.ces, { missing: "omit" }),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const STATUS = new Set(["green", "amber", "red", "no_data"]);

function latestInstant(input: ReportInput): number {
  let max = Number.NEGATIVE_INFINITY;
  const see = (d: Date | number | null | undefined) => {
    if (d === null || d === undefined) return;
    const ms = typeof d === "number" ? d : d.getTime();
    if (ms > max) max = ms;
  };
  for (const r of input.responses ?? []) see(r.submittedAtMs);
  for (const s of input.subscriptions ?? []) {
    see(s.startedAt);
    see(s.endedAt);
  }
  for (const o of input.orders ?? []) see(o.orderedAt);
  for (const t of input.tickets ?? []) {
    see(t.createdAt);
    see(t.firstResponseAt);
    see(t.resolvedAt);
    see(t.reopenedAt);
  }
  return max;
}

/** Compute every section the data allows. */
export function computeReport(
  input: ReportInput,
  options: ComputeOptions,
): { data: ReportData; charts: ReportChart[] } {
  const { period, timeZone } = options;
  const cal = { timeZone };
  const progress = options.progress ?? (() => {});
  const latest = latestInstant(input);
  const asOf = options.asOf ?? (Number.isFinite(latest) ? latest + 1 : Date.now());
  const currentStart = periodStart(asOf, period, cal);
  const lastFrom = addPeriods(currentStart, period, -1, cal);
  const prevFrom = addPeriods(currentStart, period, -2, cal);
  const lastComplete = {
    label: periodLabel(lastFrom, period, cal),
    from: iso(lastFrom),
    to: iso(currentStart),
  };
  const previous = { label: periodLabel(prevFrom, period, cal), from: iso(prevFrom), to: iso(lastFrom) };
  const notes: string[] = [];
  const charts: ReportChart[] = [];
  const chart = (c: ReportChart) => charts.push(c);
  const size = (o: ChartOptions) => o;

  // ---- scorecard --------------------------------------------------------------------------
  progress("evaluating the scorecard");
  let scorecard: ReportData["scorecard"] = null;
  try {
    const data: Record<string, readonly unknown[]> = {};
    if (input.responses) data.surveyResponses = input.responses;
    if (input.subscriptions) data.subscriptions = input.subscriptions;
    if (input.orders) data.orders = input.orders;
    if (input.tickets) data.tickets = input.tickets;
    const evaluation = evaluateScorecard(
      options.scorecard.definition as Parameters<typeof evaluateScorecard>[0],
      data,
      {
        registry: reportRegistry(),
        period: { from: lastFrom, to: currentStart, label: lastComplete.label },
        previousPeriod: { from: prevFrom, to: lastFrom, label: previous.label },
        asOf,
        timeZone,
      },
    );
    scorecard = { source: options.scorecard.source, evaluation };
    const rows = evaluation.perspectives.flatMap((p) =>
      p.objectives.flatMap((o) =>
        o.measures.map((m) => ({
          objective: o.statement,
          measure: m.name,
          status: (STATUS.has(m.status) ? m.status : "no_data") as "green" | "amber" | "red" | "no_data",
          progress: m.progress,
          actual: m.actual === null ? "no data" : formatActual(m.actual, m.unit),
        })),
      ),
    );
    chart({
      id: "scorecard-status",
      section: "scorecard",
      title: "Scorecard status",
      caption: `Each measure's status (colour) and progress from its baseline to its target, ${lastComplete.label}.`,
      spec: scorecardStatusChart(rows, size({ title: `Scorecard, ${lastComplete.label}`, width: 420 })),
      marks: ["mark-rect"],
    });
  } catch (e) {
    scorecard = { source: options.scorecard.source, error: (e as Error).message };
    notes.push(`scorecard not evaluated: ${(e as Error).message}`);
  }

  // ---- what customers say -------------------------------------------------------------------
  let say: ReportData["say"] = null;
  if (input.responses && input.responses.length > 0) {
    progress("survey scores");
    const rows = input.responses;
    const overall = sayScores(rows);
    const periods = byPeriod(
      rows,
      { at: (r) => r.submittedAtMs, period, timeZone },
      collect<SurveyResponse>(),
    );
    const byPer = periods.map((p) => {
      const s = sayScores(p.result);
      return {
        label: p.label,
        partial: p.end.getTime() > asOf,
        nps: cell(s.nps),
        csat: cell(s.csat),
        ces: cell(s.ces),
      };
    });
    const segments = new Map<string, SurveyResponse[]>();
    for (const r of rows) {
      const k = r.segment ?? "(none)";
      let list = segments.get(k);
      if (!list) segments.set(k, (list = []));
      list.push(r);
    }
    const bySegment = [...segments.keys()]
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((segment) => {
        const s = sayScores(segments.get(segment)!);
        return { segment, nps: cell(s.nps), csat: cell(s.csat), ces: cell(s.ces) };
      });
    const npsCounts = new Array(11).fill(0) as number[];
    for (const r of rows) if (r.nps !== null) npsCounts[r.nps]!++;
    say = {
      overall: { nps: cell(overall.nps), csat: cell(overall.csat), ces: cell(overall.ces) },
      byPeriod: byPer,
      bySegment,
      distributions: { nps: npsCounts, csat: overall.csat.distribution, ces: overall.ces.distribution },
    };
    const label = (p: { label: string; partial: boolean }) => (p.partial ? `${p.label}*` : p.label);
    chart({
      id: "nps-trend",
      section: "say",
      title: "NPS by period",
      caption: `Net Promoter Score per ${period} with its 95 % confidence band (Wald).${byPer.some((p) => p.partial) ? " * = period not complete at the as-of date." : ""}`,
      spec: scoreTrendChart(
        byPer.map((p) => ({ label: label(p), score: p.nps.score, ci: p.nps.ci, n: p.nps.n })),
        { title: `NPS by ${period}`, yTitle: "NPS (points)" },
      ),
      marks: ["mark-line", "mark-area"],
    });
    chart({
      id: "nps-distribution",
      section: "say",
      title: "Likelihood to recommend",
      caption: "Answers 0–10: detractors (0–6), passives (7–8), promoters (9–10).",
      spec: scoreDistributionChart(
        npsCounts.map((count, value) => ({ value, count })),
        {
          title: "Likelihood to recommend (0–10)",
          scale: { min: 0, max: 10 },
          categorise: (v) => (v >= 9 ? "promoter" : v <= 6 ? "detractor" : "passive"),
          width: 360,
        },
      ),
      marks: ["mark-rect"],
    });
    const split = (
      id: string,
      title: string,
      caption: string,
      dist: number[],
      min: number,
      cutoff: number,
      yes: string,
      no: string,
    ) =>
      chart({
        id,
        section: "say",
        title,
        caption,
        spec: barChart(
          dist.map((count, k) => ({
            label: String(min + k),
            value: count,
            group: min + k >= cutoff ? yes : no,
          })),
          {
            title,
            yTitle: "responses",
            xTitle: "answer",
            format: ",d",
            width: 240,
            colors: { [no]: "#999999", [yes]: "#009E73" },
          },
        ),
        marks: ["mark-rect"],
      });
    split(
      "csat-distribution",
      "Satisfaction (1–5)",
      `CSAT answers 1–5; satisfied = ${overall.csat.satisfiedMin} or more.`,
      overall.csat.distribution,
      overall.csat.scale.min,
      overall.csat.satisfiedMin,
      "satisfied",
      "not satisfied",
    );
    split(
      "ces-distribution",
      "Ease of dealing with us (1–7)",
      `CES answers 1–7, higher = easier; easy = ${overall.ces.easyMin} or more.`,
      overall.ces.distribution,
      overall.ces.scale.min,
      overall.ces.easyMin,
      "easy",
      "not easy",
    );
  }

  // ---- what customers do --------------------------------------------------------------------
  let doing: ReportData["do"] = null;
  const subs = input.subscriptions;
  const orders = input.orders;
  let lastRetention: number | null = null;
  let monthlyMarginPerCustomer: string | null = null;
  if ((subs && subs.length > 0) || (orders && orders.length > 0)) {
    doing = { retention: null, mrr: null, cohorts: null, survival: null, repeatPurchase: null };
  }
  if (doing && subs && subs.length > 0) {
    progress("retention, MRR movements, cohorts, survival");
    const window = { period, timeZone, asOf: new Date(asOf), to: new Date(asOf - 1) };
    const rows = customerRetention(subs, window).filter((r) => !r.incomplete);
    doing.retention = rows.map((r) => ({
      label: r.label,
      startingCustomers: r.startingCustomers,
      newCustomers: r.newCustomers,
      churnedCustomers: r.churnedCustomers,
      endingCustomers: r.endingCustomers,
      retentionRate: r.retentionRate,
      churnRate: r.churnRate,
    }));
    const last = rows.find((r) => r.label === lastComplete.label) ?? rows[rows.length - 1];
    lastRetention = last?.retentionRate ?? null;
    chart({
      id: "retention-trend",
      section: "do",
      title: "Customer retention and churn",
      caption: `Customer retention rate (E − N)/S and churn rate C/S per ${period} (complete periods only).`,
      spec: scoreTrendChart(
        rows.flatMap((r) => [
          {
            label: r.label,
            score: r.retentionRate === null ? null : r.retentionRate * 100,
            series: "retention",
          },
          { label: r.label, score: r.churnRate === null ? null : r.churnRate * 100, series: "churn" },
        ]),
        { title: `Customer retention and churn by ${period}`, yTitle: "% of starting customers", width: 760 },
      ),
      marks: ["mark-line"],
    });
    const mrr = mrrMovements(subs, window).filter((r) => !r.incomplete);
    const m = mrr.find((r) => r.label === lastComplete.label) ?? mrr[mrr.length - 1];
    if (m) {
      doing.mrr = {
        label: m.label,
        startingMrr: m.startingMrr.toFixed(2),
        new: m.new.toFixed(2),
        expansion: m.expansion.toFixed(2),
        reactivation: m.reactivation.toFixed(2),
        contraction: m.contraction.toFixed(2),
        churn: m.churn.toFixed(2),
        endingMrr: m.endingMrr.toFixed(2),
        netRevenueRetention: m.netRevenueRetention,
        grossRevenueRetention: m.grossRevenueRetention,
        quickRatio: m.quickRatio,
      };
      const customers = last ? last.endingCustomers : 0;
      if (customers > 0) monthlyMarginPerCustomer = m.endingMrr.div(customers).toFixed(2);
      chart({
        id: "mrr-waterfall",
        section: "do",
        title: "MRR movements",
        caption: `Monthly recurring revenue from the start to the end of ${m.label}: new, expansion and reactivation add; contraction and churn take away.`,
        spec: mrrWaterfallChart(m, { title: `MRR movements, ${m.label}` }),
        marks: ["mark-rect"],
      });
    }
    const cohorts = cohortRetention(subs, { period, timeZone, asOf: new Date(asOf), horizon: 12 });
    const recent = cohorts.rows.slice(-18);
    doing.cohorts = recent.map((r) => ({ cohort: r.cohort, size: r.size, share: r.share }));
    chart({
      id: "cohort-heatmap",
      section: "do",
      title: "Cohort retention",
      caption: `Share of each sign-up cohort (first paid ${period}) still paying k ${period}s later. Blank cells are not observable yet.`,
      spec: cohortHeatmapChart(recent, { title: `Cohort retention by ${period} of first payment` }),
      marks: ["mark-rect", "mark-text"],
    });
    const life = subscriptionLifetimes(subs, { asOf: new Date(asOf), unit: "month", spells: "first" });
    if (life.n > 0) {
      const km = kaplanMeier(life);
      const at12 = km.at(12);
      doing.survival = {
        n: km.n,
        events: km.events,
        censored: km.censored,
        unit: "month",
        median: km.median.estimate,
        at12: at12.survival,
      };
      const points = [{ time: 0, survival: 1, lower: 1, upper: 1 }];
      km.curve.time.forEach((t, i) => {
        points.push({
          time: t,
          survival: km.curve.survival[i]!,
          lower: km.curve.lower[i] ?? km.curve.survival[i]!,
          upper: km.curve.upper[i] ?? km.curve.survival[i]!,
        });
      });
      chart({
        id: "survival-curve",
        section: "do",
        title: "Subscription survival",
        caption:
          "Kaplan–Meier estimate of the share of customers still subscribed after t months of paying (first lifetime per customer), with its 95 % pointwise band; lifetimes still running are censored at the as-of date.",
        spec: survivalCurveChart(points, {
          title: "Share still subscribed",
          timeTitle: "months since first payment",
        }),
        marks: ["mark-line", "mark-area"],
      });
    }
  }
  if (doing && orders && orders.length > 0) {
    progress("repeat purchase");
    const rp = repeatPurchase(orders, { period, timeZone, to: new Date(asOf - 1) });
    doing.repeatPurchase = {
      total: {
        orders: rp.total.orders,
        buyers: rp.total.buyers,
        repeatBuyers: rp.total.repeatBuyers,
        repeatPurchaseRate: rp.total.repeatPurchaseRate,
        purchaseFrequency: rp.total.purchaseFrequency,
        averageOrderValue: rp.total.averageOrderValue?.toFixed(2) ?? null,
        revenue: rp.total.revenue.toFixed(2),
      },
      byPeriod: rp.periods.map((p) => ({
        label: p.label,
        orders: p.orders,
        buyers: p.buyers,
        repeatPurchaseRate: p.repeatPurchaseRate,
      })),
    };
    chart({
      id: "repeat-purchase",
      section: "do",
      title: "Repeat purchase",
      caption: `Share of each ${period}'s buyers who ordered at least twice in that ${period}.`,
      spec: barChart(
        rp.periods.map((p) => ({
          label: p.label,
          value: p.repeatPurchaseRate === null ? null : p.repeatPurchaseRate * 100,
        })),
        { title: `Repeat purchase rate by ${period}`, yTitle: "% of buyers", format: ".1f", width: 760 },
      ),
      marks: ["mark-rect"],
    });
  }

  // ---- what they are worth --------------------------------------------------------------------
  let worth: ReportData["worth"] = null;
  if ((orders && orders.length > 0) || monthlyMarginPerCustomer !== null) {
    worth = { model: null, formula: null, notes: [] };
  }
  if (worth && orders && orders.length > 0) {
    progress("fitting BG/NBD and Gamma-Gamma");
    try {
      worth.model = modelClv(orders, asOf, timeZone);
      chart({
        id: "clv-deciles",
        section: "worth",
        title: "CLV by decile",
        caption:
          "Mean 12-month customer lifetime value (BG/NBD × Gamma-Gamma, 1 % monthly discount) per decile of customers, highest first.",
        spec: barChart(
          worth.model.deciles.map((d) => ({ label: d.decile, value: d.mean })),
          {
            title: "Expected 12-month value per customer, by decile",
            yTitle: "value (currency)",
            xTitle: "decile (1 = most valuable)",
            format: ",.2f",
          },
        ),
        marks: ["mark-rect"],
      });
    } catch (e) {
      worth.notes.push(`model-based CLV not available: ${(e as Error).message}`);
    }
  }
  if (worth && monthlyMarginPerCustomer !== null && lastRetention !== null) {
    const inputs = {
      monthlyMarginPerCustomer,
      monthlyRetentionRate: Math.min(1, lastRetention),
      monthlyDiscountRate: 0.01,
    };
    try {
      worth.formula = {
        inputs,
        variants: (["marginMultiple", "initialMargin", "finiteHorizon"] as const).map((variant) => {
          const r = clvFormula({
            margin: inputs.monthlyMarginPerCustomer,
            retentionRate: inputs.monthlyRetentionRate,
            discountRate: inputs.monthlyDiscountRate,
            variant,
            ...(variant === "finiteHorizon" ? { periods: 36 } : {}),
          });
          return {
            variant: variant === "finiteHorizon" ? "finiteHorizon (36 months)" : variant,
            formula: r.formula,
            value: r.value.toFixed(2),
          };
        }),
      };
    } catch (e) {
      worth.notes.push(`formula CLV not available: ${(e as Error).message}`);
    }
  }

  // ---- how service treats them ------------------------------------------------------------------
  let service: ReportData["service"] = null;
  const tickets = input.tickets;
  if (tickets && tickets.length > 0) {
    progress("service levels");
    const slaHours = options.slaHours ?? 4;
    const asOfDate = new Date(asOf);
    const fcr = firstContactResolution(tickets, { asOf: asOfDate });
    const q = [0.5, 0.9, 0.95];
    const fr = responseTimes(tickets, { measure: "firstResponse", unit: "hours", quantiles: q });
    const res = responseTimes(tickets, { measure: "resolution", unit: "hours", quantiles: q });
    const sla = slaAdherence(tickets, { target: { hours: slaHours }, asOf: asOfDate });
    const fcrBy = firstContactResolution(tickets, { asOf: asOfDate, by: "channel" });
    const frBy = responseTimes(tickets, { measure: "firstResponse", unit: "hours", by: "channel" });
    const slaBy = slaAdherence(tickets, { target: { hours: slaHours }, asOf: asOfDate, by: "channel" });
    const countBy = new Map<string | null, number>();
    for (const t of tickets) countBy.set(t.channel, (countBy.get(t.channel) ?? 0) + 1);
    const times = (r: typeof fr) => ({
      n: r.n,
      mean: r.mean,
      median: r.median,
      p90: r.quantiles["0.9"] ?? null,
      p95: r.quantiles["0.95"] ?? null,
      unanswered: r.unanswered,
    });
    service = {
      fcr: {
        rate: fcr.rate,
        resolved: fcr.resolved,
        resolvedFirstContact: fcr.resolvedFirstContact,
        n: fcr.n,
        invalid: fcr.excluded.invalidTickets,
      },
      firstResponse: times(fr),
      resolution: times(res),
      sla: {
        targetHours: slaHours,
        met: sla.met,
        breached: sla.breached,
        pending: sla.pending,
        rate: sla.rate,
      },
      byChannel: [...countBy.keys()]
        .sort((a, b) => String(a).localeCompare(String(b)))
        .map((ch) => ({
          channel: ch ?? "(none)",
          tickets: countBy.get(ch)!,
          fcr: fcrBy.get(ch)?.rate ?? null,
          medianFirstResponse: frBy.get(ch)?.median ?? null,
          sla: slaBy.get(ch)?.rate ?? null,
        })),
      invalidTickets: fr.invalid
        .slice(0, 20)
        .map((t) => ({ id: String(t.ticketId ?? t.index), reasons: t.reasons.map(String) })),
    };
    chart({
      id: "response-quantiles",
      section: "service",
      title: "Response and resolution times",
      caption:
        "Median, 90th and 95th percentile (Hyndman–Fan type 7) of the hours to the first response and to resolution.",
      spec: barChart(
        [
          ...["0.5", "0.9", "0.95"].map((p) => ({
            label: `p${Math.round(Number(p) * 100)}`,
            value: fr.quantiles[p] ?? null,
            group: "first response",
          })),
          ...["0.5", "0.9", "0.95"].map((p) => ({
            label: `p${Math.round(Number(p) * 100)} `,
            value: res.quantiles[p] ?? null,
            group: "resolution",
          })),
        ],
        {
          title: "Hours to first response and to resolution",
          yTitle: "hours",
          format: ".1f",
          width: 420,
          colors: { "first response": "#0072B2", resolution: "#E69F00" },
        },
      ),
      marks: ["mark-rect"],
    });
    chart({
      id: "sla",
      section: "service",
      title: "SLA adherence",
      caption: `Tickets answered within ${slaHours} h (met), later or still unanswered past it (breached), and still inside it at the as-of date (pending).`,
      spec: barChart(
        [
          { label: "met", value: sla.met, group: "met" },
          { label: "breached", value: sla.breached, group: "breached" },
          { label: "pending", value: sla.pending, group: "pending" },
        ],
        {
          title: `First response within ${slaHours} h`,
          yTitle: "tickets",
          format: ",d",
          width: 260,
          colors: { met: "#009E73", breached: "#D55E00", pending: "#999999" },
        },
      ),
      marks: ["mark-rect"],
    });
  }

  // ---- why ------------------------------------------------------------------------------------
  let why: ReportData["why"] = null;
  if (input.responses && input.responses.length > 0) {
    const names = [...new Set(input.responses.flatMap((r) => Object.keys(r.drivers)))];
    if (names.length >= 2) {
      progress("key drivers");
      try {
        const rows = input.responses;
        const drivers: Record<string, (number | null)[]> = {};
        for (const n of names)
          drivers[n] = rows.map((r) => (Object.hasOwn(r.drivers, n) ? r.drivers[n]! : null));
        const ipa = importancePerformance(
          { outcome: rows.map((r) => r.nps), drivers, outcomeName: "likelihood to recommend (0–10)" },
          { importance: "lmg" },
        );
        const kd = ipa.keyDrivers;
        why = {
          outcome: kd.outcome,
          n: kd.n,
          r2: kd.r2,
          adjustedR2: kd.adjustedR2,
          drivers: kd.drivers
            .map((d, j) => ({
              name: d.name,
              lmg: d.lmg,
              share: d.lmg === null || kd.r2 === 0 ? null : d.lmg / kd.r2,
              standardizedBeta: d.standardizedBeta,
              pearson: d.pearson.r,
              pValue: d.pValue,
              rank: d.rank,
              performance: ipa.drivers[j]!.performance,
              quadrant: ipa.drivers[j]!.quadrant,
            }))
            .sort((a, b) => a.rank - b.rank),
          cut: { importance: ipa.cut.importance, performance: ipa.cut.performance },
        };
        chart({
          id: "importance-performance",
          section: "why",
          title: "Importance–performance",
          caption:
            "Each driver's importance (its LMG share of the explained variance in likelihood to recommend) against its mean rating; dashed lines at the drivers' means.",
          spec: importancePerformanceChart(ipa.drivers, ipa.cut, {
            importanceTitle: "importance (LMG, share of R²)",
            performanceTitle: "performance (mean rating)",
          }),
          marks: ["mark-symbol", "mark-rule", "mark-text"],
        });
      } catch (e) {
        notes.push(`key drivers not computed: ${(e as Error).message}`);
      }
    }
  }

  const data: ReportData = {
    meta: {
      title: "Customer perspective",
      generatedAt: new Date().toISOString(),
      dataDir: input.dir,
      files: input.files,
      skipped: input.skipped,
      period,
      timeZone,
      asOf: iso(asOf),
      lastComplete,
      previous,
      counts: {
        responses: input.responses?.length ?? null,
        subscriptions: input.subscriptions?.length ?? null,
        orders: input.orders?.length ?? null,
        tickets: input.tickets?.length ?? null,
      },
    },
    scorecard,
    say,
    do: doing,
    worth,
    service,
    why,
    notes: [...notes, ...(worth?.notes ?? [])],
  };
  return { data, charts };
}

/** Format a scorecard actual in its unit. */
export function formatActual(x: number, unit: string): string {
  if (unit === "share") return `${(x * 100).toFixed(1)} %`;
  if (unit === "percent") return `${x.toFixed(1)} %`;
  if (unit === "hours") return `${x.toFixed(2)} h`;
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1);
}

/** Largest a + b of the BG/NBD fit that the CLV series evaluates reliably. */
const MAX_DROPOUT_CONCENTRATION = 1000;

export function modelClv(
  orders: readonly Order[],
  asOf: number,
  timeZone: string,
): NonNullable<NonNullable<ReportData["worth"]>["model"]> {
  const notes: string[] = [];
  const calibrationEnd = new Date(asOf - 1);
  const summary = rfmSummary(
    orders.map((o) => ({ customerId: o.customerId, at: o.orderedAt, amount: o.amount })),
    { calibrationEnd, timeUnit: "week", timeZone },
  );
  const bg = fitBgNbd(summary);
  const gg = fitGammaGamma(summary);
  let purchases = bg as Parameters<typeof customerLifetimeValue>[0]["purchases"];
  const { a, b } = bg.params;
  if (a + b > MAX_DROPOUT_CONCENTRATION) {
    const k = MAX_DROPOUT_CONCENTRATION / (a + b);
    purchases = bgNbdModel({ ...bg.params, a: a * k, b: b * k });
    notes.push(
      `The fit put (almost) no spread on the dropout probability (a + b = ${(a + b).toExponential(2)}: every customer drops out after a purchase with probability ≈ ${(a / (a + b)).toFixed(3)}). Values use a + b = ${MAX_DROPOUT_CONCENTRATION} with the same mean dropout probability, where the model's series is evaluated reliably.`,
    );
  }
  for (const w of [...bg.warnings, ...gg.warnings]) notes.push(w.message);
  const horizonMonths = 12;
  const monthlyDiscountRate = 0.01;
  const clv = customerLifetimeValue({ purchases, spend: gg }, summary, {
    horizon: horizonMonths,
    discountRate: monthlyDiscountRate,
    timeUnit: "week",
  });
  const finite = clv.customers.filter((c) => Number.isFinite(c.value));
  if (finite.length < clv.customers.length)
    notes.push(
      `${clv.customers.length - finite.length} customer value(s) could not be evaluated (not finite) and are left out.`,
    );
  const sorted = [...finite].sort((x, y) => y.value - x.value);
  const deciles: { decile: string; mean: number }[] = [];
  for (let d = 0; d < 10; d++) {
    const part = sorted.slice(
      Math.floor((d * sorted.length) / 10),
      Math.floor(((d + 1) * sorted.length) / 10),
    );
    if (part.length)
      deciles.push({ decile: String(d + 1), mean: part.reduce((s, c) => s + c.value, 0) / part.length });
  }
  const total = finite.reduce((s, c) => s + c.value, 0);
  return {
    customers: summary.length,
    repeatBuyers: bg.repeatBuyers,
    bgNbd: { ...bg.params, logLikelihood: bg.logLikelihood },
    gammaGamma: { ...gg.params, meanSpend: gg.populationMeanValue },
    horizonMonths,
    monthlyDiscountRate,
    total: finite.length ? total : null,
    mean: finite.length ? total / finite.length : null,
    deciles,
    top: sorted.slice(0, 10).map((c) => ({
      customerId: String(c.customerId),
      value: c.value,
      expectedPurchases: c.expectedPurchases,
      expectedSpend: c.expectedSpend,
    })),
    notes,
  };
}
