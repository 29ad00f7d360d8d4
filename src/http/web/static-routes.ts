// Static files under /static: our stylesheet and script, and Alpine from the installed package.
// Imported as files so `bun build --compile` carries them inside the binary.
import { Elysia } from 'elysia';
import alpinePath from 'alpinejs/dist/cdn.min.js' with { type: 'file' };
import scriptPath from '../../../static/app.js' with { type: 'file' };
import stylePath from '../../../static/app.css' with { type: 'file' };

const FILES: Record<string, { path: string; type: string }> = {
  'app.css': { path: stylePath, type: 'text/css; charset=utf-8' },
  'app.js': { path: scriptPath, type: 'text/javascript; charset=utf-8' },
  'alpine.js': { path: alpinePath, type: 'text/javascript; charset=utf-8' },
};

export function staticRoutes() {
  return new Elysia().get(
    '/static/:name',
    async ({ params }) => {
      const file = Object.hasOwn(FILES, params.name) ? FILES[params.name] : undefined;
      if (!file)
        return Response.json(
          { error: { code: 'not_found', message: `no static file named ${params.name.slice(0, 100)}` } },
          { status: 404 },
        );
      return new Response(Bun.file(file.path), {
        headers: {
          'content-type': file.type,
          'cache-control': 'public, max-age=3600',
          'x-content-type-options': 'nosniff',
        },
      });
    },
    { detail: { summary: 'Static files of the web UI (stylesheet, script, Alpine.js)', tags: ['web'] } },
  );
}
