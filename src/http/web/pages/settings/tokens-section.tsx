// The settings page's API tokens: list, revoke and create.
import type * as tokens from '../../../../auth/tokens.ts';
import { Empty, When } from '../../components.tsx';
import { CsrfField, type Viewer } from '../../page.tsx';

export function TokensSection(props: {
  viewer: Viewer;
  list: tokens.TokenView[];
  created?: tokens.TokenView & { token: string };
}): JSX.Element {
  const { viewer, created } = props;
  return (
    <section aria-labelledby="tokens">
      <h2 id="tokens">API tokens</h2>
      {created ? (
        <div class="card new-token" role="status">
          <h3 safe>{`New token "${created.name}" (${created.scope})`}</h3>
          <p>Copy it now: it is shown only this once, and only its hash is kept.</p>
          <pre class="wrap">
            <code safe>{created.token}</code>
          </pre>
        </div>
      ) : (
        ''
      )}
      <p class="muted">
        Tokens for scripts and agents (Authorization: Bearer …) and for signing in here. The admin token from
        CYBER_BRAIN_TOKEN is not listed.
      </p>
      {props.list.length === 0 ? (
        <Empty>No API token yet.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scope</th>
              <th scope="col">Prefix</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Revoked</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.list.map((tk) => (
              <tr data-token-id={String(tk.id)}>
                <td safe>{tk.name}</td>
                <td safe>{tk.scope}</td>
                <td>
                  <code safe>{`${tk.prefix}…`}</code>
                </td>
                <td>
                  <When at={tk.created_at} />
                </td>
                <td>
                  <When at={tk.last_used_at} empty="never" />
                </td>
                <td>
                  <When at={tk.revoked_at} empty="no" />
                </td>
                <td>
                  {tk.revoked_at ? (
                    ''
                  ) : (
                    <form method="post" action={`/settings/tokens/${tk.id}/revoke`} class="inline">
                      <CsrfField viewer={viewer} />
                      <button type="submit" class="danger">
                        {'Revoke'}
                        <span class="visually-hidden" safe>{` token ${tk.name}`}</span>
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Create a token</h3>
      <form method="post" action="/settings/tokens" class="stack card">
        <CsrfField viewer={viewer} />
        <label>
          Name
          <input type="text" name="name" required maxlength="100" autocomplete="off" placeholder="backup-script" />
        </label>
        <label>
          Scope
          <select name="scope" required>
            <option value="read">read: look only</option>
            <option value="operate">operate: also launch and cancel runs, change the allowlist</option>
            <option value="admin">admin: also tokens and approvals</option>
          </select>
        </label>
        <p>
          <button type="submit">Create token</button>
        </p>
      </form>
    </section>
  );
}
