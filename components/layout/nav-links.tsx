"use client";

import { usePathname } from "next/navigation";

import { Link } from "@/components/ui/link";
import type { NavItem } from "@/lib/navigation";

// The main navigation links (a column in the sidebar, a wrapping row on narrow screens); the current section is marked for screen readers with aria-current.
export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <ul className="flex flex-wrap gap-0.5 md:flex-col">
      {items.map((item) => {
        const isCurrent = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={isCurrent ? "page" : undefined}
              // ui-nav-link (app/globals.css) marks the current section by its aria-current.
              className="ui-nav-link"
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
