import { MessageBody } from "@/components/conversations/message-body";
import { ROLE_LABELS, formatBytes } from "@/components/conversations/format";
import { RelativeTime } from "@/components/ui/relative-time";
import type { MessageView } from "@/lib/conversations/queries";

const ROLE_STYLES = {
  CONTACT: "mr-auto bg-white border border-gray-200",
  BOT: "ml-auto bg-blue-50 border border-blue-100",
  OPERATOR: "ml-auto bg-emerald-50 border border-emerald-200",
  SYSTEM: "mx-auto bg-transparent text-gray-500 text-sm italic",
} as const;

/** Who wrote it: the role, with the operator's or bot's name where the message carries one. */
function defaultLabel(message: MessageView): string {
  return message.role !== "CONTACT" && message.role !== "SYSTEM" && message.authorName
    ? `${ROLE_LABELS[message.role]} · ${message.authorName}`
    : ROLE_LABELS[message.role];
}

/**
 * One message with its author, time, text and attachments. `fileBaseUrl` + "/" + id downloads a
 * file; `label` names the author from the reader's side (the web chat says "You").
 */
export function MessageItem({ message, fileBaseUrl, label }: { message: MessageView; fileBaseUrl: string; label?: string }) {
  return (
    <li
      className={`max-w-[85%] rounded-lg px-3 py-2 ${ROLE_STYLES[message.role]}`}
      data-testid="message"
      data-role={message.role.toLowerCase()}
      data-message-id={message.id}
    >
      <div className="mb-0.5 flex gap-2 text-xs text-gray-600">
        <span className="font-semibold" data-testid="message-author">
          {label ?? defaultLabel(message)}
        </span>
        <RelativeTime iso={message.createdAt} />
      </div>
      <MessageBody text={message.text} html={message.html} />
      {message.attachments.length > 0 && (
        <ul className="mt-1 space-y-0.5 text-sm">
          {message.attachments.map((attachment) => (
            <li key={attachment.id}>
              <a className="text-brand underline" href={`${fileBaseUrl}/${attachment.id}`} download>
                {attachment.fileName}
              </a>{" "}
              <span className="text-gray-500">({formatBytes(attachment.size)})</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
