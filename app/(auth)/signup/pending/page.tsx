import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

export const metadata = { title: "Waiting for approval · Pillbox" };

export default function SignUpPendingPage() {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Waiting for approval</CardTitle>
        <CardDescription>Your account is created and waiting for an admin&apos;s approval. You can sign in once they approve it.</CardDescription>
      </CardHeader>
      <CardContent className="text-sm">
        <Link href="/signin" className="underline underline-offset-4">
          Back to sign in
        </Link>
      </CardContent>
    </Card>
  );
}
