import { ArrowLeftIcon } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";

/** Title, one line of explanation and optional actions at the top of an admin page. */
export function AdminPageHeader({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-xl font-semibold">{title}</h1>
        <p className="text-sm text-muted-foreground">{children}</p>
      </div>
      {actions}
    </div>
  );
}

/**
 * The top of an admin page about one thing (a group, a person): a link back to the list, its name
 * with badges, a line about it, and actions.
 */
export function AdminDetailHeader({
  back,
  title,
  badges,
  children,
  actions,
}: {
  back: { href: string; label: string };
  title: string;
  badges?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-2">
      <Link href={back.href} className="flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeftIcon className="size-4" /> {back.label}
      </Link>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-col gap-1">
          <div className="flex items-center gap-2">
            <h1 className="text-xl font-semibold">{title}</h1>
            {badges}
          </div>
          <p className="text-sm text-muted-foreground">{children}</p>
        </div>
        {actions}
      </div>
    </div>
  );
}
