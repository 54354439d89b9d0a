// verdict: reject
// rule: push/field-name
// backend: InvalidSchema
// source: crates/common/src/schemas/json.rs TryFrom<BTreeMap<String, FieldTypeJson>> for ObjectValidator @ 94a42c3db; crates/value/src/field_name.rs IdentifierFieldName::from_str @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_invalid_field_name @ bea52bde0
// why: Nested object field names must also be identifiers; "123 nested" is not.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ myField: v.object({ "123 nested": v.string() }) }),
  }
);
