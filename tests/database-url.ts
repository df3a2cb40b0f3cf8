const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

// Tests create and drop databases: refuse to do that anywhere but this machine unless told otherwise.
export function assertLocalDatabase(url: string) {
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host) && process.env.ALLOW_REMOTE_TEST_DATABASE !== "1") {
    throw new Error(`Refusing to run tests against ${host}; set ALLOW_REMOTE_TEST_DATABASE=1 if that server is disposable.`);
  }
}

// The same server and credentials, another database.
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
