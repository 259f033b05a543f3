// A client-only app: every page is rendered in the browser from the SPA fallback.
export const ssr = false;
export const prerender = false;
