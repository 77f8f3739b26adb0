"use client";

import { useState, useTransition, type FormEvent } from "react";
import { toast } from "sonner";
import { saveChatDefaultsAction } from "@/app/admin/settings/actions";
import { ChatSettingsFields, readChatSettingsForm } from "@/components/chat-settings";
import { Button } from "@/components/ui/button";
import type { ChatSettings } from "@/lib/chat/settings";

/** The workspace's default system prompt and model settings: what a chat uses where it sets nothing. */
export function ChatDefaultsForm({ defaults }: { defaults: ChatSettings }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const read = readChatSettingsForm(new FormData(event.currentTarget));
    if ("error" in read) return setError(read.error);
    setError(null);
    start(async () => {
      const result = await saveChatDefaultsAction(read.settings);
      if (result.ok) toast.success(result.message);
      else setError(result.message);
    });
  }

  return (
    <form className="flex max-w-xl flex-col gap-4" noValidate onSubmit={submit} data-testid="chat-defaults-form">
      <ChatSettingsFields settings={defaults} defaults={{}} />
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <Button type="submit" className="w-fit" disabled={pending}>
        Save chat defaults
      </Button>
    </form>
  );
}
