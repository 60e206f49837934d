import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { getActor } from "@/lib/auth/current-actor";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

export default async function LoginPage({ searchParams }: Props) {
  const { callbackUrl: requested } = await searchParams;
  // Only a path of this app: the sign-in page must not bounce anyone to another site.
  const callbackUrl = safeCallbackPath(Array.isArray(requested) ? requested[0] : requested, [env.APP_URL]);
  if ((await getActor()).kind === "user") redirect(callbackUrl);
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-6">
      <h1 className="mb-1 text-2xl font-semibold">Sign in to Switchboard</h1>
      <p className="mb-6 text-sm text-gray-600">Use the email and password of your organization account.</p>
      <LoginForm callbackUrl={callbackUrl} />
    </main>
  );
}
