import { Skeleton } from "@/components/ui/skeleton";

/** What a chat looks like while its page loads: the header, a few messages, the input. */
export function ChatSkeleton() {
  return (
    <div className="flex min-h-0 flex-1 flex-col" aria-busy="true" aria-label="Loading the chat" data-testid="chat-skeleton">
      <div className="flex h-12 shrink-0 items-center gap-2 border-b px-3">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="ml-auto h-8 w-24" />
      </div>
      <div className="mx-auto flex w-full max-w-3xl flex-1 flex-col gap-6 px-4 py-6">
        <Skeleton className="h-10 w-2/5 self-end rounded-2xl" />
        <div className="flex flex-col gap-2">
          <Skeleton className="h-4 w-11/12" />
          <Skeleton className="h-4 w-4/5" />
          <Skeleton className="h-4 w-3/5" />
        </div>
        <Skeleton className="h-10 w-1/3 self-end rounded-2xl" />
        <div className="flex flex-col gap-2">
          <Skeleton className="h-4 w-5/6" />
          <Skeleton className="h-4 w-2/3" />
        </div>
      </div>
      <div className="mx-auto w-full max-w-3xl px-3 pb-3">
        <Skeleton className="h-14 w-full rounded-2xl" />
      </div>
    </div>
  );
}

/** An admin or settings page while it loads: a title and a table's rows. */
export function PageSkeleton() {
  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-4 p-6" aria-busy="true" aria-label="Loading" data-testid="page-skeleton">
      <Skeleton className="h-8 w-56" />
      <Skeleton className="h-4 w-96 max-w-full" />
      <div className="mt-2 flex flex-col gap-2">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-10 w-full" />
        ))}
      </div>
    </div>
  );
}
