/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The hub serves dist/ itself (api/frontend.py); in development, `npm run dev` proxies the API to it.
const hub = process.env.FACTUREHUB_URL ?? "http://127.0.0.1:8000";
const api = ["/graphql", "/oauth", "/login", "/logout", "/files", "/.well-known", "/healthz"];

export default defineConfig({
  plugins: [react()],
  build: {
    target: "es2022",
    sourcemap: false,
    // A strict CSP (script-src 'self') forbids the inline module-preload polyfill; modern browsers need none.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  server: { proxy: Object.fromEntries(api.map((path) => [path, hub])) },
  test: { include: ["tests/**/*.test.ts"], environment: "node" },
});
