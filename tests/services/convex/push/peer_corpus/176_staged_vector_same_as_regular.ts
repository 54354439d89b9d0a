// verdict: reject
// rule: push/same-vector-index
// backend: VectorIndexFieldNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// why: Vector uniqueness spans enabled and staged vector indexes.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ embedding: v.array(v.float64()) })
      .vectorIndex("v1", { vectorField: "embedding", dimensions: 16 })
      .vectorIndex("v2", { vectorField: "embedding", dimensions: 16, staged: true }),
  }
);
