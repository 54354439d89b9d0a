// verdict: reject
// rule: push/document-type
// backend: InvalidTopLevelTypeInSchemaError
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for DocumentSchema @ 94a42c3db
// why: A record is not an object validator, so it cannot be a table's document type.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.record(v.string(), v.string()) as any),
  }
);
