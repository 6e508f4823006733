import { createHmac } from 'node:crypto';

/** The headers Slack sends with a request in HTTP mode: v0 HMAC-SHA256 of "v0:<timestamp>:<body>". */
export function signSlackRequest(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${sig}` };
}
