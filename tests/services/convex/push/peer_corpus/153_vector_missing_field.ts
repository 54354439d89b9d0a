// verdict: reject
// rule: push/index-field-missing
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/mod.rs DocumentSchema::can_contain_field @ 94a42c3db
// why: The vector field is also in fields_referenced_in_indexes, so a nonexistent field fails the containment check first.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ text: v.string() }).vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 1536 } as any),
  }
);
