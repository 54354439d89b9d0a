// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for Validator @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::is_subset @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::is_string_subtype_with_string_literal @ 94a42c3db
// why: v.string(), v.id(...) and unions of them are subsets of v.string() and contain no string literal.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({
      byName: v.record(v.string(), v.number()),
      byUser: v.record(v.id("users"), v.boolean()),
      either: v.record(v.union(v.id("users"), v.string()), v.string()),
    }),
  }
);
