// verdict: reject
// rule: push/index-reserved-field
// backend: IndexFieldNameReserved
// source: crates/application/src/lib.rs Application::_validate_user_defined_index_fields @ 94a42c3db
// why: _validate_user_defined_index_fields runs for every push, independent of schemaValidation.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ field: v.string() }).index("by_hidden", ["_hidden"] as any),
  },
  { schemaValidation: false },
);
