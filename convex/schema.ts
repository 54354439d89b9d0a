import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({
    wallet_address: v.string(),
    username: v.string(),
    bio: v.optional(v.string()),
    created_at: v.number(),
  }).index("by_wallet", ["wallet_address"]),

  messages: defineTable({
    user_id: v.optional(v.id("users")),
    agent_id: v.optional(v.id("agents")),
    content: v.string(),
    message_type: v.union(
      v.literal("chat"),
      v.literal("trade"),
      v.literal("liquidation"),
    ),
    created_at: v.number(),
  }).index("by_created", ["created_at"]),

  agents: defineTable({
    name: v.string(),
    persona: v.string(),
    activity_level: v.number(),
    is_active: v.boolean(),
  }),

  liquidations: defineTable({
    address: v.string(),
    collateral_type: v.string(),
    collateral_amount: v.string(),
    usd_value: v.number(),
    tx_hash: v.string(),
    created_at: v.number(),
  }).index("by_created", ["created_at"]),

  prices: defineTable({
    symbol: v.string(),
    price_usd: v.number(),
    change_24h: v.number(),
    updated_at: v.number(),
  }).index("by_symbol", ["symbol"]),
});
