// verdict: reject
// rule: push/literal-not-finite
// backend: UnsupportedFloatLiteral
// source: crates/common/src/schemas/json.rs TryFrom<LiteralValidator> for JsonValue (via crates/common/src/bootstrap_model/schema_metadata.rs SchemaMetadata::new) @ 94a42c3db
// test: crates/common/src/schemas/json.rs test_infinite_literal_is_user_error @ bea52bde0
// why: Infinity parses as a Float64 literal but cannot be re-serialized to JSON when the schema is stored.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ limit: v.literal(Infinity) }),
  }
);
