// verdict: reject
// rule: push/same-vector-index
// backend: VectorIndexFieldNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_vector_fields_and_dimensions_not_unique_but_filter_fields_are_unique_fails @ bea52bde0
// why: Vector uniqueness ignores filter fields: same field and dimensions is a conflict.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ fieldName: v.array(v.float64()), first: v.string(), second: v.string() })
      .vectorIndex("firstIndex", { vectorField: "fieldName", dimensions: 1536, filterFields: ["first"] })
      .vectorIndex("secondIndex", { vectorField: "fieldName", dimensions: 1536, filterFields: ["second"] }),
  }
);
