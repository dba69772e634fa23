// The customer's orders as the page shows them: each order's status and its parcel's, the steps of
// the way they have reached, and a timeline of what was seen and where from (the order's answer,
// the history, or live over the WebSocket).

/** The way of an order and its parcel, in order (order statuses and parcel statuses merged). */
export const STEPS = ['PLACED', 'CONFIRMED', 'BOOKED', 'SHIPPED', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED'];

const EURO = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });

export class OrderBook {
  constructor(list, { empty, count }) {
    this.list = list;
    this.empty = empty;
    this.count = count;
    this.orders = new Map();
    this.historyCount = 0;
  }

  /** The history as the User service holds it (the most recent orders first). */
  showHistory(user) {
    for (const summary of user.orders) {
      const order = this.order(summary.orderId);
      order.totalCents = summary.totalCents;
      this.status(order, 'order', summary.status, 'history');
      if (summary.shipmentStatus) this.status(order, 'parcel', summary.shipmentStatus, 'history');
    }
    this.historyCount = user.orderCount;
    this.count.textContent = `(${user.orderCount})`;
  }

  /** The answer to a placement. */
  placed(key, answer) {
    const order = this.order(answer.id);
    order.key = key;
    order.totalCents = answer.totalCents;
    this.status(order, 'order', 'PLACED', 'answer', answer.placedAtEpochMillis);
    this.status(order, 'order', answer.status, 'answer');
  }

  /** A notification from the WebSocket. */
  notified(n) {
    if (n.kind === 'orderRecorded') {
      this.status(this.order(n.orderRecorded.orderId), 'order', n.orderRecorded.status, 'live', n.atEpochMillis);
    } else if (n.kind === 'shipmentNotice') {
      const notice = n.shipmentNotice;
      const order = this.order(notice.orderId);
      if (notice.trackingCode) order.tracking = `${notice.carrier} ${notice.trackingCode}`;
      this.status(order, 'parcel', notice.status, 'live', n.atEpochMillis);
    }
  }

  order(id) {
    let order = this.orders.get(id);
    if (!order) {
      order = { id, statuses: { order: '', parcel: '' }, seen: new Set(), timeline: [] };
      this.orders.set(id, order);
    }
    return order;
  }

  status(order, of, status, source, at = Date.now()) {
    if (!status) return;
    order.statuses[of] = status;
    if (!order.seen.has(`${of}:${status}`)) {
      order.seen.add(`${of}:${status}`);
      order.timeline.push({ of, status, source, at });
    }
    this.render(order);
  }

  render(order) {
    let item = this.list.querySelector(`li[data-order-id="${CSS.escape(order.id)}"]`);
    if (!item) {
      item = element('li', { class: 'order', 'data-order-id': order.id });
      this.list.prepend(item);
    }
    const reached = Math.max(STEPS.indexOf(order.statuses.order), STEPS.indexOf(order.statuses.parcel));
    item.dataset.orderStatus = order.statuses.order;
    item.dataset.parcelStatus = order.statuses.parcel;
    item.dataset.reached = reached < 0 ? '' : STEPS[reached];
    item.replaceChildren(
      element('div', { class: 'order-head' },
        element('span', { class: 'order-key' }, order.key || 'Order'),
        element('span', { class: 'order-id' }, order.id),
        element('span', {}, order.totalCents === undefined ? '' : EURO.format(order.totalCents / 100)),
        element('span', {}, 'order ', element('span', { class: 'status order-status' }, order.statuses.order || '–')),
        element('span', {}, 'parcel ', element('span', { class: 'status parcel-status' }, order.statuses.parcel || '–')),
        element('span', { class: 'hint' }, order.tracking || '')),
      element('ol', { class: 'steps' },
        ...STEPS.map((step, i) => element('li', { 'data-step': step, class: i <= reached ? 'reached' : '' }, step))),
      element('ol', { class: 'timeline' },
        ...order.timeline.map((e) => element('li', { 'data-kind': e.of, 'data-status': e.status, 'data-source': e.source },
          `${new Date(e.at).toLocaleTimeString()} ${e.of} ${e.status} (${e.source})`))));
    this.empty.hidden = this.orders.size > 0;
    // the history lists the most recent orders only; its count is of all of them
    this.count.textContent = `(${Math.max(this.historyCount, this.orders.size)})`;
  }
}

/** DOM nodes from text only: nothing is ever parsed as HTML. */
export function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== '') node.setAttribute(name, value);
  node.append(...children);
  return node;
}
