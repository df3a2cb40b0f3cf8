import pg from "pg";

import { logger } from "@/lib/logger";
import { INGEST_NOTIFY_CHANNEL } from "@/lib/ingest/raw-store";

// A running listener and how to stop it (stop waits for the drain in progress).
export type IngestListener = { stop: () => Promise<void>; idle: () => Promise<void> };

// How the listener reconnects after losing its connection, and how long a notification waits for others before the
// drain starts: a stream of webhooks is then drained a bulk round at a time instead of a round per delivery (every
// round costs the same dozen statements and alert checks however few events it takes).
export type IngestListenerSettings = { reconnectMinMs: number; reconnectMaxMs: number; coalesceMs: number };

const DEFAULT_SETTINGS: IngestListenerSettings = { reconnectMinMs: 500, reconnectMaxMs: 30_000, coalesceMs: 50 };

// LISTENs on the ingest channel over a dedicated connection (pg-boss and Prisma pools never hold one open) and runs
// `drain` whenever a receiver stores an event: once at start, once per burst of notifications (`coalesceMs` after
// the first; a drain that is running when one arrives is followed by another), and after every reconnect, since notifications sent while
// disconnected are lost. Missed events are still found by the every-minute sweep.
export async function startIngestListener(options: {
  connectionString: string;
  drain: () => Promise<unknown>;
  settings?: Partial<IngestListenerSettings>;
}): Promise<IngestListener> {
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  let client: pg.Client | null = null;
  let isStopped = false;
  let running: Promise<void> | null = null;
  let isRequested = false;
  let reconnectDelay = settings.reconnectMinMs;
  let reconnectTimer: NodeJS.Timeout | null = null;

  function requestDrain(): void {
    isRequested = true;
    if (running || isStopped) return;
    running = (async () => {
      await new Promise((resolve) => setTimeout(resolve, settings.coalesceMs));
      while (isRequested && !isStopped) {
        isRequested = false;
        try {
          await options.drain();
        } catch (error) {
          logger.error("ingest drain failed; the sweep retries what it left", { error: error instanceof Error ? error.name : "unknown" });
        }
      }
      running = null;
    })();
  }

  function scheduleReconnect(): void {
    if (isStopped || reconnectTimer) return;
    const delay = reconnectDelay;
    reconnectDelay = Math.min(reconnectDelay * 2, settings.reconnectMaxMs);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void connect();
    }, delay);
  }

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: options.connectionString, application_name: "pulseboard-ingest-listener" });
    next.on("notification", () => requestDrain());
    next.on("error", (error) => {
      logger.warn("ingest listener connection lost; reconnecting", { error: error.message });
      void next.end().catch(() => undefined);
      if (client === next) client = null;
      scheduleReconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${INGEST_NOTIFY_CHANNEL}`);
    } catch (error) {
      logger.warn("ingest listener could not connect; retrying", { error: error instanceof Error ? error.message : "unknown" });
      void next.end().catch(() => undefined);
      scheduleReconnect();
      return;
    }
    if (isStopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    reconnectDelay = settings.reconnectMinMs;
    requestDrain();
  }

  await connect();
  return {
    idle: async () => {
      while (running) await running;
    },
    stop: async () => {
      isStopped = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      await client?.end().catch(() => undefined);
      client = null;
      while (running) await running;
    },
  };
}
