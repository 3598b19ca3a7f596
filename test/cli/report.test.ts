import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nps } from "../../src/survey/index.js";
import { parseSurveyResponses } from "../../src/schemas/index.js";
import { loadTable } from "../../src/cli/io.js";
import { columnOf, recogniseHeader } from "../../src/cli/report/data.js";
import { escapeHtml } from "../../src/cli/report/html.js";
import { ROOT, runCli, type CliRun } from "./run-cli.js";

const DATA = join(ROOT, "examples/data");
const tmp = mkdtempSync(join(tmpdir(), "cxmetrics-report-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The <figure class="chart"> elements of a report: id, expected marks, inner SVG. */
function figures(html: string): { id: string; marks: string[]; svg: string }[] {
  const out = [];
  const re =
    /<figure class="chart" id="chart-([^"]+)" data-chart="[^"]+" data-marks="([^"]*)">([\s\S]*?)<\/figure>/g;
  for (const m of html.matchAll(re)) out.push({ id: m[1]!, marks: m[2]!.split(" "), svg: m[3]! });
  return out;
}

function copyData(
  to: string,
  files = ["responses.csv", "subscriptions.csv", "orders.csv", "tickets.csv"],
): void {
  for (const f of files) copyFileSync(join(DATA, f), join(to, f));
}

describe("cxmetrics report on the sample data", () => {
  let run: CliRun;
  let html: string;
  // biome-ignore lint/suspicious/noExplicitAny: the report JSON is read loosely
  let json: Record<string, any>;
  const out = join(tmp, "full");

  beforeAll(async () => {
    rmSync(out, { recursive: true, force: true });
    readdirSync(tmp); // tmp exists
    await import("node:fs").then((fs) => fs.mkdirSync(out));
    run = await runCli([
      "report",
      "--data",
      DATA,
      "--tz",
      "Europe/Berlin",
      "--out",
      join(out, "report.html"),
      "--json",
      join(out, "report.json"),
    ]);
    html = existsSync(join(out, "report.html")) ? readFileSync(join(out, "report.html"), "utf8") : "";
    json = existsSync(join(out, "report.json"))
      ? JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
      : {};
  }, 60_000);

  it("exits 0, prints a plain summary and where the report is", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Report written to");
    expect(run.stdout).toContain("Net Promoter Score");
    expect(run.stdout.includes("\u001b[")).toBe(false); // no colours when stdout is not a terminal
  });

  it("writes one self-contained HTML file with every section", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    for (const id of ["scorecard", "say", "do", "worth", "service", "why"])
      expect(html.includes(`<section id="${id}">`), id).toBe(true);
    // nothing to load: no script, stylesheet, image, frame or external url(...)
    expect(/<script|<link|<img|<iframe|@import|url\((?!#)/i.exec(html)?.[0] ?? null).toBeNull();
    // no network: the only URLs are SVG namespaces
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
    expect(urls.filter((u) => !u.startsWith("http://www.w3.org/"))).toEqual([]);
    expect(html.includes("Content-Security-Policy")).toBe(true);
    expect(html.includes("@media print")).toBe(true);
  });

  it("embeds every chart as an SVG with its marks", () => {
    const figs = figures(html);
    expect(figs.map((f) => f.id).sort()).toEqual(
      [
        "ces-distribution",
        "clv-deciles",
        "cohort-heatmap",
        "csat-distribution",
        "importance-performance",
        "mrr-waterfall",
        "nps-distribution",
        "nps-trend",
        "repeat-purchase",
        "response-quantiles",
        "retention-trend",
        "scorecard-status",
        "sla",
        "survival-curve",
      ].sort(),
    );
    for (const f of figs) {
      expect(/<svg[^>]*width="\d+(\.\d+)?"/.test(f.svg), f.id).toBe(true);
      for (const mark of f.marks) {
        const group = f.svg.match(
          new RegExp(`<g class="mark-${mark.slice(5)} role-mark[^"]*"[^>]*>([\\s\\S]*?)</g>`),
        );
        expect(group, `${f.id}: ${mark}`).not.toBeNull();
        expect(group![1]!.length, `${f.id}: ${mark} has drawn items`).toBeGreaterThan(0);
      }
    }
  });

  it("writes the numbers as JSON, consistent with the library", () => {
    expect(json.meta.timeZone).toBe("Europe/Berlin");
    expect(json.meta.period).toBe("month");
    const responses = parseSurveyResponses(loadTable(join(DATA, "responses.csv")).records);
    const direct = nps(responses, (r) => r.nps, { missing: "omit" });
    expect(json.say.overall.nps.score).toBe(direct.score);
    expect(json.say.overall.nps.n).toBe(direct.n);
    expect(json.scorecard.evaluation.summary.counts).toBeDefined();
    expect(json.scorecard.evaluation.perspectives[0].objectives.length).toBeGreaterThan(0);
    expect(json.do.retention.length).toBeGreaterThan(6);
    expect(json.do.mrr.label).toBe(json.meta.lastComplete.label);
    expect(typeof json.do.mrr.endingMrr).toBe("string"); // exact money as a decimal string
    expect(json.worth.model.total).toBeGreaterThan(0);
    expect(json.worth.formula.variants).toHaveLength(3);
    expect(json.service.fcr.rate).toBeGreaterThan(0);
    expect(json.service.fcr.rate).toBeLessThanOrEqual(1);
    expect(json.service.sla.met + json.service.sla.breached + json.service.sla.pending).toBeLessThanOrEqual(
      json.meta.counts.tickets,
    );
    expect(json.why.drivers).toHaveLength(5);
    const shares = json.why.drivers.reduce((s: number, d: { share: number }) => s + d.share, 0);
    expect(Math.abs(shares - 1)).toBeLessThanOrEqual(1e-9); // LMG shares of R² add up to 1
  });
});

describe("cxmetrics report: bad input", () => {
  it("a bad cell: one message naming file, row and column, exit 2, nothing written", async () => {
    const dir = join(tmp, "bad");
    await import("node:fs").then((fs) => fs.mkdirSync(dir));
    copyData(dir, ["responses.csv"]);
    const lines = readFileSync(join(DATA, "subscriptions.csv"), "utf8").split("\n");
    lines[4] = lines[4]!.replace(/,(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)Z,/, ",$1,"); // started_at without an offset, row 5
    writeFileSync(join(dir, "subscriptions.csv"), lines.join("\n"));
    const out = join(dir, "report.html");
    const r = await runCli(["report", "--data", dir, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/subscriptions\.csv: row 5, column started_at: /);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  it("skips an unrecognised file with a message; escapes data in the HTML", async () => {
    const dir = join(tmp, "small");
    await import("node:fs").then((fs) => fs.mkdirSync(dir));
    const rows = readFileSync(join(DATA, "responses.csv"), "utf8").trim().split("\n").slice(0, 120);
    const hostile = rows.map((l, i) =>
      i > 0 && i % 3 === 0 ? l.replace(/^([^,]*,[^,]*,)[^,]*/, "$1<script>alert(1)</script>") : l,
    );
    hostile[0] = hostile[0]!.replace("driver_speed", "driver_<b>speed</b>");
    writeFileSync(join(dir, "responses.csv"), `${hostile.join("\n")}\n`);
    writeFileSync(join(dir, "notes.csv"), "a,b\n1,2\n");
    const out = join(dir, "report.html");
    const r = await runCli(["report", "--data", dir, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipping notes\.csv: unrecognised header \(a, b\)/);
    const html = readFileSync(out, "utf8");
    expect(html.includes("<script")).toBe(false);
    expect(html.includes("<b>speed")).toBe(false);
    expect(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;")).toBe(true);
    expect(html.includes('<section id="say">')).toBe(true);
    expect(html.includes('<section id="service">')).toBe(false);
  }, 30_000);

  it("an empty directory or a missing --data is a usage error (exit 2)", async () => {
    const dir = join(tmp, "empty");
    await import("node:fs").then((fs) => fs.mkdirSync(dir));
    const [a, b, c] = await Promise.all([
      runCli(["report", "--data", dir, "--out", join(dir, "r.html")]),
      runCli(["report"]),
      runCli(["report", "--data", DATA, "--period", "fortnight"]),
    ]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/no survey-response, subscription, order or ticket file found/);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--data <dir> is required/);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--period is "fortnight"/);
  });
});

describe("single-domain subcommands", () => {
  it("retention, clv, drivers and service print tables and --json", async () => {
    const runs = await Promise.all([
      runCli(["retention", join(DATA, "subscriptions.csv"), "--tz", "Europe/Berlin", "--json"]),
      runCli(["retention", join(DATA, "orders.csv")]),
      runCli(["clv", join(DATA, "orders.csv"), "--json"]),
      runCli(["drivers", join(DATA, "responses.csv")]),
      runCli(["service", join(DATA, "tickets.csv"), "--by", "channel", "--json"]),
      runCli(["service", join(DATA, "orders.csv")]),
    ]);
    for (const r of runs.slice(0, 5)) expect(r.code, r.stderr).toBe(0);
    const retention = JSON.parse(runs[0]!.stdout);
    expect(retention.retention.length).toBeGreaterThan(6);
    expect(retention.mrr[0].startingMrr).toMatch(/^\d+(\.\d+)?$/);
    expect(runs[1]!.stdout).toMatch(/Repeat rate/);
    const clv = JSON.parse(runs[2]!.stdout);
    expect(clv.customers).toBe(1500);
    expect(clv.total).toBeGreaterThan(0);
    expect(runs[3]!.stdout).toMatch(/R² = 0\.\d{3}/);
    const service = JSON.parse(runs[4]!.stdout);
    expect(service.results.map((r: { key: string }) => r.key)).toEqual(["chat", "email", "phone"]);
    expect(runs[5]!.code).toBe(2);
    expect(runs[5]!.stderr).toMatch(/does not look like support tickets/);
  }, 30_000);
});

describe("report helpers", () => {
  it("recognises files by header (snake_case or camelCase)", () => {
    expect(recogniseHeader(["response_id", "submitted_at", "nps"])).toBe("responses");
    expect(recogniseHeader(["customerId", "billingInterval", "startedAt", "amount"])).toBe("subscriptions");
    expect(recogniseHeader(["order_id", "customer_id", "ordered_at", "amount"])).toBe("orders");
    expect(recogniseHeader(["ticket_id", "created_at", "resolved_at"])).toBe("tickets");
    expect(recogniseHeader(["a", "b"])).toBeNull();
  });

  it("names the file's own column for a schema path", () => {
    const table = { columns: ["started_at", "driver_speed", "customerId"] } as Parameters<typeof columnOf>[0];
    expect(columnOf(table, ["startedAt"])).toBe("started_at");
    expect(columnOf(table, ["customerId"])).toBe("customerId");
    expect(columnOf(table, ["drivers", "speed"])).toBe("driver_speed");
  });

  it("escapes HTML", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
