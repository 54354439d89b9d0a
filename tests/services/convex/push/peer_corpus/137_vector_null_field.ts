// verdict: reject
// rule: push/vector-field-type
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_null_vector_index_field_fails @ bea52bde0
// why: A null field cannot be a vector field.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ myField: v.null() }).vectorIndex("myVectorIndex", { vectorField: "myField", dimensions: 1536 } as any),
  }
);
