/**
 * useChat surfaces a failed request as an Error whose message is the response body. Our routes
 * answer `{ error: { code, message } }`; show the message, never raw JSON.
 */
export function readableChatError(error: Error): string {
  try {
    const body = JSON.parse(error.message) as { error?: { message?: unknown } };
    if (typeof body.error?.message === "string") return body.error.message;
  } catch {
    // not JSON: an in-stream error message from the server, already readable
  }
  if (/failed to fetch|networkerror|load failed/i.test(error.message)) {
    return "Could not reach the Pillbox server. Check your connection and try again.";
  }
  return error.message || "Something went wrong. Please try again.";
}
