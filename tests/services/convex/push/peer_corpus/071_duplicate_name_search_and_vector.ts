// verdict: reject
// rule: push/duplicate-index
// backend: IndexNamesNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_reused_index_name_between_search_and_vector_indexes @ bea52bde0
// why: Index names must be unique across search and vector indexes.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ field1: v.string(), fieldName: v.array(v.float64()) })
      .searchIndex("index_name", { searchField: "field1" })
      .vectorIndex("index_name", { vectorField: "fieldName", dimensions: 1536 }),
  }
);
