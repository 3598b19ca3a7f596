/**
 * `cxmetrics/sql`: the same metric definitions inside a database engine. For each accumulator, the
 * SQL aggregate expressions of its state and a finaliser that turns a row of them into the library's
 * own result object; group-by keys and calendar periods (time-zone aware) as SQL; metrics that need
 * each customer's history as CTE pipelines; engine adapters for DuckDB and PostgreSQL.
 *
 * Dialects: DuckDB and PostgreSQL (tested against real engines); BigQuery, Snowflake, ClickHouse and
 * Trino (generated, checked by text tests; see docs/scale.md for the functions each needs).
 *
 * @module sql
 */
export {
  DIALECTS,
  type Dialect,
  ParamBinder,
  bigintCast,
  checkDialect,
  countIf,
  dateText,
  doubleCast,
  localTime,
  periodStartDate,
  quoteIdent,
} from "./dialect.js";
export { type TableExpression, type TableSource, readCsv, readParquet, trustedSql } from "./table.js";
export {
  type AggregateOutput,
  type AggregateQueryOptions,
  type AggregateSqlMetric,
  type ByColumns,
  type GroupKey,
  type SqlAggregate,
  type SqlQuery,
  type SqlValue,
  GRID_PLAN_MAX_PERIODS,
  aggregateQuery,
  countValue,
} from "./metric.js";
export {
  type MissingPolicy,
  type ScoreHistogram,
  checkScoreCounts,
  histogramAggregates,
  histogramMetric,
  readHistogram,
} from "./histogram.js";
export {
  type DuckDBConnectionLike,
  type PgQueryableLike,
  type SqlEngine,
  type SqlRow,
  duckdbEngine,
  postgresEngine,
} from "./engine.js";
export type { PipelineSqlMetric } from "./pipeline.js";
export type { SubscriptionColumns } from "./_subscriptions.js";
export {
  type CustomerRetentionSql,
  type CustomerRetentionSqlOptions,
  customerRetentionQueries,
  customerRetentionSql,
} from "./customer-retention.js";
export { type MrrMovementsSqlOptions, mrrMovementsQueries, mrrMovementsSql } from "./mrr-movements.js";
export { type ScoreColumnOption, cesSql, csatSql, enpsSql, npsSql } from "./survey.js";
export { runMetric } from "./run.js";
export { coMomentsSql } from "./co-moments.js";
export { brandAwarenessSql } from "./brand-awareness.js";
export {
  type AcquisitionColumns,
  type AcquisitionSqlOptions,
  type AcquisitionSqlQueries,
  acquisitionQueries,
  acquisitionSql,
} from "./acquisition.js";
export {
  type KaplanMeierEventKind,
  type KaplanMeierSqlColumns,
  type KaplanMeierSqlOptions,
  type KaplanMeierSqlQueries,
  kaplanMeierQueries,
  kaplanMeierSql,
} from "./kaplan-meier.js";
export {
  type ActivityColumns,
  type CohortRetentionSqlOptions,
  type CohortRetentionSqlQueries,
  cohortRetentionQueries,
  cohortRetentionSql,
} from "./cohort-retention.js";
export {
  type SubscriptionCohortRetentionSqlOptions,
  type SubscriptionCohortRetentionSqlQueries,
  subscriptionCohortRetentionQueries,
  subscriptionCohortRetentionSql,
} from "./subscription-cohort-retention.js";
export {
  type RfmSummarySqlOptions,
  type RfmSummarySqlQueries,
  type TransactionColumns,
  rfmSummaryQueries,
  rfmSummarySql,
} from "./rfm-summary.js";
export {
  type OrderAmountReading,
  type OrderColumns,
  type RepeatPurchaseSqlOptions,
  type RepeatPurchaseSqlQueries,
  repeatPurchaseQueries,
  repeatPurchaseSql,
} from "./repeat-purchase.js";
export {
  type IssueFcrGrouped,
  type IssueFcrOutput,
  type IssueFcrQueryOptions,
  type ResponseTimesSqlState,
  type TicketColumns,
  type TicketSqlOptions,
  issueFcrSql,
  onTimeRateSql,
  responseTimesSql,
  slaAdherenceSql,
  ticketFcrSql,
} from "./service.js";
