import contentDisposition from "content-disposition";

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Reserved on Windows, or path separators anywhere.
const RESERVED_CHARACTERS = /[<>:"/\\|?*]/g;
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// File systems limit names to 255 bytes; leave room for a " (n)" that makes a name unique.
const MAX_NAME_BYTES = 240;

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, cut between code points. */
function truncateUtf8(text: string, maxBytes: number): string {
  let result = "";
  let bytes = 0;
  for (const character of text) {
    bytes += Buffer.byteLength(character);
    if (bytes > maxBytes) break;
    result += character;
  }
  return result;
}

/**
 * A file name that is safe as a ZIP entry on every OS: one path segment, no "..", no control or
 * bidi characters, no reserved characters, not empty, not absurdly long (extension kept).
 */
export function sanitizeFileName(name: string): string {
  let clean = name
    .toWellFormed()
    .normalize("NFC")
    .replace(CONTROL_CHARACTERS, "")
    .replace(RESERVED_CHARACTERS, "_")
    .trim()
    .replace(/^[.\s]+/, "")
    .replace(/[.\s]+$/, "");
  if (WINDOWS_DEVICE_NAMES.test(clean)) clean = `_${clean}`;
  if (clean === "") clean = "file";
  if (Buffer.byteLength(clean) > MAX_NAME_BYTES) {
    const extension = /\.[^.]{1,16}$/.exec(clean)?.[0] ?? "";
    const stem = clean.slice(0, clean.length - extension.length);
    clean = truncateUtf8(stem, MAX_NAME_BYTES - Buffer.byteLength(extension)).replace(/[.\s]+$/, "") + extension;
  }
  return clean;
}

/**
 * Returns a function that sanitizes each name it is given and makes it unique among those seen
 * so far (case-insensitively, as on Windows and macOS): the second "a.pdf" becomes "a (1).pdf".
 */
export function createUniqueFileNamer(): (name: string) => string {
  const taken = new Set<string>();
  return (name) => {
    const clean = sanitizeFileName(name);
    const dot = clean.lastIndexOf(".");
    const [stem, extension] = dot > 0 ? [clean.slice(0, dot), clean.slice(dot)] : [clean, ""];
    let candidate = clean;
    for (let n = 1; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${extension}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  };
}

export function uniqueFileNames(names: Iterable<string>): string[] {
  const nextName = createUniqueFileNamer();
  return Array.from(names, nextName);
}

/**
 * An RFC 6266 `Content-Disposition: attachment` value: an ASCII fallback `filename` and the
 * exact UTF-8 name in `filename*`.
 */
export function attachmentDisposition(fileName: string): string {
  const name = sanitizeFileName(fileName);
  // The plain `filename` must be ASCII (RFC 6266 appendix D): accents dropped, other characters "_".
  const fallback = name.normalize("NFKD").replace(/\p{M}/gu, "").replace(/[^\x20-\x7e]/g, "_");
  return contentDisposition(name, { type: "attachment", fallback });
}
