// verdict: reject
// rule: push/vector-field-type
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/mod.rs DocumentSchema::is_vector_index_eligible @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// why: Both members declare "embedding" as a string, so no member overlaps with an array of float64.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.union(v.object({ kind: v.literal("a"), embedding: v.string() }), v.object({ kind: v.literal("b"), embedding: v.optional(v.string()) }))).vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 1536 } as any),
  }
);
