// verdict: reject
// rule: push/field-name
// backend: InvalidSchema
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for Validator @ 94a42c3db; crates/common/src/schemas/json.rs TryFrom<BTreeMap<String, FieldTypeJson>> for ObjectValidator @ 94a42c3db; crates/value/src/field_name.rs IdentifierFieldName::from_str @ 94a42c3db
// why: Object field names are checked at any depth, including inside record values, and "$ref" starts with "$".
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ refs: v.record(v.string(), v.object({ $ref: v.string() })) }),
  }
);
