// PostgreSQL array literals ('{"a","b"}') for the few hot statements that pass a column of
// thousands of values as one parameter (appendLogs). `pg` builds them element by element (two
// regex replaces and a type check per value); these take the columns as they come, runs and
// ranges included, so a run of equal values is quoted once. Every value is quoted, so "NULL",
// empty strings, commas, braces and spaces stay text; backslashes and double quotes are escaped.
import type { Ranges, Runs } from "../log-columns.ts";

const SPECIAL = /[\\"]/;
const SPECIALS = /[\\"]/g;

function quote(value: string): string {
  return `"${SPECIAL.test(value) ? value.replace(SPECIALS, "\\$&") : value}"`;
}

/** `{"a","b",...}`: one element per value. */
export function textArray(values: readonly string[]): string {
  return `{${values.map(quote).join(",")}}`;
}

/** The values runs stand for, as a text array literal (each run's value quoted once). */
export function runsArray(runs: Runs<string>): string {
  let out = "";
  for (const [value, n] of runs) out += `${quote(value)},`.repeat(n);
  return `{${out.slice(0, -1)}}`;
}

/** The integers ranges stand for, as an array literal. */
export function rangesArray(ranges: Ranges): string {
  const out: number[] = [];
  for (const [first, n] of ranges) for (let i = 0; i < n; i++) out.push(first + i);
  return `{${out.join(",")}}`;
}
