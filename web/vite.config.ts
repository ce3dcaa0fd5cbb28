import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'
import { compression } from 'vite-plugin-compression2'
import path from 'node:path'
import { readFileSync } from 'node:fs'

const { version } = JSON.parse(readFileSync(path.resolve(__dirname, 'package.json'), 'utf8')) as { version: string }

// Assets use relative URLs: the server injects <base href> so one build works
// at / and behind any path prefix (LOVEDCRM_BASE_PATH).
export default defineConfig({
  base: './',
  // The app's version, sent with feedback.
  define: { __APP_VERSION__: JSON.stringify(version) },
  plugins: [react(), tailwindcss(), compression({ algorithms: ['gzip', 'brotliCompress'], threshold: 1024, exclude: [/\.html$/] })],
  resolve: { alias: { '@': path.resolve(__dirname, 'src') } },
  build: { sourcemap: false, chunkSizeWarningLimit: 600 },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
})
