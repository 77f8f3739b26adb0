import { redirect } from "next/navigation";
import { requirePageAdmin } from "@/lib/auth/session";

export default async function AdminPage() {
  await requirePageAdmin();
  redirect("/admin/usage");
}
