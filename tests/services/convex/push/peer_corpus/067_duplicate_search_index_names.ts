// verdict: reject
// rule: push/duplicate-index
// backend: IndexNamesNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_search_index_names_not_unique @ bea52bde0
// why: Two search indexes share a name.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ field1: v.string(), field2: v.string() })
      .searchIndex("index_name", { searchField: "field1" })
      .searchIndex("index_name", { searchField: "field2" }),
  }
);
