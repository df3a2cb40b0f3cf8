import { inject } from "vitest";

// Runs before each test file's imports, so lib/env.ts and lib/db.ts see the test database.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.ENCRYPTION_KEY ??= "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdCE=";
process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";
