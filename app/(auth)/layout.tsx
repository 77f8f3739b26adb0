import type { ReactNode } from "react";
import { Brand } from "@/components/brand";
import { ThemeToggle } from "@/components/theme-toggle";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex flex-1 flex-col overflow-y-auto bg-muted/30">
      <header className="flex items-center justify-between px-4 py-3">
        <Brand />
        <ThemeToggle />
      </header>
      <div className="flex flex-1 items-start justify-center px-4 pt-[8vh] pb-12">
        <div className="w-full max-w-sm">{children}</div>
      </div>
    </main>
  );
}
