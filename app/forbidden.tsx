import { ForbiddenNotice } from "@/components/layout/forbidden-notice";

export default function Forbidden() {
  return <ForbiddenNotice />;
}
