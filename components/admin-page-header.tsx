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
