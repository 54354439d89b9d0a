import { queryGeneric } from "convex/server";
import schema from "./schema";

// What `app convex ping` asks a deployment: is it running this project's code, and is
// its schema the local one? The generic builder is used because convex/_generated/
// can only be produced against a live deployment.
export const ping = queryGeneric({
  args: {},
  handler: async () => ({
    status: "ok",
    // `export()` is what the Convex CLI pushes; it is marked internal, so it is
    // missing from the published types.
    schema: (schema as unknown as { export(): string }).export(),
  }),
});
