// verdict: reject
// rule: push/reserved-index
// backend: IndexNameReserved
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/common/src/types/index.rs GenericIndexName::new @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_index_names_reserved @ bea52bde0
// why: "by_id" is reserved for the system index.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ id: v.string() }).index("by_id", ["id"]),
  }
);
