import { Activity } from "lucide-react";
import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";

import { NavLinks } from "@/components/layout/nav-links";
import { UserMenu } from "@/components/layout/user-menu";
import { getStaffSession } from "@/lib/auth";
import { navigationFor } from "@/lib/navigation";
import { ROLE_LABELS } from "@/lib/permissions";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await getStaffSession();
  if (!session) redirect("/sign-in");
  return (
    <div className="flex min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-card focus:px-3 focus:py-2">
        Skip to content
      </a>
      <aside className="hidden w-56 shrink-0 border-r bg-card md:block">
        <Link href="/" className="flex items-center gap-2 px-5 py-4 text-base font-semibold">
          <Activity className="size-5 text-primary" aria-hidden /> Pulseboard
        </Link>
        <nav aria-label="Main" className="px-3">
          <NavLinks items={navigationFor(session.role)} />
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between border-b bg-card px-6">
          <nav aria-label="Main (compact)" className="md:hidden">
            <NavLinks items={navigationFor(session.role)} />
          </nav>
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
