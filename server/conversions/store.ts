// The conversions store: what the console's pages and actions call (one operation per file).
export { createConversion, headRevisions, type ConfigRevisionRef } from "./create-conversion.ts";
export { listConversions, ZConversionFilter, type ConversionPage, type ConversionSummary, type TConversionFilter } from "./list-conversions.ts";
export { getConversion, type ConversionDetail, type LogLine, type LogLevel, type LogWindow } from "./get-conversion.ts";
export { requestCancel, startFromPlan, retry, replan } from "./change-conversion.ts";
export { readConversion, type ConversionRow, type ConversionProgress } from "./conversion-row.ts";
