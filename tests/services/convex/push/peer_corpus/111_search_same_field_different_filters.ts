// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/schemas/json.rs tests::test_search_indexes_same_field_different_filters_allowed @ bea52bde0
// why: Search indexes on the same field are distinct when their filter sets differ.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    my_table: defineTable({ title: v.string(), author: v.string(), status: v.string() })
      .searchIndex("search_by_title", { searchField: "title", filterFields: ["author"] })
      .searchIndex("search_by_title_with_status", { searchField: "title", filterFields: ["status"] }),
  }
);
