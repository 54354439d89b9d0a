// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<BTreeMap<String, FieldTypeJson>> for ObjectValidator @ 94a42c3db; crates/value/src/field_name.rs IdentifierFieldName::from_str @ 94a42c3db
// why: A 64-byte field name is within the identifier limit, and may be indexed.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff: v.string() }).index("by_long", ["ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"]),
  }
);
