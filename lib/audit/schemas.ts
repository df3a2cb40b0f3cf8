import { z } from "zod";

// An action whose outcome was never written, by the id of its "started" audit event (a bigint, sent as text).
export const markActionCheckedSchema = z.object({ startedEventId: z.string().regex(/^\d{1,19}$/, "Not an audit event id.") });
export type MarkActionCheckedInput = z.infer<typeof markActionCheckedSchema>;
