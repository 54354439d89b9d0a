// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db
// why: Vector filter fields are not in fields_referenced_in_indexes, so nonexistent ones are not checked.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ embedding: v.array(v.float64()) }).vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 1536, filterFields: ["tenant", "kind.sub"] } as any),
  }
);
