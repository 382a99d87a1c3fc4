/*
 * Browser tests of the web app (TAP on stdout), in Debian's Chromium
 * through playwright-core, against the running server ($SAN_URL) and its
 * database ($DATABASE_URL); scripts/test.sh runs it after the API suite.
 * Data: tests/web/fixture.sh (two stores, "Bánh tráng phơi sương", a
 * buyer).  Screenshots at 360x800 and 1280x800 go to
 * tests/web/screenshots/ (or $SAN_WEB_SHOTS).
 *
 *   node tests/web/run.mjs
 */
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(join(root, 'assets', 'package.json'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const BASE = process.env.SAN_URL || 'http://127.0.0.1:8888';
const SHOTS = process.env.SAN_WEB_SHOTS || join(here, 'screenshots');
const PSQL = '/usr/lib/postgresql/15/bin/psql';
const CHROMIUM = process.env.SAN_CHROMIUM || '/usr/bin/chromium';

/* ---- TAP ---- */
let n = 0;
let failed = 0;
const results = [];
function report(ok, name, detail) {
	n++;
	if (!ok)
		failed++;
	console.log(`${ok ? 'ok' : 'not ok'} ${n} ${name}`);
	if (!ok && detail)
		console.log(String(detail).split('\n').slice(0, 15).map((l) => '# ' + l).join('\n'));
	results.push(ok);
}
async function test(name, fn) {
	try {
		await fn();
		report(true, name);
	} catch (e) {
		report(false, name, e && e.stack || e);
	}
}
function assert(cond, msg) {
	if (!cond)
		throw new Error(msg || 'assertion failed');
}

function sql(q) {
	return execFileSync(PSQL, ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1',
	    '-d', process.env.DATABASE_URL, '-c', q], { encoding: 'utf8' }).trim();
}

/* ---- fixture ---- */
const fx = JSON.parse(execFileSync('bash', [join(here, 'fixture.sh')],
    { encoding: 'utf8', env: { ...process.env, SAN_URL: BASE } }));

/* ---- browser ---- */
const profile = mkdtempSync(join(tmpdir(), 'san-web-chromium-'));
mkdirSync(SHOTS, { recursive: true });
const browser = await chromium.launchPersistentContext(profile, {
	executablePath: CHROMIUM,
	headless: true,
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	    '--no-first-run', '--disable-background-networking',
	    '--disable-component-update', '--disable-sync'],
	viewport: { width: 360, height: 800 },
	locale: 'vi-VN',
	timezoneId: 'Asia/Ho_Chi_Minh',
});
const page = browser.pages()[0] || await browser.newPage();
page.setDefaultTimeout(15000);
const problems = [];
page.on('console', (m) => {
	if (m.type() === 'error' && !/status of 4\d\d/.test(m.text()))
		problems.push(m.text());
});
page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
/* The payment gateway is not reachable here: record where the app went. */
let gatewayUrl = null;
await page.route('https://sandbox.vnpayment.vn/**', (route) => {
	gatewayUrl = route.request().url();
	route.fulfill({ status: 200, contentType: 'text/html', body: '<title>VNPay</title>' });
});

const axeFindings = [];
async function axe(label) {
	await page.evaluate(axeSource + ';0');
	const r = await page.evaluate(() => window.axe.run(document,
	    { resultTypes: ['violations'] }));
	const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	report(bad.length === 0, `axe: no serious or critical violations on ${label}`,
	    bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((x) => x.target.join(' ')).join(', ')}`).join('\n'));
	axeFindings.push(...bad);
}
async function shots(name) {
	for (const [w, h] of [[360, 800], [1280, 800]]) {
		await page.setViewportSize({ width: w, height: h });
		await page.screenshot({ path: join(SHOTS, `${name}-${w}.png`), fullPage: false });
	}
	await page.setViewportSize({ width: 360, height: 800 });
}
const heading = () => page.locator('main h1').first().innerText();

/* 1. The server: app URLs answer index.html; built files are immutable. */
await test('every route prefix of the app answers index.html with a CSP', async () => {
	const src = readFileSync(join(root, 'assets', 'app', 'routes.js'), 'utf8');
	const paths = [...src.matchAll(/path: '([^']+)'/g)].map((m) => m[1]);
	assert(paths.length >= 8, 'route table not found');
	for (const p of paths) {
		const url = BASE + p.replace(/:(\w+)/g, '1') + (p === '/tim-kiem' ? '?q=x' : '');
		const r = await fetch(url);
		const body = await r.text();
		assert(r.status === 200 && body.includes('<div id="app">'), `${url}: ${r.status}`);
		assert(r.headers.get('cache-control') === 'no-cache', `${url}: cache-control`);
		const csp = r.headers.get('content-security-policy') || '';
		assert(/script-src 'self'/.test(csp) && !/unsafe-inline/.test(csp), `${url}: csp ${csp}`);
		assert(r.headers.get('x-content-type-options') === 'nosniff', 'nosniff');
	}
	const html = await (await fetch(BASE + '/')).text();
	const js = html.match(/\/static\/(main-[A-Z0-9]+\.js)/)[1];
	const r = await fetch(BASE + '/static/' + js);
	assert(r.status === 200, 'js ' + r.status);
	assert(r.headers.get('cache-control') === 'public, max-age=31536000, immutable', 'immutable');
	assert(/javascript/.test(r.headers.get('content-type')), 'js type');
	assert((await fetch(BASE + '/static/nope-123.js')).status === 404, 'unknown file 404');
	const idx = await fetch(BASE + '/');
	const etag = idx.headers.get('etag');
	assert(etag && (await fetch(BASE + '/', { headers: { 'If-None-Match': etag } })).status === 304, 'ETag 304');
	const head = await fetch(BASE + '/san-pham/1', { method: 'HEAD' });
	assert(head.status === 200 && /text\/html/.test(head.headers.get('content-type')), 'HEAD');
	assert((await fetch(BASE + '/', { method: 'POST', headers: { 'Content-Length': '0' } })).status === 405, 'POST 405');
	assert((await fetch(BASE + '/api/v1/nope')).status === 404, 'api still 404');
});

/* 2. Home. */
await test('home shows the categories and new listings in Vietnamese', async () => {
	await page.goto(BASE + '/');
	await page.locator('.chips a').first().waitFor();
	assert(await page.getAttribute('html', 'lang') === 'vi', 'lang');
	assert((await page.locator('.chips').innerText()).includes('Đặc sản vùng miền'), 'categories');
	await page.locator('.grid .card').first().waitFor();
});
await axe('home');
await shots('home');

/* 3. Register with bad input: the API's message next to the field; nothing made. */
await test('register: bad email shows the API message next to the email field, creates nothing', async () => {
	const before = sql('SELECT count(*) FROM san.accounts');
	await page.goto(BASE + '/dang-ky');
	await page.getByLabel('Họ và tên').fill('Người Thử Sai');
	await page.getByLabel('Email').fill('khong-phai-email');
	await page.getByLabel('Mật khẩu').fill('mật khẩu đủ dài 2026');
	await page.getByRole('button', { name: 'Đăng ký' }).click();
	const err = page.locator('#reg-email-err');
	await err.waitFor();
	const r = await fetch(BASE + '/api/v1/auth/register', { method: 'POST',
	    headers: { 'Content-Type': 'application/json' },
	    body: JSON.stringify({ email: 'khong-phai-email', password: 'mật khẩu đủ dài 2026', full_name: 'x' }) });
	const api = (await r.json()).error;
	assert(api.field === 'email', 'api field ' + api.field);
	assert(await err.innerText() === api.message, `shown "${await err.innerText()}" vs API "${api.message}"`);
	assert(await page.getByLabel('Email').getAttribute('aria-invalid') === 'true', 'aria-invalid');
	assert(await page.evaluate(() => document.activeElement.id) === 'reg-email', 'focus on the field');
	assert(sql('SELECT count(*) FROM san.accounts') === before, 'an account was created');
});
await test('register: short password shows the message next to the password field, creates nothing', async () => {
	const email = `web.${Date.now()}@example.vn`;
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Mật khẩu').fill('ngắn');
	await page.getByRole('button', { name: 'Đăng ký' }).click();
	const err = page.locator('#reg-password-err');
	await err.waitFor();
	assert((await err.innerText()).length > 0, 'message');
	assert(await page.locator('#reg-email-err').count() === 0, 'old error cleared');
	assert(sql(`SELECT count(*) FROM san.accounts WHERE email = '${email}'`) === '0', 'created');
});
await axe('register with errors');
await shots('register-errors');

/* 4. Sign in. */
await page.goto(BASE + '/dang-nhap');
await page.getByLabel('Mật khẩu').waitFor();
await axe('sign in');
await shots('signin');
await test('the buyer signs in; the header shows the account; no token in storage', async () => {
	await page.getByLabel('Email').fill(fx.buyer.email);
	await page.getByLabel('Mật khẩu').fill(fx.buyer.password);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
	assert(await page.locator('.who').textContent() === 'Người Dùng Thử', 'name');
	const store = await page.evaluate(() => ({ ls: Object.keys(localStorage),
	    ss: Object.keys(sessionStorage), cookie: document.cookie }));
	assert(store.ls.every((k) => k === 'san.lang') && store.ss.length === 0, 'storage ' + JSON.stringify(store));
	assert(store.cookie === '', 'JS-readable cookie: ' + store.cookie);
});

/* 5. Search as you type, without diacritics. */
await test('typing "banh trang" finds "Bánh tráng phơi sương Trảng Bàng"', async () => {
	await page.goto(BASE + '/');
	await page.getByLabel('Tìm sản phẩm').pressSequentially('banh trang', { delay: 40 });
	await page.waitForURL(/\/tim-kiem\?q=banh/);
	await page.locator('.card-name', { hasText: 'Bánh tráng' }).first().waitFor();
	assert(await page.evaluate(() => document.activeElement.id) === 'q', 'focus left the search box');
	/* Other tests' listings may rank first: "Xem thêm" until ours shows. */
	const ours = page.locator(`.card a[href="/san-pham/${fx.product1}"]`);
	for (let i = 0; i < 10 && await ours.count() === 0; i++) {
		await page.getByRole('button', { name: 'Xem thêm' }).click();
		await page.waitForTimeout(500);
	}
	assert(await ours.count() === 1, 'the fixture product is not in the results');
});
await axe('search results');
await shots('search');

/* 6. Product page. */
await test('the product page shows price, stock, seller identity and the QR code', async () => {
	await page.locator(`.card a[href="/san-pham/${fx.product1}"]`).click();
	await page.waitForURL(/\/san-pham\/\d+$/);
	assert(await heading() === 'Bánh tráng phơi sương Trảng Bàng', 'h1');
	const text = await page.locator('main').innerText();
	assert(text.includes('85.000 ₫'), 'price as 85.000 ₫: ' + text.slice(0, 300));
	assert(text.includes('Còn 10 kg'), 'stock');
	assert(text.includes('Mã số thuế') && text.includes('Hợp tác xã Bánh tráng Trảng Bàng'), 'seller');
	const qr = page.locator('.qr img');
	await qr.waitFor();
	assert(await qr.evaluate((i) => i.complete && i.naturalWidth > 0), 'QR not loaded');
	assert(await page.locator('.gallery img').first().evaluate((i) => i.complete && i.naturalWidth > 0), 'image not loaded');
});
await axe('product');
await shots('product');

/* 7. Cart. */
await test('add to cart; the cart lists it with its total', async () => {
	await page.getByLabel('Số lượng').fill('2');
	await page.getByRole('button', { name: 'Thêm vào giỏ' }).click();
	await page.getByText('Đã thêm vào giỏ hàng.').waitFor();
	await page.locator('.nav-cart .count', { hasText: '2' }).waitFor();
	await page.locator('.nav-cart').click();
	await page.waitForURL(/\/gio-hang$/);
	await page.locator('.lines .line').first().waitFor();
	const text = await page.locator('main').innerText();
	assert(text.includes('Bánh tráng phơi sương') && text.includes('170.000 ₫'), text);
});
await axe('cart');
await shots('cart');

/* 8. Checkout, cash on delivery. */
let codOrder = null;
await test('checkout with cash on delivery places the order', async () => {
	await page.getByRole('link', { name: 'Đặt hàng' }).click();
	await page.waitForURL(/\/thanh-toan$/);
	await page.getByLabel('Người nhận').fill('Nguyễn Thị Mai');
	await page.getByLabel('Số điện thoại').fill('0912345678');
	await page.getByLabel('Địa chỉ (số nhà, đường)').fill('15 Trần Hưng Đạo, Khu phố 3');
	await page.getByLabel('Phường/xã').fill('Phường 2');
	await page.getByRole('radio', { name: /Giao hàng nhanh/ }).first().waitFor();
	assert(await page.getByRole('radio', { name: /Giao hàng nhanh/ }).first().isChecked(), 'default method');
	assert((await page.locator('main').innerText()).includes('25.000 ₫'), 'fee shown');
	await page.getByRole('radio', { name: /khi nhận hàng/ }).check();
	await axe('checkout');
	await shots('checkout');
	await page.getByRole('button', { name: 'Đặt hàng' }).click();
	await page.getByRole('heading', { name: 'Đã đặt hàng thành công.' }).waitFor();
	codOrder = (await page.locator('main .lines a').first().innerText()).trim();
	assert(/^DH\d+$/.test(codOrder), 'order code ' + codOrder);
	const rows = sql(`SELECT count(*) FROM san.orders o JOIN san.order_groups g ON g.id = o.group_id
	    WHERE g.buyer_id = ${fx.buyer.id}`);
	assert(rows === '1', 'orders in the database: ' + rows);
});

/* 9. My orders and the order page. */
await test('"Đơn hàng của tôi" lists the order; its page shows history; cancel works', async () => {
	await page.getByRole('link', { name: 'Đơn hàng của tôi' }).first().click();
	await page.waitForURL(/\/don-hang$/);
	await page.locator('.orders a', { hasText: codOrder }).waitFor();
	await axe('my orders');
	await shots('orders');
	await page.locator('.orders a', { hasText: codOrder }).click();
	await page.waitForURL(/\/don-hang\/\d+$/);
	await page.locator('.history li').first().waitFor();
	const text = await page.locator('main').innerText();
	assert(text.includes('195.000 ₫'), 'total 2 × 85.000 + 25.000: ' + text);
	assert(text.includes('Chờ xác nhận'), 'status placed');
	await axe('order detail');
	await shots('order');
	await page.getByRole('button', { name: 'Hủy đơn' }).click();
	await page.locator('.confirm').getByRole('button', { name: 'Hủy đơn' }).click();
	await page.locator('.history li', { hasText: 'Đã hủy' }).waitFor();
});

/* 10. VNPay through the stand-in. */
await test('checkout with VNPay: the app follows payment_url; paid through paysim; the order shows paid', async () => {
	await page.goto(BASE + '/san-pham/' + fx.product2);
	await page.getByRole('button', { name: 'Thêm vào giỏ' }).click();
	await page.getByText('Đã thêm vào giỏ hàng.').waitFor();
	await page.goto(BASE + '/thanh-toan');
	await page.getByLabel('Người nhận').fill('Nguyễn Thị Mai');
	await page.getByLabel('Số điện thoại').fill('0912345678');
	await page.getByLabel('Địa chỉ (số nhà, đường)').fill('15 Trần Hưng Đạo');
	await page.getByLabel('Phường/xã').fill('Phường 2');
	await page.getByRole('radio', { name: /VNPay/ }).check();
	await page.getByRole('radio', { name: /Giao hàng nhanh/ }).first().waitFor();
	await page.getByRole('button', { name: 'Đặt hàng' }).click();
	await page.waitForURL(/sandbox\.vnpayment\.vn/);
	assert(gatewayUrl && gatewayUrl.includes('vnp_SecureHash='), 'payment url');
	const out = execFileSync(join(root, 'tests', 'providers', 'paysim'),
	    ['vnpay-pay', gatewayUrl, '--base', BASE], { encoding: 'utf8' });
	assert(/^200 .*"RspCode":"00"/.test(out.trim()), 'IPN: ' + out);
	await page.goto(BASE + '/thanh-toan/ket-qua?vnp_ResponseCode=00');
	await page.locator('.alert-ok').waitFor();
	await page.goto(BASE + '/don-hang');
	await page.locator('.orders .order', { hasText: 'Muối tôm' }).locator('.status', { hasText: 'Đã thanh toán' }).waitFor();
});
await axe('payment result');

/* Store page. */
await test('the store page shows its listings and the seller identity', async () => {
	await page.goto(BASE + '/san-pham/' + fx.product1);
	await page.locator(`a[href="/cua-hang/${fx.store1}"]`).click();
	await page.waitForURL(new RegExp('/cua-hang/' + fx.store1 + '$'));
	await page.locator(`.card a[href="/san-pham/${fx.product1}"]`).waitFor();
	assert((await page.locator('main').innerText()).includes('Mã số thuế'), 'seller identity');
});
await axe('store');
await shots('store');

/* 11. Another buyer's order: the not-found page. */
await test('an order that is not the buyer\'s shows the not-found page', async () => {
	await page.goto(BASE + '/don-hang/999999999');
	await page.getByRole('heading', { name: 'Không tìm thấy trang' }).waitFor();
});

/* 12. English. */
await test('the English switch changes the language and is remembered (language only)', async () => {
	await page.goto(BASE + '/');
	await page.getByRole('button', { name: 'Chuyển sang tiếng Anh' }).click();
	await page.getByRole('heading', { name: 'Categories' }).waitFor();
	await page.reload();
	await page.getByRole('heading', { name: 'Categories' }).waitFor();
	assert(await page.getAttribute('html', 'lang') === 'en', 'lang en');
	assert(JSON.stringify(await page.evaluate(() => ({ ...localStorage }))) === '{"san.lang":"en"}', 'storage');
	await shots('home-en');
	await page.getByRole('button', { name: 'Switch to Vietnamese' }).click();
	await page.getByRole('heading', { name: 'Danh mục' }).waitFor();
});

/* 13. Keyboard: the skip link and the search box are reachable. */
await test('keyboard: Tab reaches the skip link first, it moves the focus to main', async () => {
	await page.goto(BASE + '/');
	await page.locator('.chips a').first().waitFor();
	await page.keyboard.press('Tab');
	assert(await page.evaluate(() => document.activeElement.className) === 'skip', 'skip link');
	await page.keyboard.press('Enter');
	await page.waitForTimeout(300);
	assert(await page.evaluate(() => document.activeElement.id) === 'main', 'main focused');
	await page.keyboard.press('Tab');
	assert(await page.evaluate(() => document.activeElement.closest('main') !== null), 'next Tab stays in main');
});

/* 14. Subsidy ledger screens (pages/ho-tro/): the buyer made an admin. */
await test('subsidy: plans, the Quảng Ngãi appendix with its disagreement, the grant form\'s split, the approval queue', async () => {
	sql(`INSERT INTO san.account_roles (account_id, role) VALUES (${fx.buyer.id}, 'admin') ON CONFLICT DO NOTHING`);
	const line = sql(`SELECT l.id FROM san.plan_lines l JOIN san.plans p ON p.id = l.plan_id
	    WHERE p.province = 'Khánh Hòa' AND l.code = '2'`);
	const pid = sql(`INSERT INTO san.programmes (plan_id, line_id, name, rule, rate_bp, cap_vnd, counterpart_bp)
	    SELECT plan_id, id, 'Hỗ trợ tham gia sàn (web)', 'rate', 5000, 5000000, 5000 FROM san.plan_lines WHERE id = ${line}
	    RETURNING id`);
	sql(`INSERT INTO san.programme_sources VALUES (${pid}, 'central', 7000, ${line}), (${pid}, 'provincial', 3000, ${line})`);
	await page.goto(BASE + '/ho-tro/ke-hoach');
	await page.getByRole('heading', { name: 'Kế hoạch kinh phí hỗ trợ' }).waitFor();
	await page.getByRole('link', { name: /Quảng Ngãi giai đoạn 2016/ }).waitFor();
	await axe('/ho-tro/ke-hoach');
	await shots('ho-tro-ke-hoach');
	await page.getByRole('link', { name: /Quảng Ngãi giai đoạn 2016/ }).click();
	await page.getByText('Các tổng cộng ghi trong văn bản không khớp').waitFor();
	assert(await page.locator('.ledger-bad').count() === 1, 'one stated figure marked');
	assert((await page.locator('.ledger-bad').innerText()).includes('1.675.000.000'), 'computed shown');
	await axe('/ho-tro/ke-hoach/:id');
	await shots('ho-tro-bao-cao');
	await page.goto(BASE + '/ho-tro/cap-ho-tro');
	await page.getByLabel('Chương trình hỗ trợ').selectOption(pid);
	await page.getByLabel('Chi phí hợp lệ (đồng)').fill('12000000');
	await page.getByText('Số tiền hỗ trợ tính theo quy định').waitFor();
	const preview = await page.locator('[aria-live="polite"]').innerText();
	assert(/5\.000\.000/.test(preview) && /1\.500\.000/.test(preview) && /3\.500\.000/.test(preview), preview);
	await axe('/ho-tro/cap-ho-tro');
	await shots('ho-tro-cap-ho-tro');
	await page.goto(BASE + '/ho-tro/duyet-chi');
	await page.getByRole('heading', { name: 'Duyệt chi (người duyệt thứ hai)' }).waitFor();
	await axe('/ho-tro/duyet-chi');
	sql(`DELETE FROM san.account_roles WHERE account_id = ${fx.buyer.id} AND role = 'admin'`);
});

await test('no console errors or CSP violations', async () => {
	assert(problems.length === 0, problems.join('\n'));
});

await browser.close();
rmSync(profile, { recursive: true, force: true });
console.log(`1..${n}`);
console.log(`# screenshots in ${SHOTS}`);
process.exit(failed ? 1 : 0);
