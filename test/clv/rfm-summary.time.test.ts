import { describe, expect, it } from "vitest";
import { rfmSummary } from "../../src/clv/rfm-summary.js";

// Instants fall on calendar days in the `timeZone` option, never in the process TZ (this file is re-run
// under TZ=America/New_York and TZ=Asia/Kolkata).
describe("rfmSummary with instants and time zones", () => {
  const tx = [
    { customerId: "a", at: "2024-03-01T23:30:00Z", amount: 10 },
    { customerId: "a", at: "2024-03-02T01:00:00Z", amount: 20 },
    { customerId: "a", at: new Date("2024-03-09T12:00:00Z"), amount: 30 },
  ];
  it("UTC: the first two purchases fall on different days", () => {
    const [r] = rfmSummary(tx, { calibrationEnd: "2024-03-10" });
    expect(r).toMatchObject({ frequency: 2, recency: 8, T: 9, monetaryValue: 25 });
  });
  it("America/New_York: both fall on 1 March (merged)", () => {
    const [r] = rfmSummary(tx, { calibrationEnd: "2024-03-10", timeZone: "America/New_York" });
    expect(r).toMatchObject({ frequency: 1, recency: 8, T: 9, monetaryValue: 30 });
  });
  it("Asia/Kolkata (UTC+05:30): days shift forward", () => {
    const [r] = rfmSummary(tx, { calibrationEnd: "2024-03-10", timeZone: "Asia/Kolkata" });
    expect(r).toMatchObject({ frequency: 1, recency: 7, T: 8, monetaryValue: 30 });
  });
  it("across a DST change (New York, 10 March 2024) days are calendar days", () => {
    const rows = rfmSummary(
      [
        { customerId: "b", at: "2024-03-09T04:59:00Z", amount: 1 }, // 8 March 23:59 EST
        { customerId: "b", at: "2024-03-11T03:59:00Z", amount: 2 }, // 10 March 23:59 EDT
        { customerId: "b", at: "2024-03-11T04:00:00Z", amount: 4 }, // 11 March 00:00 EDT
      ],
      { calibrationEnd: "2024-03-11", timeZone: "America/New_York" },
    );
    expect(rows[0]).toMatchObject({ frequency: 2, recency: 3, T: 3, monetaryValue: 3 });
  });
  it("calibrationEnd given as an instant uses its day in the zone; epoch-ms columns work", () => {
    const cols = {
      customerId: ["a", "a"],
      at: Float64Array.of(Date.UTC(2024, 0, 1, 12), Date.UTC(2024, 0, 3, 12)),
      amount: [1, 2],
    };
    const rows = rfmSummary(cols, { calibrationEnd: "2024-01-05T02:00:00+05:30", timeZone: "UTC" });
    expect(rows[0]).toMatchObject({ frequency: 1, recency: 2, T: 3 });
  });
});
