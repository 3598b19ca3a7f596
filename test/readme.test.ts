/**
 * The README's tour must stay true: every ```ts block runs with the public API in scope and its
 * `//=>` values hold (same rules as the doc-comment examples, see test/docs/doc-examples.ts).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";
import { runExample } from "./docs/doc-examples.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, k) => ({
  k,
  line: readme.slice(0, m.index).split("\n").length,
  code: m[1]!.replace(/^import .* from "cxmetrics(\/[a-z]+)?";\n/gm, ""),
}));

describe("README tour", () => {
  it("has code blocks", () => expect(blocks.length).toBeGreaterThanOrEqual(3));
  for (const b of blocks) {
    it(`block ${b.k + 1} (README.md:${b.line}) runs and its values hold`, async () => {
      const checks = await runExample(
        { file: "README.md", line: b.line, name: `block ${b.k + 1}`, code: b.code, illustrative: false },
        { ...api },
      );
      expect(checks).toBeGreaterThan(0);
    });
  }
});
