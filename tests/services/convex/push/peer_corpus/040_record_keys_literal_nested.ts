// verdict: reject
// rule: push/record-literal-keys
// backend: InvalidRecordType
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for Validator @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::is_string_subtype_with_string_literal @ 94a42c3db
// why: A string-literal record key is rejected at any depth (here inside an array of objects).
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ items: v.array(v.object({ m: v.record(v.literal("only"), v.string()) })) }),
  }
);
