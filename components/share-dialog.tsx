"use client";

import { Link2Icon, Link2OffIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { CopyButton } from "@/components/copy-button";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { requestJson } from "@/lib/chat/client-fetch";

interface Share {
  url: string;
  createdAt: string;
}

type State = { kind: "loading" } | { kind: "ready"; share: Share | null } | { kind: "error"; message: string };

/** Make, copy or revoke a chat's read-only link. */
export function ShareDialog({ chat, onClose }: { chat: { id: string; title: string } | null; onClose: () => void }) {
  const [state, setState] = useState<State>({ kind: "loading" });
  const [busy, setBusy] = useState(false);
  const base = chat ? `/api/chats/${chat.id}/share` : null;

  useEffect(() => {
    if (!base) return;
    let live = true;
    requestJson<{ share: Share | null }>(base)
      .then(({ share }) => live && setState({ kind: "ready", share }))
      .catch((error: Error) => live && setState({ kind: "error", message: error.message }));
    return () => {
      live = false;
      setState({ kind: "loading" });
    };
  }, [base]);

  async function act(method: "POST" | "DELETE") {
    if (!base) return;
    setBusy(true);
    try {
      const body = await requestJson<{ share: Share } | null>(base, { method });
      setState({ kind: "ready", share: method === "POST" ? body!.share : null });
    } catch (error) {
      setState({ kind: "error", message: (error as Error).message });
    } finally {
      setBusy(false);
    }
  }

  const share = state.kind === "ready" ? state.share : null;
  return (
    <Dialog open={chat !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent data-testid="share-dialog">
        <DialogTitle className="pr-6 text-lg font-semibold">Share “{chat?.title}”</DialogTitle>
        <DialogDescription className="text-sm text-muted-foreground">
          Anyone signed in to this workspace who has the link can read this chat, including messages you send later. They
          cannot write in it. Revoke the link to stop it working.
        </DialogDescription>
        {state.kind === "loading" && <p className="text-sm text-muted-foreground">Loading…</p>}
        {state.kind === "error" && (
          <p role="alert" className="text-sm text-destructive">
            {state.message}
          </p>
        )}
        {share && (
          <div className="flex items-center gap-2">
            <Input readOnly value={share.url} aria-label="Share link" className="h-9 font-mono text-xs" onFocus={(e) => e.target.select()} />
            <CopyButton text={() => share.url} label="Copy link" className="h-9 shrink-0 border px-2 hover:bg-accent" />
          </div>
        )}
        <div className="flex flex-wrap justify-end gap-2">
          {share ? (
            <Button variant="outline" disabled={busy} onClick={() => void act("DELETE")}>
              <Link2OffIcon /> Revoke link
            </Button>
          ) : (
            <Button disabled={busy || state.kind === "loading"} onClick={() => void act("POST")}>
              <Link2Icon /> Create link
            </Button>
          )}
        </div>
      </DialogContent>
    </Dialog>
  );
}
