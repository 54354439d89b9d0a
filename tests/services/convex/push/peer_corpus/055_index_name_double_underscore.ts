// verdict: reject
// rule: push/index-name
// backend: InvalidIndexName
// source: crates/common/src/schemas/json.rs TryFrom<IndexSchemaJson> for IndexSchema @ 94a42c3db; crates/common/src/types/index.rs IndexDescriptor::new @ 94a42c3db
// why: "__" is all underscores, so it is an invalid (not a reserved) index name.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string(), b: v.string() }).index("__", ["a"]),
  }
);
