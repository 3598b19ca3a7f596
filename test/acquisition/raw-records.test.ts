import { describe, expect, it } from "vitest";
import { acquisition } from "../../src/acquisition/index.js";
import { InvalidInputError } from "../../src/core/errors.js";

describe("acquisition on unparsed records", () => {
  it("names the record and field instead of failing with a TypeError", () => {
    const raw = [
      {
        customerId: "c1",
        billingInterval: "month",
        amount: "10",
        startedAt: "2026-01-01T00:00:00Z",
        endedAt: null,
      },
    ];
    try {
      acquisition(raw as never, { grossMargin: 0.8 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).issues[0]).toMatchObject({
        index: 0,
        path: ["startedAt"],
        code: "invalid_type",
      });
      expect((e as Error).message).toMatch(/parseSubscriptions/);
    }
  });
});
