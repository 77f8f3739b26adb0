import Link from "next/link";
import { Button } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center">
      <p className="text-sm font-medium text-muted-foreground">404</p>
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="max-w-sm text-sm text-muted-foreground">This page or chat does not exist, or it is not yours.</p>
      <Button asChild variant="outline">
        <Link href="/">Back to chat</Link>
      </Button>
    </main>
  );
}
