"use client";

import { CircleCheckIcon, CircleMinusIcon, CircleXIcon, DownloadIcon, LoaderCircleIcon, ShieldAlertIcon, ShieldCheckIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Collapsible, CollapsibleContent, CollapsibleTrigger } from "@/components/ui/collapsible";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { requestJson } from "@/lib/chat/client-fetch";
import type { ReplyMetadata } from "@/lib/chat/types";
import type { TeeCheck, VerificationView } from "@/lib/tee/types";
import { cn } from "@/lib/utils";

type Known = NonNullable<ReplyMetadata["verification"]>;

/** Polls while the verdict is pending: often at first, then less, for as long as a verification can take. */
const POLL_DELAYS_MS = [500, 750, 1000, 1500, 2000, 3000, 5000];
const MAX_POLLS = 60;

/**
 * A TEE reply's verification: "Verifying…" until the server's verdict is in, then a badge that
 * opens the proof. A failed reply under a "require verified replies" policy is flagged as well.
 */
export function TeeVerification({ chatId, messageId, initial }: { chatId: string; messageId: string; initial: Known }) {
  const [view, setView] = useState<VerificationView | null>(null);
  const [open, setOpen] = useState(false);
  const status = view?.status ?? initial.status;
  const url = `/api/chats/${chatId}/messages/${encodeURIComponent(messageId)}/verification`;

  useEffect(() => {
    if (initial.status !== "pending") return;
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const poll = (attempt: number) => {
      timer = setTimeout(() => {
        requestJson<VerificationView>(url)
          .then((next) => {
            if (!live) return;
            setView(next);
            if (next.status === "pending" && attempt + 1 < MAX_POLLS) poll(attempt + 1);
          })
          .catch(() => live && attempt + 1 < MAX_POLLS && poll(attempt + 1));
      }, POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)]);
    };
    poll(0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [initial.status, url]);

  // The panel shows the full record: fetched when opened, unless polling already brought it.
  useEffect(() => {
    if (!open || (view && view.status !== "pending")) return;
    let live = true;
    requestJson<VerificationView>(url).then((next) => live && setView(next), () => {});
    return () => {
      live = false;
    };
  }, [open, url, view]);

  if (status === "not_applicable") return null;
  const flagged = status === "failed" && (view?.required ?? initial.required ?? false);
  return (
    <>
      {status === "pending" ? (
        <span role="status" data-testid="tee-badge" data-status="pending" className={badgeClass("pending")}>
          <LoaderCircleIcon className="size-3.5 animate-spin" aria-hidden /> Verifying…
        </span>
      ) : (
        <button
          type="button"
          data-testid="tee-badge"
          data-status={status}
          onClick={() => setOpen(true)}
          className={cn(badgeClass(status), "cursor-pointer hover:underline focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none")}
          aria-haspopup="dialog"
        >
          {status === "verified" ? <ShieldCheckIcon className="size-3.5" aria-hidden /> : <ShieldAlertIcon className="size-3.5" aria-hidden />}
          {status === "verified" ? "Verified in enclave" : "Not verified"}
        </button>
      )}
      {flagged && (
        <p
          role="alert"
          data-testid="tee-flag"
          className="order-last flex basis-full items-start gap-2 rounded-lg bg-destructive/10 px-3 py-2 text-sm text-destructive"
        >
          <ShieldAlertIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
          This reply failed enclave verification, which your workspace requires. Do not rely on it; the failure was
          recorded for the admins.
        </p>
      )}
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent data-testid="tee-panel" className="max-h-[calc(100dvh-2rem)] max-w-xl grid-cols-[minmax(0,1fr)] overflow-y-auto">
          <VerificationPanel view={view} status={status} />
        </DialogContent>
      </Dialog>
    </>
  );
}

function badgeClass(status: "pending" | "verified" | "failed") {
  return cn(
    "inline-flex h-7 items-center gap-1 rounded-full border px-2 text-xs font-medium",
    status === "pending" && "border-border text-muted-foreground",
    status === "verified" && "border-emerald-600/30 bg-emerald-500/10 text-emerald-800 dark:border-emerald-400/30 dark:text-emerald-300",
    status === "failed" && "border-destructive/40 bg-destructive/10 text-destructive",
  );
}

function VerificationPanel({ view, status }: { view: VerificationView | null; status: VerificationView["status"] }) {
  const verified = status === "verified";
  return (
    <>
      <DialogTitle className={cn("flex items-center gap-2 pr-6 text-lg font-semibold", !verified && "text-destructive")}>
        {verified ? <ShieldCheckIcon className="size-5 text-emerald-600 dark:text-emerald-400" aria-hidden /> : <ShieldAlertIcon className="size-5" aria-hidden />}
        {verified ? "Verified in enclave" : status === "pending" ? "Verifying…" : "Not verified"}
      </DialogTitle>
      <DialogDescription className="text-sm text-muted-foreground">
        {verified
          ? "Pillbox checked RedPill's attestation of the enclave that runs this model, and that the enclave's attested key signed this exact reply."
          : "Pillbox could not confirm that this reply came from an attested enclave. The checks below say what failed."}
      </DialogDescription>
      {!view ? (
        <p className="text-sm text-muted-foreground">Loading the proof…</p>
      ) : (
        <>
          <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
            <dt className="text-muted-foreground">Model</dt>
            <dd className="font-mono text-xs leading-5 break-all">{view.model}</dd>
            <dt className="text-muted-foreground">Signing address</dt>
            <dd className="font-mono text-xs leading-5 break-all" data-testid="tee-signing-address">
              {view.signingAddress ?? "unknown"}
            </dd>
            <dt className="text-muted-foreground">Attestation fetched</dt>
            <dd className="leading-5">{view.attestedAt ? new Date(view.attestedAt).toLocaleString() : "not fetched"}</dd>
          </dl>
          <ul className="flex flex-col gap-2" aria-label="Checks" data-testid="tee-checks">
            {view.checks.map((check) => (
              <CheckRow key={check.id} check={check} />
            ))}
          </ul>
          {view.manifest && (
            <Collapsible>
              <CollapsibleTrigger className="text-sm font-medium underline underline-offset-2">Attested manifest (app_compose)</CollapsibleTrigger>
              <CollapsibleContent>
                <pre className="mt-2 max-h-60 overflow-auto rounded-md bg-muted p-3 text-xs whitespace-pre-wrap break-all" data-testid="tee-manifest">
                  {prettyJson(view.manifest)}
                </pre>
              </CollapsibleContent>
            </Collapsible>
          )}
          {view.evidence && (
            <div className="flex flex-wrap items-center gap-3">
              <Button variant="outline" size="sm" onClick={() => download(view)} data-testid="tee-download">
                <DownloadIcon className="size-4" aria-hidden /> Download evidence (JSON)
              </Button>
              <span className="text-xs text-muted-foreground">The report, signature and hashes, to re-verify with RedPill&apos;s open-source verifiers.</span>
            </div>
          )}
        </>
      )}
    </>
  );
}

function CheckRow({ check }: { check: TeeCheck }) {
  const state = check.ok === true ? "passed" : check.ok === false ? "failed" : "not checked";
  const Icon = check.ok === true ? CircleCheckIcon : check.ok === false ? CircleXIcon : CircleMinusIcon;
  return (
    <li className="flex items-start gap-2 text-sm" data-testid="tee-check" data-check={check.id} data-ok={String(check.ok)}>
      <Icon
        className={cn(
          "mt-0.5 size-4 shrink-0",
          check.ok === true && "text-emerald-600 dark:text-emerald-400",
          check.ok === false && "text-destructive",
          check.ok === null && "text-muted-foreground",
        )}
        aria-hidden
      />
      <div className="min-w-0">
        <p>
          {check.label} <span className="sr-only">: {state}</span>
          {check.ok === null && <span className="text-muted-foreground"> (not checked)</span>}
        </p>
        <p className="text-xs break-words text-muted-foreground">{check.detail.replace(/^not checked: /, "")}</p>
      </div>
    </li>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function download(view: VerificationView) {
  const blob = new Blob([JSON.stringify({ status: view.status, checks: view.checks, ...view.evidence }, null, 2)], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `pillbox-evidence-${view.evidence?.completionId ?? "reply"}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
