import { KeyRoundIcon } from "lucide-react";
import { ssoSignInAction } from "@/app/(auth)/actions";
import { Button } from "@/components/ui/button";

/** "Sign in with <name>": a plain form posting to a server action, so it works before hydration. */
export function SsoButton({ name, callbackUrl }: { name: string; callbackUrl: string }) {
  return (
    <form action={ssoSignInAction}>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Button type="submit" variant="outline" className="w-full" data-testid="sso-sign-in">
        <KeyRoundIcon className="size-4" /> Sign in with {name}
      </Button>
    </form>
  );
}
