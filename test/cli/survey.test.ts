import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nps } from "../../src/survey/index.js";
import { parseCsv } from "../helpers/shared.js";

// Each test starts the CLI in child processes (about a second each through tsx on a loaded machine).
const SLOW = 30_000;

const cli = (args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
  });

describe("cxmetrics survey", () => {
  it(
    "prints NPS, CSAT and CES overall, by segment and by month",
    () => {
      const r = cli([
        "survey",
        "examples/data/responses.csv",
        "--by",
        "segment",
        "--period",
        "month",
        "--tz",
        "Europe/Berlin",
      ]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain("overall");
      expect(r.stdout).toContain("by segment");
      expect(r.stdout).toContain("2026-06");
    },
    SLOW,
  );

  it(
    "--json equals the library's own result",
    () => {
      const out = execFileSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "src/cli/main.ts",
          "survey",
          "examples/data/responses.csv",
          "--json",
          "--ci",
          "wald",
        ],
        { encoding: "utf8" },
      );
      const json = JSON.parse(out);
      const scores = parseCsv(readFileSync("examples/data/responses.csv", "utf8")).map((r) => Number(r.nps));
      const direct = nps(scores, { ci: "wald" });
      expect(json.overall.nps.score).toBe(direct.score);
      expect(json.overall.nps.ci).toEqual(direct.ci);
    },
    SLOW,
  );

  it(
    "names file, row and column of a bad value and exits with 2",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "cxm-"));
      const file = join(dir, "bad.csv");
      writeFileSync(
        file,
        "response_id,submitted_at,segment,channel,nps,csat,ces\nA,2026-01-01T00:00:00Z,smb,web,9,5,6\nB,2026-01-02T00:00:00Z,smb,web,11,5,6\n",
      );
      const r = cli(["survey", file]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/bad\.csv: row 3, column nps/);
      const noOffset = join(dir, "tz.csv");
      writeFileSync(
        noOffset,
        "response_id,submitted_at,segment,channel,nps,csat,ces\nA,2026-01-01 10:00,smb,web,9,5,6\n",
      );
      const r2 = cli(["survey", noOffset]);
      expect(r2.status).toBe(2);
      expect(r2.stderr).toMatch(/row 2, column submitted_at/);
    },
    SLOW,
  );

  it(
    "rejects unknown options and missing files with exit code 2",
    () => {
      expect(cli(["survey", "examples/data/responses.csv", "--period", "fortnight"]).status).toBe(2);
      expect(cli(["survey", "does-not-exist.csv"]).status).toBe(2);
      expect(cli(["nope"]).status).toBe(2);
    },
    SLOW,
  );
});

describe("cxmetrics survey: headers", () => {
  it("refuses a file without a score column, or with a repeated column, in memory and streaming", () => {
    const dir = mkdtempSync(join(tmpdir(), "cxm-"));
    const upper = join(dir, "upper.csv");
    writeFileSync(upper, "response_id,submitted_at,NPS,CSAT\nA,2026-01-01T00:00:00Z,9,5\n");
    for (const extra of [[], ["--stream"]]) {
      const r = cli(["survey", upper, ...extra]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/no score column.*case-sensitive/);
    }
    const dup = join(dir, "dup.csv");
    writeFileSync(dup, "response_id,submitted_at,nps,nps\nA,2026-01-01T00:00:00Z,9,\n");
    for (const extra of [[], ["--stream"]]) {
      const r = cli(["survey", dup, ...extra]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/column "nps" appears twice/);
    }
  }, 30_000);
});
