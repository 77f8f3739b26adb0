import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/** The page for a one-time link that is unknown, used, revoked or expired. */
export function LinkProblem({ title, problem }: { title: string; problem: string }) {
  return (
    <Card data-testid="link-problem">
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{problem} Ask an admin for a new link.</CardDescription>
      </CardHeader>
      <CardContent>
        <Button asChild variant="outline" className="w-full">
          <Link href="/signin">Go to sign in</Link>
        </Button>
      </CardContent>
    </Card>
  );
}
