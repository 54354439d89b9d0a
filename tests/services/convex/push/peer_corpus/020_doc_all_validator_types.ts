// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for Validator @ 94a42c3db; crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/isolate/src/tests/schema.rs test_eval_schema @ bea52bde0
// why: Every validator kind, db indexes and a search index with filters parse as in the backend's isolate schema test.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    noIndexes: defineTable({
      ref: v.id("twoIndexTable"),
      nullField: v.null(),
      numberField: v.number(),
      bigintField: v.int64(),
      booleanField: v.boolean(),
      stringField: v.string(),
      bytesField: v.bytes(),
      arrayField: v.array(v.boolean()),
      anyField: v.any(),
      literalBigint: v.literal(1n),
      literalNumber: v.literal(0),
      literalString: v.literal("hello world"),
      literalBoolean: v.literal(true),
      union: v.union(v.string(), v.number()),
      object: v.object({ a: v.optional(v.any()) }),
    }),
    twoIndexTable: defineTable(v.any()).index("by_email", ["email"] as any).index("by_creation_deleted", ["creation", "deleted"] as any),
    searchIndexTable: defineTable(v.any()).searchIndex("search_index", { searchField: "title", filterFields: ["is_deleted", "workspace_id"] } as any),
  }
);
