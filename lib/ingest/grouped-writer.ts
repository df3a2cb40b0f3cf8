import type { Gate } from "@/lib/gate";

// Writes rows a group at a time through a gate: each caller waits for the statement that carries its row.
export type GroupedWriter<Row, Result> = { write: (row: Row) => Promise<Result> };

export type GroupedWriterOptions<Row, Result> = {
  gate: Gate;
  // Writes the rows in one statement; one result per row, in the rows' order.
  writeRows: (rows: Row[]) => Promise<Result[]>;
  maxRows: number;
  // A group stops taking rows past this many bytes (a row larger than it is written alone).
  maxBytes: number;
  sizeOf: (row: Row) => number;
};

type Waiter<Row, Result> = { row: Row; resolve: (result: Result) => void; reject: (error: unknown) => void };
type Group<Row, Result> = { waiters: Waiter<Row, Result>[]; bytes: number };

// Group commit for the receivers: a row arriving while the gate has a free slot is written at once, alone (no added
// latency); rows arriving while every slot is busy join one waiting group, written by one statement when a slot frees
// (one round trip, one commit, one WAL flush for all of them). A failed statement fails every row of its group.
export function createGroupedWriter<Row, Result>(options: GroupedWriterOptions<Row, Result>): GroupedWriter<Row, Result> {
  let waiting: Group<Row, Result> | null = null;

  function startGroup(): Group<Row, Result> {
    const group: Group<Row, Result> = { waiters: [], bytes: 0 };
    waiting = group;
    options.gate
      .run(async () => {
        // The group closes when its statement starts; later rows start the next group.
        if (waiting === group) waiting = null;
        const results = await options.writeRows(group.waiters.map((waiter) => waiter.row));
        group.waiters.forEach((waiter, index) => waiter.resolve(results[index] as Result));
      })
      .catch((error: unknown) => {
        if (waiting === group) waiting = null;
        for (const waiter of group.waiters) waiter.reject(error);
      });
    return group;
  }

  function hasRoom(group: Group<Row, Result>, size: number): boolean {
    return group.waiters.length < options.maxRows && group.bytes + size <= options.maxBytes;
  }

  return {
    write(row) {
      return new Promise<Result>((resolve, reject) => {
        const size = options.sizeOf(row);
        const group = waiting && hasRoom(waiting, size) ? waiting : startGroup();
        group.waiters.push({ row, resolve, reject });
        group.bytes += size;
      });
    },
  };
}
