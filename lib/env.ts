import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

const optionalSecret = z.string().min(1).optional();
const minutes = (fallback: number) => z.coerce.number().int().positive().default(fallback);

// Every environment variable the app reads, validated once. Defaults run the app against the embedded database
// and the built-in vendor simulators, so a fresh clone needs no .env file. See .env.example and the README table.
export const env = createEnv({
  server: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z.url().optional(),
    PORT: z.coerce.number().int().positive().default(3000),
    PUBLIC_URL: z.url().optional(),
    AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
    ENCRYPTION_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, "ENCRYPTION_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)")
      .optional(),
    ENCRYPTION_KEY_PREVIOUS: z.string().optional(),
    SESSION_IDLE_MINUTES: minutes(15),
    SESSION_MAX_HOURS: minutes(12),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    // Reverse proxies in front of the web server that append the client's address to X-Forwarded-For (lib/client-address.ts).
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    SIMULATOR_PORT: z.coerce.number().int().positive().default(4010),
    SIMULATOR_URL: z.url().optional(),
    TENOVI_BASE_URL: z.url().optional(),
    TENOVI_API_KEY: optionalSecret,
    TENOVI_WEBHOOK_AUTH_HEADER: z.string().min(1).default("Authorization"),
    TENOVI_WEBHOOK_AUTH_KEY: optionalSecret,
    VALIDIC_API_URL: z.url().optional(),
    VALIDIC_MARKETPLACE_URL: z.url().optional(),
    VALIDIC_ORG_ID: optionalSecret,
    VALIDIC_ORG_TOKEN: optionalSecret,
    VALIDIC_PUSH_CLIENT_ID: optionalSecret,
    VALIDIC_PUSH_CLIENT_SECRET: optionalSecret,
    // More push client credentials accepted at the token endpoint while Validic's are rotated: "id:secret,id:secret".
    VALIDIC_PUSH_CREDENTIALS_EXTRA: z
      .string()
      .regex(/^[^:,\s]+:[^,\s]+(,[^:,\s]+:[^,\s]+)*$/, "VALIDIC_PUSH_CREDENTIALS_EXTRA must be comma-separated id:secret pairs")
      .optional(),
    SMARTZ_BASE_URL: z.url().optional(),
    SMARTZ_APP_ID: optionalSecret,
    SMARTZ_APP_KEY: optionalSecret,
    SMARTZ_SUBSCRIPTION_KEY: optionalSecret,
  },
  client: {},
  runtimeEnv: {
    NODE_ENV: process.env.NODE_ENV,
    DATABASE_URL: process.env.DATABASE_URL,
    PORT: process.env.PORT,
    PUBLIC_URL: process.env.PUBLIC_URL,
    AUTH_SECRET: process.env.AUTH_SECRET,
    ENCRYPTION_KEY: process.env.ENCRYPTION_KEY,
    ENCRYPTION_KEY_PREVIOUS: process.env.ENCRYPTION_KEY_PREVIOUS,
    SESSION_IDLE_MINUTES: process.env.SESSION_IDLE_MINUTES,
    SESSION_MAX_HOURS: process.env.SESSION_MAX_HOURS,
    LOG_LEVEL: process.env.LOG_LEVEL,
    TRUSTED_PROXY_HOPS: process.env.TRUSTED_PROXY_HOPS,
    SIMULATOR_PORT: process.env.SIMULATOR_PORT,
    SIMULATOR_URL: process.env.SIMULATOR_URL,
    TENOVI_BASE_URL: process.env.TENOVI_BASE_URL,
    TENOVI_API_KEY: process.env.TENOVI_API_KEY,
    TENOVI_WEBHOOK_AUTH_HEADER: process.env.TENOVI_WEBHOOK_AUTH_HEADER,
    TENOVI_WEBHOOK_AUTH_KEY: process.env.TENOVI_WEBHOOK_AUTH_KEY,
    VALIDIC_API_URL: process.env.VALIDIC_API_URL,
    VALIDIC_MARKETPLACE_URL: process.env.VALIDIC_MARKETPLACE_URL,
    VALIDIC_ORG_ID: process.env.VALIDIC_ORG_ID,
    VALIDIC_ORG_TOKEN: process.env.VALIDIC_ORG_TOKEN,
    VALIDIC_PUSH_CLIENT_ID: process.env.VALIDIC_PUSH_CLIENT_ID,
    VALIDIC_PUSH_CLIENT_SECRET: process.env.VALIDIC_PUSH_CLIENT_SECRET,
    VALIDIC_PUSH_CREDENTIALS_EXTRA: process.env.VALIDIC_PUSH_CREDENTIALS_EXTRA,
    SMARTZ_BASE_URL: process.env.SMARTZ_BASE_URL,
    SMARTZ_APP_ID: process.env.SMARTZ_APP_ID,
    SMARTZ_APP_KEY: process.env.SMARTZ_APP_KEY,
    SMARTZ_SUBSCRIPTION_KEY: process.env.SMARTZ_SUBSCRIPTION_KEY,
  },
  emptyStringAsUndefined: true,
  skipValidation: process.env.SKIP_ENV_VALIDATION === "1",
});
