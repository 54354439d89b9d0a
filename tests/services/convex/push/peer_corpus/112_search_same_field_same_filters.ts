// verdict: reject
// rule: push/same-search-index
// backend: SearchIndexFieldNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/schemas/json.rs tests::test_search_indexes_same_field_same_filters_rejected @ bea52bde0
// why: Two search indexes with the same search field and filter set are rejected.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    my_table: defineTable({ title: v.string(), author: v.string() })
      .searchIndex("search_idx_1", { searchField: "title", filterFields: ["author"] })
      .searchIndex("search_idx_2", { searchField: "title", filterFields: ["author"] }),
  }
);
