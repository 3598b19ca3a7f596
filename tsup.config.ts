import { defineConfig } from "tsup";

const domains = [
  "core",
  "schemas",
  "survey",
  "drivers",
  "clv",
  "retention",
  "acquisition",
  "service",
  "scorecard",
  "charts",
  "sql",
  "parallel",
];

export default defineConfig([
  {
    entry: {
      index: "src/index.ts",
      ...Object.fromEntries(domains.map((d) => [`${d}/index`, `src/${d}/index.ts`])),
    },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    target: "es2022",
    platform: "neutral",
    outDir: "dist",
  },
  {
    entry: { "cli/main": "src/cli/main.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    outDir: "dist",
    sourcemap: true,
    banner: { js: "#!/usr/bin/env node" },
  },
]);
