import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lnGamma, psi } from "../../src/clv/gamma-functions.js";

const here = dirname(fileURLToPath(import.meta.url));
// test/fixtures/clv/gamma_functions.json: scipy.special.gammaln / digamma (see generate.py beside it).
const rows = JSON.parse(
  readFileSync(join(here, "..", "fixtures", "clv", "gamma_functions.json"), "utf8"),
) as [number, number, number][];

describe("lnGamma and psi vs scipy", () => {
  it.each(rows)("x = %d", (x, g, d) => {
    // 1e-14 relative (absolute when |value| < 1)
    expect(Math.abs(lnGamma(x) - g)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(g)));
    expect(Math.abs(psi(x) - d)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(d)));
  });
  it("satisfies the recurrences ln Γ(x+1) = ln Γ(x) + ln x and ψ(x+1) = ψ(x) + 1/x", () => {
    for (const x of [0.3, 1.7, 4.2, 9.9, 33.3]) {
      expect(Math.abs(lnGamma(x + 1) - lnGamma(x) - Math.log(x))).toBeLessThanOrEqual(
        1e-13 * Math.max(1, Math.abs(lnGamma(x + 1))),
      );
      expect(Math.abs(psi(x + 1) - psi(x) - 1 / x)).toBeLessThanOrEqual(1e-13 * Math.max(1, 1 / x));
    }
  });
});
