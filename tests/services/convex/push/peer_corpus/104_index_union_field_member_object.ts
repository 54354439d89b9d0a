// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_can_contain_field @ 94a42c3db
// test: crates/common/src/schemas/tests.rs can_contain_field::returns_true_for_fields_that_are_sometimes_in_a_schema_containing_an_union @ bea52bde0
// why: A path is containable when at least one union member (here one object) contains it.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({
      token: v.union(
        v.object({ type: v.literal("discord"), username: v.string() }),
        v.object({ type: v.literal("google"), email: v.string() }),
        v.string(),
      ),
    }).index("by_email", ["token.email"]).index("by_type", ["token.type"]),
  }
);
