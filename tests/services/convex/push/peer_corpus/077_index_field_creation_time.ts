// verdict: reject
// rule: push/index-system-field
// backend: IndexFieldsContainCreationTime
// source: crates/application/src/lib.rs Application::_validate_user_defined_index_fields @ 94a42c3db
// test: crates/application/src/tests/schema.rs test_evaluate_schema_contains_creation_time @ bea52bde0
// why: The application rejects an explicit "_creationTime" field because it is appended automatically.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string() }).index("by_my_creation_time", ["_creationTime"]),
  }
);
