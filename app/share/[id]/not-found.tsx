/** The one page for unknown, revoked, expired and not-permitted links, so a viewer learns nothing. */
export default function ShareNotAvailable() {
  return (
    <main className="mx-auto max-w-md px-6 py-24 text-center">
      <meta name="robots" content="noindex, nofollow" />
      <h1 className="text-2xl font-semibold">This link is not available</h1>
      <p className="mt-2 text-gray-600">Ask the person who shared it for a new link.</p>
    </main>
  );
}
