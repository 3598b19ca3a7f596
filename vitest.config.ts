import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/**/*.time.test.ts", "**/node_modules/**"],
        },
      },
      // Time-zone-dependent suites, re-run by `npm run test:tz` under other TZ values.
      { extends: true, test: { name: "tz", include: ["test/**/*.time.test.ts"] } },
    ],
  },
});
