"use client";

import { useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { formatBytes } from "@/components/conversations/format";
import { useTypingSignal } from "@/components/conversations/use-typing-signal";
import { Button } from "@/components/ui/button";
import type { MessageView } from "@/lib/conversations/message-view";

const MAX_FILES = 5;
const MAX_TEXT = 4000;

type Props = {
  /** Where messages are posted: the bot's chat, and the conversation when the chat was opened on one. */
  messagesUrl: string;
  /** Where the contact's typing is reported; null before there is a conversation (nobody to tell). */
  typingUrl: string | null;
  /** Before the first message: offer an optional name field (flows greet with it). */
  askName: boolean;
  maxUploadBytes: number;
  /** The messages written, the conversation the contact's next message goes to, and the bot answering there. */
  onSent: (messages: MessageView[], conversationId: string, botName: string | null) => void;
};

/**
 * A paperclip drawn as SVG: the 📎 emoji showed as an empty box where no emoji font is installed
 * (Linux desktops, kiosks), leaving the attach button unrecognisable.
 */
function PaperclipIcon({ className = "size-5" }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden className={className}>
      <path d="m21.44 11.05-9.19 9.19a6 6 0 0 1-8.49-8.49l8.57-8.57A4 4 0 1 1 18 8.84l-8.59 8.57a2 2 0 0 1-2.83-2.83l8.49-8.48" />
    </svg>
  );
}

/** Text and files to the bot. Enter sends, Shift+Enter starts a new line. */
export function ChatComposer({ messagesUrl, typingUrl, askName, maxUploadBytes, onSent }: Props) {
  const [text, setText] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const typing = useTypingSignal(typingUrl);

  const chooseFiles = (chosen: FileList | null) => {
    const next = [...files, ...Array.from(chosen ?? [])];
    if (fileInput.current) fileInput.current.value = "";
    const tooLarge = next.find((file) => file.size > maxUploadBytes);
    if (tooLarge) return setError(`${tooLarge.name} is larger than ${formatBytes(maxUploadBytes)}.`);
    if (next.length > MAX_FILES) return setError(`Attach at most ${MAX_FILES} files.`);
    setError(null);
    setFiles(next);
  };

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    if (pending) return;
    if (text.trim() === "" && files.length === 0) return setError("Write a message or attach a file.");
    const sentText = text;
    const sentFiles = files;
    const body = new FormData();
    body.set("text", sentText);
    if (askName && nameInput.current?.value) body.set("name", nameInput.current.value);
    for (const file of sentFiles) body.append("files", file);
    setPending(true);
    setError(null);
    typing.stop();
    try {
      const response = await fetch(messagesUrl, { method: "POST", body });
      const result = (await response.json().catch(() => null)) as
        | { messages: MessageView[]; conversationId: string; botName?: string | null }
        | { error: { message: string } }
        | null;
      if (!response.ok || !result || "error" in result) {
        setError(result && "error" in result ? result.error.message : "The message could not be sent. Please try again.");
        return;
      }
      // Keep what the contact typed while this message was on its way: only the sent text goes.
      setText((current) => (current.startsWith(sentText) ? current.slice(sentText.length).replace(/^\s+/, "") : current));
      setFiles((current) => current.filter((file) => !sentFiles.includes(file)));
      onSent(result.messages, result.conversationId, result.botName ?? null);
      textarea.current?.focus();
    } catch {
      setError("You seem to be offline. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <form onSubmit={send} className="border-t border-gray-200 bg-gray-50 p-3" aria-busy={pending}>
      {askName && (
        <label className="mb-2 flex items-center gap-2 text-sm text-gray-700">
          Your name
          <input
            ref={nameInput}
            name="name"
            maxLength={100}
            autoComplete="name"
            placeholder="optional"
            className="min-w-0 flex-1 rounded-md border border-gray-300 bg-white px-2 py-1"
          />
        </label>
      )}
      {files.length > 0 && (
        <>
          <span id="files-to-send" className="sr-only">
            Files to send
          </span>
          <ul className="mb-2 flex flex-wrap gap-2 text-sm" aria-labelledby="files-to-send">
            {files.map((file, index) => (
              <li key={`${file.name}-${index}`} className="flex items-center gap-1 rounded-full border border-gray-300 bg-white px-2 py-0.5">
                <PaperclipIcon className="size-3.5 text-gray-500" /> {file.name} <span className="text-gray-500">({formatBytes(file.size)})</span>
                <button
                  type="button"
                  className="ml-1 rounded px-1 text-gray-500 hover:bg-gray-100"
                  aria-label={`Remove ${file.name}`}
                  onClick={() => setFiles(files.filter((_, i) => i !== index))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="flex items-end gap-2">
        <label className="flex h-10 cursor-pointer items-center rounded-md border border-gray-300 bg-white px-2.5 text-gray-700 hover:bg-gray-100 has-[:focus-visible]:outline-2">
          <PaperclipIcon />
          <span className="sr-only">Attach files</span>
          <input
            ref={fileInput}
            type="file"
            multiple
            className="sr-only"
            disabled={pending}
            onChange={(event) => chooseFiles(event.target.files)}
          />
        </label>
        <textarea
          ref={textarea}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            typing.onType();
          }}
          onKeyDown={onKeyDown}
          rows={Math.min(5, Math.max(1, text.split("\n").length))}
          maxLength={MAX_TEXT}
          placeholder="Write a message…"
          aria-label="Message"
          className="min-h-10 flex-1 resize-none rounded-md border border-gray-300 bg-white px-3 py-2"
        />
        <Button type="submit" disabled={pending} className="h-10">
          {pending ? "Sending…" : "Send"}
        </Button>
      </div>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
