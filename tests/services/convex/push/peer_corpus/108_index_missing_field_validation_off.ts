// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db
// why: check_index_references returns early when schemaValidation is false, so missing fields and non-vector fields pass.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ field: v.string() })
      .index("by_other", ["other_field"] as any)
      .searchIndex("search_missing", { searchField: "nope", filterFields: ["also_nope"] } as any)
      .vectorIndex("vec_on_string", { vectorField: "field", dimensions: 4 }),
  },
  { schemaValidation: false },
);
