import { describe, expect, it } from "vitest";
import { evaluateScorecard } from "../../src/scorecard/evaluate.js";
import { scorecardToMarkdown } from "../../src/scorecard/markdown.js";
import { scorecardToText } from "../../src/scorecard/text.js";
import { smallScorecard } from "./fixtures.js";

describe("renderers", () => {
  const sc = smallScorecard();
  sc.perspectives[0]!.objectives![0]!.statement = "I would | recommend them";
  const ev = evaluateScorecard(sc, { nps: 38, frt: 3, contacts: null }, { period: "March" });

  it("Markdown escapes pipes and shows every measure once", () => {
    const md = scorecardToMarkdown(ev);
    expect(md).toContain("I would \\| recommend them");
    for (const name of ["| NPS |", "| First response |", "| Contacts per order |"])
      expect(md.split(name).length).toBe(2);
    expect(md).toContain("| 1–2 |"); // the inRange target
    expect(md).toContain("### Warnings");
  });

  it("text: plain by default, ANSI colours only when asked, columns aligned", () => {
    const plain = scorecardToText(ev);
    expect(plain).not.toContain("\u001b[");
    const colored = scorecardToText(ev, { color: true });
    expect(colored).toContain("\u001b[33mAMBER");
    expect(colored).toContain("\u001b[90mNO DATA");
    // without the escapes, the coloured table is the plain one
    expect(colored.replace(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, "g"), "")).toBe(plain);
    const rows = plain.split("\n").filter((l) => /^ {4}\S/.test(l));
    expect(rows).toHaveLength(3);
    const statusCol = rows.map((r) => r.search(/GREEN|AMBER|RED|NO DATA/));
    expect(new Set(statusCol).size).toBe(1);
  });

  it("an empty evaluation renders without NaN", () => {
    const none = evaluateScorecard(smallScorecard(), {});
    expect(scorecardToText(none)).not.toMatch(/NaN|undefined/);
    expect(scorecardToMarkdown(none)).not.toMatch(/NaN|undefined/);
  });
});
