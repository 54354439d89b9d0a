// verdict: reject
// rule: push/vector-dimensions
// backend: InvalidSchema
// source: crates/common/src/schemas/json.rs TryFrom<VectorIndexSchemaJson> for VectorIndexSchema @ 94a42c3db
// why: Neither dimensions nor dimension is present, so the parser bails with "Missing dimensions field".
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ embedding: v.array(v.float64()) }).vectorIndex("by_embedding", { vectorField: "embedding" } as any),
  }
);
