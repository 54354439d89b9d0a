// verdict: reject
// rule: push/duplicate-index
// backend: IndexNamesNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_vector_index_names_not_unique @ bea52bde0
// why: Two vector indexes share a name.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ fieldName: v.array(v.float64()), fieldName2: v.array(v.float64()) })
      .vectorIndex("index_name", { vectorField: "fieldName", dimensions: 1536 })
      .vectorIndex("index_name", { vectorField: "fieldName2", dimensions: 1536 }),
  }
);
