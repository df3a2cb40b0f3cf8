import { cn } from "@/lib/utils";

// The last outcome of a control, announced to screen readers.
export function ActionResult({ result }: { result: { ok: boolean; text: string } | null }) {
  return (
    <p role="status" className={cn("min-h-5 text-sm", result?.ok === false ? "text-destructive" : "text-muted-foreground")}>
      {result?.text ?? ""}
    </p>
  );
}
