// A real SMTP server (smtp-server) on loopback for the e-mail destination tests. It runs under Node:
// smtp-server's STARTTLS upgrade of a server socket does not complete under Bun, while nodemailer's
// client side does. Prints "listening PORT", then one "mail {json}" line per message received.
//   node smtp-receiver.mjs USER PASSWORD [tls]
import { SMTPServer } from 'smtp-server';

const [user, password, mode] = process.argv.slice(2);
const server = new SMTPServer({
  secure: mode === 'tls',
  authOptional: false,
  allowInsecureAuth: false,
  logger: false,
  onAuth(auth, _session, cb) {
    if (auth.username === user && auth.password === password) cb(null, { user: auth.username });
    else cb(new Error('invalid login'));
  },
  onData(stream, session, cb) {
    let raw = '';
    stream.setEncoding('utf8');
    stream.on('data', (d) => (raw += d));
    stream.on('end', () => {
      const mail = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address),
        raw,
        secure: session.secure,
        user: session.user ?? null,
      };
      process.stdout.write(`mail ${JSON.stringify(mail)}\n`);
      cb();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.server.address().port}\n`));
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
