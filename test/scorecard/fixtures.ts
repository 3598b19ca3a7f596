/** Small scorecards for the scorecard tests (plain JSON, as a user would write them). */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ScorecardInput } from "../../src/schemas/scorecard.js";

const here = dirname(fileURLToPath(import.meta.url));

/** The worked example's scorecard (examples/scorecard/customer-scorecard.json). */
export function exampleScorecardJson(): ScorecardInput & Record<string, unknown> {
  return JSON.parse(
    readFileSync(join(here, "..", "..", "examples", "scorecard", "customer-scorecard.json"), "utf8"),
  );
}

/** One perspective, two objectives, three measures (one per direction), a link. */
export function smallScorecard(): ScorecardInput {
  return {
    name: "small",
    perspectives: [
      {
        id: "customer",
        name: "Customer",
        objectives: [
          {
            id: "recommend",
            statement: "I would recommend them",
            measures: [
              {
                id: "nps",
                name: "NPS",
                kind: "opinion",
                timing: "lagging",
                unit: "points",
                direction: "higherIsBetter",
                baseline: 20,
                target: 40,
              },
              {
                id: "frt",
                name: "First response",
                kind: "activity",
                timing: "leading",
                unit: "hours",
                direction: "lowerIsBetter",
                baseline: 10,
                target: 4,
              },
            ],
          },
          {
            id: "easy",
            statement: "They are easy to deal with",
            measures: [
              {
                id: "contacts",
                name: "Contacts per order",
                kind: "activity",
                timing: "leading",
                unit: "contacts",
                direction: "inRange",
                baseline: 3,
                target: { min: 1, max: 2 },
              },
            ],
          },
        ],
      },
    ],
    links: [{ from: "easy", to: "recommend" }],
  };
}
