#!/usr/bin/env node
/**
 * Generates the bundled sample data in examples/data for a fictional SaaS company, "Northwind Cloud":
 * survey responses, subscriptions, orders and support tickets, in the same column layout as the
 * public reference data sets. Seeded: running it again gives byte-identical files.
 *
 *   node scripts/generate-sample-data.mjs
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "examples", "data");
mkdirSync(out, { recursive: true });

// mulberry32, seeded
let state = 20260301;
const rnd = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs, ws) => {
  const total = ws ? ws.reduce((a, b) => a + b, 0) : xs.length;
  let u = rnd() * total;
  for (let i = 0; i < xs.length; i++) {
    u -= ws ? ws[i] : 1;
    if (u < 0) return xs[i];
  }
  return xs[xs.length - 1];
};
const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));
const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
// Marsaglia–Tsang gamma sampler (shape k > 0, scale 1) and a beta sampler built on it.
const gamma = (k) => {
  if (k < 1) return gamma(k + 1) * rnd() ** (1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal();
    const v = (1 + c * z) ** 3;
    if (v > 0 && Math.log(1 - rnd()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
};
const beta = (a, b) => {
  const x = gamma(a);
  return x / (x + gamma(b));
};
const pad = (n, w = 2) => String(n).padStart(w, "0");
const DAY = 86400000;
const iso = (msIn, offsetMin = 0) => {
  const ms = Math.floor(msIn / 1000) * 1000;
  if (offsetMin === 0) return new Date(ms).toISOString().replace(".000Z", "Z");
  const d = new Date(ms + offsetMin * 60000);
  const sign = offsetMin >= 0 ? "+" : "-";
  const a = Math.abs(offsetMin);
  return `${d.toISOString().slice(0, 19)}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
};
const csv = (header, rows) => `${[header.join(","), ...rows.map((r) => r.join(","))].join("\n")}\n`;

// --- survey responses: 2026-01 .. 2026-06, segments with different loyalty ---
const segments = ["enterprise", "mid_market", "smb"];
const segmentLift = { enterprise: 0.6, mid_market: 0.1, smb: -0.4 };
const channels = ["email", "in_app", "phone", "web"];
const offsets = [0, 60, 120, -300, 330];
const start = Date.parse("2026-01-01T00:00:00Z");
const end = Date.parse("2026-07-01T00:00:00Z");
const responses = [];
for (let i = 1; i <= 2400; i++) {
  const seg = pick(segments, [2, 3, 5]);
  const t = start + Math.floor(rnd() * (end - start));
  const month = new Date(t).getUTCMonth();
  const drivers = {
    quality: clamp(Math.round(3.6 + 0.8 * normal()), 1, 5),
    support: clamp(Math.round(3.3 + 0.9 * normal() + 0.1 * month), 1, 5),
    value: clamp(Math.round(3.0 + 0.9 * normal()), 1, 5),
    ease: clamp(Math.round(3.4 + 0.9 * normal()), 1, 5),
    speed: clamp(Math.round(3.2 + 1.0 * normal()), 1, 5),
  };
  const latent =
    0.9 * (drivers.quality - 3) +
    0.7 * (drivers.support - 3) +
    0.4 * (drivers.value - 3) +
    0.5 * (drivers.ease - 3) +
    0.3 * (drivers.speed - 3) +
    segmentLift[seg] +
    0.8 * normal();
  const npsScore = clamp(Math.round(7.4 + 1.1 * latent), 0, 10);
  const csat = rnd() < 0.05 ? "" : clamp(Math.round(3.7 + 0.6 * latent), 1, 5);
  const ces =
    rnd() < 0.05
      ? ""
      : clamp(Math.round(4.8 + 0.5 * (drivers.ease - 3) + 0.4 * latent + 0.6 * normal()), 1, 7);
  responses.push({
    t,
    row: [
      `S${pad(i, 5)}`,
      iso(t, pick(offsets)),
      seg,
      pick(channels),
      npsScore,
      csat,
      ces,
      drivers.quality,
      drivers.support,
      drivers.value,
      drivers.ease,
      drivers.speed,
    ],
  });
}
responses.sort((a, b) => a.t - b.t);
writeFileSync(
  join(out, "responses.csv"),
  csv(
    [
      "response_id",
      "submitted_at",
      "segment",
      "channel",
      "nps",
      "csat",
      "ces",
      "driver_quality",
      "driver_support",
      "driver_value",
      "driver_ease",
      "driver_speed",
    ],
    responses.map((r) => r.row),
  ),
);

// --- subscriptions: 2025-01 .. 2026-06 starts, monthly and annual plans, trials, churn ---
const plans = [
  ["starter", "month", 49],
  ["growth", "month", 149],
  ["pro", "month", 399],
  ["growth", "year", 1490],
  ["pro", "year", 3990],
];
const acqChannels = ["organic", "paid_search", "partner", "outbound"];
const cac = { organic: 0, paid_search: 420, partner: 650, outbound: 1200 };
const subs = [];
const asOf = Date.parse("2026-07-01T00:00:00Z");
let subId = 0;
for (let c = 1; c <= 700; c++) {
  const seg = pick(segments, [1, 3, 6]);
  const chan = pick(acqChannels, [4, 3, 1, 2]);
  let t = Date.parse("2025-01-01T00:00:00Z") + Math.floor(rnd() * 540 * DAY);
  let planIdx =
    seg === "enterprise" ? pick([2, 4]) : seg === "mid_market" ? pick([1, 3, 2]) : pick([0, 1, 0]);
  let first = true;
  while (t < asOf) {
    const [plan, interval, price] = plans[planIdx];
    const trial = first && rnd() < 0.4 ? t + 14 * DAY : null;
    const monthlyChurn = seg === "enterprise" ? 0.01 : seg === "mid_market" ? 0.025 : 0.05;
    const months = Math.ceil(Math.log(1 - rnd()) / Math.log(1 - monthlyChurn));
    let stop = t + months * 30.44 * DAY + (trial ? 14 * DAY : 0);
    if (interval === "year") stop = t + Math.ceil(months / 12) * 365 * DAY + (trial ? 14 * DAY : 0);
    const changes = rnd() < 0.25 && stop > t + 90 * DAY;
    const ended = changes ? t + Math.floor((stop - t) * (0.3 + 0.5 * rnd())) : stop;
    const endStr = ended < asOf ? iso(ended) : "";
    subId++;
    subs.push([
      `sub_${pad(subId, 6)}`,
      `cus_${pad(c, 5)}`,
      seg,
      plan,
      interval,
      price.toFixed(2),
      "USD",
      iso(t),
      endStr,
      trial ? iso(trial) : "",
      chan,
      first ? cac[chan].toFixed(2) : "0.00",
    ]);
    first = false;
    if (ended >= asOf) break;
    if (changes) {
      // upgrade or downgrade: the next subscription starts the moment this one ends
      planIdx = clamp(planIdx + (rnd() < 0.7 ? 1 : -1), 0, plans.length - 1);
      t = ended;
    } else if (rnd() < 0.15) {
      t = ended + Math.floor((30 + rnd() * 150) * DAY); // reactivation after a gap
    } else break;
  }
}
writeFileSync(
  join(out, "subscriptions.csv"),
  csv(
    [
      "subscription_id",
      "customer_id",
      "segment",
      "plan",
      "billing_interval",
      "amount",
      "currency",
      "started_at",
      "ended_at",
      "trial_end",
      "acquisition_channel",
      "acquisition_cost",
    ],
    subs,
  ),
);

// --- orders: repeat purchases of a companion web shop, 2025-07 .. 2026-06 ---
const orders = [];
let orderId = 0;
for (let c = 1; c <= 1500; c++) {
  let t = Date.parse("2025-07-01T00:00:00Z") + Math.floor(rnd() * 365 * DAY);
  // BG/NBD-like: purchase rate ~ Gamma(r = 0.8, α = 60 days), dropout after each purchase ~ Beta(1.2, 6).
  const rate = gamma(0.8) / 60;
  const dropout = beta(1.2, 6);
  const basket = 25 + 120 * rnd();
  while (t < asOf) {
    orderId++;
    const amount = Math.max(5, basket * (0.6 + 0.8 * rnd()));
    orders.push({
      t,
      row: [`o_${pad(orderId, 6)}`, `c_${pad(c, 5)}`, iso(t, pick([0, -300, 60])), amount.toFixed(2)],
    });
    if (rnd() < dropout) break;
    t += Math.floor((-Math.log(1 - rnd()) / rate) * DAY);
  }
}
orders.sort((a, b) => a.t - b.t);
writeFileSync(
  join(out, "orders.csv"),
  csv(
    ["order_id", "customer_id", "ordered_at", "amount"],
    orders.map((o) => o.row),
  ),
);

// --- support tickets: 2026-01 .. 2026-06 ---
const tickets = [];
let ticketId = 0;
let issueId = 0;
const tChannels = ["chat", "email", "phone"];
const priorities = ["low", "normal", "high", "urgent"];
for (let k = 0; k < 1400; k++) {
  issueId++;
  let t = start + Math.floor(rnd() * (end - start - 10 * DAY));
  const ch = pick(tChannels, [5, 3, 2]);
  const prio = pick(priorities, [3, 5, 2, 1]);
  const speed = { chat: 0.2, email: 3, phone: 0.05 }[ch];
  const contacts = rnd() < 0.72 ? 1 : rnd() < 0.7 ? 2 : 3;
  const customer = `cus_${pad(1 + Math.floor(rnd() * 700), 5)}`;
  for (let j = 0; j < contacts; j++) {
    ticketId++;
    const unanswered = rnd() < 0.02 && t > end - 20 * DAY;
    const fr = unanswered ? null : t + Math.floor(speed * (0.2 + 2 * rnd()) * 3600000);
    const res = fr === null || rnd() < 0.03 ? null : fr + Math.floor((0.5 + 30 * rnd() * rnd()) * 3600000);
    const reopened =
      res !== null && j < contacts - 1 && rnd() < 0.5 ? res + Math.floor((0.2 + 4 * rnd()) * DAY) : null;
    tickets.push({
      t,
      row: [
        `T${pad(ticketId, 6)}`,
        customer,
        `ISS-${pad(issueId, 5)}`,
        ch,
        iso(t),
        fr === null ? "" : iso(fr),
        res === null ? "" : iso(res),
        reopened === null ? "" : iso(reopened),
        prio,
      ],
    });
    t = (reopened ?? res ?? t) + Math.floor((0.1 + 2 * rnd()) * DAY);
  }
}
tickets.sort((a, b) => a.t - b.t);
writeFileSync(
  join(out, "tickets.csv"),
  csv(
    [
      "ticket_id",
      "customer_id",
      "issue_id",
      "channel",
      "created_at",
      "first_response_at",
      "resolved_at",
      "reopened_at",
      "priority",
    ],
    tickets.map((x) => x.row),
  ),
);

console.log(
  `wrote ${responses.length} responses, ${subs.length} subscriptions, ${orders.length} orders, ${tickets.length} tickets to examples/data`,
);
