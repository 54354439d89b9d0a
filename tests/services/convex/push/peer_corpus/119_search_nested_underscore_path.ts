// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_can_contain_field @ 94a42c3db
// why: Unlike database indexes, search index paths may have "_" parts; nested "_secret" exists.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ meta: v.object({ _secret: v.string() }) }).searchIndex("s", { searchField: "meta._secret" }),
  }
);
