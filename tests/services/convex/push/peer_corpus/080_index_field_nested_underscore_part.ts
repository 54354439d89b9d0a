// verdict: reject
// rule: push/index-reserved-field
// backend: IndexFieldNameReserved
// source: crates/application/src/lib.rs Application::_validate_user_defined_index_fields @ 94a42c3db
// why: Nested "_secret" is a legal document field, but no database-index path part may start with "_".
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ meta: v.object({ _secret: v.string() }) }).index("by_secret", ["meta._secret"]),
  }
);
