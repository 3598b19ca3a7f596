/**
 * The Web Worker path of parallelFold and createWorkerPool, exercised under Deno (a devDependency)
 * running deno-web-workers.ts on the TypeScript sources. Skipped with a message when the deno
 * binary is not installed.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const deno = fileURLToPath(new URL("../../node_modules/.bin/deno", import.meta.url));
const has = existsSync(deno);
const d = has ? describe : describe.skip;

d(has ? "Web Workers (Deno)" : "Web Workers (Deno) (skipped: deno not installed)", () => {
  it("parallelFold and a pool on Web Workers equal fold; worker errors keep their index", () => {
    const script = fileURLToPath(new URL("./deno-web-workers.ts", import.meta.url));
    const out = execFileSync(
      deno,
      ["run", "--quiet", "--unstable-sloppy-imports", "--allow-read", "--no-config", script],
      {
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(JSON.parse(out.trim().split("\n").at(-1)!)).toEqual({
      runtime: "deno",
      fold: { sum: 100_008, n: 50_000 },
      error: { name: "InvalidInputError", code: "non_finite_value", index: 40_000 },
      pool: [
        { sum: 100_008, n: 50_000 },
        { sum: 24_995_000, n: 5000 },
      ],
    });
  }, 60_000);
});
