// verdict: reject
// rule: push/reserved-table
// backend: TableNameReserved
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_table_name_reserved @ bea52bde0
// why: "_reserved" is a valid identifier but starts with "_", the system-table namespace.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    _reserved: defineTable({ a: v.string() }),
  }
);
