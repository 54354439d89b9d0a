// verdict: reject
// rule: push/record-keys
// backend: InvalidRecordType
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for Validator @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::is_subset @ 94a42c3db
// why: v.number() keys are not a subtype of v.string().
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ m: v.record(v.number() as any, v.string()) }),
  }
);
