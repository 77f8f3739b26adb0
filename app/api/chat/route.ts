import { assertUsableModel } from "@/lib/access/policy";
import { assertActiveUser, requireSession } from "@/lib/auth/session";
import { loadPromptFiles, prepareMessageFiles, type PromptFile } from "@/lib/chat/attachments";
import { assertChatAccess, saveUserTurn, splitForEdit, splitForRegenerate } from "@/lib/chat/chats";
import { fitToContext } from "@/lib/chat/context";
import { hasPromptContent } from "@/lib/chat/reasoning";
import { streamReply } from "@/lib/chat/reply";
import { compactSettings, storedSettings } from "@/lib/chat/settings";
import type { ChatMessage } from "@/lib/chat/types";
import { readChatPreflight } from "@/lib/db/chat-preflight";
import { touchChat } from "@/lib/db/chats";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { readJson, route } from "@/lib/http/handler";
import { reserveCall } from "@/lib/usage/ledger";
import { admitRequest, effectiveLimits } from "@/lib/usage/rate-limits";
import { parseWorkspaceSettings } from "@/lib/workspace/settings";
import { postChatBody } from "./schema";

export const dynamic = "force-dynamic";
// A reply streams for as long as the model writes (Vercel's default would cut long answers off);
// its usage is settled and the reply saved before the stream closes (lib/chat/reply.ts).
export const maxDuration = 300;

// A reply that failed before its first token has no parts (or only thinking): it is shown, not sent upstream.
const sendable = (messages: ChatMessage[]) => messages.filter(hasPromptContent);

export const POST = route(async (request: Request) => {
  const receivedAt = performance.now();
  const session = await requireSession(request);
  const body = await readJson(request, postChatBody);

  // Everything the checks need, read in one round trip. Nothing is written and nothing is sent
  // upstream before all of them pass.
  const preflight = await readChatPreflight({ userId: session.id, modelId: body.modelId, chatId: body.id });
  const { rules, chat, budgets } = preflight;
  const stored = preflight.messages as ChatMessage[];
  const workspace = parseWorkspaceSettings(preflight.settings);
  const user = assertActiveUser(preflight.user, session);
  const model = assertUsableModel({ user, model: preflight.model, modelId: body.modelId, rules });
  assertChatAccess({ chat, user });
  // Settings sent with the request replace the chat's; either way they are over the workspace's.
  const chatSettings = body.settings ? compactSettings(body.settings) : storedSettings(chat?.settings);
  const settings = { ...compactSettings(workspace.chatDefaults), ...chatSettings };
  const saveSettings = body.settings ? chatSettings : undefined;
  const requestedOutput = Math.min(settings.maxOutputTokens ?? env.PILLBOX_MAX_OUTPUT_TOKENS, env.PILLBOX_MAX_OUTPUT_TOKENS);

  let turn: { history: ChatMessage[]; replaces: string[]; save: () => Promise<void>; userMessageId?: string };
  let known: Map<string, PromptFile> | undefined;
  if ("regenerate" in body) {
    if (!chat) throw new AppError("not_found:chat", "Chat not found.");
    const { prompt, replaced } = splitForRegenerate(stored);
    turn = {
      history: sendable(prompt),
      replaces: replaced,
      save: async () => void (await touchChat({ id: chat.id, modelId: model.id, settings: saveSettings })),
    };
  } else {
    // Files are checked (type, size, the model's image input) before anything is stored or sent.
    const files = await prepareMessageFiles({ parts: body.message.parts, userId: user.id, chatId: body.id, model, host: request.headers.get("host") });
    known = files.files;
    const message: ChatMessage = { id: crypto.randomUUID(), role: "user", parts: files.parts };
    // An edit replaces the edited message and everything after it, once the new turn is stored.
    const edit = body.editMessageId === undefined ? null : splitForEdit(stored, body.editMessageId);
    turn = {
      history: [...sendable(edit ? edit.before : stored), message],
      replaces: [],
      userMessageId: message.id,
      save: async () => {
        await saveUserTurn({
          user,
          chatId: body.id,
          exists: chat !== null,
          modelId: model.id,
          message,
          settings: saveSettings,
          replaces: edit?.replaced,
        });
        await files.save(body.id);
      },
    };
  }
  const promptFiles = await loadPromptFiles({ history: turn.history, userId: user.id, chatId: body.id, model, known });
  // The oldest turns that do not fit the model's context are left out (never the system prompt).
  const context = fitToContext({
    system: settings.system,
    history: turn.history,
    contextLength: model.contextLength,
    maxOutputTokens: requestedOutput,
    fileTokens: promptFiles.tokensOf,
  });
  const { maxOutputTokens } = context;

  const limits = effectiveLimits(user, rules);
  await admitRequest({ userId: user.id, limits });
  // The call's usage row exists before anything goes upstream, whatever happens next.
  const call = await reserveCall({
    userId: user.id,
    groupIds: rules.map((rule) => rule.id),
    chatId: body.id,
    model,
    promptTokens: context.promptTokens,
    maxOutputTokens,
    timeZone: workspace.timeZone,
    budgets,
  });

  return streamReply({
    request,
    receivedAt,
    user,
    chatId: body.id,
    model,
    history: context.history,
    droppedMessages: context.dropped,
    userMessageId: turn.userMessageId,
    settings: { ...settings, maxOutputTokens },
    call,
    countTokensPerMinute: limits.tpm !== null,
    saveUserTurn: turn.save,
    replaces: turn.replaces,
    titleModelId: workspace.titleModelId,
    files: promptFiles.resolve,
  });
});
