// Joins class names, skipping falsy parts. No merging: a className passed to a primitive is
// appended, so use it for layout (margins, widths), not to override the primitive's colours.
export function cn(...parts: Array<string | false | null | undefined>): string {
  return parts.filter(Boolean).join(" ");
}
