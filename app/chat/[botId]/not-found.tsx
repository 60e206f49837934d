export default function ChatNotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-2 px-4 text-center">
      <h1 className="text-lg font-semibold">This chat is not available</h1>
      <p className="text-gray-600">Check the link you were given, or contact the company that shared it.</p>
    </main>
  );
}
