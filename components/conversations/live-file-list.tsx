"use client";

import { FileList } from "@/components/conversations/file-list";
import { useNewMessages } from "@/components/conversations/use-new-messages";
import type { AttachmentView } from "@/lib/conversations/message-view";

/** The file list, with the files of messages that arrive live added (and counted) as they come. */
export function LiveFileList({
  eventsUrl,
  knownMessageIds,
  files,
  total,
  fileBaseUrl,
  zipUrl,
  withTranscript,
}: {
  eventsUrl: string | null;
  knownMessageIds: string[];
  files: AttachmentView[];
  total: number;
  fileBaseUrl: string;
  zipUrl: string;
  withTranscript?: boolean;
}) {
  const arrived = useNewMessages(eventsUrl, knownMessageIds).flatMap((message) => message.attachments);
  // A list cut at its first files stays cut: the new ones are counted and are in Download all.
  const shown = files.length === total ? [...files, ...arrived] : files;
  return <FileList files={shown} total={total + arrived.length} fileBaseUrl={fileBaseUrl} zipUrl={zipUrl} withTranscript={withTranscript} />;
}
