import type { Metadata } from "next";
import Link from "next/link";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import {
  curlExample,
  fieldRows,
  operationsOf,
  refName,
  typeLabel,
  type ApiDocument,
  type FieldRow,
  type JsonSchema,
  type OperationView,
} from "@/lib/api/openapi-view";
import { env } from "@/lib/env";

// Rendered per request, so the curl examples show the running instance's APP_URL.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "API reference",
  description: "The Switchboard REST API: share links and channel messages, with bearer tokens.",
};

const METHOD_COLORS: Record<string, string> = {
  GET: "bg-emerald-100 text-emerald-800",
  POST: "bg-blue-100 text-blue-800",
  PATCH: "bg-amber-100 text-amber-800",
  DELETE: "bg-red-100 text-red-800",
};

/**
 * The document's descriptions are markdown-ish: `code` spans in backticks. Shown as plain text, the
 * page printed the backticks literally (e.g. "(`sb_bot_…`, acts for one bot)"); render them as code.
 */
function Prose({ text }: { text: string }) {
  return text.split(/(`[^`]+`)/).map((part, index) =>
    part.length > 2 && part.startsWith("`") && part.endsWith("`") ? (
      <code key={index} className="font-mono text-[0.9em]">
        {part.slice(1, -1)}
      </code>
    ) : (
      part
    ),
  );
}

function MethodBadge({ method }: { method: string }) {
  return (
    <span className={`inline-block w-16 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold ${METHOD_COLORS[method] ?? "bg-gray-100"}`}>
      {method}
    </span>
  );
}

function SchemaLink({ schema }: { schema: JsonSchema }) {
  const label = typeLabel(schema);
  const name = schema.$ref ? refName(schema.$ref) : schema.items?.$ref ? refName(schema.items.$ref) : null;
  return name ? (
    <a href={`#schema-${name}`} className="font-mono text-brand hover:underline">
      {label}
    </a>
  ) : (
    <code className="font-mono">{label}</code>
  );
}

function FieldTable({ rows, caption }: { rows: FieldRow[]; caption?: string }) {
  if (rows.length === 0) return null;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        {caption ? (
          <caption className="mb-1 text-left text-xs font-semibold uppercase tracking-wide text-gray-500">{caption}</caption>
        ) : null}
        {/* On a phone three columns left the description a few characters wide (every table
            scrolled sideways): there the type moves under the name and its column is hidden. */}
        <thead className="border-b border-gray-200 text-xs text-gray-500">
          <tr>
            <th className="py-1 pr-4 font-medium">Name</th>
            <th className="py-1 pr-4 font-medium max-sm:hidden">Type</th>
            <th className="py-1 font-medium">Description</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100 align-top">
          {rows.map((row) => (
            <tr key={row.name}>
              <td className="py-1.5 pr-4 font-mono whitespace-nowrap">
                {row.name}
                {row.required ? <span className="ml-1 text-xs text-red-700">required</span> : null}
                <span className="block max-w-40 text-xs whitespace-normal text-gray-700 sm:hidden">{row.type}</span>
              </td>
              <td className="py-1.5 pr-4 font-mono text-xs text-gray-700 max-sm:hidden">{row.type}</td>
              <td className="py-1.5 text-gray-700">
                <Prose text={row.description} />
                {row.constraints.length > 0 ? (
                  <span className="ml-1 text-xs text-gray-500">({row.constraints.join(", ")})</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OperationSection({ document, view, baseUrl }: { document: ApiDocument; view: OperationView; baseUrl: string }) {
  const { operation } = view;
  const parameterRows: FieldRow[] = (operation.parameters ?? []).map((parameter) => ({
    name: parameter.name,
    type: `${typeLabel(parameter.schema)} · ${parameter.in}`,
    required: parameter.required,
    description: parameter.description ?? "",
    constraints: [],
  }));
  const body = operation.requestBody?.content["application/json"]?.schema;
  return (
    <section id={view.anchor} className="scroll-mt-4 rounded-lg border border-gray-200 bg-white p-5 shadow-sm">
      <h3 className="flex flex-wrap items-center gap-2">
        <MethodBadge method={view.method} />
        <code className="font-mono text-sm font-semibold break-all">{view.path}</code>
      </h3>
      <p className="mt-2 font-medium">{operation.summary}</p>
      {operation.description ? (
        <p className="mt-1 text-sm text-gray-700">
          <Prose text={operation.description} />
        </p>
      ) : null}
      <div className="mt-4 space-y-4">
        <FieldTable caption="Parameters" rows={parameterRows} />
        {body ? (
          <div>
            <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-gray-500">
              Request body · <SchemaLink schema={body} />
            </p>
            <FieldTable rows={fieldRows(document, body)} />
          </div>
        ) : null}
        <div>
          <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-gray-500">Responses</p>
          <ul className="space-y-1 text-sm">
            {Object.entries(operation.responses).map(([status, response]) => {
              const schema = response.content?.["application/json"]?.schema;
              return (
                <li key={status} className="flex gap-3">
                  <span className={`w-10 shrink-0 font-mono font-semibold ${status.startsWith("2") ? "text-emerald-700" : "text-red-700"}`}>
                    {status}
                  </span>
                  <span className="text-gray-700">
                    <Prose text={response.description} />
                    {schema ? (
                      <>
                        {" "}
                        · <SchemaLink schema={schema} />
                      </>
                    ) : null}
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
        <div>
          <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-gray-500">Example</p>
          {/* Focusable: a keyboard user scrolls a long command sideways with the arrow keys. */}
          <pre tabIndex={0} aria-label="Example request" className="overflow-x-auto rounded-md bg-code p-3 text-xs leading-relaxed text-on-code">
            <code>{curlExample(baseUrl, view)}</code>
          </pre>
        </div>
      </div>
    </section>
  );
}

/** The public reference of the REST API, rendered from the same document as /api/openapi.json. */
export default function ApiReferencePage() {
  const document = buildOpenApiDocument(env.APP_URL) as unknown as ApiDocument;
  const operations = operationsOf(document);
  return (
    <main className="mx-auto max-w-4xl px-4 py-8">
      <header className="mb-8">
        {/* A link home: signed-in members arrive here from the app's "API" tab, which this page lacks. */}
        <p className="text-sm font-semibold text-brand">
          <Link href="/" className="hover:underline">
            ← Switchboard
          </Link>
        </p>
        <h1 className="mt-1 text-2xl font-bold">API reference</h1>
        {document.info.description ? (
          <p className="mt-2 text-gray-700">
            <Prose text={document.info.description} />
          </p>
        ) : null}
        <p className="mt-2 text-sm text-gray-600">
          Version {document.info.version}. Machine-readable:{" "}
          <Link href="/api/openapi.json" className="text-brand underline">
            /api/openapi.json
          </Link>{" "}
          (OpenAPI 3.1).
        </p>
      </header>

      <section className="mb-8 rounded-lg border border-gray-200 bg-white p-5 text-sm text-gray-700 shadow-sm">
        <h2 className="text-base font-semibold text-gray-900">Conventions</h2>
        <ul className="mt-2 list-disc space-y-1 pl-5">
          <li>
            Send <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>. Bot tokens (
            <code className="font-mono">sb_bot_…</code>) act for one bot; personal tokens (<code className="font-mono">sb_pat_…</code>)
            act for their member with the member&apos;s role.
          </li>
          <li>
            v1 answers are <code className="font-mono">{"{ success, data, meta }"}</code> or{" "}
            <code className="font-mono">{"{ success: false, error: { code, message, details }, meta }"}</code>; the{" "}
            <code className="font-mono">X-Request-Id</code> header repeats <code className="font-mono">meta.requestId</code>.
          </li>
          <li>Something that belongs to another organization answers 404, exactly like something that does not exist.</li>
          <li>A request that fails changes nothing.</li>
        </ul>
      </section>

      <nav aria-label="Endpoints" className="mb-8">
        <h2 className="mb-2 text-base font-semibold">Endpoints</h2>
        <ul className="space-y-1 text-sm">
          {operations.map((view) => (
            <li key={view.anchor}>
              {/* flex-wrap: on a phone the summary drops below the path instead of squeezing it
                  into a column that broke "/api/v1/share" mid-word. */}
              <a href={`#${view.anchor}`} className="flex flex-wrap items-center gap-x-2 hover:underline">
                <MethodBadge method={view.method} />
                <code className="font-mono break-all">{view.path}</code>
                <span className="text-gray-600 max-sm:w-full max-sm:pl-18">— {view.operation.summary}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <div className="space-y-6">
        {operations.map((view) => (
          <OperationSection key={view.anchor} document={document} view={view} baseUrl={env.APP_URL} />
        ))}
      </div>

      <section className="mt-10">
        <h2 className="mb-3 text-lg font-semibold">Schemas</h2>
        <div className="space-y-4">
          {Object.entries(document.components.schemas).map(([name, schema]) => (
            <div key={name} id={`schema-${name}`} className="scroll-mt-4 rounded-lg border border-gray-200 bg-white p-4 shadow-sm">
              <h3 className="font-mono font-semibold">{name}</h3>
              {schema.description ? (
                <p className="mt-1 text-sm text-gray-700">
                  <Prose text={schema.description} />
                </p>
              ) : null}
              <div className="mt-2">
                <FieldTable rows={fieldRows(document, schema)} />
              </div>
            </div>
          ))}
        </div>
      </section>
    </main>
  );
}
