// verdict: reject
// rule: push/document-type
// backend: InvalidTopLevelTypeInSchemaError
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for DocumentSchema @ 94a42c3db
// why: v.any() is allowed as the whole document type but not as a member of a top-level union.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.union(v.object({ a: v.string() }), v.any())),
  }
);
