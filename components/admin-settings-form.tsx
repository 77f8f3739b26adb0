"use client";

import { useActionState, type ComponentProps, type ReactNode } from "react";
import { saveSignInSettingsAction } from "@/app/admin/settings/actions";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";

interface Values {
  signupMode: "invite" | "open";
  signupDomains: string[];
  signupRequiresApproval: boolean;
  passwordLogin: boolean;
}

function Choice({ children, hint, ...input }: { children: ReactNode; hint?: ReactNode } & ComponentProps<"input">) {
  return (
    <label className="flex cursor-pointer items-start gap-3 rounded-md border p-3 text-sm has-[:checked]:border-foreground/40 has-[:checked]:bg-muted/50">
      <input className="mt-0.5 size-4 accent-primary" {...input} />
      <span className="flex flex-col gap-0.5">
        <span className="font-medium">{children}</span>
        {hint && <span className="text-muted-foreground">{hint}</span>}
      </span>
    </label>
  );
}

export function SignInSettingsForm({ values, ssoName }: { values: Values; ssoName: string | null }) {
  const [state, action, pending] = useActionState(saveSignInSettingsAction, null);
  return (
    <form action={action} className="flex max-w-2xl flex-col gap-6">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 font-medium">Who can create an account</legend>
        <Choice type="radio" name="signupMode" value="invite" defaultChecked={values.signupMode === "invite"} hint="Admins add people or send invites.">
          Invite only
        </Choice>
        <Choice type="radio" name="signupMode" value="open" defaultChecked={values.signupMode === "open"} hint="Anyone with an email address at a listed domain can sign up (and sign in with SSO for the first time).">
          Open sign-up for listed domains
        </Choice>
      </fieldset>
      <div className="flex flex-col gap-2">
        <Label htmlFor="signupDomains">Email domains open for sign-up</Label>
        <Textarea
          id="signupDomains"
          name="signupDomains"
          rows={3}
          placeholder="example.com"
          defaultValue={values.signupDomains.join("\n")}
          aria-describedby="signupDomains-hint"
        />
        <p id="signupDomains-hint" className="text-sm text-muted-foreground">
          One per line. With open sign-up and no domain listed, nobody can sign up.
        </p>
      </div>
      <Choice type="checkbox" name="signupRequiresApproval" defaultChecked={values.signupRequiresApproval} hint="New accounts wait as pending and cannot sign in until an admin approves them.">
        Require approval for new accounts
      </Choice>
      <div className="flex flex-col gap-2">
        <Choice type="checkbox" name="passwordLogin" defaultChecked={values.passwordLogin} hint={ssoName ? `When off, people sign in with ${ssoName} only.` : undefined}>
          Allow sign-in with a password
        </Choice>
        {!ssoName && (
          <p role="note" className="rounded-md bg-amber-500/10 px-3 py-2 text-sm text-amber-800 dark:text-amber-300">
            Single sign-on is not configured (AUTH_OIDC_*), so passwords stay on whatever you choose here — nobody can be locked out.
          </p>
        )}
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
        {state && (
          <p role={state.ok ? "status" : "alert"} className={`text-sm ${state.ok ? "text-muted-foreground" : "text-destructive"}`}>
            {state.message}
          </p>
        )}
      </div>
    </form>
  );
}
