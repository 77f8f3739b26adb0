"use client";

import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { ChatActions } from "@/components/chat-actions";
import { ChatInput } from "@/components/chat-input";
import { useAttachments } from "@/components/use-attachments";
import { DEFAULT_LIMITS, type AttachmentLimits } from "@/lib/attachments/kinds";
import { ChatMessageView, Notice } from "@/components/chat-message";
import { ChatSettingsPanel } from "@/components/chat-settings";
import { ModelPicker } from "@/components/model-picker";
import { readableChatError } from "@/lib/chat/client-errors";
import { requestJson } from "@/lib/chat/client-fetch";
import { MODEL_COOKIE } from "@/lib/chat/model-cookie";
import type { ChatSettings } from "@/lib/chat/settings";
import { watchForTitle } from "@/lib/chat/title-watch";
import type { ChatMessage, ReplyMetadata } from "@/lib/chat/types";
import type { ModelOption } from "@/lib/redpill/model-option";

export function Chat({
  id,
  initialMessages,
  models,
  initialModelId,
  isNew,
  initialSettings = {},
  settingDefaults = {},
  title = "This chat",
  attachmentLimits = DEFAULT_LIMITS,
}: {
  id: string;
  /** the stored chat's title (a new chat has none yet) */
  title?: string;
  initialMessages: ChatMessage[];
  models: ModelOption[];
  initialModelId: string | null;
  isNew: boolean;
  /** the chat's stored model settings */
  initialSettings?: ChatSettings;
  /** the workspace's defaults, shown where the chat sets nothing */
  settingDefaults?: ChatSettings;
  /** the largest image and text file a message may carry */
  attachmentLimits?: AttachmentLimits;
}) {
  const router = useRouter();
  const [modelId, setModelId] = useState(initialModelId);
  const [settings, setSettings] = useState(initialSettings);
  // Settings chosen before the chat exists go with its first message (then it stores them).
  const unsentSettings = useRef(false);
  const bottomRef = useRef<HTMLDivElement>(null);
  // Follow the reply as it grows, unless the reader has scrolled up to read something.
  const following = useRef(true);

  const [transport] = useState(
    () =>
      new DefaultChatTransport<ChatMessage>({
        api: "/api/chat",
        // The server holds the history: send only the new message, the chat id and the model.
        // An edit (sendMessage with the edited message's id) names the message it replaces.
        prepareSendMessagesRequest: ({ id: chatId, messages, body, trigger, messageId }) => ({
          body:
            trigger === "regenerate-message"
              ? { id: chatId, modelId: body?.modelId, regenerate: true }
              : {
                  id: chatId,
                  modelId: body?.modelId,
                  message: messages.at(-1),
                  ...(messageId ? { editMessageId: messageId } : {}),
                  ...(body?.settings ? { settings: body.settings } : {}),
                },
        }),
      }),
  );

  const lastError = useRef<string | null>(null);
  const stopTitleWatch = useRef<(() => void) | null>(null);
  useEffect(() => () => stopTitleWatch.current?.(), []);
  const { messages, setMessages, sendMessage, regenerate, status, stop, error } = useChat<ChatMessage>({
    id,
    messages: initialMessages,
    transport,
    onError: (failure) => {
      lastError.current = readableChatError(failure);
    },
    // Give the reply the same final status the server stores, so it reads the same before and
    // after a reload: a stopped or failed reply keeps its text and says what happened.
    onFinish: ({ message, messages: all, isAbort, isError }) => {
      if (message.role === "assistant") {
        const ending: ReplyMetadata = isAbort
          ? { status: "aborted" }
          : isError
            ? { status: "error", errorMessage: lastError.current ?? "The reply failed." }
            : { status: "ok" };
        // The user's message takes the id the server stored it under, so it can be edited later.
        const storedId = message.metadata?.userMessageId;
        setMessages((all) =>
          all.map((m, i) =>
            m.id === message.id
              ? { ...m, metadata: { ...m.metadata, ...ending } }
              : storedId && m.role === "user" && all[i + 1]?.id === message.id
                ? { ...m, id: storedId }
                : m,
          ),
        );
      }
      router.refresh();
      // The server's title model is naming the chat: show its title once it is there.
      if (message.metadata?.titlePending) {
        stopTitleWatch.current?.();
        stopTitleWatch.current = watchForTitle({ chatId: id, messages: all, onTitled: () => router.refresh() });
      }
    },
  });

  const busy = status === "submitted" || status === "streaming";
  const model = models.find((m) => m.id === modelId);
  const attachments = useAttachments({ limits: attachmentLimits, model: model ? { name: model.name, vision: model.vision } : null });

  useEffect(() => {
    if (following.current) bottomRef.current?.scrollIntoView({ block: "end" });
  }, [messages]);

  // Esc stops the reply, wherever the focus is (a menu or dialog that handles Esc itself wins).
  useEffect(() => {
    if (!busy) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) void stop();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [busy, stop]);

  function chooseModel(next: string) {
    setModelId(next);
    document.cookie = `${MODEL_COOKIE}=${encodeURIComponent(next)}; path=/; max-age=31536000; samesite=lax`;
  }

  function send(text: string): boolean {
    // Files go as data: URLs in the message's file parts; null: they cannot go (the reason is shown).
    const files = attachments.pending.length ? attachments.take() : Promise.resolve([]);
    if (!files) return false;
    following.current = true;
    if (isNew && messages.length === 0) window.history.replaceState(null, "", `/chat/${id}`);
    const body = { modelId, ...(unsentSettings.current ? { settings } : {}) };
    void files.then((parts) => sendMessage(parts.length === 0 ? { text } : text ? { text, files: parts } : { files: parts }, { body }));
    unsentSettings.current = false;
    return true;
  }

  async function saveSettings(next: ChatSettings): Promise<string | null> {
    if (messages.length === 0) {
      unsentSettings.current = true;
      setSettings(next);
      return null;
    }
    try {
      await requestJson(`/api/chats/${id}`, { method: "PATCH", body: JSON.stringify({ settings: next }) });
    } catch (error) {
      return (error as Error).message;
    }
    setSettings(next);
    return null;
  }

  function edit(messageId: string, text: string) {
    following.current = true;
    const files = messages.find((m) => m.id === messageId)?.parts.filter((part) => part.type === "file") ?? [];
    void sendMessage(files.length ? { text, files, messageId } : { text, messageId }, { body: { modelId } });
  }

  function retry() {
    void regenerate({ body: { modelId } });
  }

  const last = messages.at(-1);
  const lastHasErrorNotice = last?.role === "assistant" && last.metadata?.status === "error";

  return (
    <div className="relative flex min-h-0 flex-1 flex-col" {...attachments.drop.props}>
      {attachments.drop.dragging && <DropOverlay />}
      <div className="flex h-12 shrink-0 items-center gap-2 border-b px-3">
        <ModelPicker models={models} value={modelId} onChange={chooseModel} disabled={busy} />
        <div className="ml-auto flex items-center gap-1">
          <ChatSettingsPanel settings={settings} defaults={settingDefaults} disabled={busy} onSave={saveSettings} />
          {messages.length > 0 && <ChatActions chat={{ id, title }} />}
        </div>
      </div>
      <div
        className="min-h-0 flex-1 overflow-y-auto"
        data-testid="messages"
        // The conversation is a log: a screen reader announces a reply once it has finished streaming.
        role="log"
        aria-live="polite"
        aria-busy={busy}
        aria-label="Conversation"
        onScroll={(event) => {
          const box = event.currentTarget;
          following.current = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
        }}
      >
        <div className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
          {messages.length === 0 && <EmptyState hasModels={models.length > 0} />}
          {messages.map((message, index) => (
            <ChatMessageView
              key={message.id}
              message={message}
              chatId={id}
              streaming={busy && index === messages.length - 1}
              onRegenerate={!busy && index === messages.length - 1 ? retry : undefined}
              onEdit={busy ? undefined : (text) => edit(message.id, text)}
            />
          ))}
          {status === "submitted" && last?.role === "user" && (
            <ChatMessageView message={{ id: "pending", role: "assistant", parts: [] }} streaming />
          )}
          {error && !lastHasErrorNotice && (
            <Notice kind="error" onRetry={busy ? undefined : retry}>
              {readableChatError(error)}
            </Notice>
          )}
          <div ref={bottomRef} />
        </div>
      </div>
      <div className="shrink-0 px-3 pb-[max(0.75rem,env(safe-area-inset-bottom))]">
        <div className="mx-auto max-w-3xl">
          <ChatInput
            chatId={id}
            busy={busy}
            disabled={!modelId}
            onSend={send}
            onStop={() => void stop()}
            attachments={attachments}
          />
        </div>
      </div>
    </div>
  );
}

function DropOverlay() {
  return (
    <div className="pointer-events-none absolute inset-2 z-20 flex items-center justify-center rounded-2xl border-2 border-dashed border-primary/60 bg-background/85 text-sm font-medium">
      Drop images or text files to attach them
    </div>
  );
}

function EmptyState({ hasModels }: { hasModels: boolean }) {
  return (
    <div className="mt-[12vh] text-center">
      <h1 className="text-2xl font-semibold tracking-tight">What can I help with?</h1>
      <p className="mt-2 text-sm text-muted-foreground">
        {hasModels
          ? "Pick a model above. Models marked TEE run inside a confidential-computing enclave."
          : "No models are enabled yet. An admin can refresh the catalog under Admin → Models."}
      </p>
    </div>
  );
}
