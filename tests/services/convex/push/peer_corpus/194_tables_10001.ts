// verdict: reject
// rule: push/too-many-tables
// backend: TooManyTables
// source: crates/database/src/bootstrap_model/table.rs TableModel::_insert_table_metadata @ 94a42c3db; crates/database/src/bootstrap_model/schema/mod.rs SchemaModel::submit_pending @ 94a42c3db
// why: Submitting the schema creates each of its tables, and a deployment holds fewer than MAX_USER_TABLES = 10000 before each creation: the 10001st fails.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

const tables: Record<string, any> = {};
for (let i = 0; i < 10001; i++) tables[`t${i}`] = defineTable({ a: v.string() });

export default defineSchema(tables);
