// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// why: Field lists that differ in order or length are distinct; a search index on the same field is a separate kind.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string(), b: v.string() })
      .index("by_ab", ["a", "b"])
      .index("by_ba", ["b", "a"])
      .index("by_a", ["a"])
      .searchIndex("search_a", { searchField: "a" }),
  }
);
