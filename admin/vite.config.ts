import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const markdownStub = fileURLToPath(new URL('./src/stubs/markdown.ts', import.meta.url));

const apiTarget = process.env.API_URL ?? 'http://localhost:3000';

/** Vendor chunks: stable libraries cached apart from the app code. */
function vendorChunk(id: string): string | undefined {
  if (!id.includes('node_modules')) return undefined;
  // The chart library is loaded only by the lazy chart module of the report pages.
  if (/[\\/]node_modules[\\/](@ant-design[\\/]plots|@antv)[\\/]/.test(id)) return 'charts';
  if (/[\\/]node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/.test(id)) return 'react';
  if (/[\\/]node_modules[\\/](@refinedev|@tanstack|axios|query-string|qs|lodash(-es)?)[\\/]/.test(id)) return 'refine';
  if (/[\\/]node_modules[\\/](antd|@ant-design|rc-[^\\/]+|@rc-component)[\\/]/.test(id)) return 'antd';
  return undefined;
}

export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: {
    // Unused <MarkdownField> of @refinedev/antd: keep its markdown parser out of the bundle.
    alias: [
      { find: /^react-markdown$/, replacement: markdownStub },
      { find: /^remark-gfm$/, replacement: markdownStub },
    ],
  },
  server: {
    port: 5173,
    // Only /api/… (a bare '/api' prefix would also catch admin routes such as /api-keys).
    proxy: {
      '^/api/': { target: apiTarget, changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      '^/api/': { target: apiTarget, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1600, // the lazily loaded chart chunk (@ant-design/plots) is ~1.5 MB
    rollupOptions: {
      output: {
        manualChunks: vendorChunk,
      },
    },
  },
});
