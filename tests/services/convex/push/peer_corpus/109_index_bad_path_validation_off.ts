// verdict: reject
// rule: push/index-field-path
// backend: InvalidIndexField
// source: crates/common/src/schemas/json.rs TryFrom<IndexSchemaJson> for IndexSchema @ 94a42c3db; crates/value/src/field_path.rs FieldPath::from_str @ 94a42c3db
// why: Path syntax is checked by the parser, independent of schemaValidation.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ field: v.string() }).index("by_bad", ["field..x"] as any),
  },
  { schemaValidation: false },
);
