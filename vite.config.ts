/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// index.html carries the app's Content Security Policy. The dev server alone needs
// more: the React Fast Refresh preamble is an inline script, Vite injects CSS as
// <style> elements, and its error overlay writes innerHTML. Only `vite` (serve)
// relaxes those three; `vite build` and `vite preview` keep the strict policy.
function devServerCsp(): Plugin {
  return {
    name: 'landlock-lens:dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/(http-equiv="Content-Security-Policy"\s+content=")([^"]*)"/, (_m, head: string, policy: string) => {
        const relaxed = policy
          .split(';')
          .map((d) => d.trim())
          .filter((d) => d && !d.startsWith('require-trusted-types-for') && !d.startsWith('trusted-types'))
          .map((d) => (d.startsWith('script-src ') || d.startsWith('style-src ') ? `${d} 'unsafe-inline'` : d))
          .join('; ');
        return `${head}${relaxed}"`;
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), devServerCsp()],
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  // A <meta> policy cannot forbid framing; the preview server sends that part as a header.
  preview: { port: 5173, strictPort: true, headers: { 'Content-Security-Policy': "frame-ancestors 'none'", 'X-Content-Type-Options': 'nosniff' } },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    globalSetup: ['test/fleet/global-setup.ts'],
  },
});
