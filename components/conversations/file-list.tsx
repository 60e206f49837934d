import { formatBytes } from "@/components/conversations/format";
import { buttonClass } from "@/components/ui/button";
import type { AttachmentView } from "@/lib/conversations/queries";

/**
 * Every file with its own download button, and Download all as one ZIP. `withTranscript`: the ZIP
 * also carries the transcript (a share's), so it is offered even without files.
 */
export function FileList({
  files,
  total,
  fileBaseUrl,
  zipUrl,
  withTranscript = false,
}: {
  files: AttachmentView[];
  total: number;
  fileBaseUrl: string;
  zipUrl: string;
  withTranscript?: boolean;
}) {
  return (
    <section aria-labelledby="files-heading" className="rounded-lg border border-gray-200 bg-white p-4">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 id="files-heading" className="font-semibold">
          Files <span className="text-gray-500">({total})</span>
        </h2>
        {(total > 0 || withTranscript) && (
          <a className={buttonClass("primary")} href={zipUrl} download title={withTranscript ? "Every file and the transcript (transcript.md), as one ZIP" : undefined}>
            Download all
          </a>
        )}
      </div>
      {total === 0 ? (
        <p className="text-sm text-gray-500">No files in this conversation.</p>
      ) : (
        <ul className="divide-y divide-gray-100">
          {files.map((file) => (
            <li key={file.id} className="flex items-center justify-between gap-2 py-1.5 text-sm" data-testid="file">
              <span className="min-w-0 truncate" title={file.fileName}>
                {file.fileName} <span className="text-gray-500">· {formatBytes(file.size)}</span>
              </span>
              <a
                className={buttonClass("secondary", "shrink-0")}
                href={`${fileBaseUrl}/${file.id}`}
                download
                aria-label={`Download ${file.fileName}`}
              >
                Download
              </a>
            </li>
          ))}
        </ul>
      )}
      {total > files.length && (
        <p className="mt-2 text-sm text-gray-500">
          Showing the first {files.length} of {total} files; Download all includes every one.
        </p>
      )}
    </section>
  );
}
