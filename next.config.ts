import type { NextConfig } from "next";

/** Every response under /share: never indexed, never cached by shared caches, no referrer. */
export const SHARE_HEADERS = [
  { key: "X-Robots-Tag", value: "noindex, nofollow" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Cache-Control", value: "private, no-store" },
  { key: "X-Content-Type-Options", value: "nosniff" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  experimental: {
    // The proxy (proxy.ts) sees only small bodies (server actions, the view beacon): buffer little.
    proxyClientMaxBodySize: "1mb",
  },
  // These load WebAssembly or native code from their own folders at run time.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/adapter-pg",
    "pg",
    "@node-rs/argon2",
    "yazl",
  ],
  async headers() {
    return [
      { source: "/share/:path*", headers: SHARE_HEADERS },
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
        ],
      },
    ];
  },
};

export default nextConfig;
