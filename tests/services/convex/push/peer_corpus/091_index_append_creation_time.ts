// verdict: accept
// backend: none
// source: crates/application/src/lib.rs Application::_validate_user_defined_index_fields @ 94a42c3db
// test: crates/application/src/tests/schema.rs test_evaluate_schema_append_creation_time @ bea52bde0
// why: Plain indexes are accepted; the application appends _creationTime to each.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    messages: defineTable({ channel: v.string(), author: v.string() }).index("by_channel", ["channel"]).index("by_author", ["author"]),
  }
);
