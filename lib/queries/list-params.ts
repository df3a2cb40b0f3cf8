import { z } from "zod";

export const PAGE_SIZE_OPTIONS = [25, 50, 100] as const;

// Page, size, sort and direction from the URL, validated; every list page reads its view from the URL.
export function listParamsSchema<S extends readonly [string, ...string[]]>(sortable: S, defaultSort: S[number]) {
  return z.object({
    q: z.string().trim().max(100).optional().catch(undefined),
    page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
    size: z.coerce.number().int().pipe(z.union(PAGE_SIZE_OPTIONS.map((n) => z.literal(n)))).catch(25).default(25),
    sort: z.enum(sortable).catch(defaultSort).default(defaultSort),
    dir: z.enum(["asc", "desc"]).catch("asc").default("asc"),
  });
}

export type SearchParams = Record<string, string | string[] | undefined>;

// Next gives repeated params as arrays; lists use the first value.
export function firstValues(params: SearchParams): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

// One page of a list. `isTotalCapped`: the list stopped counting at `total` and there are more.
export type Page<T> = { rows: T[]; total: number; isTotalCapped?: boolean; page: number; size: number };
