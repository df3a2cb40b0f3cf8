import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const SOURCE_ROOTS = ["app", "components", "lib", "public", "proxy.ts", "next.config.mjs", "postcss.config.mjs", "tsconfig.json", "package-lock.json", "prisma/schema.prisma"];

// Runs `next build` only when the sources differ from the last build's (used by `npm start` and `npm run bench`).
export async function buildIfChanged(log: (message: string) => void): Promise<void> {
  const marker = path.resolve(".next/pulseboard-source-hash");
  const hash = sourceHash();
  if (existsSync(path.resolve(".next/BUILD_ID")) && existsSync(marker) && readFileSync(marker, "utf8") === hash) return;
  log("building the dashboard (first run or changed sources)…");
  await new Promise<void>((resolve, reject) => {
    // Node running Next's entry point (npx would not pass a signal on), and stopped with this process however it ends.
    const build = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], { stdio: "inherit", env: process.env });
    const stopBuild = () => build.kill("SIGTERM");
    process.once("exit", stopBuild);
    build.on("exit", (code) => {
      process.removeListener("exit", stopBuild);
      if (code === 0) resolve();
      else reject(new Error(`next build failed with code ${code}`));
    });
  });
  writeFileSync(marker, hash);
}

function sourceHash(): string {
  const hash = createHash("sha256");
  for (const file of SOURCE_ROOTS.flatMap((root) => listFiles(root)).sort()) hash.update(file).update(readFileSync(file));
  return hash.digest("hex");
}

function listFiles(target: string): string[] {
  if (!existsSync(target) || target.startsWith("lib/generated")) return [];
  if (statSync(target).isFile()) return [target];
  return readdirSync(target).flatMap((entry) => listFiles(path.join(target, entry)));
}
