// Structured logs as one JSON line each. Callers pass ids and counts, never PHI, bodies or secrets;
// redactSecrets is a second line of defence for URLs and messages that may embed a token.
type Level = "debug" | "info" | "warn" | "error";

const SECRET_PATTERNS: RegExp[] = [
  /([?&](?:token|api_key|access_token|client_secret)=)[^&\s"']+/gi,
  /((?:Api-Key|Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]+/g,
  /("(?:token|access_token|client_secret|password|api_key|auth_key)"\s*:\s*")[^"]*/gi,
  /((?:x-sub-key|ocp-apim-subscription-key|api-key)["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/=-]+/gi,
  // Header values as JSON fields, and the session cookie wherever it is quoted.
  /("(?:authorization|cookie|set-cookie)"\s*:\s*")[^"]*/gi,
  /(authjs\.(?:session-token|csrf-token)=)[^;\s"']+/g,
  // The password in a connection string: postgresql://user:password@host.
  /([a-z][a-z0-9+.-]*:\/\/[^:/\s@"']+:)[^@\s"']+(?=@)/gi,
];

// Replaces anything that looks like a credential in a string with [redacted].
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((acc, pattern) => acc.replace(pattern, "$1[redacted]"), text);
}

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  if (level === "debug" && process.env.LOG_LEVEL !== "debug") return;
  const line = redactSecrets(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  if (level === "error" || level === "warn") process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
