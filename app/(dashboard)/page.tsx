import { redirect } from "next/navigation";

import { getStaffSession } from "@/lib/auth";
import { homeFor } from "@/lib/navigation";

export default async function HomePage() {
  const session = await getStaffSession();
  redirect(session ? homeFor(session.role) : "/sign-in");
}
