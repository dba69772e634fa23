// The notifications WebSocket: the token as the bearer.<token> subprotocol next to the real one
// (browsers cannot set headers on a WebSocket), resumed after the last id seen (?after=) on every
// reconnect, so no notification is missed and none is shown twice.

const PROTOCOL = 'rampart.notifications.v1';
const LAST_SEEN_KEY = 'rampart.lastNotification';

export class LiveNotifications {
  constructor(userId, token, { onNotification, onState }) {
    this.userId = userId;
    this.token = token;
    this.onNotification = onNotification;
    this.onState = onState;
    this.lastSeen = sessionStorage.getItem(LAST_SEEN_KEY);
    this.retryMillis = 500;
    this.closed = false;
  }

  open() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const after = this.lastSeen ? `?after=${encodeURIComponent(this.lastSeen)}` : '';
    const url = `${scheme}//${location.host}/api/users/${encodeURIComponent(this.userId)}/notifications${after}`;
    this.socket = new WebSocket(url, [PROTOCOL, `bearer.${this.token}`]);
    this.onState('connecting');
    this.socket.addEventListener('open', () => {
      this.retryMillis = 500;
      this.onState('open');
    });
    this.socket.addEventListener('message', (event) => this.receive(JSON.parse(event.data)));
    this.socket.addEventListener('close', (event) => {
      this.onState(this.closed ? 'closed' : `reconnecting (${event.code})`);
      if (this.closed || event.code === 4401) return; // 4401: the token expired, sign in again
      setTimeout(() => this.open(), this.retryMillis);
      this.retryMillis = Math.min(this.retryMillis * 2, 10_000);
    });
  }

  receive(notification) {
    if (this.lastSeen && sequence(notification.id) <= sequence(this.lastSeen)) return; // seen
    this.lastSeen = notification.id;
    sessionStorage.setItem(LAST_SEEN_KEY, notification.id);
    this.onNotification(notification);
  }

  close() {
    this.closed = true;
    this.socket?.close(1000);
  }
}

/** n of a notification id "<user id>:<n>", rising with each notification of the user. */
function sequence(id) {
  return Number(id.slice(id.lastIndexOf(':') + 1));
}
