/**
 * Every number of ../shared/reference/service.json, reproduced from ../shared/data/tickets/tickets.csv.
 * Origin: shared/reference/retention_reference.py (`compute_service`; Python fractions for exact
 * times, numpy.percentile type 7). Tolerances as the issue states: counts exact, rates exact to
 * float64 (toEqual), hours within 1e-9 relative.
 */
import { expect, it } from "vitest";
import { parseTickets } from "../../src/schemas/ticket.js";
import { TICKET_INVALID_REASONS, firstContactResolution, slaAdherence } from "../../src/service/index.js";
import { describeShared, parseCsv, readShared, readSharedJson } from "../helpers/shared.js";
import { type Block, type RefInvalid, checkBlock, computeAll } from "./reference-check.js";

interface Reference {
  meta: { rows: number; valid_tickets: number; as_of: string; months: string[] };
  invalid_tickets: RefInvalid[];
  overall: Block;
  by_channel: Record<string, Block>;
  by_month: (Block & { month: string })[];
}

describeShared("service.json reference values (tickets.csv)", () => {
  const ref = readSharedJson<Reference>("reference", "service.json");
  const rows = parseCsv(readShared("data", "tickets", "tickets.csv"));
  const tickets = parseTickets(rows);
  const asOf = ref.meta.as_of;
  const got = computeAll(tickets, asOf, ref.meta.months);

  it("row counts and invalid tickets (none in the public file)", () => {
    expect(tickets.length).toBe(ref.meta.rows);
    const inv = got.overall.fcr.invalid.map((x) => ({
      ticket_id: x.ticketId,
      index: x.index,
      issue_id: x.issueId,
      reasons: x.reasons.map((k) => TICKET_INVALID_REASONS[k]),
    }));
    expect(inv).toEqual(ref.invalid_tickets);
    expect(ref.meta.rows - inv.length).toBe(ref.meta.valid_tickets);
  });

  it("overall", () => checkBlock(got.overall, ref.overall, "overall"));

  it("by channel (issues by their first ticket's channel)", () => {
    expect([...got.byChannel.keys()]).toEqual(Object.keys(ref.by_channel));
    for (const [ch, exp] of Object.entries(ref.by_channel)) checkBlock(got.byChannel.get(ch)!, exp, ch);
  });

  it("by UTC calendar month (issues by their first ticket's created_at)", () => {
    expect(got.byMonth.map((m) => m.label)).toEqual(ref.meta.months);
    ref.by_month.forEach((exp, k) => {
      checkBlock(got.byMonth[k]!.results, exp, exp.month);
    });
  });

  it("raw CSV rows are accepted directly (validated with ticketSchema on the way in)", () => {
    expect(slaAdherence(rows, { target: 4, asOf }).met).toBe(ref.overall.sla.met);
    expect(firstContactResolution(rows, { asOf }).rate).toBe(ref.overall.fcr.value);
  });
});
