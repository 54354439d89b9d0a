// verdict: reject
// rule: push/reserved-index
// backend: IndexNameReserved
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/common/src/types/index.rs GenericIndexName::new @ 94a42c3db
// why: Staged index names are in the same name loop and "by_creation_time" is reserved.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string() }).index("by_creation_time", { fields: ["a"], staged: true }),
  }
);
