// verdict: reject
// rule: push/reserved-index
// backend: IndexNameReserved
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/common/src/types/index.rs GenericIndexName::new @ 94a42c3db
// why: "by_creation_time" is reserved regardless of index kind.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ text: v.string() }).searchIndex("by_creation_time", { searchField: "text" }),
  }
);
