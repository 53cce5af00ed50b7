import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Everything is bundled into ui/dist, which Tauri embeds in the binary: no CDN, no remote fonts.
export default defineConfig({
  plugins: [svelte()],
  // Fonts come from ../assets/fonts (shared with the PDF exports), imported by app.css.
  publicDir: false,
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK on Debian 12 and WebView2 on Windows both run ES2021.
    target: 'es2021',
    // No inline scripts or eval: the CSP allows only 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 600,
  },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
