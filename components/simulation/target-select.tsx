import { Label } from "@/components/ui/label";

// A native select of simulator devices or patients; native so it works with the keyboard and screen readers as is.
export function TargetSelect({
  id,
  label,
  targets,
  value,
  onChange,
}: {
  id: string;
  label: string;
  targets: { value: string; label: string }[];
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="flex min-w-0 flex-1 flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="bg-card focus-visible:ring-ring h-9 min-w-0 rounded-md border px-2 text-sm focus-visible:ring-2 focus-visible:outline-none"
      >
        <option value="">Choose…</option>
        {targets.map((t) => (
          <option key={t.value} value={t.value}>
            {t.label}
          </option>
        ))}
      </select>
    </div>
  );
}
