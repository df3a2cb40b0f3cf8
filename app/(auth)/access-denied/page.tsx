import type { Metadata } from "next";

import { ForbiddenNotice } from "@/components/layout/forbidden-notice";

export const metadata: Metadata = { title: "Not allowed" };

// The proxy rewrites a request here, with status 403, when the role lacks the section's permission.
export default function AccessDeniedPage() {
  return <ForbiddenNotice />;
}
