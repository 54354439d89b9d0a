// verdict: reject
// rule: push/field-name
// backend: InvalidSchema
// source: crates/common/src/schemas/json.rs TryFrom<BTreeMap<String, FieldTypeJson>> for ObjectValidator @ 94a42c3db; crates/value/src/field_name.rs IdentifierFieldName::from_str @ 94a42c3db
// why: A 65-byte field name exceeds MAX_IDENTIFIER_LEN (64).
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff: v.string() }),
  }
);
