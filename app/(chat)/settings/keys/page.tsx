import Link from "next/link";
import { headers } from "next/headers";
import { ApiKeys, BaseUrl } from "@/components/api-keys";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/auth/link-token";
import { listOwnKeys, userHasApiAccess } from "@/lib/keys/manage";

export const metadata = { title: "API keys · Pillbox" };

export default async function ApiKeysPage() {
  const me = await requirePageUser();
  const [keys, allowed, base] = await Promise.all([listOwnKeys(me), userHasApiAccess(me), headers().then(publicOrigin)]);
  const baseUrl = `${base}/api/v1`;
  return (
    <div className="flex-1 overflow-y-auto">
      <div className="mx-auto flex w-full max-w-2xl flex-col gap-6 px-4 py-8">
        <div>
          <Link href="/settings" className="text-sm text-muted-foreground hover:text-foreground">
            ← Settings
          </Link>
          <h1 className="text-2xl font-semibold">API keys</h1>
          <p className="text-sm text-muted-foreground">
            Use Pillbox from your editor, scripts and other tools through its OpenAI-compatible API. A key acts as you:
            the same models, budgets and rate limits, and its calls count in your usage.
          </p>
        </div>
        <Card>
          <CardHeader>
            <CardTitle>Your keys</CardTitle>
            <CardDescription>Create one key per tool, so you can revoke one without the others.</CardDescription>
          </CardHeader>
          <CardContent>
            <ApiKeys keys={keys} allowed={allowed} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Connect a tool</CardTitle>
            <CardDescription>Any OpenAI-compatible client: set its base URL and use your key as the API key.</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-3 text-sm">
            <BaseUrl url={baseUrl} />
            <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs leading-relaxed">
              {`curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer $PILLBOX_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "anthropic/claude-sonnet-4.5",
       "messages": [{"role": "user", "content": "Hello"}]}'`}
            </pre>
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
