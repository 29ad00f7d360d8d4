// PGlite's runtime files, imported `with { type: 'file' }` (src/db/pglite-files.ts): Bun hands over a
// path, inside the compiled binary too, so to TypeScript each is a string.
declare module '@electric-sql/pglite/pglite.wasm' {
  const path: string;
  export default path;
}
declare module '@electric-sql/pglite/initdb.wasm' {
  const path: string;
  export default path;
}
declare module '@electric-sql/pglite/pglite.data' {
  const path: string;
  export default path;
}
// The database cluster shipped with the code (src/db/cluster-seed.ts).
declare module '*.tar.zst' {
  const path: string;
  export default path;
}
