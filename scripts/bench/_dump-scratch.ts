import { signIn } from "@/scripts/bench/pages";
import { writeFileSync } from "node:fs";
const base = process.env.BASE ?? "http://127.0.0.1:3762";
const cookie = await signIn(base);
for (const p of (process.env.PATHS ?? "/alerts").split(",")) {
  const r = await fetch(base + p, { headers: { Cookie: cookie } });
  const body = await r.text();
  writeFileSync(`/tmp/pp/page${p.replace(/[^a-z0-9]/gi, "_")}.html`, body);
  console.log(p, r.status, body.length, [...r.headers.entries()].map(([k, v]) => `${k}: ${v.slice(0, 100)}`).join("\n"));
}
