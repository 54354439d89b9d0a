// verdict: reject
// rule: push/index-system-field
// backend: IndexFieldsContainId
// source: crates/common/src/schemas/json.rs TryFrom<IndexSchemaJson> for IndexSchema @ 94a42c3db; crates/common/src/bootstrap_model/index/database_index/indexed_fields.rs TryFrom<Vec<FieldPath>> for IndexedFields @ 94a42c3db
// why: Staged database index fields go through the same IndexedFields parsing.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string() }).index("by_id_field", { fields: ["_id"] as any, staged: true }),
  }
);
