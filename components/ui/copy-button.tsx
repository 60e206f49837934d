"use client";

import { useState } from "react";
import { Button, type ButtonVariant } from "@/components/ui/button";

/** Copies text and says so for two seconds. */
export function CopyButton({ text, label = "Copy link", variant = "secondary" }: { text: string; label?: string; variant?: ButtonVariant }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2000);
  }
  return (
    <Button variant={variant} onClick={copy} aria-live="polite">
      {state === "copied" ? "Copied!" : state === "failed" ? "Copy failed" : label}
    </Button>
  );
}
