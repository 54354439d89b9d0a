// verdict: reject
// rule: push/duplicate-index
// backend: IndexNamesNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_reused_index_name_between_database_and_search_indexes @ bea52bde0
// why: Index names must be unique across database and search indexes.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ field1: v.string() })
      .index("index_name", ["field1"])
      .searchIndex("index_name", { searchField: "field1" }),
  }
);
