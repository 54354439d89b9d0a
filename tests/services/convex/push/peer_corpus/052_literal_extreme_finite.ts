// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<LiteralValidator> for JsonValue (via crates/common/src/bootstrap_model/schema_metadata.rs SchemaMetadata::new) @ 94a42c3db
// why: -0 ($float), 1e308, MAX_VALUE, subnormal and i64-extreme bigint literals are all finite and serialize.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({
      negZero: v.literal(-0),
      huge: v.literal(1e308),
      max: v.literal(Number.MAX_VALUE),
      tiny: v.literal(5e-324),
      bigMax: v.literal(9223372036854775807n),
      bigMin: v.literal(-9223372036854775808n),
    }),
  }
);
