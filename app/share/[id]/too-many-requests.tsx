/** Shown instead of any share page while this address waits out its share-lookup limit. */
export function TooManyRequests({ seconds }: { seconds: number }) {
  return (
    <main className="mx-auto max-w-md px-6 py-24 text-center">
      <meta name="robots" content="noindex, nofollow" />
      <h1 className="text-2xl font-semibold">Too many requests</h1>
      <p className="mt-2 text-gray-600">Try again in {seconds} s.</p>
    </main>
  );
}
