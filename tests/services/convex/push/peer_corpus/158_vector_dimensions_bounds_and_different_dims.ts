// verdict: accept
// backend: none
// source: crates/common/src/bootstrap_model/index/vector_index/dimensions.rs TryFrom<u32> for VectorDimensions @ 94a42c3db; crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// why: 2 and 4096 are the inclusive bounds, and the same field with different dimensions is distinct.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ embedding: v.array(v.float64()) })
      .vectorIndex("by_embedding_2", { vectorField: "embedding", dimensions: 2 })
      .vectorIndex("by_embedding_4096", { vectorField: "embedding", dimensions: 4096 }),
  }
);
