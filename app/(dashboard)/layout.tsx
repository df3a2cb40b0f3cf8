import { Activity } from "lucide-react";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";

import { NavLinks } from "@/components/layout/nav-links";
import { UserMenu } from "@/components/layout/user-menu";
import { Link } from "@/components/ui/link";
import { getStaffSession } from "@/lib/auth";
import { navigationFor } from "@/lib/navigation";
import { ROLE_LABELS } from "@/lib/permissions";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await getStaffSession();
  if (!session) redirect("/sign-in");
  // One navigation for every width: a sidebar from md up, a bar above the header on narrow screens (a second,
  // hidden copy for small screens doubled the layout's markup and rendering on every page).
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-card focus:px-3 focus:py-2">
        Skip to content
      </a>
      <aside className="shrink-0 border-b bg-card pb-2 md:w-56 md:border-r md:border-b-0 md:pb-0">
        <Link href="/" className="flex items-center gap-2 px-5 py-4 text-base font-semibold">
          <Activity className="size-5 text-primary" aria-hidden /> Pulseboard
        </Link>
        <nav aria-label="Main" className="px-3">
          <NavLinks items={navigationFor(session.role)} />
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-end border-b bg-card px-6 md:justify-between">
          <span className="hidden text-sm text-muted-foreground md:block">Remote patient monitoring</span>
          <UserMenu name={session.name} roleLabel={ROLE_LABELS[session.role]} />
        </header>
        <main id="main" className="flex-1 px-6 py-6">
          {children}
        </main>
      </div>
    </div>
  );
}
