import { readableChatError } from "@/lib/chat/client-errors";

/** fetch for the sidebar's small JSON calls: the parsed body, or an Error with the server's readable message. */
export async function requestJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: init.body ? { "content-type": "application/json", ...init.headers } : init.headers,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(readableChatError(new Error(text || response.statusText)));
  return (text ? JSON.parse(text) : null) as T;
}
