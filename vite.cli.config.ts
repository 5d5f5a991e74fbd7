import { defineConfig } from 'vite';

// The command line is bundled to one Node ES module so it starts fast and
// runs the same parse/analysis code as the browser worker.
export default defineConfig({
  publicDir: false,
  // Bundled in, not imported at run time: the CLI runs from its one file
  // (smol-toml reads TOML policies).
  ssr: { noExternal: ['pako', 'd3-time', 'd3-array', 'smol-toml'] },
  build: {
    // The range worker (--workers) is an entry of its own: a thread compiles only what it runs.
    ssr: true,
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: { 'landlock-lens': 'src/cli/main.ts', 'range-worker': 'src/cli/range-worker.ts' },
      output: { entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
    },
  },
});
