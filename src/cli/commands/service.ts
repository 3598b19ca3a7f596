/** `cxmetrics service`: first-contact resolution, response and resolution times, SLA adherence from tickets. */
import type { Ticket } from "../../schemas/ticket.js";
import { firstContactResolution, responseTimes, slaAdherence } from "../../service/index.js";
import { CliError } from "../io.js";
import { asOfOption, fileArgument, numberOption, parseOptions, printJson } from "../report/args.js";
import { loadKind } from "../report/data.js";
import { num, renderTable } from "../table.js";
import type { Command } from "./types.js";

const USAGE = `Usage: cxmetrics service <tickets.csv> [--by channel|priority] [--sla-hours 4] [--as-of <instant>] [--json]

Issue-level first-contact resolution (no repeat contact, no reopening within 7 days), first-response
and resolution times in hours (median, p90, p95: Hyndman–Fan type 7), and SLA adherence of first
responses within --sla-hours (tickets still inside the target at --as-of are pending, not counted).
--as-of defaults to 1 ms after the latest instant in the file. Invalid tickets are listed, not used.`;

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

export const serviceCommand: Command = {
  summary: "first-contact resolution, response/resolution times and SLA adherence from tickets",
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseOptions("service", args, {
      by: { type: "string" },
      "sla-hours": { type: "string" },
      "as-of": { type: "string" },
      json: { type: "boolean" },
    });
    const file = fileArgument("service", positionals, USAGE);
    const by = values.by;
    if (by !== undefined && by !== "channel" && by !== "priority")
      throw new CliError(`service: --by is "${by}"; expected channel or priority`);
    const hours = numberOption("service", "sla-hours", values["sla-hours"], 4);
    if (!(hours > 0)) throw new CliError("service: --sla-hours must be > 0");
    const tickets = loadKind<Ticket>(file, "tickets");
    let last = Number.NEGATIVE_INFINITY;
    for (const t of tickets)
      for (const d of [t.createdAt, t.firstResponseAt, t.resolvedAt, t.reopenedAt])
        if (d) last = Math.max(last, d.getTime());
    const asOf = new Date(asOfOption("service", values["as-of"], "UTC") ?? last + 1);
    const q = [0.5, 0.9, 0.95];
    const counts = new Map<string | null, number>();
    for (const t of tickets) {
      const k = by === undefined ? null : t[by];
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const keys = [...counts.keys()].sort((a, b) => String(a).localeCompare(String(b)));
    // Grouping through the library: issue-level FCR groups an issue by its first ticket.
    const pick = <R>(r: R | Map<string | null, R>, k: string | null): R | undefined =>
      r instanceof Map ? r.get(k) : r;
    const fcr =
      by === undefined
        ? firstContactResolution(tickets, { asOf })
        : firstContactResolution(tickets, { asOf, by });
    const frOpts = { measure: "firstResponse", unit: "hours", quantiles: q } as const;
    const fr = by === undefined ? responseTimes(tickets, frOpts) : responseTimes(tickets, { ...frOpts, by });
    const resOpts = { measure: "resolution", unit: "hours", quantiles: q } as const;
    const res =
      by === undefined ? responseTimes(tickets, resOpts) : responseTimes(tickets, { ...resOpts, by });
    const sla =
      by === undefined
        ? slaAdherence(tickets, { target: { hours }, asOf })
        : slaAdherence(tickets, { target: { hours }, asOf, by });
    const results = keys.map((k) => ({
      key: by === undefined ? "all" : (k ?? "(none)"),
      tickets: counts.get(k)!,
      fcr: pick(fcr, k)!,
      firstResponse: pick(fr, k)!,
      resolution: pick(res, k)!,
      sla: pick(sla, k)!,
    }));
    if (values.json) return printJson({ asOf: asOf.toISOString(), slaHours: hours, by: by ?? null, results });
    console.log(
      renderTable(
        [
          by ?? "Tickets",
          "n",
          "FCR",
          "1st resp. median h",
          "p90",
          "p95",
          "Resolution median h",
          "p90",
          `SLA ≤${hours}h`,
          "Met",
          "Breached",
          "Pending",
        ],
        results.map((r) => [
          r.key,
          r.tickets,
          pct(r.fcr.rate),
          num(r.firstResponse.median, 2),
          num(r.firstResponse.quantiles["0.9"], 2),
          num(r.firstResponse.quantiles["0.95"], 2),
          num(r.resolution.median, 2),
          num(r.resolution.quantiles["0.9"], 2),
          pct(r.sla.rate),
          r.sla.met,
          r.sla.breached,
          r.sla.pending,
        ]),
      ),
    );
    const invalid = results.flatMap((r) => r.firstResponse.invalid);
    if (invalid.length)
      console.log(
        `\n${invalid.length} invalid ticket(s) left out: ${invalid
          .slice(0, 10)
          .map((t) => `${t.ticketId} (${t.reasons.join(", ")})`)
          .join("; ")}${invalid.length > 10 ? " …" : ""}`,
      );
    return 0;
  },
};
