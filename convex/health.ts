import { queryGeneric } from "convex/server";
import { v } from "convex/values";
import schema from "./schema";

// What `app convex ping` asks a deployment: is it running this project's code, and is
// its schema the local one? The generic builder keeps this module independent of
// convex/_generated/ (committed, and rewritten by `convex dev` on each push), so that it
// evaluates wherever the schema does, in copies of convex/ without it too. Its validators
// give Python its typed call (`app convex codegen`).
export const ping = queryGeneric({
  args: {},
  returns: v.object({ status: v.literal("ok"), schema: v.string() }),
  handler: async () => ({
    status: "ok" as const,
    // `export()` is what the Convex CLI pushes; it is marked internal, so it is
    // missing from the published types.
    schema: (schema as unknown as { export(): string }).export(),
  }),
});
