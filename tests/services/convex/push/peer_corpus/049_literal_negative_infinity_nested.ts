// verdict: reject
// rule: push/literal-not-finite
// backend: UnsupportedFloatLiteral
// source: crates/common/src/schemas/json.rs TryFrom<LiteralValidator> for JsonValue (via crates/common/src/bootstrap_model/schema_metadata.rs SchemaMetadata::new) @ 94a42c3db
// why: -Infinity inside an array/object/union is still a non-finite float literal and fails SchemaMetadata serialization.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ bounds: v.array(v.object({ lo: v.union(v.literal(-Infinity), v.number()) })) }),
  }
);
