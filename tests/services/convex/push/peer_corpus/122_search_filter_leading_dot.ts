// verdict: warn
// rule: push/index-field-normalized
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<TextIndexSchemaJson> for TextIndexSchema @ 94a42c3db; crates/value/src/field_path.rs FieldPath::from_str @ 94a42c3db
// why: "body." and ".status" are trimmed to "body" and "status".
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ body: v.string(), status: v.string() }).searchIndex("s", { searchField: "body.", filterFields: [".status"] } as any),
  }
);
