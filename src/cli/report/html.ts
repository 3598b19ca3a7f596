/**
 * The HTML report: one self-contained file (inline CSS, charts as inline SVG rendered at build
 * time, no script, no network at view time — a Content-Security-Policy forbids any fetch), laid
 * out for the screen and for print. Every piece of data is HTML-escaped.
 */
import type { MeasureEvaluation, ScorecardEvaluation } from "../../scorecard/index.js";
import {
  type ReportChart,
  type ReportData,
  type ScoreCell,
  type SectionId,
  formatActual,
} from "./compute.js";

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

const e = escapeHtml;
const dash = "—";
const fx = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? dash : x.toFixed(digits);
const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? dash : `${(x * 100).toFixed(digits)} %`;
const money = (s: string | number | null | undefined) => {
  if (s === null || s === undefined) return dash;
  const x = typeof s === "number" ? s : Number(s);
  return Number.isFinite(x)
    ? x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    : String(s);
};
const ci = (c: ScoreCell, digits = 1) =>
  c.ci ? `${fx(c.ci.lower, digits)} to ${fx(c.ci.upper, digits)}` : dash;

const STATUS_LABEL: Record<string, string> = {
  green: "on target",
  amber: "close",
  red: "off target",
  no_data: "no data",
};

function statusPill(status: string): string {
  return `<span class="pill s-${e(status)}">${e(STATUS_LABEL[status] ?? status)}</span>`;
}

function table(head: string[], rows: string[][], cls = ""): string {
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

function figure(c: ReportChart, svg: string): string {
  return `<figure class="chart" id="chart-${e(c.id)}" data-chart="${e(c.id)}" data-marks="${e(c.marks.join(" "))}">
<div class="svg" role="img" aria-label="${e(c.title)}">${svg}</div>
<figcaption>${e(c.caption)}</figcaption>
</figure>`;
}

function targetText(m: MeasureEvaluation): string {
  if (typeof m.target === "number") return formatActual(m.target, m.unit);
  return `${formatActual(m.target.min, m.unit)} to ${formatActual(m.target.max, m.unit)}`;
}

function scorecardSection(ev: ScorecardEvaluation, source: string): string {
  const rows: string[][] = [];
  for (const p of ev.perspectives)
    for (const o of p.objectives)
      o.measures.forEach((m, k) => {
        const change = m.change?.absolute;
        rows.push([
          k === 0
            ? `<strong>${e(o.statement)}</strong><br><span class="muted">${e(o.owner ?? "")}</span> ${statusPill(o.status)}`
            : "",
          e(m.name),
          m.actual === null ? dash : e(formatActual(m.actual, m.unit)),
          e(targetText(m)),
          statusPill(m.status),
          m.progress === null ? dash : `${Math.round(m.progress * 100)} %`,
          change === null || change === undefined
            ? dash
            : `${change > 0 ? "+" : ""}${e(formatActual(change, m.unit))}${m.change?.improved === true ? " ▲" : m.change?.improved === false ? " ▼" : ""}`,
          m.n === null ? dash : e(m.n),
        ]);
      });
  const s = ev.summary;
  return `<p class="lead">Overall ${statusPill(s.status)} — ${e(s.counts.green)} measure(s) on target, ${e(s.counts.amber)} close, ${e(s.counts.red)} off target, ${e(s.counts.no_data)} without data; period ${e(ev.period?.label ?? "")}, compared with ${e(ev.previousPeriod?.label ?? "the previous period")}. Scorecard: <em>${e(ev.scorecard.name)}</em> (${e(source)}).</p>
${table(["Objective (in the customer's words)", "Measure", "Actual", "Target", "Status", "Progress", "Change", "n"], rows, "scorecard")}
${ev.warnings.length ? `<ul class="notes">${ev.warnings.map((w) => `<li>${e(w.message)}</li>`).join("")}</ul>` : ""}`;
}

const SECTIONS: { id: SectionId; title: string; intro: string }[] = [
  {
    id: "scorecard",
    title: "Scorecard",
    intro: "How we are doing against the targets we set, objective by objective.",
  },
  {
    id: "say",
    title: "What customers say",
    intro: "Survey answers: would they recommend us, are they satisfied, was it easy.",
  },
  {
    id: "do",
    title: "What customers do",
    intro: "Whether they stay, what they pay, and whether they come back.",
  },
  { id: "worth", title: "What they are worth", intro: "Expected future value of the customer base." },
  {
    id: "service",
    title: "How service treats them",
    intro: "Support tickets: solved at first contact, how fast, within the promised time.",
  },
  {
    id: "why",
    title: "Why",
    intro: "Which experiences move the likelihood to recommend, and where to act first.",
  },
];

/** Render the report to one HTML document; `svgs` holds each chart's rendered SVG by id. */
export function renderHtml(
  data: ReportData,
  charts: readonly ReportChart[],
  svgs: ReadonlyMap<string, string>,
): string {
  const figs = (section: SectionId) =>
    charts
      .filter((c) => c.section === section)
      .map((c) => figure(c, svgs.get(c.id) ?? ""))
      .join("\n");
  const body: Record<SectionId, string> = { scorecard: "", say: "", do: "", worth: "", service: "", why: "" };

  if (data.scorecard && "evaluation" in data.scorecard)
    body.scorecard = `${scorecardSection(data.scorecard.evaluation, data.scorecard.source)}<div class="charts">${figs("scorecard")}</div>`;
  else if (data.scorecard)
    body.scorecard = `<p class="muted">The scorecard (${e(data.scorecard.source)}) could not be evaluated: ${e(data.scorecard.error)}</p>`;

  if (data.say) {
    const s = data.say;
    const o = s.overall;
    body.say = `<div class="kpis">
<div class="kpi"><span class="k">NPS</span><span class="v">${fx(o.nps.score)}</span><span class="c">95 % CI ${ci(o.nps)} · n = ${o.nps.n}</span></div>
<div class="kpi"><span class="k">CSAT</span><span class="v">${fx(o.csat.score)} %</span><span class="c">satisfied (4–5 of 5) · CI ${ci(o.csat)} · n = ${o.csat.n}</span></div>
<div class="kpi"><span class="k">CES</span><span class="v">${fx(o.ces.score, 2)}</span><span class="c">of 7, higher = easier · CI ${ci(o.ces, 2)} · n = ${o.ces.n}</span></div>
</div>
<div class="charts">${figs("say")}</div>
<h3>By segment</h3>
${table(
  ["Segment", "NPS", "95 % CI", "CSAT %", "CES", "Responses"],
  s.bySegment.map((r) => [
    e(r.segment),
    fx(r.nps.score),
    ci(r.nps),
    fx(r.csat.score),
    fx(r.ces.score, 2),
    e(r.nps.n),
  ]),
  "num",
)}
<h3>By ${e(data.meta.period)}</h3>
${table(
  ["Period", "NPS", "95 % CI", "CSAT %", "CES", "Responses"],
  s.byPeriod.map((r) => [
    `${e(r.label)}${r.partial ? ' <span class="muted">(partial)</span>' : ""}`,
    fx(r.nps.score),
    ci(r.nps),
    fx(r.csat.score),
    fx(r.ces.score, 2),
    e(r.nps.n),
  ]),
  "num",
)}`;
  }

  if (data.do) {
    const d = data.do;
    const parts: string[] = [];
    if (d.retention?.length) {
      const last = d.retention[d.retention.length - 1]!;
      parts.push(`<div class="kpis">
<div class="kpi"><span class="k">Customer retention, ${e(last.label)}</span><span class="v">${pct(last.retentionRate)}</span><span class="c">(E − N)/S · ${e(last.startingCustomers)} customers at the start</span></div>
<div class="kpi"><span class="k">Churn, ${e(last.label)}</span><span class="v">${pct(last.churnRate)}</span><span class="c">${e(last.churnedCustomers)} customers lost</span></div>
${d.mrr ? `<div class="kpi"><span class="k">Net revenue retention, ${e(d.mrr.label)}</span><span class="v">${pct(d.mrr.netRevenueRetention)}</span><span class="c">gross ${pct(d.mrr.grossRevenueRetention)} · MRR ${money(d.mrr.endingMrr)}</span></div>` : ""}
${d.survival ? `<div class="kpi"><span class="k">Still subscribed after 12 months</span><span class="v">${pct(d.survival.at12)}</span><span class="c">Kaplan–Meier · median lifetime ${d.survival.median === null ? "not reached" : `${fx(d.survival.median)} months`}</span></div>` : ""}
${d.repeatPurchase ? `<div class="kpi"><span class="k">Repeat purchase</span><span class="v">${pct(d.repeatPurchase.total.repeatPurchaseRate)}</span><span class="c">of ${e(d.repeatPurchase.total.buyers)} buyers ordered twice or more · AOV ${money(d.repeatPurchase.total.averageOrderValue)}</span></div>` : ""}
</div>`);
    } else if (d.repeatPurchase) {
      parts.push(
        `<div class="kpis"><div class="kpi"><span class="k">Repeat purchase</span><span class="v">${pct(d.repeatPurchase.total.repeatPurchaseRate)}</span><span class="c">of ${e(d.repeatPurchase.total.buyers)} buyers</span></div></div>`,
      );
    }
    parts.push(`<div class="charts">${figs("do")}</div>`);
    if (d.mrr) {
      const m = d.mrr;
      parts.push(
        `<h3>MRR movements, ${e(m.label)}</h3>${table(
          [
            "Starting MRR",
            "+ new",
            "+ expansion",
            "+ reactivation",
            "− contraction",
            "− churn",
            "Ending MRR",
            "Quick ratio",
          ],
          [
            [
              money(m.startingMrr),
              money(m.new),
              money(m.expansion),
              money(m.reactivation),
              money(m.contraction),
              money(m.churn),
              money(m.endingMrr),
              fx(m.quickRatio, 2),
            ],
          ],
          "num",
        )}`,
      );
    }
    if (d.retention?.length) {
      parts.push(
        `<h3>Customers by ${e(data.meta.period)}</h3>${table(
          ["Period", "Start", "New", "Churned", "End", "Retention", "Churn"],
          d.retention.map((r) => [
            e(r.label),
            e(r.startingCustomers),
            e(r.newCustomers),
            e(r.churnedCustomers),
            e(r.endingCustomers),
            pct(r.retentionRate),
            pct(r.churnRate),
          ]),
          "num",
        )}`,
      );
    }
    body.do = parts.join("\n");
  }

  if (data.worth) {
    const w = data.worth;
    const parts: string[] = [];
    if (w.model) {
      const m = w.model;
      parts.push(`<div class="kpis">
<div class="kpi"><span class="k">Expected value, next ${e(m.horizonMonths)} months</span><span class="v">${money(m.total)}</span><span class="c">all ${e(m.customers)} buyers · ${money(m.mean)} per customer</span></div>
<div class="kpi"><span class="k">Mean spend per order (Gamma-Gamma)</span><span class="v">${money(m.gammaGamma.meanSpend)}</span><span class="c">p = ${fx(m.gammaGamma.p, 2)}, q = ${fx(m.gammaGamma.q, 2)}, v = ${fx(m.gammaGamma.v, 2)}</span></div>
</div>
<p>Purchases are modelled with BG/NBD (Fader, Hardie &amp; Lee 2005; r = ${fx(m.bgNbd.r, 3)}, α = ${fx(m.bgNbd.alpha, 3)}, a = ${e(m.bgNbd.a.toPrecision(4))}, b = ${e(m.bgNbd.b.toPrecision(4))}, weekly time unit) and spend per order with Gamma-Gamma (Fader &amp; Hardie 2013), fitted on every order up to the as-of date; values discounted at ${fx(m.monthlyDiscountRate * 100)} % a month. Statistical models in float64.</p>
<div class="charts">${figs("worth")}</div>
<h3>Most valuable customers</h3>
${table(
  ["Customer", "Expected value", "Expected purchases", "Expected spend per order"],
  m.top.map((t) => [e(t.customerId), money(t.value), fx(t.expectedPurchases, 2), money(t.expectedSpend)]),
  "num",
)}
${m.notes.length ? `<ul class="notes">${m.notes.map((n) => `<li>${e(n)}</li>`).join("")}</ul>` : ""}`);
    }
    if (w.formula) {
      const f = w.formula;
      parts.push(`<h3>Formula CLV of a subscriber</h3>
<p>From the average MRR per customer (${money(f.inputs.monthlyMarginPerCustomer)} a month, taken as the margin), the monthly customer retention rate of the last complete period (${pct(f.inputs.monthlyRetentionRate)}) and ${fx(f.inputs.monthlyDiscountRate * 100)} % monthly discount rate:</p>
${table(
  ["Variant", "Formula", "Value"],
  f.variants.map((v) => [e(v.variant), `<code>${e(v.formula)}</code>`, money(v.value)]),
  "num",
)}`);
    }
    if (w.notes.length)
      parts.push(`<ul class="notes">${w.notes.map((n) => `<li>${e(n)}</li>`).join("")}</ul>`);
    body.worth = parts.join("\n");
  }

  if (data.service) {
    const s = data.service;
    body.service = `<div class="kpis">
<div class="kpi"><span class="k">First-contact resolution</span><span class="v">${pct(s.fcr.rate)}</span><span class="c">${e(s.fcr.resolvedFirstContact)} of ${e(s.fcr.resolved)} resolved issues, no repeat contact or reopening within 7 days</span></div>
<div class="kpi"><span class="k">Median first response</span><span class="v">${fx(s.firstResponse.median, 2)} h</span><span class="c">90 % within ${fx(s.firstResponse.p90, 1)} h · ${e(s.firstResponse.unanswered)} unanswered</span></div>
<div class="kpi"><span class="k">Median resolution</span><span class="v">${fx(s.resolution.median, 1)} h</span><span class="c">90 % within ${fx(s.resolution.p90, 1)} h · ${e(s.resolution.unanswered)} open</span></div>
<div class="kpi"><span class="k">SLA: answered within ${e(s.sla.targetHours)} h</span><span class="v">${pct(s.sla.rate)}</span><span class="c">${e(s.sla.met)} met · ${e(s.sla.breached)} breached · ${e(s.sla.pending)} pending</span></div>
</div>
<div class="charts">${figs("service")}</div>
<h3>By channel</h3>
${table(
  ["Channel", "Tickets", "FCR", "Median first response (h)", "SLA met"],
  s.byChannel.map((c) => [e(c.channel), e(c.tickets), pct(c.fcr), fx(c.medianFirstResponse, 2), pct(c.sla)]),
  "num",
)}
${s.invalidTickets.length ? `<p class="muted">Invalid tickets left out (first ${s.invalidTickets.length}): ${s.invalidTickets.map((t) => `${e(t.id)} (${e(t.reasons.join(", "))})`).join("; ")}</p>` : ""}`;
  }

  if (data.why) {
    const w = data.why;
    body.why = `<p>Key-driver analysis of <em>${e(w.outcome)}</em> on ${e(w.n)} complete responses: the drivers together explain R² = ${fx(w.r2 * 100)} % of its variance (adjusted ${w.adjustedR2 === null ? dash : `${fx(w.adjustedR2 * 100)} %`}). Importance is each driver's LMG share of R² (Shapley value; Lindeman, Merenda &amp; Gold 1980), which does not depend on the order the drivers enter.</p>
<div class="charts">${figs("why")}</div>
${table(
  ["Rank", "Driver", "Share of R²", "Std. β", "r", "p", "Mean rating", "Quadrant"],
  w.drivers.map((d) => [
    e(d.rank),
    e(d.name),
    pct(d.share),
    fx(d.standardizedBeta, 3),
    fx(d.pearson, 3),
    d.pValue === null ? dash : d.pValue < 0.001 ? "&lt; 0.001" : fx(d.pValue, 3),
    fx(d.performance, 2),
    `<span class="q q-${e(d.quadrant.replace(/\s+/g, "-"))}">${e(d.quadrant)}</span>`,
  ]),
  "num",
)}`;
  }

  const m = data.meta;
  const files = Object.entries(m.files)
    .map(([k, f]) => `${e(k)}: <code>${e(f)}</code>`)
    .join(", ");
  const sections = SECTIONS.filter((s) => body[s.id] !== "");
  const missing = SECTIONS.filter((s) => body[s.id] === "" && s.id !== "scorecard").map((s) =>
    s.title.toLowerCase(),
  );

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="cxmetrics report">
<title>${e(m.title)} — cxmetrics report</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${e(m.title)}</h1>
<p class="meta">Data as of <strong>${e(m.asOf)}</strong> · periods: ${e(m.period)} in ${e(m.timeZone)} · last complete ${e(m.period)}: ${e(m.lastComplete.label)} · files (${e(m.dataDir)}): ${files}${m.skipped.length ? ` · skipped: ${m.skipped.map((s) => `<code>${e(s.file)}</code>`).join(", ")}` : ""}</p>
<nav>${sections.map((s) => `<a href="#${s.id}">${e(s.title)}</a>`).join(" ")}</nav>
</header>
<main>
${sections.map((s) => `<section id="${s.id}"><h2>${e(s.title)}</h2><p class="intro">${e(s.intro)}</p>\n${body[s.id]}\n</section>`).join("\n")}
${missing.length ? `<p class="muted">Not in this report (no matching file in the data directory): ${e(missing.join(", "))}.</p>` : ""}
${data.notes.length ? `<section id="notes"><h2>Notes</h2><ul class="notes">${data.notes.map((n) => `<li>${e(n)}</li>`).join("")}</ul></section>` : ""}
</main>
<footer><p>Generated by <code>cxmetrics report</code> at ${e(m.generatedAt)}. Definitions and formulas: see the cxmetrics docs (docs/report.md and the domain guides). Intervals are 95 %.</p></footer>
</body>
</html>
`;
}

const CSS = `
:root { --ink: #1b1f24; --muted: #5b6470; --rule: #d8dde3; --bg: #ffffff; --panel: #f5f7f9;
  --green: #009E73; --amber: #E69F00; --red: #D55E00; --grey: #999999; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header, main, footer { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; border-bottom: 1px solid var(--rule); }
h1 { margin: 0 0 4px; font-size: 28px; }
h2 { margin: 32px 0 4px; font-size: 22px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
h3 { margin: 20px 0 8px; font-size: 16px; }
.meta, .muted, .intro, figcaption, footer { color: var(--muted); }
.intro { margin-top: 0; }
nav { display: flex; flex-wrap: wrap; gap: 12px; padding: 8px 0 12px; }
nav a { color: #0057a3; text-decoration: none; font-weight: 600; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin: 12px 0; }
.kpi { background: var(--panel); border-radius: 8px; padding: 12px 14px; display: flex; flex-direction: column; }
.kpi .k { font-size: 13px; color: var(--muted); }
.kpi .v { font-size: 26px; font-weight: 700; }
.kpi .c { font-size: 12px; color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
figure.chart { margin: 8px 0; padding: 8px; border: 1px solid var(--rule); border-radius: 8px; max-width: 100%; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 12px; max-width: 560px; margin-top: 4px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
table.num td:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; }
table.scorecard td:first-child { max-width: 280px; }
.pill { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; white-space: nowrap; }
.s-green { background: var(--green); } .s-amber { background: var(--amber); color: #1b1f24; } .s-red { background: var(--red); } .s-no_data { background: var(--grey); }
.q { font-weight: 600; } .q-concentrate-here { color: var(--red); } .q-keep-up { color: var(--green); } .q-possible-overkill { color: #0072B2; } .q-low-priority { color: var(--muted); }
.lead { font-size: 15px; }
.notes { font-size: 13px; color: var(--muted); }
code { font-size: 12px; }
footer { margin: 32px auto; border-top: 1px solid var(--rule); font-size: 12px; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 11pt; }
  header, main, footer { max-width: none; padding: 0; }
  nav { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section { break-before: page; }
  section:first-of-type { break-before: auto; }
  figure.chart, .kpis, table, tr { break-inside: avoid; }
  figure.chart { border: none; overflow: visible; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; }
}
`;
