// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db
// why: The backend does not check the search field's type at push; only that it can exist.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ score: v.number(), tag: v.boolean() }).searchIndex("s", { searchField: "score", filterFields: ["tag"] }),
  }
);
