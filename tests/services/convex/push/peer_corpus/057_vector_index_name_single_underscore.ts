// verdict: reject
// rule: push/index-name
// backend: InvalidIndexName
// source: crates/common/src/schemas/json.rs TryFrom<VectorIndexSchemaJson> for VectorIndexSchema @ 94a42c3db; crates/common/src/types/index.rs IndexDescriptor::new @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_invalid_vector_index_descriptor @ bea52bde0
// why: Vector index names go through the same IndexDescriptor::new check.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ fieldName: v.array(v.float64()) }).vectorIndex("_", { vectorField: "fieldName", dimensions: 1536 }),
  }
);
