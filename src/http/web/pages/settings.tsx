// Settings: whether authentication is on and why, the effective configuration with every secret
// masked, and (admin only) the API tokens: create (the text shown once, in the answer to the form
// post, never in a URL), list, revoke. The token use cases are the ones REST uses (src/auth/tokens.ts).
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../../app-deps.ts';
import * as tokens from '../../../auth/tokens.ts';
import { describeConfig, VARIABLES, type Config, type VariableName } from '../../../config.ts';
import { IdParams } from '../../params.ts';
import { csrfField } from '../form.ts';
import { can, htmlResponse, Layout, seeOther, type Viewer } from '../page.tsx';
import { viewerOf } from '../viewer.ts';
import { TokensSection } from './settings/tokens-section.tsx';

const MASK = '********';

/** The secret strings this configuration holds: none of them may appear on the page. */
function secretsOf(config: Config): string[] {
  const out = [config.token, config.llm.apiKey];
  for (const raw of [config.databaseUrl, config.llm.baseUrl, config.dockerHost]) {
    if (!raw) continue;
    try {
      const u = new URL(raw);
      if (u.password) out.push(u.password, decodeURIComponent(u.password));
      for (const v of u.searchParams.values()) out.push(v);
    } catch {
      // not a URL: nothing inside it to pick out
    }
  }
  // very short values would blank out ordinary text; a real secret is longer
  return [...new Set(out.filter((s): s is string => typeof s === 'string' && s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
}

/** A URL with its password and query values masked (a key may ride in either). */
function maskUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = MASK;
    for (const k of [...new Set(u.searchParams.keys())]) u.searchParams.set(k, MASK);
    return u.toString();
  } catch {
    return MASK;
  }
}

interface Setting {
  name: VariableName;
  value: string;
  isDefault: boolean;
  dflt: string;
  description: string;
  secret: boolean;
}

/** The effective configuration, one row per variable, secrets masked twice over. */
export function effectiveSettings(config: Config): Setting[] {
  const described = describeConfig(config);
  const secrets = secretsOf(config);
  const scrub = (text: string) => secrets.reduce((s, secret) => s.split(secret).join(MASK), text);
  const urls = { DATABASE_URL: config.databaseUrl, LLM_BASE_URL: config.llm.baseUrl, DOCKER_HOST: config.dockerHost };
  return (Object.keys(VARIABLES) as VariableName[]).map((name) => {
    const spec: { default?: string; description: string; secret?: boolean } = VARIABLES[name];
    const raw = described[name];
    let value: string;
    if (name === 'CYBER_BRAIN_TOKEN' || name === 'LLM_API_KEY')
      value = raw === null || raw === undefined ? 'not set' : 'set (hidden)';
    else if (raw === null || raw === undefined) value = 'not set';
    else if (name in urls) value = maskUrl(urls[name as keyof typeof urls] ?? '');
    else value = String(raw);
    value = scrub(value);
    return {
      name,
      value,
      isDefault: spec.default !== undefined && String(raw) === spec.default,
      dflt: spec.default ?? '',
      description: spec.description,
      secret: spec.secret === true,
    };
  });
}

function AuthSection(props: { config: Config; viewer: Viewer }): JSX.Element {
  const { auth } = props.config;
  const p = props.viewer.principal;
  return (
    <section aria-labelledby="auth">
      <h2 id="auth">Authentication</h2>
      <p>
        <span class={`badge ${auth.enabled ? 'ok' : 'warn'}`}>{auth.enabled ? 'on' : 'off'}</span>{' '}
        <span safe>
          {auth.enabled
            ? `Every request needs a token or a signed-in session: ${auth.reason}.`
            : `Anyone who can reach this port may use it: ${auth.reason}.`}
        </span>
      </p>
      {p && auth.enabled ? <p class="muted" safe>{`You are ${p.name}, with the ${p.scope} scope.`}</p> : ''}
    </section>
  );
}

function ConfigSection(props: { config: Config }): JSX.Element {
  const rows = effectiveSettings(props.config);
  return (
    <section aria-labelledby="config">
      <h2 id="config">Configuration</h2>
      <p class="muted">
        The environment variables as this process read them. Secrets are never shown; change them in the environment and
        restart.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Variable</th>
            <th scope="col">Effective value</th>
            <th scope="col">Default</th>
            <th scope="col">What it does</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>
                <code safe>{r.name}</code>
              </td>
              <td>
                <code class={r.secret ? 'secret' : undefined} safe>
                  {r.value}
                </code>
                {r.isDefault ? <span class="muted"> (default)</span> : ''}
              </td>
              <td>{r.dflt ? <code safe>{r.dflt}</code> : <span class="muted">—</span>}</td>
              <td safe>{r.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.config.warnings.length ? (
        <>
          <h3>Warnings</h3>
          <ul>
            {props.config.warnings.map((w) => (
              <li class="warn" safe>
                {w}
              </li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
    </section>
  );
}

export function settingsPages(deps: AppDeps) {
  const ctx = { db: deps.db, clock: deps.clock };
  const page = async (viewer: Viewer, created?: tokens.TokenView & { token: string }) => {
    const admin = can(viewer, 'admin');
    const list = admin ? await tokens.listTokens(ctx) : [];
    return (
      <Layout title="Settings" active="/settings" viewer={viewer}>
        <h1>Settings</h1>
        <AuthSection config={deps.config} viewer={viewer} />
        <ConfigSection config={deps.config} />
        {admin ? <TokensSection viewer={viewer} list={list} created={created} /> : ''}
      </Layout>
    );
  };
  return new Elysia()
    .get('/settings', async (c) => htmlResponse(await page(viewerOf(c, deps.config))), {
      detail: {
        summary: 'Web UI: authentication, the effective configuration (secrets masked) and, for admins, API tokens',
        tags: ['web'],
      },
    })
    .post(
      '/settings/tokens',
      async (c) => {
        const created = await tokens.createToken(ctx, { name: c.body.name, scope: c.body.scope });
        // The text is in this answer only: not in a redirect, a URL or anything stored.
        return htmlResponse(await page(viewerOf(c, deps.config), created), 201);
      },
      {
        parse: 'urlencoded',
        body: t.Object({
          ...csrfField,
          name: t.String({ minLength: 1, maxLength: 100 }),
          scope: t.Union([t.Literal('read'), t.Literal('operate'), t.Literal('admin')]),
        }),
        detail: { summary: 'Web UI: create an API token (its text is shown on the answer page only)', tags: ['web'] },
      },
    )
    .post(
      '/settings/tokens/:id/revoke',
      async (c) => {
        await tokens.revokeToken(ctx, c.params.id);
        return seeOther('/settings#tokens');
      },
      {
        params: IdParams,
        parse: 'urlencoded',
        body: t.Object(csrfField),
        detail: { summary: 'Web UI: revoke an API token', tags: ['web'] },
      },
    );
}
