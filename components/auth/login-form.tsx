"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button";

// The only message from the server that the form shows as it is (lib/rate-limit signInRefusal).
const RATE_LIMITED = /^Too many attempts, try again in \d+ s\.$/;

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Controlled: a form action resets uncontrolled fields, and a typo in the password should not
  // cost the email too.
  const [email, setEmail] = useState("");

  async function submit(formData: FormData) {
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email,
      password: String(formData.get("password") ?? ""),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      // A full navigation, so every server component renders with the new session. callbackUrl
      // was checked on the server to be a path of this app.
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(result?.error && RATE_LIMITED.test(result.error) ? result.error : "Wrong email or password.");
  }

  return (
    <form action={submit} className="flex flex-col gap-3">
      <label className="flex flex-col gap-1 text-sm font-medium">
        Email
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          className="rounded-md border border-gray-300 px-3 py-2 font-normal"
        />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Password
        <input name="password" type="password" autoComplete="current-password" required className="rounded-md border border-gray-300 px-3 py-2 font-normal" />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <button type="submit" className={buttonClass("primary", "py-2")} disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
