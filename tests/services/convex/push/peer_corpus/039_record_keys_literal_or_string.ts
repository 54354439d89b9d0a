// verdict: reject
// rule: push/record-literal-keys
// backend: InvalidRecordType
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for Validator @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::is_string_subtype_with_string_literal @ 94a42c3db
// why: The key union is a subset of v.string() but contains a string literal, which records forbid.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ m: v.record(v.union(v.literal("a"), v.string()), v.number()) }),
  }
);
