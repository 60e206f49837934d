// The page every unavailable share link answers (unknown, revoked, expired, not permitted,
// malformed): one fixed document, so no two cases differ by a byte. Complete HTML with its own
// styles, readable without JavaScript, in light and dark. The proxy (proxy.ts) sends it: a page
// that calls notFound() gets Next's empty error shell instead, its text only in the RSC payload.

/** Said by the page and by every share route (files, ZIP, events, preview image) as plain text. */
export const NOT_AVAILABLE_TEXT = "This link is not available.";

export const NOT_AVAILABLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="color-scheme" content="light dark">
<title>Link not available · Switchboard</title>
<link rel="icon" href="/favicon.ico" sizes="any">
<link rel="icon" href="/icon.svg" type="image/svg+xml">
<style>
:root { color-scheme: light dark; --bg: #f9fafb; --fg: #111827; --muted: #4b5563; }
@media (prefers-color-scheme: dark) { :root { --bg: #030712; --fg: #f3f4f6; --muted: #d1d5db; } }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 28rem; margin: 0 auto; padding: 6rem 1.5rem; text-align: center; }
h1 { font-size: 1.5rem; font-weight: 600; margin: 0; }
p { color: var(--muted); margin: 0.5rem 0 0; }
</style>
</head>
<body>
<main>
<h1>This link is not available</h1>
<p>Ask the person who shared it for a new link.</p>
</main>
</body>
</html>
`;
