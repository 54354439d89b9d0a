// verdict: reject
// rule: push/same-search-index
// backend: SearchIndexFieldNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_search_index_fields_not_unique @ bea52bde0
// why: Same search field and (empty) filter set.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ text: v.string() })
      .searchIndex("firstIndex", { searchField: "text" })
      .searchIndex("secondIndex", { searchField: "text" }),
  }
);
