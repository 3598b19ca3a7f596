import { InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import { Decimal } from "../core/money.js";
import type { ActivityEvent } from "../schemas/activity.js";
import type { Order } from "../schemas/order.js";
import {
  MEASURE_DIRECTIONS,
  MEASURE_KINDS,
  type MeasureDirection,
  type MeasureKind,
} from "../schemas/scorecard.js";
import type { Subscription } from "../schemas/subscription.js";
import type { SurveyResponse } from "../schemas/survey.js";
import type { Ticket } from "../schemas/ticket.js";
import type { Transaction } from "../schemas/transaction.js";

/**
 * The records a scorecard is computed from, by kind. Each array holds parsed records from
 * `cxmetrics/schemas` (`parseSubscriptions`, `parseOrders`, …). Other keys are allowed for
 * user-registered metrics.
 */
export interface MetricData {
  /** Survey responses (NPS, CSAT, CES answers), from `parseSurveyResponses`. */
  surveyResponses?: readonly SurveyResponse[];
  subscriptions?: readonly Subscription[];
  orders?: readonly Order[];
  /** Support tickets (first-contact resolution, response times, SLA), from `parseTickets`. */
  tickets?: readonly Ticket[];
  activities?: readonly ActivityEvent[];
  transactions?: readonly Transaction[];
  [key: string]: readonly unknown[] | undefined;
}

/** The reporting window a metric is computed for: half-open `[from, to)` in epoch ms. */
export interface MetricWindow {
  from: number;
  to: number;
  label: string;
}

/** What a metric's `compute` is told besides data and parameters. */
export interface MetricContext {
  /** Reporting window, or `null` for all the data. */
  period: MetricWindow | null;
  /** Data as-of instant (epoch ms), or `null`. */
  asOf: number | null;
  /** IANA time zone for calendar periods (default `"UTC"`). */
  timeZone: string;
  /** The measure's segment, or `null`. When the definition's `segmentFilter` is `"records"` (default), data is already filtered. */
  segment: string | null;
}

/** A metric a measure can be bound to. */
export interface MetricDefinition {
  /** Unique name used in bindings (`{ metric: "nps" }`). */
  name: string;
  /** Unit of the default field ("points", "share", "hours" …). */
  unit: string;
  /** Which way is good, for a consistency warning when a measure says otherwise. */
  direction: MeasureDirection;
  /** Say (opinion) or do (activity). */
  kind: MeasureKind;
  /** One sentence: what it measures. */
  description?: string;
  /** Dot path into the result read when a binding names no `field` (default `"score"`, unused when `compute` returns a number). */
  field?: string;
  /**
   * `"records"` (default): for a measure with a segment, every array in the data is filtered to records
   * whose `segment` equals it before `compute` is called. `"none"`: `compute` handles `context.segment`.
   */
  segmentFilter?: "records" | "none";
  /**
   * Compute the metric. Returns a number, `null` (no data), `{ value, n? }`, or a result object from
   * which `field` is read (and `n` when it has one). Throw `InsufficientDataError` for "no data".
   */
  compute(data: MetricData, params: Readonly<Record<string, unknown>>, context: MetricContext): unknown;
}

/** A set of {@link MetricDefinition}s by name. */
export interface MetricRegistry {
  /** Add a metric; throws `invalid_option` when the name is taken (unless `replace`) or the registry is read-only. */
  register(definition: MetricDefinition, options?: { replace?: boolean }): MetricRegistry;
  /** The metric with this name, or `undefined`. */
  get(name: string): MetricDefinition | undefined;
  has(name: string): boolean;
  /** Registered names, in code-point order. */
  names(): string[];
  /** True for {@link defaultMetricRegistry} and other frozen registries. */
  readonly readOnly: boolean;
}

function checkDefinition(def: MetricDefinition): void {
  const fn = "MetricRegistry.register";
  if (def === null || typeof def !== "object")
    invalidOption(fn, "definition", "a metric definition object", def);
  if (typeof def.name !== "string" || def.name === "")
    invalidOption(fn, "name", "a non-empty string", def.name);
  if (typeof def.unit !== "string") invalidOption(fn, "unit", "a string", def.unit);
  if (!(MEASURE_DIRECTIONS as readonly string[]).includes(def.direction))
    invalidOption(fn, "direction", MEASURE_DIRECTIONS.join(" | "), def.direction);
  if (!(MEASURE_KINDS as readonly string[]).includes(def.kind))
    invalidOption(fn, "kind", MEASURE_KINDS.join(" | "), def.kind);
  if (typeof def.compute !== "function") invalidOption(fn, "compute", "a function", def.compute);
  if (def.segmentFilter !== undefined && def.segmentFilter !== "records" && def.segmentFilter !== "none")
    invalidOption(fn, "segmentFilter", '"records" | "none"', def.segmentFilter);
}

class Registry implements MetricRegistry {
  readonly #defs = new Map<string, MetricDefinition>();
  #readOnly = false;
  get readOnly(): boolean {
    return this.#readOnly;
  }
  register(definition: MetricDefinition, options?: { replace?: boolean }): MetricRegistry {
    if (this.#readOnly)
      invalidOption(
        "MetricRegistry.register",
        "registry",
        "a writable registry: createMetricRegistry(defaultMetricRegistry) copies the library metrics",
        "the read-only default registry",
      );
    checkDefinition(definition);
    if (this.#defs.has(definition.name) && !options?.replace)
      invalidOption(
        "MetricRegistry.register",
        "name",
        "a name not yet registered (or { replace: true })",
        definition.name,
      );
    this.#defs.set(definition.name, Object.freeze({ ...definition }));
    return this;
  }
  get(name: string): MetricDefinition | undefined {
    return this.#defs.get(name);
  }
  has(name: string): boolean {
    return this.#defs.has(name);
  }
  names(): string[] {
    return [...this.#defs.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  freeze(): this {
    this.#readOnly = true;
    return this;
  }
}

/**
 * A new, writable metric registry, optionally starting with the metrics of `base` (e.g. the
 * library's {@link defaultMetricRegistry}).
 *
 * @example
 * const registry = createMetricRegistry(defaultMetricRegistry).register({
 *   name: "complaintsPer1000Orders", unit: "per 1000 orders", direction: "lowerIsBetter", kind: "activity",
 *   compute: (data) => ((data.complaints?.length ?? 0) / (data.orders?.length ?? 0)) * 1000,
 * });
 */
export function createMetricRegistry(base?: MetricRegistry): MetricRegistry {
  const r = new Registry();
  if (base) for (const name of base.names()) r.register(base.get(name)!);
  return r;
}

/**
 * Make a registry read-only (later `register` calls throw `invalid_option`), e.g. to share one
 * safely between modules. Returns the same registry.
 *
 * @example
 * const myMetric = { name: "complaintsPer1000Orders", unit: "per 1000 orders", direction: "lowerIsBetter" as const,
 *   kind: "activity" as const, compute: () => 0 };
 * const shared = freezeRegistry(createMetricRegistry(defaultMetricRegistry).register(myMetric));
 * shared.names().includes("complaintsPer1000Orders") //=> true
 */
export function freezeRegistry(registry: MetricRegistry): MetricRegistry {
  if (registry instanceof Registry) return registry.freeze();
  return registry;
}

/** The number a metric produced, and its sample size when known. */
export interface MetricValue {
  value: number | null;
  n: number | null;
}

function readPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split(".")) {
    if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
    cur =
      cur instanceof Map
        ? cur.get(key)
        : Object.hasOwn(cur, key)
          ? (cur as Record<string, unknown>)[key]
          : undefined;
  }
  return cur;
}

/**
 * Read the number out of a metric's result: a number as is, `null`/`undefined` as no data, a
 * `Decimal` converted to a float, an object by the dot path `field`. `n` is read from the result's
 * `n` (or `value.n`) when it is a number.
 *
 * @throws {InvalidInputError} `invalid_type` when the field is not a number, `non_finite_value` for NaN/±Infinity.
 * @example
 * extractMetricValue({ score: 42, n: 100 }, "score", "nps") //=> { value: 42, n: 100 }
 * extractMetricValue(null, "score", "nps") //=> { value: null, n: null }
 */
export function extractMetricValue(result: unknown, field: string, where: string): MetricValue {
  let raw: unknown = result;
  let n: number | null = null;
  if (result !== null && typeof result === "object" && !Decimal.isDecimal(result)) {
    const rn = readPath(result, "n");
    if (typeof rn === "number" && Number.isFinite(rn)) n = rn;
    raw = readPath(result, field);
  }
  if (raw === null || raw === undefined) return { value: null, n };
  if (Decimal.isDecimal(raw)) raw = (raw as Decimal).toNumber();
  if (typeof raw !== "number")
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [field],
          code: "invalid_type",
          message: `expected a number at ${formatValue(field)}, found ${formatValue(raw)}`,
        },
      ],
      { context: where, code: "invalid_type" },
    );
  if (!Number.isFinite(raw))
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [field],
          code: "non_finite_value",
          message: `expected a finite number, found ${raw}`,
        },
      ],
      { context: where, code: "non_finite_value" },
    );
  return { value: raw, n };
}
