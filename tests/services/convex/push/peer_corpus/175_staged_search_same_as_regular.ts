// verdict: reject
// rule: push/same-search-index
// backend: SearchIndexFieldNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// why: Search uniqueness spans enabled and staged search indexes.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ body: v.string() })
      .searchIndex("s1", { searchField: "body" })
      .searchIndex("s2", { searchField: "body", staged: true }),
  }
);
