import { getStaffSession } from "@/lib/auth";
import { logger } from "@/lib/logger";
import { sessionCan } from "@/lib/permissions";
import { feedParamsSchema, readingFeed } from "@/lib/queries/feed";

export const dynamic = "force-dynamic";

const NO_STORE = { "Cache-Control": "no-store" };

// GET /api/readings/feed?metric=&outOfRange=1&limit=: the newest readings for the live feed, polled every few
// seconds. Polls are not audited one by one; opening the Readings page is.
export async function GET(request: Request) {
  const session = await getStaffSession();
  if (!session) return Response.json({ error: "Your session has ended. Sign in again." }, { status: 401, headers: NO_STORE });
  if (!sessionCan(session, "reading.read")) return Response.json({ error: "Your role does not include readings." }, { status: 403, headers: NO_STORE });
  const params = feedParamsSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  try {
    const rows = await readingFeed(params);
    return Response.json({ rows, generatedAt: new Date().toISOString() }, { headers: NO_STORE });
  } catch (error) {
    logger.error("reading feed failed", { error: error instanceof Error ? error.name : "unknown" });
    return Response.json({ error: "The feed could not be loaded." }, { status: 500, headers: NO_STORE });
  }
}
