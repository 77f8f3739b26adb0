"use client";

import { Button } from "@/components/ui/button";
import { DATABASE_UNAVAILABLE_DIGEST } from "@/lib/db/unavailable";

/**
 * Never a blank screen or a stack trace: a plain message and a way to try again. "Try again"
 * fetches the page from the server anew (Next's `retry`): a database that is back serves it.
 */
export default function ErrorPage({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  const databaseDown = error.digest === DATABASE_UNAVAILABLE_DIGEST;
  return (
    <main className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center">
      <h1 className="text-2xl font-semibold">{databaseDown ? "The database is not reachable" : "Something went wrong"}</h1>
      <p className="max-w-sm text-sm text-muted-foreground">
        {databaseDown
          ? "Pillbox cannot reach its database right now. Your chats are safe. Try again in a moment."
          : "The page could not be loaded. Your chats are safe. Try again, or come back in a moment."}
      </p>
      <Button variant="outline" onClick={retry}>
        Try again
      </Button>
    </main>
  );
}
