/**
 * The HTML report in a real browser: playwright-core driving Debian's chromium opens the report of
 * the sample data, checks that every chart rendered (a non-empty SVG with its expected marks drawn),
 * that the page logs no console errors and makes no network request, and that it prints; saves a
 * screenshot and a PDF under artifacts/ (git-ignored; CI keeps them).
 *
 * Skips with a message when chromium (CHROMIUM_PATH or /usr/bin/chromium) or playwright-core is
 * absent — CI installs both (.ci/run).
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../cli/run-cli.js";

const CHROMIUM =
  process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
type Playwright = typeof import("playwright-core");
let playwright: Playwright | null = null;
try {
  playwright = (await import("playwright-core")) as Playwright;
} catch {
  playwright = null;
}
const missing = !CHROMIUM
  ? "chromium not found (apt-get install chromium, or set CHROMIUM_PATH)"
  : !playwright
    ? "playwright-core is not installed"
    : null;
if (missing) console.warn(`test/browser/report.test.ts skipped: ${missing}`);

const ARTIFACTS = join(ROOT, "artifacts");

describe.skipIf(missing !== null)("the HTML report in chromium", () => {
  const html = join(ARTIFACTS, "report.html");
  // biome-ignore lint/suspicious/noExplicitAny: playwright types are loaded dynamically
  let browser: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  let page: any;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const r = await runCli([
      "report",
      "--data",
      join(ROOT, "examples/data"),
      "--tz",
      "Europe/Berlin",
      "--out",
      html,
    ]);
    expect(r.code, r.stderr).toBe(0);
    browser = await playwright!.chromium.launch({
      executablePath: CHROMIUM!,
      args: ["--no-sandbox", "--disable-gpu"],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on("console", (m: { type(): string; text(): string }) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e: Error) => consoleErrors.push(e.message));
    page.on("request", (req: { url(): string }) => {
      if (!req.url().startsWith("file:")) requests.push(req.url());
    });
    await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("renders every chart: a non-empty SVG with its expected marks drawn", async () => {
    const charts: {
      id: string;
      marks: string[];
      width: number;
      height: number;
      drawn: Record<string, number>;
    }[] = await page.$$eval("figure.chart", (figs: Element[]) =>
      figs.map((f) => {
        const svg = f.querySelector("svg");
        const box = svg?.getBoundingClientRect();
        const marks = (f.getAttribute("data-marks") ?? "").split(" ").filter(Boolean);
        const drawn: Record<string, number> = {};
        for (const m of marks) {
          // drawn items of the data marks (not axes or legends): children with a non-empty box
          const items = Array.from(f.querySelectorAll(`g.${m}.role-mark > *`)) as SVGGraphicsElement[];
          drawn[m] = items.filter((el) => {
            const b = el.getBBox();
            return b.width > 0 || b.height > 0;
          }).length;
        }
        return {
          id: f.getAttribute("data-chart") ?? "",
          marks,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          drawn,
        };
      }),
    );
    expect(charts.length).toBeGreaterThanOrEqual(14);
    for (const c of charts) {
      expect(c.width, c.id).toBeGreaterThan(100);
      expect(c.height, c.id).toBeGreaterThan(100);
      for (const m of c.marks) expect(c.drawn[m], `${c.id}: ${m}`).toBeGreaterThan(0);
    }
    // a few charts by their content: bars per NPS answer, one line per series, a heat-map cell per observed cohort cell
    const byId = new Map(charts.map((c) => [c.id, c]));
    expect(byId.get("nps-distribution")!.drawn["mark-rect"]).toBeGreaterThanOrEqual(8);
    expect(byId.get("retention-trend")!.drawn["mark-line"]).toBe(2);
    expect(byId.get("cohort-heatmap")!.drawn["mark-rect"]).toBeGreaterThan(50);
    expect(byId.get("importance-performance")!.drawn["mark-symbol"]).toBe(5);
  });

  it("logs no console errors and requests nothing from the network", () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("shows the scorecard with status colours and saves a screenshot", async () => {
    const pills: string[] = await page.$$eval("#scorecard table .pill", (els: Element[]) =>
      els.map((e) => getComputedStyle(e).backgroundColor),
    );
    expect(pills.length).toBeGreaterThan(5);
    expect(new Set(pills).size).toBeGreaterThan(1);
    const shot = join(ARTIFACTS, "report.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(50_000);
  });

  it("prints: navigation hidden, charts kept whole, a multi-page PDF", async () => {
    await page.emulateMedia({ media: "print" });
    expect(await page.$eval("nav", (n: Element) => getComputedStyle(n).display)).toBe("none");
    expect(await page.$eval("figure.chart", (f: Element) => getComputedStyle(f).breakInside)).toBe("avoid");
    const pdf = join(ARTIFACTS, "report.pdf");
    await page.pdf({ path: pdf, format: "A4", printBackground: true });
    expect(statSync(pdf).size).toBeGreaterThan(50_000);
    await page.emulateMedia({ media: "screen" });
  });
});
