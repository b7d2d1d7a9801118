// The soak's mail server, in a process of its own so that the runner's load cannot delay its answers (a client that
// times out waiting for the server's "250" sends the message again). It accepts everything and tells its parent, over
// IPC, the recipients and notification headers of each message it took.
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, done) {
    let raw = '';
    stream.on('data', (chunk) => (raw += chunk.toString('utf8')));
    stream.on('end', () => {
      const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
      const header = (name) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? null;
      process.send({
        type: 'received',
        email: {
          receivedAt: Date.now(),
          to: session.envelope.rcptTo.map((r) => r.address),
          messageId: header('Message-ID'),
          notificationId: header('X-Notification-Id'),
          kind: header('X-Notification-Kind'),
        },
      });
      done();
    });
  },
});
// A client killed in the middle of a message resets its connection: that is the client's loss, not the server's.
server.on('error', () => undefined);
server.listen(Number(process.env.MAIL_PORT), '127.0.0.1', () => process.send({ type: 'listening' }));
process.on('disconnect', () => process.exit(0));
