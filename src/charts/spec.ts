/**
 * Vega-Lite specs are plain JSON objects; this module types them loosely so the library needs no
 * Vega dependency. Render them with vega-embed in a page, in a notebook, or to SVG with the
 * `vega` and `vega-lite` packages (the CLI does that for the HTML report).
 *
 * @module
 */

/** A Vega-Lite (v6) specification as plain JSON. */
export type VegaLiteSpec = { $schema: string } & Record<string, unknown>;

/**
 * The Vega-Lite schema URL the specs declare.
 *
 * @example
 * VEGA_LITE_SCHEMA //=> "https://vega.github.io/schema/vega-lite/v6.json"
 */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Options shared by every chart function. */
export interface ChartOptions {
  /** Chart title. */
  title?: string;
  /** Width in pixels (default 480) or "container". */
  width?: number | "container";
  /** Height in pixels (default 240). */
  height?: number;
}

/**
 * Status colours shared by the scorecard and quadrant charts (colour-blind-safe Okabe–Ito tones).
 *
 * @example
 * STATUS_COLORS.amber //=> "#E69F00"
 */
export const STATUS_COLORS = {
  green: "#009E73",
  amber: "#E69F00",
  red: "#D55E00",
  no_data: "#999999",
} as const;

/**
 * Base of every spec: schema, title, size (default 480 × 240), and a readable default config.
 *
 * @example
 * baseSpec({ title: "NPS" }, { title: "Score", width: 300 }) //=> { title: "NPS", width: 300, height: 240, … }
 */
export function baseSpec(
  options: ChartOptions | undefined,
  defaults: { title: string; width?: number; height?: number },
): VegaLiteSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options?.title ?? defaults.title,
    width: options?.width ?? defaults.width ?? 480,
    height: options?.height ?? defaults.height ?? 240,
    config: {
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 12 },
      font: "system-ui, sans-serif",
    },
  };
}
