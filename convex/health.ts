import { queryGeneric } from "convex/server";
import { v } from "convex/values";
import schema from "./schema";

// What `app convex ping` asks a deployment: is it running this project's code, and is
// its schema the local one? The generic builder is used because convex/_generated/
// can only be produced against a live deployment. Its validators give Python its typed
// call (`app convex codegen`).
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
