/** `cxmetrics clv`: model-based customer lifetime value (BG/NBD × Gamma-Gamma) from an order log. */
import type { Order } from "../../schemas/order.js";
import { loadKind } from "../report/data.js";
import { asOfOption, fileArgument, parseOptions, printJson, timeZoneOption } from "../report/args.js";
import { modelClv } from "../report/compute.js";
import { num, renderTable } from "../table.js";
import type { Command } from "./types.js";

const USAGE = `Usage: cxmetrics clv <orders.csv> [--tz Europe/Berlin] [--as-of <instant>] [--json]

Summarises the orders per customer (frequency, recency, T in weeks; purchases merged by calendar day
in --tz), fits the BG/NBD purchase model and the Gamma-Gamma spend model, and values each customer
over the next 12 months at a 1 % monthly discount rate. --as-of (default: 1 ms after the last order)
ends the calibration period.`;

export const clvCommand: Command = {
  summary: "customer lifetime value from orders (BG/NBD purchases × Gamma-Gamma spend)",
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseOptions("clv", args, {
      tz: { type: "string" },
      "as-of": { type: "string" },
      json: { type: "boolean" },
    });
    const file = fileArgument("clv", positionals, USAGE);
    const timeZone = timeZoneOption("clv", values.tz);
    const orders = loadKind<Order>(file, "orders");
    const last = orders.reduce((m, o) => Math.max(m, o.orderedAt.getTime()), Number.NEGATIVE_INFINITY);
    const asOf = asOfOption("clv", values["as-of"], timeZone) ?? last + 1;
    const model = modelClv(orders, asOf, timeZone);
    if (values.json) return printJson({ asOf: new Date(asOf).toISOString(), ...model });
    const p = model.bgNbd;
    const g = model.gammaGamma;
    console.log(
      `BG/NBD (weeks): r = ${num(p.r, 4)}, alpha = ${num(p.alpha, 4)}, a = ${p.a.toPrecision(4)}, b = ${p.b.toPrecision(4)}, log-likelihood ${num(p.logLikelihood, 2)}`,
    );
    console.log(
      `Gamma-Gamma: p = ${num(g.p, 4)}, q = ${num(g.q, 4)}, v = ${num(g.v, 4)}, mean spend per order ${num(g.meanSpend, 2)}`,
    );
    console.log(
      `${model.customers} customers (${model.repeatBuyers} repeat buyers); expected value over ${model.horizonMonths} months: total ${num(model.total, 2)}, mean ${num(model.mean, 2)}`,
    );
    console.log();
    console.log(
      renderTable(
        ["Decile", "Mean value"],
        model.deciles.map((d) => [d.decile, num(d.mean, 2)]),
      ),
    );
    console.log();
    console.log(
      renderTable(
        ["Customer", "Value", "Purchases", "Spend/order"],
        model.top.map((t) => [
          t.customerId,
          num(t.value, 2),
          num(t.expectedPurchases, 2),
          num(t.expectedSpend, 2),
        ]),
      ),
    );
    for (const n of model.notes) console.log(`note: ${n}`);
    return 0;
  },
};
