// verdict: reject
// rule: push/index-system-field
// backend: IndexFieldsContainCreationTime
// source: crates/application/src/lib.rs Application::_validate_user_defined_index_fields @ 94a42c3db
// why: _evaluate_schema validates staged database indexes too.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string() }).index("by_a_time", { fields: ["a", "_creationTime"], staged: true }),
  }
);
