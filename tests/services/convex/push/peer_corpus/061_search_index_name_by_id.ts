// verdict: reject
// rule: push/reserved-index
// backend: IndexNameReserved
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/common/src/types/index.rs GenericIndexName::new @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_search_index_name_reserved @ bea52bde0
// why: Reserved names apply to search indexes too.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ text: v.string() }).searchIndex("by_id", { searchField: "text" }),
  }
);
