import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found", robots: { index: false } };

/** Any address of the app that leads nowhere. */
export default function NotFound() {
  return (
    <main className="mx-auto max-w-md px-6 py-24 text-center">
      <p className="text-sm font-semibold text-brand">404</p>
      <h1 className="mt-1 text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-gray-600">The address may be mistyped, or the page has moved.</p>
      <Link href="/conversations" className={buttonClass("primary", "mt-6")}>
        Go to conversations
      </Link>
    </main>
  );
}
