/**
 * `cxmetrics/service`: first-contact resolution, response and resolution times (exact
 * Hyndman–Fan quantiles or a mergeable t-digest), SLA adherence and the on-time rate of
 * appointments, from plain ticket records with explicit, documented rules. Invalid tickets are
 * reported by id and reason in every result, never dropped silently. Every function groups by
 * channel, priority or any key (`by`) and by calendar period (`period`) through core's `groupBy` /
 * `byPeriod`; the accumulators are exported for streaming and parallel use.
 *
 * @module service
 */
export {
  type Appointment,
  appointmentSchema,
  parseAppointments,
  parseTickets,
  safeParseAppointments,
  safeParseTickets,
  type Ticket,
  ticketSchema,
} from "../schemas/ticket.js";
export * from "./duration.js";
export * from "./grouping.js";
export * from "./ticket-validity.js";
export {
  QUANTILE_METHODS,
  type QuantileMethod,
  type QuantilesOptions,
  checkProbabilities,
  checkQuantileMethod,
  quantilePosition,
  quantileSorted,
  quantiles,
  quantilesInPlace,
} from "./quantile.js";
export * from "./tdigest.js";
export * from "./first-contact-resolution.js";
export {
  type ResponseMeasure,
  type ResponseTimesAccumulatorOptions,
  type ResponseTimesOptions,
  type ResponseTimesResult,
  type ResponseTimesState,
  responseTimes,
  responseTimesAccumulator,
} from "./response-times.js";
export * from "./sla-adherence.js";
export * from "./on-time-rate.js";
