// verdict: reject
// rule: push/index-reserved-field
// backend: IndexFieldNameReserved
// source: crates/common/src/schemas/json.rs TryFrom<IndexSchemaJson> for IndexSchema @ 94a42c3db; crates/application/src/lib.rs Application::_validate_user_defined_index_fields @ 94a42c3db
// why: "ref._id" is not the top-level _id path (so no IndexFieldsContainId), but its "_id" part is reserved.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ ref: v.object({ _id: v.string() }) }).index("by_ref_id", ["ref._id"]),
  }
);
