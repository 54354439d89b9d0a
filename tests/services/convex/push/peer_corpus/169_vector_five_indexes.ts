// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_many_vector_indexes @ bea52bde0
// why: Several vector indexes on different fields are fine.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.any())
      .vectorIndex("index0", { vectorField: "fieldName0", dimensions: 1536 } as any)
      .vectorIndex("index1", { vectorField: "fieldName1", dimensions: 1536 } as any)
      .vectorIndex("index2", { vectorField: "fieldName2", dimensions: 1536 } as any)
      .vectorIndex("index3", { vectorField: "fieldName3", dimensions: 1536 } as any)
      .vectorIndex("index4", { vectorField: "fieldName4", dimensions: 1536 } as any),
  }
);
