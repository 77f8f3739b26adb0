import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Toaster } from "sonner";
import { DemoBanner } from "@/components/demo-banner";
import { ThemeProvider } from "@/components/theme-provider";
import { env } from "@/lib/env";
import { NONCE_HEADER } from "@/lib/http/security-headers";
import "./globals.css";

export const metadata: Metadata = {
  title: "Pillbox",
  description: "Your team's workspace for RedPill AI",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, viewportFit: "cover" };

// Every page reads the session or the database: nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The proxy's per-request script nonce (see proxy.ts): next-themes' inline script needs it.
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="flex h-dvh flex-col overflow-hidden">
        <ThemeProvider nonce={nonce} attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange>
          {env.demoMode && <DemoBanner />}
          <div className="flex min-h-0 flex-1 flex-col">{children}</div>
          <Toaster richColors position="top-center" />
        </ThemeProvider>
      </body>
    </html>
  );
}
