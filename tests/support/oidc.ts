import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration } from "oidc-provider";

/** An account at the test identity provider: its login name is its `sub`. */
export interface IdpAccount {
  email: string;
  emailVerified: boolean;
  name: string;
  groups?: string[];
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** login name → account; change it between tests */
  accounts: Map<string, IdpAccount>;
  /** The app's AUTH_OIDC_* settings for this provider. */
  appEnv: Record<string, string>;
  /** Registers the app (its callback URL) once its address is known; the provider starts answering then. */
  allowApp(appUrl: string): void;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1, with one client for
 * the app and its built-in development login and consent pages. Any password is accepted for a
 * login name in `accounts`. It listens at once (so the app can be started with its issuer) and
 * answers once allowApp() has told it the app's callback URL.
 */
export async function startTestIdp(): Promise<TestIdp> {
  const accounts = new Map<string, IdpAccount>();
  const clientId = "pillbox";
  const clientSecret = "pillbox-test-client-secret-0123456789";
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configure = (appUrl: string): Configuration => ({
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["pillbox-test-idp-cookie-key"] },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, email: account.email, email_verified: account.emailVerified, name: account.name, groups: account.groups ?? [] };
        },
      };
    },
  });
  let handle: http.RequestListener = (_req, res) => res.writeHead(503).end();
  server.on("request", (req, res) => handle(req, res));

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    appEnv: { AUTH_OIDC_ISSUER: issuer, AUTH_OIDC_CLIENT_ID: clientId, AUTH_OIDC_CLIENT_SECRET: clientSecret },
    allowApp(appUrl) {
      handle = new Provider(issuer, configure(appUrl)).callback();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
