// verdict: reject
// rule: push/document-type
// backend: InvalidTopLevelTypeInSchemaError
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for DocumentSchema @ 94a42c3db
// why: A document validator of v.string() is neither an object, a union of objects nor v.any().
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.string() as any),
  }
);
