// What customers are worth: RFM summary of the orders, the Gamma-Gamma spend model, the BG/NBD
// purchase model's parameters, and textbook formula CLV.
// Node: `npm run build && node examples/clv.mjs`; Deno: `deno run --allow-read --config deno.json examples/clv.mjs`.
import { clvFormula, fitBgNbd, fitGammaGamma, rfmSummary } from "cxmetrics/clv";
import { parseOrders } from "cxmetrics/schemas";
import { sampleData } from "./sample-data.mjs";

const orders = parseOrders(sampleData("orders"));
const summary = rfmSummary(
  orders.map((o) => ({ customerId: o.customerId, at: o.orderedAt, amount: o.amount })),
  { calibrationEnd: "2026-06-30", timeUnit: "week", timeZone: "Europe/Berlin" },
);
const repeat = summary.filter((c) => c.frequency > 0);
console.log(`${summary.length} customers, ${repeat.length} with repeat purchases`);

const spend = fitGammaGamma(summary);
console.log(
  `Gamma-Gamma p = ${spend.params.p.toFixed(3)}, q = ${spend.params.q.toFixed(3)}, v = ${spend.params.v.toFixed(2)}; mean spend per order ${spend.populationMeanValue.toFixed(2)}`,
);
const c = repeat[0];
console.log(
  `customer ${c.customerId}: ${c.frequency} repeat purchases averaging ${c.monetaryValue.toFixed(2)} → expected ${spend.conditionalExpectedValue(c).toFixed(2)} per future order`,
);

const purchases = fitBgNbd(summary);
const { r, alpha, a, b } = purchases.params;
console.log(
  `BG/NBD r = ${r.toFixed(3)}, alpha = ${alpha.toFixed(3)}, mean dropout probability per purchase a/(a+b) = ${(a / (a + b)).toFixed(3)}`,
);

// Formula CLV of a subscriber paying 49 a month, 97 % monthly retention, 1 % monthly discount rate.
for (const variant of ["marginMultiple", "initialMargin"]) {
  const v = clvFormula({ margin: "49.00", retentionRate: 0.97, discountRate: 0.01, variant });
  console.log(`${variant.padEnd(15)} ${v.formula.padEnd(18)} ${v.value.toFixed(2)}`);
}
