// The shop in the browser: sign in, register, place orders, watch them and their parcels move live.
import { ApiError, call, devToken, forget, savedToken, saveToken, subjectOf } from './api.js';
import { LiveNotifications } from './live.js';
import { OrderBook, element } from './orders.js';

const CATALOGUE = [
  { sku: 'map', name: 'Map of the town', unitPriceCents: 300 },
  { sku: 'lantern', name: 'Gate lantern', unitPriceCents: 1500 },
  { sku: 'key', name: 'Spare key to the gate', unitPriceCents: 950 },
];

const $ = (id) => document.getElementById(id);
const devIssuer = document.querySelector('meta[name="rampart-dev-token-url"]').content;
let live;
let book;

function show(view) {
  for (const id of ['sign-in', 'register', 'shop']) $(id).hidden = id !== view;
}

function showError(error) {
  $('error').textContent = error instanceof ApiError ? `${error.problem.title || 'Error'}: ${error.message}` : String(error.message || error);
  $('error').hidden = false;
}

async function guarded(form, action) {
  const button = form.querySelector('button');
  button.disabled = true;
  $('error').hidden = true;
  try {
    await action(new FormData(form));
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

async function enter() {
  const token = savedToken();
  if (!token) {
    $('session').hidden = true;
    $('dev-sign-in').hidden = !devIssuer;
    $('token-sign-in').hidden = !!devIssuer;
    show('sign-in');
    return;
  }
  const userId = subjectOf(token);
  $('session-user').textContent = userId;
  $('session').hidden = false;
  let user;
  try {
    user = await call('GET', `/api/users/${encodeURIComponent(userId)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return show('register');
    if (error instanceof ApiError && error.status === 401) forget();
    throw error;
  }
  book = new OrderBook($('orders'), { empty: $('no-orders'), count: $('order-count') });
  book.showHistory(user);
  show('shop');
  live = new LiveNotifications(userId, token, {
    onNotification: (n) => book.notified(n),
    onState: (state) => {
      $('live').dataset.state = state;
      $('live').textContent = `live: ${state}`;
    },
  });
  live.open();
}

$('dev-sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  guarded(event.target, async (data) => {
    saveToken(await devToken(devIssuer, data.get('user')));
    await enter();
  });
});

$('token-sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  guarded(event.target, async (data) => {
    const token = data.get('token').trim();
    subjectOf(token);
    saveToken(token);
    await enter();
  });
});

$('register-form').addEventListener('submit', (event) => {
  event.preventDefault();
  guarded(event.target, async (data) => {
    await call('POST', '/api/users', {
      name: data.get('name'),
      email: data.get('email'),
      address: {
        street: data.get('street'),
        city: data.get('city'),
        postalCode: data.get('postalCode'),
        country: data.get('country'),
      },
    });
    await enter();
  });
});

$('order-form').addEventListener('submit', (event) => {
  event.preventDefault();
  guarded(event.target, async (data) => {
    const item = CATALOGUE.find((c) => c.sku === data.get('sku'));
    // the order's key: placing is idempotent per key, so a retry never orders twice
    const key = `web-${crypto.randomUUID()}`;
    const answer = await call('POST', '/api/orders', {
      orderId: key,
      lines: [{ sku: item.sku, quantity: Number(data.get('quantity')), unitPriceCents: item.unitPriceCents }],
    });
    book.placed(`${Number(data.get('quantity'))} × ${item.name}`, answer);
  });
});

$('sign-out').addEventListener('click', () => {
  live?.close();
  forget();
  location.reload();
});

for (const item of CATALOGUE) {
  $('sku').append(element('option', { value: item.sku }, `${item.name} (€${(item.unitPriceCents / 100).toFixed(2)})`));
}
enter().catch(showError);
