// How service treats customers: first-contact resolution, response times, SLA adherence by channel.
// Node: `npm run build && node examples/service.mjs`; Deno: `deno run --allow-read --config deno.json examples/service.mjs`.
import { parseTickets } from "cxmetrics/schemas";
import { firstContactResolution, responseTimes, slaAdherence } from "cxmetrics/service";
import { sampleData } from "./sample-data.mjs";

const tickets = parseTickets(sampleData("tickets"));
const asOf = "2026-07-01T00:00:00Z";

const fcr = firstContactResolution(tickets, { level: "issue", reopenWindow: { days: 7 }, asOf });
console.log(
  `first-contact resolution ${(fcr.rate * 100).toFixed(1)}% (${fcr.resolvedFirstContact} of ${fcr.resolved} resolved issues)`,
);

const first = responseTimes(tickets, { measure: "firstResponse", unit: "hours", quantiles: [0.5, 0.9] });
console.log(
  `first response: median ${first.median.toFixed(2)} h, 90% within ${first.quantiles["0.9"].toFixed(2)} h (n = ${first.n})`,
);

const sla = slaAdherence(tickets, { target: { hours: 4 }, asOf, by: "channel" });
for (const [channel, s] of sla)
  console.log(
    `  ${String(channel).padEnd(6)} answered within 4 h: ${(s.rate * 100).toFixed(1)}% (${s.met} met, ${s.breached} breached)`,
  );
