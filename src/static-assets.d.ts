// Files the web UI imports `with { type: 'file' }`: Bun hands over their path (inside the compiled
// binary too), so to TypeScript each is a string.
declare module '*.css' {
  const path: string;
  export default path;
}
declare module 'alpinejs/dist/cdn.min.js' {
  const path: string;
  export default path;
}
