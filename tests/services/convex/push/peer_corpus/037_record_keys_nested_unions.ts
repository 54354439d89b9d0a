// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for Validator @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::is_subset @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::is_string_subtype_with_string_literal @ 94a42c3db
// why: Nested unions of string-like key validators are still subsets of v.string() with no literal.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({
      m: v.record(v.union(v.union(v.string(), v.id("a")), v.id("b")), v.array(v.string())),
    }),
  }
);
