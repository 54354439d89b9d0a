// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<ValidatorJson> for DocumentSchema @ 94a42c3db
// why: A union whose members are all objects becomes DocumentSchema::Union and the index field exists in both members.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(
      v.union(
        v.object({ kind: v.literal("a"), a: v.string() }),
        v.object({ kind: v.literal("b"), b: v.number() }),
      ),
    ).index("by_kind", ["kind"]),
  }
);
