/** `cxmetrics retention`: customer retention, MRR movements and survival from subscriptions, or repeat purchase from orders. */
import type { Order } from "../../schemas/order.js";
import type { Subscription } from "../../schemas/subscription.js";
import {
  customerRetention,
  kaplanMeier,
  mrrMovements,
  repeatPurchase,
  subscriptionLifetimes,
} from "../../retention/index.js";
import { loadTable } from "../io.js";
import {
  asOfOption,
  fileArgument,
  parseOptions,
  periodOption,
  printJson,
  timeZoneOption,
} from "../report/args.js";
import { recogniseHeader, validateTable } from "../report/data.js";
import { CliError } from "../io.js";
import { num, renderTable } from "../table.js";
import type { Command } from "./types.js";

const USAGE = `Usage: cxmetrics retention <subscriptions.csv|orders.csv> [--period month] [--tz Europe/Berlin] [--as-of <instant>] [--json]

Subscriptions: customer retention and churn per period, MRR movements (new, expansion, reactivation,
contraction, churn; GRR, NRR) and the Kaplan–Meier survival of subscription lifetimes.
Orders: repeat-purchase rate, purchase frequency and average order value per period.
--as-of defaults to 1 ms after the latest instant in the file; periods ending after it are left out.`;

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

export const retentionCommand: Command = {
  summary: "customer retention, churn, MRR movements, survival (subscriptions) or repeat purchase (orders)",
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseOptions("retention", args, {
      period: { type: "string" },
      tz: { type: "string" },
      "as-of": { type: "string" },
      json: { type: "boolean" },
    });
    const file = fileArgument("retention", positionals, USAGE);
    const period = periodOption("retention", values.period);
    const timeZone = timeZoneOption("retention", values.tz);
    const table = loadTable(file);
    const kind = recogniseHeader(table.columns);
    if (kind === "orders") {
      const orders = validateTable(table, "orders") as Order[];
      const last = Math.max(...orders.map((o) => o.orderedAt.getTime()));
      const asOf = asOfOption("retention", values["as-of"], timeZone) ?? last + 1;
      const rp = repeatPurchase(orders, { period, timeZone, to: new Date(asOf - 1) });
      if (values.json) return printJson(rp);
      console.log(
        renderTable(
          ["Period", "Orders", "Buyers", "Repeat buyers", "Repeat rate", "Orders/buyer", "AOV"],
          [
            ...rp.periods.map((p) => [
              p.label,
              p.orders,
              p.buyers,
              p.repeatBuyers,
              pct(p.repeatPurchaseRate),
              num(p.purchaseFrequency, 2),
              p.averageOrderValue?.toFixed(2) ?? "—",
            ]),
            [
              "all",
              rp.total.orders,
              rp.total.buyers,
              rp.total.repeatBuyers,
              pct(rp.total.repeatPurchaseRate),
              num(rp.total.purchaseFrequency, 2),
              rp.total.averageOrderValue?.toFixed(2) ?? "—",
            ],
          ],
        ),
      );
      return 0;
    }
    if (kind !== "subscriptions") {
      throw new CliError(
        `retention: ${file} is neither subscriptions (customer_id, billing_interval, started_at, amount …) nor orders (customer_id, ordered_at, amount)`,
      );
    }
    const subs = validateTable(table, "subscriptions") as Subscription[];
    let last = Number.NEGATIVE_INFINITY;
    for (const s of subs) last = Math.max(last, s.startedAt.getTime(), s.endedAt?.getTime() ?? last);
    const asOf = asOfOption("retention", values["as-of"], timeZone) ?? last + 1;
    const window = { period, timeZone, asOf: new Date(asOf), to: new Date(asOf - 1) };
    const retention = customerRetention(subs, window).filter((r) => !r.incomplete);
    const mrr = mrrMovements(subs, window).filter((r) => !r.incomplete);
    const life = subscriptionLifetimes(subs, { asOf: new Date(asOf), unit: "month", spells: "first" });
    const km = life.n > 0 ? kaplanMeier(life) : null;
    const survival = km && {
      n: km.n,
      events: km.events,
      censored: km.censored,
      median: km.median,
      at: [6, 12, 24].map((t) => ({ months: t, ...km.at(t) })),
    };
    if (values.json) return printJson({ asOf: new Date(asOf).toISOString(), retention, mrr, survival });
    console.log(
      renderTable(
        ["Period", "Start", "New", "Reactivated", "Churned", "End", "Retention", "Churn"],
        retention.map((r) => [
          r.label,
          r.startingCustomers,
          r.newCustomers,
          r.reactivatedCustomers,
          r.churnedCustomers,
          r.endingCustomers,
          pct(r.retentionRate),
          pct(r.churnRate),
        ]),
      ),
    );
    console.log();
    console.log(
      renderTable(
        [
          "Period",
          "Start MRR",
          "New",
          "Expansion",
          "Reactivation",
          "Contraction",
          "Churn",
          "End MRR",
          "GRR",
          "NRR",
        ],
        mrr.map((m) => [
          m.label,
          m.startingMrr.toFixed(2),
          m.new.toFixed(2),
          m.expansion.toFixed(2),
          m.reactivation.toFixed(2),
          m.contraction.toFixed(2),
          m.churn.toFixed(2),
          m.endingMrr.toFixed(2),
          pct(m.grossRevenueRetention),
          pct(m.netRevenueRetention),
        ]),
      ),
    );
    if (survival) {
      console.log();
      console.log(
        `Survival (Kaplan–Meier, first lifetime per customer, ${survival.n} customers, ${survival.events} ended): ` +
          survival.at.map((p) => `${p.months} months ${pct(p.survival)}`).join(", ") +
          `; median ${survival.median.estimate === null ? "not reached" : `${num(survival.median.estimate)} months`}`,
      );
    }
    return 0;
  },
};
