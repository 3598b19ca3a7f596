/** The report's terminal summary: the scorecard table (status colours only on a TTY) and the headline numbers. */
import { scorecardToText } from "../../scorecard/index.js";
import { interval, num, renderTable } from "../table.js";
import type { ReportData } from "./compute.js";

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`;

/** Plain-text summary; `color` adds ANSI status colours (pass `process.stdout.isTTY`). */
export function reportSummary(data: ReportData, color: boolean): string {
  const out: string[] = [];
  const m = data.meta;
  out.push(
    `cxmetrics report — data as of ${m.asOf}; last complete ${m.period} ${m.lastComplete.label} (${m.timeZone})`,
  );
  if (data.scorecard && "evaluation" in data.scorecard) {
    out.push("", scorecardToText(data.scorecard.evaluation, { color }));
  } else if (data.scorecard) {
    out.push("", `scorecard not evaluated: ${data.scorecard.error}`);
  }
  const rows: (string | number | null)[][] = [];
  if (data.say) {
    const o = data.say.overall;
    rows.push(["NPS (points)", num(o.nps.score), interval(o.nps.ci), o.nps.n]);
    rows.push(["CSAT (% satisfied)", num(o.csat.score), interval(o.csat.ci), o.csat.n]);
    rows.push(["CES (1–7)", num(o.ces.score, 2), interval(o.ces.ci, 2), o.ces.n]);
  }
  const d = data.do;
  const lastRet = d?.retention?.[d.retention.length - 1];
  if (lastRet)
    rows.push([
      `Customer retention ${lastRet.label}`,
      pct(lastRet.retentionRate),
      "",
      lastRet.startingCustomers,
    ]);
  if (d?.mrr) rows.push([`Net revenue retention ${d.mrr.label}`, pct(d.mrr.netRevenueRetention), "", null]);
  if (d?.survival) rows.push(["Still subscribed at 12 months", pct(d.survival.at12), "", d.survival.n]);
  if (d?.repeatPurchase)
    rows.push([
      "Repeat purchase rate",
      pct(d.repeatPurchase.total.repeatPurchaseRate),
      "",
      d.repeatPurchase.total.buyers,
    ]);
  if (data.worth?.model)
    rows.push(["12-month CLV per customer", num(data.worth.model.mean, 2), "", data.worth.model.customers]);
  if (data.service) {
    rows.push(["First-contact resolution", pct(data.service.fcr.rate), "", data.service.fcr.resolved]);
    rows.push([
      "Median first response (h)",
      num(data.service.firstResponse.median, 2),
      "",
      data.service.firstResponse.n,
    ]);
    rows.push([
      `SLA ≤ ${data.service.sla.targetHours} h`,
      pct(data.service.sla.rate),
      "",
      data.service.sla.met + data.service.sla.breached,
    ]);
  }
  if (data.why) {
    const top = data.why.drivers[0];
    if (top) rows.push(["Top driver of NPS", top.name, `${pct(top.share)} of R²`, data.why.n]);
  }
  if (rows.length) out.push("", renderTable(["Measure", "Value", "95% CI / note", "n"], rows));
  for (const n of data.notes) out.push(`note: ${n}`);
  return out.join("\n");
}
