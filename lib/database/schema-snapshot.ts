import type pg from "pg";

export type SchemaSnapshot = { columns: string[]; indexes: string[]; constraints: string[]; enums: string[] };

// A comparable description of the public schema: columns, indexes, constraints and enum labels.
export async function snapshotSchema(client: pg.ClientBase): Promise<SchemaSnapshot> {
  const query = async (sql: string) => (await client.query<{ line: string }>(sql)).rows.map((r) => r.line);
  // One client runs one query at a time, so these go in sequence.
  const columns = await query(`SELECT concat_ws(' ', table_name, column_name, udt_name, is_nullable, coalesce(column_default, '-')) AS line
           FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
           ORDER BY table_name, column_name`);
  const indexes = await query(`SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`);
  const constraints = await query(`SELECT concat_ws(' ', rel.relname, con.conname, pg_get_constraintdef(con.oid)) AS line
           FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = rel.relnamespace
           WHERE ns.nspname = 'public' AND rel.relname <> '_prisma_migrations' ORDER BY rel.relname, con.conname`);
  const enums = await query(`SELECT concat_ws(' ', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)) AS line
           FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace ns ON ns.oid = t.typnamespace
           WHERE ns.nspname = 'public' GROUP BY t.typname ORDER BY t.typname`);
  return { columns, indexes, constraints, enums };
}
