// scratch: not committed
import { signIn } from "@/scripts/bench/pages";
const base = process.env.BASE ?? "http://127.0.0.1:3762";
const paths = (process.env.PATHS ?? "/patients").split(",");
const n = Number(process.env.N ?? 40);
const conc = Number(process.env.C ?? 4);
const cookie = await signIn(base);
for (const p of paths) {
  const r = await fetch(base + p, { headers: { Cookie: cookie } });
  const body = await r.text();
  const flight = [...body.matchAll(/self\.__next_f\.push\(\[1,"((?:[^"\\]|\\.)*)"\]\)/g)].reduce((s, m) => s + (m[1]?.length ?? 0), 0);
  const gz = await fetch(base + p, { headers: { Cookie: cookie, "Accept-Encoding": "gzip" } });
  const gzBytes = (await gz.arrayBuffer()).byteLength;
  console.log(`${p}: status ${r.status} bytes ${body.length} (inline RSC ${flight}), setCookie ${r.headers.getSetCookie().length}, gz? ${gz.headers.get("content-encoding")} ${gzBytes}`);
}
if (process.env.SAVE) {
  const r = await fetch(base + paths[0], { headers: { Cookie: cookie } });
  const { writeFileSync } = await import("node:fs");
  writeFileSync(process.env.SAVE, await r.text());
}
const t0 = performance.now();
let i = 0;
await Promise.all(Array.from({ length: conc }, async () => {
  while (i < n * paths.length) {
    const p = paths[i++ % paths.length] ?? "/";
    const r = await fetch(base + p, { headers: { Cookie: cookie, "Accept-Encoding": "gzip" } });
    await r.arrayBuffer();
  }
}));
console.log(`${n * paths.length} requests in ${Math.round(performance.now() - t0)} ms`);
