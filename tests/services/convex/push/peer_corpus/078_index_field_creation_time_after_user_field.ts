// verdict: reject
// rule: push/index-system-field
// backend: IndexFieldsContainCreationTime
// source: crates/application/src/lib.rs Application::_validate_user_defined_index_fields @ 94a42c3db
// why: "_creationTime" is rejected anywhere in the list, even as the last field (a common mistake).
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string() }).index("by_a_time", ["a", "_creationTime"]),
  }
);
