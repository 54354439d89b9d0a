// verdict: reject
// rule: push/same-search-index
// backend: SearchIndexFieldNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/common/src/schemas/json.rs TryFrom<TextIndexSchemaJson> for TextIndexSchema @ 94a42c3db
// why: Filter fields are a set, so ["a","b"] and ["b","a"] are the same filter set.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ body: v.string(), a: v.string(), b: v.string() })
      .searchIndex("s1", { searchField: "body", filterFields: ["a", "b"] })
      .searchIndex("s2", { searchField: "body", filterFields: ["b", "a"] }),
  }
);
