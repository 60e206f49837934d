import type { MessageRole } from "@/lib/generated/prisma/enums";

export const ROLE_LABELS: Record<MessageRole, string> = {
  CONTACT: "Contact",
  BOT: "Bot",
  OPERATOR: "Operator",
  SYSTEM: "System",
};

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
