// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for Validator @ 94a42c3db
// why: The "commitTs" validator type is parsed to Validator::CommitTs at this backend commit.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ seq: v.commitTs(), at: v.optional(v.commitTs()) }).index("by_seq", ["seq"]),
  }
);
