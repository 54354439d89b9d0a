// verdict: reject
// rule: push/field-name
// backend: InvalidSchema
// source: crates/common/src/schemas/json.rs TryFrom<BTreeMap<String, FieldTypeJson>> for ObjectValidator @ 94a42c3db; crates/value/src/field_name.rs IdentifierFieldName::from_str @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_invalid_field_name @ bea52bde0
// why: "123 myField" starts with a digit and contains a space, so it is not an identifier.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ "123 myField": v.string() }),
  }
);
