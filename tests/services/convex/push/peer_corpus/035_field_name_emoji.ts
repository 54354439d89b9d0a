// verdict: reject
// rule: push/field-name
// backend: InvalidSchema
// source: crates/common/src/schemas/json.rs TryFrom<BTreeMap<String, FieldTypeJson>> for ObjectValidator @ 94a42c3db; crates/value/src/field_name.rs IdentifierFieldName::from_str @ 94a42c3db
// test: crates/convex/sync_types/src/identifier.rs test_emoji_in_field_name @ bea52bde0
// why: Field names must be non-control ASCII, so an emoji makes the name invalid.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ "field😀name": v.string() }),
  }
);
