// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_can_contain_field @ 94a42c3db
// test: crates/common/src/schemas/tests.rs can_contain_field::returns_true_for_nested_fields @ bea52bde0
// why: Nested object paths (through an optional object) can be contained.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ profile: v.object({ address: v.optional(v.object({ city: v.string() })) }) }).index("by_city", ["profile.address.city"]),
  }
);
