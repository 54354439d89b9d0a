// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db
// why: Staged database, search and vector indexes that satisfy every rule are accepted.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string(), body: v.string(), embedding: v.array(v.float64()) })
      .index("by_a", ["a"])
      .index("by_a_body", { fields: ["a", "body"], staged: true })
      .searchIndex("search_body", { searchField: "body", staged: true })
      .searchIndex("search_body_a", { searchField: "body", filterFields: ["a"] })
      .vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 8, staged: true }),
  }
);
