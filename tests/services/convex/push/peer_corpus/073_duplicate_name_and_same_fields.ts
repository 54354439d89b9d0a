// verdict: reject
// rule: push/duplicate-index
// also: error push/same-index-fields
// backend: IndexNamesNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// why: The name-keyed map keeps one "by_a", so the same-fields check sees a single index and the name loop reports the duplicate name. Renamed, the two would still share their fields (IndexNotUnique): the check says both at once.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string() }).index("by_a", ["a"]).index("by_a", ["a"]),
  }
);
