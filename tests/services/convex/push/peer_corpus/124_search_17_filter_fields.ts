// verdict: reject
// rule: push/too-many-filter-fields
// backend: IndexTooManyFilterFields
// source: crates/common/src/schemas/mod.rs TextIndexSchema::new @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_too_many_search_filter_fields @ bea52bde0
// why: 17 distinct filter fields exceed MAX_TEXT_INDEX_FILTER_FIELDS_SIZE.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ body: v.string(), f0: v.string(), f1: v.string(), f2: v.string(), f3: v.string(), f4: v.string(), f5: v.string(), f6: v.string(), f7: v.string(), f8: v.string(), f9: v.string(), f10: v.string(), f11: v.string(), f12: v.string(), f13: v.string(), f14: v.string(), f15: v.string(), f16: v.string() }).searchIndex("search_index", { searchField: "body", filterFields: ["f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "f13", "f14", "f15", "f16"] }),
  }
);
