import { describe, expect, it } from "vitest";
import { fold, groupBy, mapInput } from "../../src/core/accumulator.js";
import { foldAsync, groupByAsync } from "../../src/core/async.js";
import { momentsAccumulator } from "../../src/core/moments.js";

async function* stream<T>(xs: T[]): AsyncGenerator<T> {
  for (const x of xs) yield x;
}

describe("async folds", () => {
  it("equal the in-memory fold", async () => {
    const xs = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 100);
    expect(await foldAsync(stream(xs), momentsAccumulator())).toEqual(fold(xs, momentsAccumulator()));
    const rows = xs.map((v, i) => ({ k: i % 3 === 0 ? "__proto__" : "b", v }));
    const acc = mapInput(momentsAccumulator(), (r: { k: string; v: number }) => r.v);
    const a = await groupByAsync(stream(rows), (r) => r.k, acc);
    const b = groupBy(rows, (r) => r.k, acc);
    expect([...a]).toEqual([...b]);
  });
});
