import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { getActor } from "@/lib/auth/current-actor";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ callbackUrl?: string }> };

/** Only same-site paths, so the sign-in page cannot be used to bounce people elsewhere. */
function safeCallbackUrl(value: string | undefined) {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/conversations";
}

export default async function LoginPage({ searchParams }: Props) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  if ((await getActor()).kind === "user") redirect(callbackUrl);
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-6">
      <h1 className="mb-1 text-2xl font-semibold">Sign in to Switchboard</h1>
      <p className="mb-6 text-sm text-gray-600">Use the email and password of your organization account.</p>
      <LoginForm callbackUrl={callbackUrl} />
    </main>
  );
}
