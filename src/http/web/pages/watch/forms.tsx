// The watch page's forms: a schedule, a destination (the fields shown follow the kind), a rule, and the
// one-button actions (pause, resume, delete, test). User text in attributes is escaped in full.
import Html from '@kitajs/html';
import * as n from '../../../../service/notifications.ts';
import { CsrfField, type Viewer } from '../../page.tsx';

const attr = (text: string) => Html.escapeHtml(text);

export function ScheduleForm(props: { viewer: Viewer; tasks: string[] }): JSX.Element {
  return (
    <form method="post" action="/watch/schedules" class="stack card" x-data="{ timing: 'cron' }">
      <CsrfField viewer={props.viewer} />
      <label>
        Name
        <input type="text" name="name" required maxlength="100" />
      </label>
      <fieldset>
        <legend>Tasks</legend>
        {props.tasks.map((task) => (
          <label>
            <input type="checkbox" name="tasks" value={attr(task)} /> <span safe>{task}</span>
          </label>
        ))}
      </fieldset>
      <label>
        Timing
        <select name="timing" x-model="timing">
          <option value="cron">cron expression</option>
          <option value="every">every N seconds</option>
        </select>
      </label>
      <label x-show="timing === 'cron'">
        Cron expression (server time zone)
        <input type="text" name="cron" maxlength="120" placeholder="*/15 * * * *" />
      </label>
      <label x-show="timing === 'every'">
        Every (seconds, at least 5)
        <input type="number" name="every_seconds" min="5" placeholder="900" />
      </label>
      <div>
        <button type="submit">Create schedule</button>
      </div>
    </form>
  );
}

export const KIND_FIELDS: Record<string, string[]> = {
  webhook: ['url', 'secret'],
  ntfy: ['url', 'token'],
  discord: ['url'],
  slack: ['url'],
  gotify: ['url', 'token'],
  email: ['host', 'port', 'security', 'username', 'password', 'from', 'to'],
};

export function DestinationForm(props: { viewer: Viewer }): JSX.Element {
  const shows = (field: string) =>
    `${JSON.stringify(
      Object.entries(KIND_FIELDS)
        .filter(([, f]) => f.includes(field))
        .map(([k]) => k),
    )}.includes(kind)`;
  return (
    <form method="post" action="/watch/destinations" class="stack card" x-data="{ kind: 'webhook' }">
      <CsrfField viewer={props.viewer} />
      <label>
        Name
        <input type="text" name="name" required maxlength="100" />
      </label>
      <label>
        Kind
        <select name="kind" x-model="kind">
          {Object.keys(KIND_FIELDS).map((k) => (
            <option value={k} safe>
              {k}
            </option>
          ))}
        </select>
      </label>
      <label x-show={shows('url')}>
        URL (kept secret: shown masked)
        <input type="url" name="url" maxlength="2000" placeholder="https://ntfy.sh/my-topic" />
      </label>
      <label x-show={shows('token')}>
        Token
        <input type="password" name="token" maxlength="500" autocomplete="off" />
      </label>
      <label x-show={shows('secret')}>
        Signing secret (HMAC-SHA256, optional)
        <input type="password" name="secret" maxlength="500" autocomplete="off" />
      </label>
      <label x-show={shows('host')}>
        SMTP server
        <input type="text" name="host" maxlength="253" />
      </label>
      <label x-show={shows('port')}>
        Port
        <input type="number" name="port" min="1" max="65535" placeholder="587" />
      </label>
      <label x-show={shows('security')}>
        Security
        <select name="security">
          <option value="starttls">STARTTLS</option>
          <option value="tls">TLS</option>
          <option value="none">none (loopback relay)</option>
        </select>
      </label>
      <label x-show={shows('username')}>
        User name
        <input type="text" name="username" maxlength="254" autocomplete="off" />
      </label>
      <label x-show={shows('password')}>
        Password
        <input type="password" name="password" maxlength="500" autocomplete="off" />
      </label>
      <label x-show={shows('from')}>
        From
        <input type="email" name="from" maxlength="254" />
      </label>
      <label x-show={shows('to')}>
        To
        <input type="email" name="to" maxlength="254" />
      </label>
      <div>
        <button type="submit">Add destination</button>
      </div>
    </form>
  );
}

export function RuleForm(props: { viewer: Viewer; destinations: n.DestinationView[] }): JSX.Element {
  return (
    <form method="post" action="/watch/rules" class="stack card">
      <CsrfField viewer={props.viewer} />
      <label>
        Name
        <input type="text" name="name" required maxlength="100" />
      </label>
      <label>
        Destination
        <select name="destination_id" required>
          {props.destinations.map((d) => (
            <option value={String(d.id)} safe>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Events</legend>
        {n.NOTIFY_EVENTS.map((e) => (
          <label>
            <input
              type="checkbox"
              name="events"
              value={e}
              checked={['new_error_pattern', 'crash_loop', 'oom_killed', 'unhealthy', 'container_died'].includes(e)}
            />{' '}
            {e}
          </label>
        ))}
      </fieldset>
      <label>
        Containers (names or globs, comma-separated; empty: every allowlisted container)
        <input type="text" name="containers" maxlength="1000" placeholder="webapp, media-*" />
      </label>
      <label>
        Group events within (seconds)
        <input type="number" name="group_seconds" min="0" max="3600" value="10" />
      </label>
      <div>
        <button type="submit">Add rule</button>
      </div>
    </form>
  );
}

export function ActionButton(props: { viewer: Viewer; action: string; intent: string; label: string }): JSX.Element {
  return (
    <form method="post" action={props.action} class="inline">
      <CsrfField viewer={props.viewer} />
      <input type="hidden" name="intent" value={props.intent} />
      <button type="submit" safe>
        {props.label}
      </button>
    </form>
  );
}
