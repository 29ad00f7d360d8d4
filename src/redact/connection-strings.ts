// Credentials inside URLs and connection strings (postgres, mysql, mongodb+srv, redis, amqp, smtp,
// any scheme): the userinfo goes, the scheme and the host stay. Key/value connection strings
// (`Password=x;`, `password=x dbname=y`) are the key-name rules' work.
import { mark, MARK_PREFIX } from './kinds.ts';
import { F } from './features.ts';
import type { Rule } from './rule.ts';

export const urlCredentialsRule: Rule = {
  kind: 'url_credentials',
  needs: F.SCHEME_SEP,
  needsAll: F.AT,
  // user:password@ or :password@ (redis); the password may hold '@', '#' or '?' unencoded (the last
  // '@' before the host ends it)
  re: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@\/?#"']*):([^\s\/"']*)@(?=[^\s@\/?#"']*(?:[\/?#\s"']|$))/gi,
  replace: (m, g) => {
    const [scheme, , password] = g as [string, string, string];
    if (password === '' || password.startsWith(MARK_PREFIX)) return null;
    return `${scheme}${mark('url_credentials')}@`;
  },
};
