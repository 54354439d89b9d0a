// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_can_contain_field @ 94a42c3db
// why: Indexing the array or record field itself is fine; only paths into them are not.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ tags: v.array(v.string()), rec: v.record(v.string(), v.number()) }).index("by_tags", ["tags"]).index("by_rec", ["rec"]),
  }
);
