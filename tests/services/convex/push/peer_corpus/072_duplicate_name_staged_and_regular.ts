// verdict: reject
// rule: push/duplicate-index
// backend: IndexNamesNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// why: A staged database index and an enabled one share a name; the name check covers staged indexes too.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string(), b: v.string() })
      .index("by_x", ["a"])
      .index("by_x", { fields: ["b"], staged: true }),
  }
);
