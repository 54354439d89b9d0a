// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DocumentSchema::can_contain_field @ 94a42c3db; crates/common/src/schemas/mod.rs DocumentSchema::is_vector_index_eligible @ 94a42c3db
// why: For a v.any() table every syntactically valid path can be contained and is vector-eligible.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.any())
      .index("by_xyz", ["x.y.z"] as any)
      .searchIndex("s", { searchField: "body", filterFields: ["p.q"] } as any)
      .vectorIndex("v", { vectorField: "deep.emb", dimensions: 8, filterFields: ["r"] } as any),
  }
);
