// verdict: reject
// rule: push/literal-not-finite
// backend: UnsupportedFloatLiteral
// source: crates/common/src/schemas/json.rs TryFrom<LiteralValidator> for JsonValue (via crates/common/src/bootstrap_model/schema_metadata.rs SchemaMetadata::new) @ 94a42c3db
// test: crates/common/src/schemas/json.rs test_nan_literal_is_user_error @ bea52bde0
// why: NaN is accepted by the parser but serde_json::Number::from_f64 fails when the schema is stored.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ x: v.literal(NaN) }),
  }
);
