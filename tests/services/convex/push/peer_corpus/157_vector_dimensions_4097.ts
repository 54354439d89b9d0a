// verdict: reject
// rule: push/vector-dimensions
// backend: InvalidVectorDimensionError
// source: crates/common/src/schemas/json.rs TryFrom<VectorIndexSchemaJson> for VectorIndexSchema @ 94a42c3db; crates/common/src/bootstrap_model/index/vector_index/dimensions.rs TryFrom<u32> for VectorDimensions @ 94a42c3db
// why: 4097 exceeds MAX_VECTOR_DIMENSIONS (4096).
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ embedding: v.array(v.float64()) }).vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 4097 } as any),
  }
);
