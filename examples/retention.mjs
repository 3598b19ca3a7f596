// What customers do: customer retention and churn by month, MRR movements, cohorts, survival.
// Node: `npm run build && node examples/retention.mjs`; Deno: `deno run --allow-read --config deno.json examples/retention.mjs`.
import { parseSubscriptions } from "cxmetrics/schemas";
import {
  cohortRetention,
  customerRetention,
  kaplanMeier,
  mrrMovements,
  subscriptionLifetimes,
} from "cxmetrics/retention";
import { sampleData } from "./sample-data.mjs";

const subscriptions = parseSubscriptions(sampleData("subscriptions"));
const window = {
  period: "month",
  timeZone: "Europe/Berlin",
  asOf: "2026-07-01T00:00:00+02:00",
  to: "2026-06-30T00:00:00+02:00",
};

for (const m of customerRetention(subscriptions, window).slice(-3)) {
  console.log(
    `${m.label}: ${m.startingCustomers} customers at the start, ${m.newCustomers} new, ${m.churnedCustomers} churned; retention ${(m.retentionRate * 100).toFixed(1)}%, churn ${(m.churnRate * 100).toFixed(1)}%`,
  );
}

const june = mrrMovements(subscriptions, window).at(-1);
console.log(
  `${june.label} MRR ${june.startingMrr.toFixed(2)} → ${june.endingMrr.toFixed(2)}: +${june.new.toFixed(2)} new, +${june.expansion.toFixed(2)} expansion, −${june.contraction.toFixed(2)} contraction, −${june.churn.toFixed(2)} churn; NRR ${(june.netRevenueRetention * 100).toFixed(1)}%`,
);

const cohorts = cohortRetention(subscriptions, {
  period: "month",
  timeZone: "Europe/Berlin",
  horizon: 6,
  asOf: window.asOf,
});
const first = cohorts.rows[0];
console.log(
  `cohort ${first.cohort} (${first.size} customers): ${first.share.map((s) => (s === null ? "—" : `${Math.round(s * 100)}%`)).join(" ")}`,
);

const km = kaplanMeier(
  subscriptionLifetimes(subscriptions, { asOf: window.asOf, unit: "month", spells: "first" }),
);
const year = km.at(12);
console.log(
  `still subscribed after 12 months: ${(year.survival * 100).toFixed(1)}% [${(year.lower * 100).toFixed(1)}, ${(year.upper * 100).toFixed(1)}] (Kaplan–Meier, n = ${km.n})`,
);
