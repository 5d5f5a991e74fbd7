import { defineConfig } from 'vite';

// The command line is bundled to one Node ES module so it starts fast and
// runs the same parse/analysis code as the browser worker.
export default defineConfig({
  publicDir: false,
  // Bundled in, not imported at run time: the CLI runs from its one file
  // (smol-toml reads TOML policies).
  ssr: { noExternal: ['pako', 'd3-time', 'd3-array', 'smol-toml'] },
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: 'landlock-lens.mjs' } },
  },
});
