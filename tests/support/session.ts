/**
 * A signed-in HTTP client: signs in through Auth.js's own credentials endpoint and keeps the
 * cookies, like a browser would.
 */
export class Session {
  private cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** The same signed-in browser talking to another server (another app instance). */
  at(baseUrl: string): Session {
    const other = new Session(baseUrl);
    other.cookies = this.cookies;
    return other;
  }

  /** The Cookie header this session sends (for clients other than `fetch`, e.g. a benchmark's). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.cookieHeader());
    const response = await fetch(`${this.baseUrl}${pathname}`, { ...init, headers, redirect: "manual" });
    this.remember(response);
    return response;
  }

  postJson(pathname: string, body: unknown, init: RequestInit = {}): Promise<Response> {
    return this.fetch(pathname, {
      ...init,
      method: "POST",
      headers: { "content-type": "application/json", ...init.headers },
      body: JSON.stringify(body),
    });
  }

  async signIn(email: string, password: string): Promise<boolean> {
    const csrf = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    await this.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: csrf.csrfToken, email, password, callbackUrl: "/" }),
    });
    return [...this.cookies.keys()].some((name) => name.endsWith("authjs.session-token"));
  }
}
