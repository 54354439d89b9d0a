// verdict: reject
// rule: push/same-vector-index
// backend: VectorIndexFieldNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_vector_indexes_not_unique @ bea52bde0
// why: Two vector indexes with the same field and dimensions.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ fieldName: v.array(v.float64()) })
      .vectorIndex("firstIndex", { vectorField: "fieldName", dimensions: 1536 })
      .vectorIndex("secondIndex", { vectorField: "fieldName", dimensions: 1536 }),
  }
);
