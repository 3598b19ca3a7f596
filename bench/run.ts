/**
 * Runs the benchmark suites one after another (each in its own process, so memory figures are
 * per suite) and assembles bench/RESULTS.md from bench/results/*.md.
 *
 *   npm run bench            # every suite
 *   npm run bench -- survey  # one suite
 *   npm run bench -- --assemble-only  # only rebuild RESULTS.md from bench/results
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const assembleOnly = process.argv.includes("--assemble-only");
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const suites = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""))
  .filter((s) => wanted.length === 0 || wanted.includes(s));

for (const suite of assembleOnly ? [] : suites) {
  console.log(`\n##### ${suite}`);
  execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", join(here, `${suite}.bench.ts`)], {
    stdio: "inherit",
  });
}

const resultsDir = join(here, "results");
const parts = existsSync(resultsDir)
  ? readdirSync(resultsDir)
      .filter((f) => f.endsWith(".md"))
      .sort()
      .map((f) => readFileSync(join(resultsDir, f), "utf8").trim())
  : [];
writeFileSync(
  join(here, "RESULTS.md"),
  [
    "# Benchmark results",
    "",
    "Assembled by `npm run bench` from bench/results/*.md. Each suite runs the library and its peers on the same",
    "values in the same process run, interleaved, and reports medians and ratios (lower is better for cxmetrics).",
    "Absolute times on these 2-core machines move ±30 % between runs; ratios move much less.",
    "",
    ...parts.flatMap((p) => [p, ""]),
  ].join("\n"),
);
console.log("\nwrote bench/RESULTS.md");
