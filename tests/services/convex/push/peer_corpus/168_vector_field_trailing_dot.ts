// verdict: warn
// rule: push/index-field-normalized
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<VectorIndexSchemaJson> for VectorIndexSchema @ 94a42c3db; crates/value/src/field_path.rs FieldPath::from_str @ 94a42c3db
// why: "doc.embedding." is trimmed to "doc.embedding".
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ doc: v.object({ embedding: v.array(v.float64()) }) }).vectorIndex("by_embedding", { vectorField: "doc.embedding.", dimensions: 1536 } as any),
  }
);
