// The shop in a real browser: Debian's headless Chromium driven by playwright-core, against the
// gateway's web app of a running local system. Run by BrowserJourneyTest (e2e-tests/journey), which
// starts the system; by hand: GATEWAY_URL=http://127.x.y.z:8080 node shop-journey.mjs
//
// Sign in (the local system's dev token issuer), register, place an order, watch it move live over
// the WebSocket up to TARGET_STEP, reload and find the history still there; a second browser context
// for another user sees none of it. Saves a screenshot under SCREENSHOT_DIR.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// The furthest step this system's order and parcel reach live (the way: PLACED, CONFIRMED, BOOKED,
// SHIPPED, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED): DELIVERED, now that the carrier's webhooks reach
// Shipping through the gateway and Order hears back. TARGET_STEP in the environment overrides it.
export const TARGET_STEP = process.env.TARGET_STEP || 'DELIVERED';

const gateway = required('GATEWAY_URL');
const screenshots = process.env.SCREENSHOT_DIR || 'target';
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const patience = Number(process.env.PATIENCE_MS || 120_000);
const run = Date.now().toString(36);

function required(name) {
  if (!process.env[name]) throw new Error(`${name} is required`);
  return process.env[name].replace(/\/$/, '');
}

function step(message) {
  console.log(`[browser ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
}

function check(condition, message) {
  if (!condition) throw new Error(`expected: ${message}`);
}

/** A browser context of its own (own cookies and storage: another person) that records every error. */
async function person(browser, name) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // the answers the page expects and handles: 404 for a user not registered yet, the 403 below
    const url = m.location().url || '';
    if (/\/api\/users\/[A-Za-z0-9_-]+$/.test(url) && /status of (403|404)/.test(m.text())) return;
    page.problems.push(`${name} console: ${m.text()} (${url})`);
  });
  page.on('pageerror', (e) => page.problems.push(`${name} page error: ${e.message}`));
  page.setDefaultTimeout(patience);
  return { context, page };
}

async function signInAndRegister(page, userId, name) {
  await page.goto(`${gateway}/`);
  await page.locator('#dev-sign-in').waitFor();
  await page.fill('#user-id', userId);
  await page.click('#dev-sign-in button');
  await page.locator('#register-form').waitFor();
  step(`${userId}: signed in with a dev token; not registered yet, the page asks to register`);
  const form = page.locator('#register-form');
  await form.locator('[name=name]').fill(name);
  await form.locator('[name=email]').fill(`${userId}@example.com`);
  await form.locator('[name=street]').fill('1 Gate Street');
  await form.locator('[name=city]').fill('Rampart');
  await form.locator('[name=postalCode]').fill('10115');
  await form.locator('[name=country]').fill('DE');
  await form.locator('button').click();
  await page.locator('#shop').waitFor();
  await page.locator('#live[data-state="open"]').waitFor();
  step(`${userId}: registered; the notifications WebSocket is open`);
}

const started = Date.now();
const browser = await chromium.launch({
  executablePath,
  // Chromium's sandbox needs user namespaces a root process in a container may not have
  args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
});
step(`Chromium ${browser.version()} (${executablePath}), gateway ${gateway}, target step ${TARGET_STEP}`);
try {
  const ada = `ada-${run}`;
  const bob = `bob-${run}`;
  const a = await person(browser, ada);
  await signInAndRegister(a.page, ada, 'Ada Lovelace');

  await a.page.selectOption('#sku', 'lantern');
  await a.page.fill('#quantity', '2');
  await a.page.click('#order-form button');
  const order = a.page.locator('#orders li.order');
  await order.first().waitFor();
  check((await order.count()) === 1, 'one order listed after placing one');
  const orderId = await order.first().getAttribute('data-order-id');
  step(`${ada}: placed 2 × lantern: order ${orderId}, ${await order.first().getAttribute('data-order-status')}`);

  const mine = a.page.locator(`li.order[data-order-id="${orderId}"]`);
  // live: only the WebSocket adds entries marked live (the page never polls)
  // (the order's and the parcel's DELIVERED are two entries)
  await mine.locator(`.timeline li[data-status="${TARGET_STEP}"][data-source="live"]`).first().waitFor();
  if (TARGET_STEP === 'DELIVERED') {
    // the order is DELIVERED (Order heard the carrier through shipment-events), and the parcel moved
    // live too, as Shipping's notice of the carrier's delivery (the steps between may come out of order
    // from the carrier and be stale, so only DELIVERED is sure to be noticed)
    for (const [kind, status] of [['order', 'DELIVERED'], ['parcel', 'DELIVERED']]) {
      await mine.locator(`.timeline li[data-kind="${kind}"][data-status="${status}"][data-source="live"]`).waitFor();
    }
  }
  // the User service has recorded the order (from Kafka) once it notifies it: the history has it
  await mine.locator('.timeline li[data-kind="order"][data-source="live"]').first().waitFor();
  for (const line of await mine.locator('.timeline li').allTextContents()) step(`${ada}: timeline: ${line}`);
  mkdirSync(screenshots, { recursive: true });
  const shot = join(screenshots, 'web-app.png');
  await a.page.screenshot({ path: shot, fullPage: true });
  step(`${ada}: reached ${TARGET_STEP} live; screenshot ${shot}`);

  await a.page.reload();
  await a.page.locator('#shop').waitFor();
  await mine.waitFor();
  await mine.locator(`.steps li.reached[data-step="${TARGET_STEP}"]`).waitFor();
  check((await a.page.locator('#orders li.order').count()) === 1, 'the history holds the one order after reload');
  check((await a.page.textContent('#order-count')) === '(1)', 'the history counts one order');
  step(`${ada}: after reload the history still shows ${orderId}: order ${await mine.getAttribute('data-order-status')}, parcel ${await mine.getAttribute('data-parcel-status')}`);

  const b = await person(browser, bob);
  await signInAndRegister(b.page, bob, 'Bob Builder');
  await b.page.locator('#no-orders').waitFor();
  check((await b.page.locator('#orders li.order').count()) === 0, `${bob} sees no orders`);
  check(!(await b.page.content()).includes(orderId), `${bob}'s page names none of ${ada}'s orders`);
  const foreign = await b.page.evaluate(async (other) => {
    const token = sessionStorage.getItem('rampart.token');
    const r = await fetch(`/api/users/${other}`, { headers: { Authorization: `Bearer ${token}` } });
    return r.status;
  }, ada);
  check(foreign === 403, `${bob} reading ${ada}'s user is refused (got ${foreign})`);
  await b.page.screenshot({ path: join(screenshots, 'web-app-other-user.png'), fullPage: true });
  step(`${bob}: a second context sees no orders, and reading ${ada} answers 403`);

  // everything but the expected answers above must have been clean (a CSP violation is an error too)
  const problems = [...a.page.problems, ...b.page.problems];
  check(problems.length === 0, `no console or page errors, got:\n${problems.join('\n')}`);
  step('no console errors, no CSP violations');
} finally {
  await browser.close();
}
