"use client";

export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", display: "grid", placeItems: "center", minHeight: "100vh" }}>
        <div style={{ textAlign: "center" }}>
          <h1>Pillbox could not load</h1>
          <p>Something went wrong on our side. Your chats are safe.</p>
          <button onClick={reset}>Try again</button>
        </div>
      </body>
    </html>
  );
}
