/**
 * Repeat purchase on ../shared/data/orders/orders.csv against ../shared/reference/retention.json
 * (`orders` section, made by shared/reference/retention_reference.py with exact rationals).
 * Tolerances: counts exact; rates exact float64 (both sides are the correctly rounded ratio of two
 * integers); money |diff| ≤ 1e-9 (the reference prints 12 fraction digits, half-even).
 * Time-zone dependent: re-run under TZ=America/New_York and TZ=Asia/Kolkata; results must not change.
 */
import { expect, it } from "vitest";
import { periodLabel } from "../../src/core/time.js";
import { Decimal } from "../../src/core/money.js";
import { type RepeatPurchaseSummary, repeatPurchase } from "../../src/retention/repeat-purchase.js";
import { parseOrders } from "../../src/schemas/order.js";
import { describeShared, parseCsv, readShared, readSharedJson } from "../helpers/shared.js";

interface RefSummary {
  orders: number;
  buyers: number;
  repeat_buyers: number;
  repeat_purchase_rate: number | null;
  purchase_frequency: number | null;
  revenue: string;
  aov: string | null;
}
interface RefZone {
  monthly: (RefSummary & { month: string })[];
  window: RefSummary;
  orders_outside_window: number;
}
interface RefOrders {
  rows: number;
  UTC: RefZone;
  "America/New_York": RefZone;
  all_rows: RefSummary;
  moved_rows: { order_id: string; utc_month: string; new_york_month: string }[];
  moved_rows_count: number;
}

function expectSummary(got: RepeatPurchaseSummary, ref: RefSummary, where: string) {
  expect(got.orders, where).toBe(ref.orders);
  expect(got.buyers, where).toBe(ref.buyers);
  expect(got.repeatBuyers, where).toBe(ref.repeat_buyers);
  expect(got.repeatPurchaseRate, where).toBe(ref.repeat_purchase_rate);
  expect(got.purchaseFrequency, where).toBe(ref.purchase_frequency);
  expect(got.revenue.minus(ref.revenue).abs().toNumber(), where).toBeLessThanOrEqual(1e-9);
  if (ref.aov === null) expect(got.averageOrderValue, where).toBeNull();
  else
    expect(got.averageOrderValue!.minus(new Decimal(ref.aov)).abs().toNumber(), where).toBeLessThanOrEqual(
      1e-9,
    );
}

describeShared("repeatPurchase: shared orders reference (UTC and America/New_York)", () => {
  const ref = readSharedJson<{ orders: RefOrders }>("reference", "retention.json").orders;
  const orders = parseOrders(parseCsv(readShared("data", "orders", "orders.csv")));

  it("parses every row", () => {
    expect(orders.length).toBe(ref.rows);
  });

  for (const zone of ["UTC", "America/New_York"] as const) {
    it(`monthly and window figures in ${zone}`, () => {
      const r = repeatPurchase(orders, {
        period: "month",
        timeZone: zone,
        from: "2025-01-01",
        to: "2026-06-30",
      });
      const z = ref[zone];
      expect(r.periods.map((p) => p.label)).toEqual(z.monthly.map((m) => m.month));
      for (const [k, p] of r.periods.entries()) expectSummary(p, z.monthly[k]!, `${zone} ${p.label}`);
      expectSummary(r.total, z.window, `${zone} window`);
      expect(r.excluded.outsideWindow).toBe(z.orders_outside_window);
    });
  }

  it("all rows, zone-free", () => {
    const r = repeatPurchase(orders, { period: "year" });
    expectSummary(r.total, ref.all_rows, "all rows");
    expect(r.excluded.outsideWindow).toBe(0);
  });

  it("the rows that change month between UTC and New York are the reference's", () => {
    const ny = { timeZone: "America/New_York" };
    const moved = orders
      .filter(
        (o) =>
          periodLabel(o.orderedAt.getTime(), "month") !== periodLabel(o.orderedAt.getTime(), "month", ny),
      )
      .map((o) => o.orderId);
    expect(moved.length).toBe(ref.moved_rows_count);
    expect(moved).toEqual(ref.moved_rows.map((m) => m.order_id));
  });
});

it("boundary orders: exactly New York's March start is March there, February in UTC is not", () => {
  const orders = parseOrders([
    { customerId: "a", orderedAt: "2025-02-28T23:30:00-05:00", amount: "10.00" },
    { customerId: "a", orderedAt: "2025-03-01T00:00:00-05:00", amount: "20.00" },
    { customerId: "b", orderedAt: "2026-01-01T04:59:59.999Z", amount: "5.00" },
  ]);
  const ny = repeatPurchase(orders, { timeZone: "America/New_York", from: "2025-02-01", to: "2026-01-31" });
  const utc = repeatPurchase(orders, { timeZone: "UTC", from: "2025-02-01", to: "2026-01-31" });
  const get = (r: typeof ny, label: string) => r.periods.find((p) => p.label === label)!;
  expect(get(ny, "2025-02").orders).toBe(1);
  expect(get(ny, "2025-03").orders).toBe(1);
  expect(get(utc, "2025-03").repeatBuyers).toBe(1);
  expect(get(ny, "2025-12").orders).toBe(1);
  expect(get(utc, "2026-01").orders).toBe(1);
  expect(ny.periods[0]!.start.toISOString()).toBe("2025-02-01T05:00:00.000Z");
});
