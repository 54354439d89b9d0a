// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<BTreeMap<String, FieldTypeJson>> for ObjectValidator @ 94a42c3db; crates/common/src/schemas/validator.rs ObjectValidator::filter_system_fields (from json.rs TryFrom<ValidatorJson> for DocumentSchema) @ 94a42c3db
// why: Only top-level "_" fields are filtered; nested "_internal" is a valid identifier and is kept.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ meta: v.object({ _internal: v.string(), _v: v.optional(v.number()) }) }),
  }
);
