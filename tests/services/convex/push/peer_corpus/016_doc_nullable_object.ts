// verdict: reject
// rule: push/document-type
// backend: InvalidTopLevelTypeInSchemaError
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for DocumentSchema @ 94a42c3db
// why: v.nullable(obj) is v.union(obj, v.null()) and the null member is not an object.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.nullable(v.object({ a: v.string() })) as any),
  }
);
