// verdict: accept
// backend: none
// source: crates/common/src/types/index.rs GenericIndexName::new @ 94a42c3db
// why: Only the exact names by_id/by_creation_time and "_" prefixes are reserved.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ id: v.string(), creation_time: v.number(), a: v.string() })
      .index("by_id_2", ["id"])
      .index("by_creation_time_desc", ["creation_time"])
      .index("id", ["a"]),
  }
);
