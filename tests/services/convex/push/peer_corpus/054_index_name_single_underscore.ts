// verdict: reject
// rule: push/index-name
// backend: InvalidIndexName
// source: crates/common/src/schemas/json.rs TryFrom<IndexSchemaJson> for IndexSchema @ 94a42c3db; crates/common/src/types/index.rs IndexDescriptor::new @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_invalid_index_descriptor @ bea52bde0
// why: "_" is all underscores: invalid identifier, reported as InvalidIndexName rather than reserved.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string(), b: v.string() }).index("_", ["a"]),
  }
);
