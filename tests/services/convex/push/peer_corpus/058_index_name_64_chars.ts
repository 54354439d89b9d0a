// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<IndexSchemaJson> for IndexSchema @ 94a42c3db; crates/common/src/types/index.rs IndexDescriptor::new @ 94a42c3db
// why: A 64-byte index name is exactly at the identifier limit.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string(), b: v.string() }).index("iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii", ["a"]),
  }
);
