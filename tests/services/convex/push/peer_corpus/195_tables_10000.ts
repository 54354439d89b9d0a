// verdict: accept
// backend: none
// source: crates/database/src/bootstrap_model/table.rs TableModel::_insert_table_metadata @ 94a42c3db
// why: 10000 tables: before the last one is created 9999 exist, fewer than MAX_USER_TABLES.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

const tables: Record<string, any> = {};
for (let i = 0; i < 10000; i++) tables[`t${i}`] = defineTable({ a: v.string() });

export default defineSchema(tables);
