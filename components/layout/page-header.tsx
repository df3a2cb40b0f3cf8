import type { ReactNode } from "react";

import { Link } from "@/components/ui/link";

// A step of the breadcrumb trail above a page's title: the pages it sits under, outermost first.
export type TrailStep = { href: string; label: string };

// The top of a page: where it sits, its title (the page's one h1), what it is for, and its own actions on the right.
export function PageHeader({ title, description, trail, actions }: { title: ReactNode; description?: ReactNode; trail?: TrailStep[]; actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div>
        {trail ? (
          <nav aria-label="Breadcrumb">
            <ol className="flex flex-wrap gap-1 text-sm text-muted-foreground">
              {trail.map((step) => (
                <li key={step.href} className="after:ml-1 after:content-['/']">
                  <Link href={step.href} className="underline-offset-4 hover:underline">
                    {step.label}
                  </Link>
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        <h1 className="text-2xl font-semibold">{title}</h1>
        {description ? <p className="max-w-3xl text-sm text-muted-foreground">{description}</p> : null}
      </div>
      {actions}
    </div>
  );
}
