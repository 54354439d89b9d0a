// verdict: reject
// rule: push/index-reserved-field
// backend: IndexFieldNameReserved
// source: crates/application/src/lib.rs Application::_validate_user_defined_index_fields @ 94a42c3db
// test: crates/application/src/tests/schema.rs test_evaluate_schema_contains_system_field @ bea52bde0
// why: Any index path part starting with "_" is reserved.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string() }).index("by_system_field", ["_reserved_for_future"] as any),
  }
);
