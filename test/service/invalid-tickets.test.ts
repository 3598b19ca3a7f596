/**
 * Invalid tickets reported by id and reason and excluded from every metric, never silently.
 * Expected values: fixtures/invalid_tickets.json, made by fixtures/invalid_tickets.py, which injects
 * the edits listed in that file into a temporary copy of ../shared/data/tickets/tickets.csv and runs
 * the reference implementation (shared/reference/retention_reference.py, compute_service) on it.
 * Same tolerances as service.json: counts exact, rates exact to float64, hours 1e-9 relative.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parseTickets } from "../../src/schemas/ticket.js";
import { TICKET_INVALID_REASONS } from "../../src/service/index.js";
import { describeShared, parseCsv, readShared } from "../helpers/shared.js";
import { type Block, type RefInvalid, checkBlock, computeAll } from "./reference-check.js";

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures", "invalid_tickets.json"), "utf8"),
) as {
  edits: Record<string, Record<string, string>>;
  invalid_tickets: RefInvalid[];
  overall: Block;
  by_channel: Record<string, Block>;
  by_month: (Block & { month: string })[];
};

describeShared(
  "invalid tickets injected into tickets.csv (reference implementation on the edited copy)",
  () => {
    const rows = parseCsv(readShared("data", "tickets", "tickets.csv")).map((r) => ({
      ...r,
      ...(fixture.edits[r.ticket_id!] ?? {}),
    }));
    const tickets = parseTickets(rows);
    const months = fixture.by_month.map((m) => m.month);
    const got = computeAll(tickets, "2026-07-01T00:00:00Z", months);

    it("every metric lists the same invalid tickets, by id, index, issue and reason", () => {
      const expected = fixture.invalid_tickets;
      expect(expected.length).toBeGreaterThan(0);
      for (const r of [
        got.overall.fcr,
        got.overall.fcrTicket,
        got.overall.fr,
        got.overall.res,
        got.overall.sla,
      ]) {
        expect(
          r.invalid.map((x) => ({
            ticket_id: x.ticketId,
            index: x.index,
            issue_id: x.issueId,
            reasons: x.reasons.map((k) => TICKET_INVALID_REASONS[k]),
          })),
        ).toEqual(expected);
      }
      expect(got.overall.sla.excluded.invalid).toBe(expected.length);
      expect(got.overall.fcr.excluded).toEqual({
        invalidTickets: expected.length,
        invalidIssues: expected.length,
        ticketsOfInvalidIssues: 2,
      });
    });

    it("overall, by channel and by month match the reference", () => {
      checkBlock(got.overall, fixture.overall, "overall");
      for (const [ch, exp] of Object.entries(fixture.by_channel)) checkBlock(got.byChannel.get(ch)!, exp, ch);
      fixture.by_month.forEach((exp, k) => {
        checkBlock(got.byMonth[k]!.results, exp, exp.month);
      });
    });
  },
);
