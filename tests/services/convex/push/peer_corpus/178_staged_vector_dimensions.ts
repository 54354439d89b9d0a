// verdict: reject
// rule: push/vector-dimensions
// backend: InvalidVectorDimensionError
// source: crates/common/src/schemas/json.rs TryFrom<VectorIndexSchemaJson> for VectorIndexSchema @ 94a42c3db; crates/common/src/bootstrap_model/index/vector_index/dimensions.rs TryFrom<u32> for VectorDimensions @ 94a42c3db
// why: Staged vector dimensions are range-checked the same way.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ embedding: v.array(v.float64()) }).vectorIndex("v", { vectorField: "embedding", dimensions: 5000, staged: true }),
  }
);
