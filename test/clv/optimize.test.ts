import { describe, expect, it } from "vitest";
import { invertSpd, minimizeBfgs, numericHessian } from "../../src/clv/optimize.js";

// Rosenbrock (1960): f(x, y) = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1).
const rosen = (x: Float64Array, g: Float64Array): number => {
  const a = x[0]!;
  const b = x[1]!;
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

describe("minimizeBfgs", () => {
  it("minimises Rosenbrock from (−1.2, 1) to (1, 1) at 1e-8", () => {
    const r = minimizeBfgs(rosen, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0]! - 1)).toBeLessThanOrEqual(1e-8);
    expect(Math.abs(r.x[1]! - 1)).toBeLessThanOrEqual(1e-8);
    expect(r.f).toBeLessThanOrEqual(1e-16);
    expect(r.iterations).toBeLessThan(60);
  });

  it("minimises a 4-d Rosenbrock chain and a convex quadratic", () => {
    const chain = (x: Float64Array, g: Float64Array): number => {
      let f = 0;
      g.fill(0);
      for (let i = 0; i < 3; i++) {
        const a = x[i]!;
        const b = x[i + 1]!;
        f += (1 - a) ** 2 + 100 * (b - a * a) ** 2;
        g[i] = g[i]! - 2 * (1 - a) - 400 * a * (b - a * a);
        g[i + 1] = g[i + 1]! + 200 * (b - a * a);
      }
      return f;
    };
    const r = minimizeBfgs(chain, [-1, 1, -1, 1], { maxIterations: 500 });
    expect(r.converged).toBe(true);
    for (const v of r.x) expect(Math.abs(v - 1)).toBeLessThanOrEqual(1e-7);
    const quad = (x: Float64Array, g: Float64Array): number => {
      g[0] = 2 * (x[0]! - 3);
      g[1] = 20 * (x[1]! + 1);
      return (x[0]! - 3) ** 2 + 10 * (x[1]! + 1) ** 2;
    };
    const q = minimizeBfgs(quad, [0, 0]);
    expect(Math.abs(q.x[0]! - 3)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(q.x[1]! + 1)).toBeLessThanOrEqual(1e-9);
  });

  it("reports non-convergence instead of throwing (iteration limit, non-finite start)", () => {
    const r = minimizeBfgs(rosen, [-1.2, 1], { maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
    const bad = minimizeBfgs(() => Number.NaN, [0]);
    expect(bad.converged).toBe(false);
  });

  it("treats non-finite objective values as outside the domain", () => {
    // f = x − ln x on x > 0 (NaN outside), minimum at 1
    const f = (x: Float64Array, g: Float64Array): number => {
      g[0] = 1 - 1 / x[0]!;
      return x[0]! > 0 ? x[0]! - Math.log(x[0]!) : Number.NaN;
    };
    const r = minimizeBfgs(f, [0.05]);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0]! - 1)).toBeLessThanOrEqual(1e-8);
  });
});

describe("numericHessian and invertSpd", () => {
  it("Rosenbrock Hessian at (1, 1) is [[802, −400], [−400, 200]] (1e-6), inverse exact to 1e-9", () => {
    const H = numericHessian(rosen, [1, 1]);
    const want = [802, -400, -400, 200];
    for (let i = 0; i < 4; i++) expect(Math.abs(H[i]! - want[i]!)).toBeLessThanOrEqual(1e-6);
    const inv = invertSpd(want, 2)!;
    // inverse of [[802, −400], [−400, 200]] = [[0.5, 1], [1, 2.005]]
    const exact = [0.5, 1, 1, 2.005];
    for (let i = 0; i < 4; i++) expect(Math.abs(inv[i]! - exact[i]!)).toBeLessThanOrEqual(1e-9);
  });
  it("returns null for matrices that are not positive definite", () => {
    expect(invertSpd([1, 2, 2, 1], 2)).toBeNull();
    expect(invertSpd([0, 0, 0, 0], 2)).toBeNull();
  });
});
