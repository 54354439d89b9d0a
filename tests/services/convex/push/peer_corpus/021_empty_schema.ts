// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// why: A schema with no tables is valid.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({});
