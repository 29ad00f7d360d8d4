// The login page: takes a token, opens a browser session (HttpOnly, SameSite=Strict cookie).
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import { closeSession, openSession, principalForToken } from '../../auth/tokens.ts';
import type { FailureThrottle } from '../../auth/throttle.ts';
import { SESSION_COOKIE, sessionSecret } from '../auth-guard.ts';
import { clientAddress } from '../request-state.ts';
import { htmlResponse, Page } from './page.tsx';
import { localPath } from './viewer.ts';

function LoginPage(props: { authOn: boolean; reason: string; next: string; error?: string }): JSX.Element {
  return (
    <Page title="Sign in">
      <h1>Cyber-Brain</h1>
      {props.authOn ? (
        <form method="post" action="/login">
          <input type="hidden" name="next" value={props.next} />
          <p>
            <label>
              Token
              <br />
              <input type="password" name="token" autocomplete="current-password" required maxlength="512" autofocus />
            </label>
          </p>
          {props.error ? (
            <p class="error" safe>
              {props.error}
            </p>
          ) : (
            ''
          )}
          <button type="submit">Sign in</button>
        </form>
      ) : (
        <>
          <p class="note" safe>{`Authentication is off: ${props.reason}.`}</p>
          <p>
            <a href="/">Open the dashboard</a>
          </p>
        </>
      )}
    </Page>
  );
}

const cookie = (value: string, maxAgeSeconds: number, secure: boolean) =>
  `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;

export function loginRoutes(deps: AppDeps & { throttle: FailureThrottle }) {
  const ctx = { db: deps.db, clock: deps.clock };
  const { enabled, reason, sessionTtlHours } = deps.config.auth;
  return new Elysia()
    .get(
      '/login',
      ({ query }) => htmlResponse(<LoginPage authOn={enabled} reason={reason} next={localPath(query.next, '/')} />),
      {
        query: t.Object({ next: t.Optional(t.String({ maxLength: 2000 })) }),
        detail: { summary: 'Login page', tags: ['auth'] },
      },
    )
    .post(
      '/login',
      async ({ body, request }) => {
        const next = localPath(body.next, '/');
        if (!enabled) return htmlResponse(<LoginPage authOn={false} reason={reason} next={next} />);
        // Guessing is slowed per address: past the failures allowed, even the right token waits.
        const address = clientAddress(request);
        const wait = Math.ceil(deps.throttle.waitMs(address) / 1000);
        if (wait > 0) {
          return htmlResponse(
            <LoginPage
              authOn
              reason={reason}
              next={next}
              error={`Too many failed sign-ins from this address; try again in ${wait} s.`}
            />,
            429,
            { 'retry-after': String(wait) },
          );
        }
        const principal = await principalForToken(ctx, deps.config.token, body.token.trim());
        if (!principal) {
          deps.throttle.fail(address);
          return htmlResponse(<LoginPage authOn reason={reason} next={next} error="That token is not valid." />, 401);
        }
        const session = await openSession(ctx, principal, sessionTtlHours);
        const secure = new URL(request.url).protocol === 'https:';
        return new Response(null, {
          status: 303,
          headers: { location: next, 'set-cookie': cookie(session.secret, sessionTtlHours * 3600, secure) },
        });
      },
      {
        body: t.Object({
          token: t.String({ minLength: 1, maxLength: 512 }),
          next: t.Optional(t.String({ maxLength: 2000 })),
        }),
        parse: 'urlencoded',
        detail: { summary: 'Sign in with a token (form post)', tags: ['auth'] },
      },
    )
    .post(
      '/logout',
      async ({ request }) => {
        const secret = sessionSecret(request);
        if (secret) await closeSession(ctx, secret);
        return new Response(null, { status: 303, headers: { location: '/login', 'set-cookie': cookie('', 0, false) } });
      },
      { detail: { summary: 'Sign out', tags: ['auth'] } },
    );
}
