import Link from "next/link";
import { Button } from "@/components/ui/button";

export default function Forbidden() {
  return (
    <main className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center">
      <p className="text-sm font-medium text-muted-foreground">403</p>
      <h1 className="text-2xl font-semibold">Admins only</h1>
      <p className="max-w-sm text-sm text-muted-foreground">This page is for workspace admins. Ask one if you need access.</p>
      <Button asChild variant="outline">
        <Link href="/">Back to chat</Link>
      </Button>
    </main>
  );
}
