// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_many_search_indexes @ bea52bde0
// why: Several search indexes on different fields are fine.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.any())
      .searchIndex("index0", { searchField: "fieldName0" } as any)
      .searchIndex("index1", { searchField: "fieldName1" } as any)
      .searchIndex("index2", { searchField: "fieldName2" } as any)
      .searchIndex("index3", { searchField: "fieldName3" } as any)
      .searchIndex("index4", { searchField: "fieldName4" } as any)
      .searchIndex("index5", { searchField: "fieldName5" } as any)
      .searchIndex("index6", { searchField: "fieldName6" } as any),
  }
);
