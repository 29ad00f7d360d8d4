// The shared page shell. Server-rendered; every dynamic text goes through `safe` (children are not
// escaped by default in this JSX runtime).
import type { Children } from '@kitajs/html';

export function Page(props: { title: string; children?: Children }): JSX.Element {
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title safe>{`${props.title} · Cyber-Brain`}</title>
          <style>{'body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem}input,button{font:inherit;padding:.4rem .6rem}.error{color:#c0392b}.note{opacity:.8}'}</style>
        </head>
        <body>{props.children}</body>
      </html>
    </>
  );
}

export function htmlResponse(body: JSX.Element, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body as string, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'x-frame-options': 'DENY', 'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'", ...headers },
  });
}
