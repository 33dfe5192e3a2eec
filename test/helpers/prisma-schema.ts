// Reads prisma/schema.prisma into tables, columns and indexes, so a test can hold the
// migrations' SQL against it without Prisma's native engine.
import { readFileSync } from "node:fs";
import path from "node:path";

export type SchemaColumn = { field: string; column: string; type: string; nullable: boolean; unique: boolean };
export type SchemaModel = { name: string; table: string; columns: SchemaColumn[]; indexes: { columns: string[]; unique: boolean }[] };

const SCALARS = new Set(["String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes"]);

export function readPrismaSchema(file = path.resolve(import.meta.dirname, "../../prisma/schema.prisma")): SchemaModel[] {
  const text = readFileSync(file, "utf8").replace(/\/\/.*$/gm, "");
  const models: SchemaModel[] = [];
  for (const m of text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const name = m[1]!;
    const body = m[2]!;
    const model: SchemaModel = { name, table: name, columns: [], indexes: [] };
    for (const raw of body.split("\n")) {
      const line = raw.trim();
      if (!line) continue;
      if (line.startsWith("@@map")) {
        model.table = /@@map\("([^"]+)"\)/.exec(line)![1]!;
        continue;
      }
      const idx = /^@@(index|unique)\(\[([^\]]*)\]/.exec(line);
      if (idx) {
        model.indexes.push({ unique: idx[1] === "unique", columns: idx[2]!.split(",").map((s) => s.trim().replace(/\(.*\)$/, "")) });
        continue;
      }
      if (line.startsWith("@@")) continue;
      const f = /^(\w+)\s+(\w+)(\?|\[\])?\s*(.*)$/.exec(line);
      if (!f) continue;
      const [, field, type, modifier, attrs] = f as unknown as [string, string, string, string | undefined, string];
      if (!SCALARS.has(type) || modifier === "[]") continue; // relation fields have no column
      const mapped = /@map\("([^"]+)"\)/.exec(attrs);
      model.columns.push({ field, column: mapped ? mapped[1]! : field, type, nullable: modifier === "?", unique: /@unique\b/.test(attrs) });
    }
    // @@index names fields: translate them to columns.
    model.indexes = model.indexes.map((i) => ({ ...i, columns: i.columns.map((fname) => model.columns.find((c) => c.field === fname)?.column ?? `?${fname}`) }));
    models.push(model);
  }
  return models;
}

/** The PostgreSQL type Prisma creates for a scalar (with the @db attributes this project uses). */
export const PG_TYPE: Record<string, string> = {
  String: "text",
  Boolean: "boolean",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  DateTime: "timestamp with time zone",
  Json: "jsonb",
  Bytes: "bytea",
};
