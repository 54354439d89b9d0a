// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// why: Index names (and field lists) only need to be unique within one table.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    users: defineTable({ email: v.string() }).index("by_email", ["email"]),
    admins: defineTable({ email: v.string() }).index("by_email", ["email"]),
  }
);
