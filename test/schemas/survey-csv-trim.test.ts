import { describe, expect, it } from "vitest";
import { parseSurveyResponses, surveyResponseFromCsvRow } from "../../src/schemas/survey.js";

describe("CSV text cells", () => {
  it("are trimmed like numeric cells, so ' smb ' and 'smb' are one segment", () => {
    const rows = parseSurveyResponses([
      surveyResponseFromCsvRow({
        response_id: " R1 ",
        submitted_at: "2026-01-01T00:00:00Z",
        segment: " smb ",
        nps: " 9 ",
      }),
    ]);
    expect(rows[0]).toMatchObject({ id: "R1", segment: "smb", nps: 9 });
  });
});
