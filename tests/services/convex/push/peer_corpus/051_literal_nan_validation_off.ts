// verdict: reject
// rule: push/literal-not-finite
// backend: UnsupportedFloatLiteral
// source: crates/common/src/schemas/json.rs TryFrom<LiteralValidator> for JsonValue (via crates/common/src/bootstrap_model/schema_metadata.rs SchemaMetadata::new) @ 94a42c3db
// why: SchemaMetadata::new serializes the schema regardless of schemaValidation, so NaN still fails.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ x: v.optional(v.literal(NaN)) }),
  },
  { schemaValidation: false },
);
