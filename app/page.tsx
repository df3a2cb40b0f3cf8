import { redirect } from "next/navigation";

import { getStaffSession } from "@/lib/auth";
import { homeFor } from "@/lib/navigation";

// Sends staff to their role's start page. Outside the dashboard's loading boundary on purpose, so the redirect is a
// real 307 instead of one that arrives after the page has started streaming.
export default async function HomePage() {
  const session = await getStaffSession();
  redirect(session ? homeFor(session.role) : "/sign-in");
}
