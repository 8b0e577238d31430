import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Tauri shell loads http://localhost:1420 in development and ui/dist in builds.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 1420, strictPort: true, host: '127.0.0.1' },
  preview: { port: 1421, strictPort: false, host: '127.0.0.1' },
  build: { outDir: 'dist', target: 'es2022', sourcemap: false },
});
