/** Comparison of service results with a block of service.json (shared by the reference tests; not a test file). */
import { expect } from "vitest";
import type { PeriodResult } from "../../src/core/by-period.js";
import type { Ticket } from "../../src/schemas/ticket.js";
import {
  type FirstContactResolutionResult,
  type ResponseTimesResult,
  type SlaAdherenceResult,
  firstContactResolution,
  responseTimes,
  slaAdherence,
} from "../../src/service/index.js";

export interface Dist {
  n: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
  min: number | null;
  max: number | null;
}
export interface Block {
  tickets: number;
  fcr: {
    issues: number;
    resolved_issues: number;
    fcr_issues: number;
    value: number | null;
    resolved_issues_with_reopen_window_after_as_of: number;
    multi_ticket_issues: number;
  };
  fcr_per_ticket_variant: { resolved_tickets: number; not_reopened_within_7d: number; value: number | null };
  first_response_hours: Dist;
  resolution_hours: Dist;
  no_first_response: number;
  unresolved: number;
  sla: {
    target_hours: number;
    met: number;
    breached: number;
    pending_excluded: number;
    adherence: number | null;
  };
}
export interface RefInvalid {
  ticket_id: string;
  index: number;
  issue_id: string;
  reasons: string[];
}

/** Hours: relative tolerance 1e-9 (service.json's "ratios" definition). */
export const REL = 1e-9;

export function closeRel(actual: number | null, expected: number | null, what: string): void {
  if (expected === null || actual === null) {
    expect(actual, what).toBe(expected);
    return;
  }
  if (expected === 0) expect(Math.abs(actual), what).toBeLessThanOrEqual(1e-12);
  else
    expect(
      Math.abs(actual - expected) / Math.abs(expected),
      `${what}: ${actual} vs ${expected}`,
    ).toBeLessThanOrEqual(REL);
}

export interface Results {
  fcr: FirstContactResolutionResult;
  fcrTicket: FirstContactResolutionResult;
  fr: ResponseTimesResult;
  res: ResponseTimesResult;
  sla: SlaAdherenceResult;
}

/** Counts exact, rates exact to float64 (toEqual), hours within {@link REL}. */
export function checkBlock(got: Results, exp: Block, where: string): void {
  const { fcr, fcrTicket, fr, res, sla } = got;
  expect(sla.met + sla.breached + sla.pending, `${where} tickets`).toBe(exp.tickets);
  expect(
    {
      issues: fcr.n,
      resolved_issues: fcr.resolved,
      fcr_issues: fcr.resolvedFirstContact,
      value: fcr.rate,
      resolved_issues_with_reopen_window_after_as_of: fcr.windowOpenAtAsOf,
      multi_ticket_issues: fcr.multiContact,
    },
    `${where} fcr`,
  ).toEqual(exp.fcr);
  expect(
    {
      resolved_tickets: fcrTicket.resolved,
      not_reopened_within_7d: fcrTicket.resolvedFirstContact,
      value: fcrTicket.rate,
    },
    `${where} fcr per ticket`,
  ).toEqual(exp.fcr_per_ticket_variant);
  for (const [r, e, name] of [
    [fr, exp.first_response_hours, "first response"],
    [res, exp.resolution_hours, "resolution"],
  ] as const) {
    expect(r.n, `${where} ${name} n`).toBe(e.n);
    closeRel(r.mean, e.mean, `${where} ${name} mean`);
    closeRel(r.median, e.median, `${where} ${name} median`);
    closeRel(r.quantiles[0.9] ?? null, e.p90, `${where} ${name} p90`);
    closeRel(r.min, e.min, `${where} ${name} min`);
    closeRel(r.max, e.max, `${where} ${name} max`);
  }
  expect(fr.unanswered, `${where} no first response`).toBe(exp.no_first_response);
  expect(res.unanswered, `${where} unresolved`).toBe(exp.unresolved);
  expect(
    {
      target_hours: 4,
      met: sla.met,
      breached: sla.breached,
      pending_excluded: sla.pending,
      adherence: sla.rate,
    },
    `${where} sla`,
  ).toEqual(exp.sla);
}

/** The three groupings of service.json: overall, by channel, by UTC month. */
export function computeAll(tickets: readonly Ticket[], asOf: string, months: string[]) {
  const common = { asOf, reopenWindow: { days: 7 } } as const;
  const fr = { measure: "firstResponse", unit: "hours", quantiles: [0.5, 0.9] } as const;
  const res = { measure: "resolution", unit: "hours", quantiles: [0.5, 0.9] } as const;
  const sla = { target: { hours: 4 }, measure: "firstResponse", asOf } as const;
  const by = { by: "channel" } as const;
  const per = {
    period: "month",
    from: `${months[0]}-01T00:00:00Z`,
    to: `${months.at(-1)}-01T00:00:00Z`,
  } as const;
  const overall: Results = {
    fcr: firstContactResolution(tickets, { level: "issue", ...common }),
    fcrTicket: firstContactResolution(tickets, { level: "ticket", ...common }),
    fr: responseTimes(tickets, fr),
    res: responseTimes(tickets, res),
    sla: slaAdherence(tickets, sla),
  };
  const c = {
    fcr: firstContactResolution(tickets, { level: "issue", ...common, ...by }),
    fcrTicket: firstContactResolution(tickets, { level: "ticket", ...common, ...by }),
    fr: responseTimes(tickets, { ...fr, ...by }),
    res: responseTimes(tickets, { ...res, ...by }),
    sla: slaAdherence(tickets, { ...sla, ...by }),
  };
  const byChannel = new Map<string | null, Results>();
  for (const k of c.sla.keys())
    byChannel.set(k, {
      fcr: c.fcr.get(k)!,
      fcrTicket: c.fcrTicket.get(k)!,
      fr: c.fr.get(k)!,
      res: c.res.get(k)!,
      sla: c.sla.get(k)!,
    });
  const m = {
    fcr: firstContactResolution(tickets, { level: "issue", ...common, ...per }),
    fcrTicket: firstContactResolution(tickets, { level: "ticket", ...common, ...per }),
    fr: responseTimes(tickets, { ...fr, ...per }),
    res: responseTimes(tickets, { ...res, ...per }),
    sla: slaAdherence(tickets, { ...sla, ...per }),
  };
  const labels = (xs: PeriodResult<unknown>[]) => xs.map((p) => p.label);
  const byMonth = m.sla.map((p, k) => ({
    label: p.label,
    results: {
      fcr: m.fcr[k]!.result,
      fcrTicket: m.fcrTicket[k]!.result,
      fr: m.fr[k]!.result,
      res: m.res[k]!.result,
      sla: p.result,
    },
  }));
  for (const xs of [m.fcr, m.fcrTicket, m.fr, m.res]) expect(labels(xs)).toEqual(labels(m.sla));
  return { overall, byChannel, byMonth };
}
