// verdict: reject
// rule: push/vector-field-type
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// why: Array elements must be exactly float64 or any; Array(Union(float64,null)) is not eligible.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ embedding: v.array(v.union(v.float64(), v.null())) }).vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 1536 } as any),
  }
);
