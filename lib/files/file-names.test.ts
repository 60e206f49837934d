import contentDisposition from "content-disposition";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  attachmentDisposition,
  createUniqueFileNamer,
  sanitizeFileName,
  uniqueFileNames,
} from "@/lib/files/file-names";

// What no downloaded file or ZIP entry name may contain: path separators, C0/C1 controls, and the
// invisible direction marks and overrides that make "photo\u202Egpj.exe" read as "photoexe.jpg".
const UNSAFE_CHARACTERS = /[/\\\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// Reserved by Windows: such an entry would not extract there.
const WINDOWS_RESERVED = /[<>:"|?*]/;
const ASCII_HEADER = /^[\x20-\x7e]*$/;

function expectSafeSegment(name: string) {
  expect(name).not.toBe("");
  expect(name).not.toBe(".");
  expect(name).not.toBe("..");
  expect(name).not.toMatch(UNSAFE_CHARACTERS);
  expect(name).not.toMatch(WINDOWS_RESERVED);
  expect(name.startsWith(".")).toBe(false);
  expect(name.isWellFormed()).toBe(true);
}

/** The filename a browser saves under: `filename*` when present, else `filename`. */
function savedName(header: string): string {
  return contentDisposition.parse(header).parameters.filename;
}

/** The plain `filename="…"` fallback that old clients use. */
function fallbackName(header: string): string | undefined {
  return /(?:^|;\s*)filename="((?:[^"\\]|\\.)*)"/.exec(header)?.[1];
}

describe("sanitizeFileName", () => {
  it.each([
    ["../../etc/passwd", "_.._etc_passwd"],
    ["/etc/passwd", "_etc_passwd"],
    ["..\\..\\Windows\\System32\\cmd.exe", "_.._Windows_System32_cmd.exe"],
    ["C:\\Users\\ana\\report.pdf", "C__Users_ana_report.pdf"],
    ["notes/2024/q1.txt", "notes_2024_q1.txt"],
    ["in\u0000voice.pdf", "invoice.pdf"],
    ["line\r\nbreak.txt", "linebreak.txt"],
    ["tab\there.txt", "tabhere.txt"],
    ["photo\u202Egpj.exe", "photogpj.exe"],
    ["\u2066isolated\u2069.txt", "isolated.txt"],
    ["what?*<are>|these:.txt", "what___are__these_.txt"],
    ['say "hi".txt', "say _hi_.txt"],
    [".bashrc", "bashrc"],
    ["  spaced out  .txt  ", "spaced out  .txt"],
    ["trailing dots...", "trailing dots"],
    ["résumé final (v2).pdf", "résumé final (v2).pdf"],
    ["日本語のファイル.pdf", "日本語のファイル.pdf"],
  ])("%j becomes %j", (input, expected) => {
    const clean = sanitizeFileName(input);
    expect(clean).toBe(expected);
    expectSafeSegment(clean);
  });

  it.each(["", ".", "..", "...", "   ", " . . ", "\u0000", "\u202E\u202D", "\r\n"])(
    "an empty or dots-only name %j becomes 'file'",
    (input) => {
      expect(sanitizeFileName(input)).toBe("file");
    },
  );

  it.each([
    ["CON", "_CON"],
    ["con.txt", "_con.txt"],
    ["Nul", "_Nul"],
    ["aux.tar.gz", "_aux.tar.gz"],
    ["LPT1.log", "_LPT1.log"],
    ["com9", "_com9"],
    ["prn.", "_prn"],
  ])("the Windows device name %j becomes %j", (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it.each(["CONSOLE.txt", "icon.png", "auxiliary.md", "com10.txt"])("%j is not a device name and stays", (input) => {
    expect(sanitizeFileName(input)).toBe(input);
  });

  it("composes decomposed accents (NFC), so the same-looking name is the same name", () => {
    expect(sanitizeFileName("re\u0301sume\u0301.pdf")).toBe("résumé.pdf");
  });

  it("shortens a very long name and keeps its extension", () => {
    const clean = sanitizeFileName(`${"quarterly report ".repeat(30)}.pdf`);
    expect(Buffer.byteLength(clean)).toBeLessThanOrEqual(240);
    expect(clean.startsWith("quarterly report quarterly")).toBe(true);
    expect(clean.endsWith(".pdf")).toBe(true);
    expectSafeSegment(clean);
  });

  it("shortens a long name without an extension", () => {
    const clean = sanitizeFileName("x".repeat(1000));
    expect(clean).toBe("x".repeat(240));
  });

  it("never cuts an emoji in half when shortening", () => {
    // 1 + 2·150 UTF-16 units: the naive cut point falls between the halves of a surrogate pair.
    const clean = sanitizeFileName(`a${"😀".repeat(150)}.pdf`);
    expect(Buffer.byteLength(clean)).toBeLessThanOrEqual(240);
    expect(clean.isWellFormed()).toBe(true);
    expect(clean.endsWith("😀.pdf")).toBe(true);
    expect(() => attachmentDisposition(`a${"😀".repeat(150)}.pdf`)).not.toThrow();
  });

  it("replaces lone surrogates (possible in JSON input) instead of keeping broken text", () => {
    const clean = sanitizeFileName("broken\uD83D.txt");
    expect(clean.isWellFormed()).toBe(true);
    expect(clean.endsWith(".txt")).toBe(true);
    expect(() => attachmentDisposition("broken\uD83D.txt")).not.toThrow();
  });

  // 100 CJK characters are 300 UTF-8 bytes, over the 255-byte name limit of ext4 and APFS.
  it("keeps a name within 255 UTF-8 bytes so it extracts on Linux and macOS", () => {
    const clean = sanitizeFileName(`${"報告".repeat(50)}.pdf`);
    expect(Buffer.byteLength(clean, "utf8")).toBeLessThanOrEqual(255);
    expect(clean.endsWith(".pdf")).toBe(true);
  });
});

describe("unique file names", () => {
  it("numbers a repeated name before its extension", () => {
    expect(uniqueFileNames(["résumé final (v2).pdf", "résumé final (v2).pdf"])).toEqual([
      "résumé final (v2).pdf",
      "résumé final (v2) (1).pdf",
    ]);
  });

  it("treats names that differ only in case as the same (Windows, macOS)", () => {
    expect(uniqueFileNames(["Report.PDF", "report.pdf", "REPORT.pdf"])).toEqual([
      "Report.PDF",
      "report (1).pdf",
      "REPORT (2).pdf",
    ]);
  });

  it("treats composed and decomposed accents as the same name", () => {
    expect(uniqueFileNames(["résumé.pdf", "re\u0301sume\u0301.pdf"])).toEqual(["résumé.pdf", "résumé (1).pdf"]);
  });

  it("skips a number another file already uses", () => {
    expect(uniqueFileNames(["a (1).pdf", "a.pdf", "a.pdf", "a.pdf"])).toEqual([
      "a (1).pdf",
      "a.pdf",
      "a (2).pdf",
      "a (3).pdf",
    ]);
  });

  it("makes names unique after sanitizing them", () => {
    expect(uniqueFileNames(["a/b.txt", "a\\b.txt", "a:b.txt", "", "..", "file"])).toEqual([
      "a_b.txt",
      "a_b (1).txt",
      "a_b (2).txt",
      "file",
      "file (1)",
      "file (2)",
    ]);
  });

  it("keeps distinct names unchanged and in order", () => {
    expect(uniqueFileNames(["b.txt", "a.txt", "c"])).toEqual(["b.txt", "a.txt", "c"]);
  });

  it("remembers names across calls of one namer, but not across namers", () => {
    const first = createUniqueFileNamer();
    expect(first("photo.jpg")).toBe("photo.jpg");
    expect(first("photo.jpg")).toBe("photo (1).jpg");
    expect(first("PHOTO.JPG")).toBe("PHOTO (2).JPG");
    expect(createUniqueFileNamer()("photo.jpg")).toBe("photo.jpg");
  });
});

describe("attachmentDisposition (RFC 6266)", () => {
  it("sends an ASCII name as a plain quoted filename", () => {
    expect(attachmentDisposition("report.pdf")).toBe('attachment; filename="report.pdf"');
  });

  it("sends a non-ASCII name as UTF-8 filename* with an ASCII-only fallback", () => {
    const name = "résumé final (v2).pdf";
    const header = attachmentDisposition(name);
    expect(header.startsWith("attachment;")).toBe(true);
    expect(header).toMatch(ASCII_HEADER);
    expect(header).toContain("filename*=UTF-8''r%C3%A9sum%C3%A9%20final%20%28v2%29.pdf");
    expect(decodeURIComponent("r%C3%A9sum%C3%A9%20final%20%28v2%29.pdf")).toBe(name);
    expect(savedName(header)).toBe(name);
    const fallback = fallbackName(header);
    expect(fallback).toBeDefined();
    expect(fallback).toMatch(ASCII_HEADER);
    expect(fallback!.endsWith(".pdf")).toBe(true);
  });

  it("round-trips a name in a non-Latin script", () => {
    const name = "日本語のファイル.pdf";
    const header = attachmentDisposition(name);
    expect(header).toMatch(ASCII_HEADER);
    expect(savedName(header)).toBe(name);
    expect(fallbackName(header)).toMatch(ASCII_HEADER);
  });

  it("sends the sanitized name, never a path, a quote or a header break", () => {
    expect(savedName(attachmentDisposition("../../etc/passwd"))).toBe("_.._etc_passwd");
    const injected = attachmentDisposition('x.txt"; filename="evil.html');
    expect(savedName(injected)).toBe("x.txt_; filename=_evil.html");
    const split = attachmentDisposition("a\r\nSet-Cookie: session=1.txt");
    expect(split).not.toMatch(/[\r\n]/);
    expect(savedName(split)).toBe("aSet-Cookie_ session=1.txt");
  });

  it("keeps a literal percent sequence from being decoded by the client", () => {
    const header = attachmentDisposition("100%25 done.txt");
    expect(savedName(header)).toBe("100%25 done.txt");
  });
});

// Names as they arrive from uploads and the API: any Unicode, lone surrogates, and a dense mix of
// the characters the sanitizer has to deal with.
const trickyCharacter = fc.constantFrom(
  ".", "/", "\\", " ", ":", "*", "?", '"', "<", ">", "|", "\u0000", "\u001f", "\u007f", "\u0085",
  "\u200e", "\u202e", "\u2067", "\uD83D", "\uDE00", "a", "A", "é", "É", "e\u0301", "ß", "İ", "😀",
  "c", "o", "n", "C", "O", "N", "1", "(", ")", "%", "2", "5",
);
const fileNameArbitrary = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: trickyCharacter, maxLength: 30 }),
  fc.string({ unit: trickyCharacter, minLength: 150, maxLength: 260 }),
  fc.constantFrom("", ".", "..", "con", "CON.txt", "a.pdf", "A.PDF", "file", "file (1)"),
);

describe("file name properties", () => {
  it("every output is one safe, non-empty path segment, unique case-insensitively", () => {
    fc.assert(
      fc.property(fc.array(fileNameArbitrary, { maxLength: 25 }), (names) => {
        const outputs = uniqueFileNames(names);
        expect(outputs).toHaveLength(names.length);
        for (const name of outputs) expectSafeSegment(name);
        expect(new Set(outputs.map((name) => name.toLowerCase())).size).toBe(outputs.length);
      }),
      { numRuns: 500 },
    );
  });

  it("every Content-Disposition is ASCII and decodes back to the sanitized name", () => {
    fc.assert(
      fc.property(fileNameArbitrary, (name) => {
        const header = attachmentDisposition(name);
        expect(header).toMatch(ASCII_HEADER);
        expect(savedName(header)).toBe(sanitizeFileName(name));
      }),
      { numRuns: 500 },
    );
  });
});
