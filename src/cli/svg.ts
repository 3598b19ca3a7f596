/**
 * Render Vega-Lite specs to standalone SVG at build time (no browser, no network): vega-lite
 * compiles the spec to Vega, vega's headless view renders the scenegraph to an SVG string.
 */
import { View, parse } from "vega";
import { compile } from "vega-lite";
import type { VegaLiteSpec } from "../charts/spec.js";

/** Render one Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  // biome-ignore lint/suspicious/noExplicitAny: vega-lite's TopLevelSpec type is stricter than our plain JSON type
  const vg = compile(spec as any).spec;
  const view = new View(parse(vg), { renderer: "none", logLevel: 0 });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
